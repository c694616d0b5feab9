# delivery.sh - benchmark 2, delivery rate (sourced by bench/run.sh).
#
# Tern: a fresh Redis per run; the sending domain registered through
# POST /domains (so the worker signs with its RSA-2048 key) when the binary
# has that route; COUNT emails enqueued through the API with the worker
# stopped; then `tern worker` (one or more processes) is started and timed
# until the last message is counted by smtp-sink. Records deliv.<run>.*.
#
# Postfix + OpenDKIM: the same kind of message (smtp-source -l 2048)
# injected with 10 sessions into a private Postfix that signs through an
# OpenDKIM unix-socket milter and relays to smtp-sink; timed from injection
# start to the last message at the sink. Records postfix.*.
#
# openssl speed rsa2048 (1 process, and one per CPU in parallel):
# openssl.sign_single and openssl.sign_parallel.

# start_sink NAME - smtp-sink counting (-c) on a free port; sets SINK_PORT,
# SINK_PID, SINK_OUT.
start_sink() {
  SINK_PORT=$(free_port)
  SINK_OUT="$BENCH_TMP/sink-$1.out"
  bg_start "$SINK_OUT" smtp-sink -c -u nobody "127.0.0.1:$SINK_PORT" 1024
  SINK_PID=$BG_PID
  wait_tcp "$SINK_PORT" 10 || die "smtp-sink did not start"
}

# tern_delivery RUN LABEL BODY_FILE COUNT WORKERS CONCURRENCY
tern_delivery() {
  local run=$1 label=$2 body=$3 count=$4 workers=$5 concurrency=$6 p="deliv.$1"
  log "delivery: $label, N=$count"
  start_redis "deliv-$run"
  tern_env
  create_api_key
  start_tern_api "deliv-$run"
  register_domain
  local mem_base out accepted seconds api_cpu redis_cpu calls_base calls_queued
  mem_base=$(redis_used_memory)
  calls_base=$(redis_calls)
  api_cpu=$(process_cpu_ms "$API_PID")
  redis_cpu=$(process_cpu_ms "$REDIS_PID")
  out=$("$BENCH_TOOLS/enqueue" 127.0.0.1 "$API_PORT" "$API_KEY" "$body" "$count" "$ENQUEUE_CONNECTIONS" || true)
  log "  enqueue: $out"
  accepted=$(sed -n 's/.*accepted=\([0-9]*\).*/\1/p' <<<"$out")
  seconds=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$out")
  api_cpu=$(($(process_cpu_ms "$API_PID") - api_cpu))
  redis_cpu=$(($(process_cpu_ms "$REDIS_PID") - redis_cpu))
  stop_pid "$API_PID"
  record "$p.label" "$label"
  record "$p.dkim" "$DKIM_SIGNED"
  record "$p.accepted" "${accepted:-0}"
  record "$p.enqueue_failed" "$(sed -n 's/.*failed=\([0-9]*\).*/\1/p' <<<"$out")"
  if ((${accepted:-0} == 0)); then
    log "  nothing was accepted; skipping the delivery"
    stop_pid "$REDIS_PID"
    return 0
  fi
  record "$p.enqueue_rate" "$(awk -v n="$accepted" -v s="$seconds" 'BEGIN { printf "%.1f", n / s }')"
  record "$p.enqueue_api_cpu_ms_per_msg" "$(awk -v c="$api_cpu" -v n="$accepted" 'BEGIN { printf "%.3f", c / n }')"
  record "$p.enqueue_redis_cpu_ms_per_msg" "$(awk -v c="$redis_cpu" -v n="$accepted" 'BEGIN { printf "%.3f", c / n }')"
  record "$p.queued_entries" "$(redis XLEN tern:queue:ready)"
  record "$p.redis_bytes_per_queued" "$(( ($(redis_used_memory) - mem_base) / accepted ))"
  calls_queued=$(redis_calls)
  record "$p.redis_ops_per_accept" "$(awk -v a="$calls_base" -v b="$calls_queued" -v n="$accepted" \
    'BEGIN { printf "%.1f", (b - a) / n }')"

  start_sink "$run"
  local spawn=() i
  for ((i = 0; i < workers; i++)); do spawn+=(--spawn "$TERN_BIN worker"); done
  # Every message goes to one destination (the sink): its connection limit
  # is raised to the workers' total so it does not cap the worker itself.
  TERN_RELAY_URL="smtp://127.0.0.1:$SINK_PORT" TERN_WORKER_CONCURRENCY=$concurrency \
    TERN_DESTINATION_CONCURRENCY=$((concurrency * workers)) \
    "$BENCH_TOOLS/measure.py" --sink-out "$SINK_OUT" --target "$accepted" --timeout "$DELIVERY_TIMEOUT" \
    --watch "redis:$REDIS_PID" --log "$BENCH_TMP/deliv-$run-worker.log" "${spawn[@]}" |
    tee >(sed 's/^/    /' >&2) | record_lines "$p"
  record "$p.redis_bytes_per_delivered" "$(( ($(redis_used_memory) - mem_base) / accepted ))"
  # Commands per delivered email, housekeeping (idle polls) included.
  record "$p.redis_ops_per_delivery" "$(awk -v a="$calls_queued" -v b="$(redis_calls)" -v n="$accepted" \
    'BEGIN { printf "%.1f", (b - a - 1) / n }')"
  stop_pid "$SINK_PID" KILL
  stop_pid "$REDIS_PID"
}

run_tern_delivery() {
  record meta.enqueue_connections "$ENQUEUE_CONNECTIONS"
  tern_delivery 2k "tern 2 KB, 1 worker, concurrency 16" "$BENCH_TMP/body-2k.json" "$DELIVERY_N" 1 16
  tern_delivery 100k "tern 100 KB, 1 worker, concurrency 16" "$BENCH_TMP/body-100k.json" "$DELIVERY_N_LARGE" 1 16
  local c
  for c in $DELIVERY_CONCURRENCIES; do
    [[ $c == 16 ]] && continue
    tern_delivery "2k_c$c" "tern 2 KB, 1 worker, concurrency $c" "$BENCH_TMP/body-2k.json" "$DELIVERY_N" 1 "$c"
  done
  if [[ $DELIVERY_TWO_WORKERS == 1 ]]; then
    tern_delivery 2k_w2 "tern 2 KB, 2 workers, concurrency 16 each" "$BENCH_TMP/body-2k.json" "$DELIVERY_N" 2 16
  fi
}

# postfix_check_signing - one message through Postfix to a dumping sink;
# records postfix.dkim (yes when it arrived signed, "verified" when dkimpy
# also verified it against the opendkim-genkey TXT record).
postfix_check_signing() {
  local dump="$BENCH_TMP/postfix-dump" port pid file=""
  mkdir -p "$dump"
  chown nobody "$dump"
  port=$(free_port)
  bg_start "$BENCH_TMP/dumpsink.log" smtp-sink -u nobody -d "$dump/%M." "127.0.0.1:$port" 64
  pid=$BG_PID
  wait_tcp "$port" 10 || die "dumping smtp-sink did not start"
  postfix_set_relay "$port"
  smtp-source -m 1 -l 2048 -f "bench@$BENCH_DOMAIN" -t rcpt@sink.example.net "127.0.0.1:$POSTFIX_PORT"
  for _ in $(seq 200); do
    file=$(find "$dump" -type f | head -1)
    [[ -n $file ]] && break
    sleep 0.05
  done
  stop_pid "$pid" KILL
  if [[ -z $file ]]; then
    record postfix.dkim "no message"
  elif /usr/bin/python3 "$BENCH_DIR/tools/dkim_check.py" "$file" "$OPENDKIM_DIR/keys/bench.txt" >/dev/null; then
    record postfix.dkim "verified"
  elif grep -q '^DKIM-Signature:' "$file"; then
    record postfix.dkim "signed, not verified"
  else
    record postfix.dkim "no"
  fi
}

run_postfix_delivery() {
  if ((EUID != 0)); then
    log "postfix: needs root (private Postfix instance); skipped"
    return 0
  fi
  log "delivery: Postfix + OpenDKIM (unix socket milter), N=$POSTFIX_N"
  setup_opendkim
  start_sink postfix
  setup_postfix "$BENCH_TMP/postfix" "$SINK_PORT"
  postfix_check_signing
  postfix_set_relay "$SINK_PORT"
  record postfix.label "Postfix 3.7 + OpenDKIM milter (unix socket), 2 KB, smtp-source -s 10"
  "$BENCH_TOOLS/measure.py" --sink-out "$SINK_OUT" --target "$POSTFIX_N" --timeout "$DELIVERY_TIMEOUT" \
    --spawn "smtp-source -s 10 -m $POSTFIX_N -l 2048 -f bench@$BENCH_DOMAIN -t rcpt@sink.example.net 127.0.0.1:$POSTFIX_PORT" \
    --watch-tree "postfix:$POSTFIX_MASTER_PID" --watch "opendkim:$OPENDKIM_PID" |
    tee >(sed 's/^/    /' >&2) | record_lines postfix
  postfix -c "$POSTFIX_CONF_DIR" stop >/dev/null 2>&1 || true
  stop_pid "$OPENDKIM_PID"
  stop_pid "$SINK_PID" KILL
}

# run_openssl - RSA-2048 signatures per second on one core, and the sum of
# $(nproc) single-process runs in parallel (the signing limit of the box).
# `openssl speed -multi N` is not used: on this Debian 12 build its
# children report a quarter of what the same number of parallel
# single-process runs achieve.
run_openssl() {
  local cpus i files=() pids=() total
  cpus=$(nproc)
  log "openssl speed rsa2048 (1 process, then $cpus in parallel)"
  record openssl.sign_single "$(openssl speed -seconds "$OPENSSL_SECONDS" rsa2048 2>/dev/null |
    awk '/^rsa 2048 bits/ { print $(NF - 1) }')"
  for ((i = 0; i < cpus; i++)); do
    files+=("$BENCH_TMP/openssl-$i.txt")
    openssl speed -seconds "$OPENSSL_SECONDS" rsa2048 >"$BENCH_TMP/openssl-$i.txt" 2>/dev/null &
    pids+=($!)
  done
  wait "${pids[@]}"
  total=$(awk '/^rsa 2048 bits/ { s += $(NF - 1) } END { printf "%.0f", s }' "${files[@]}")
  record openssl.sign_parallel "$total"
  record openssl.parallel_processes "$cpus"
}
