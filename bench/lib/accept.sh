# accept.sh - benchmark 1, accept rate (sourced by bench/run.sh).
#
# wrk -t2 -c$ACCEPT_CONNECTIONS -d${ACCEPT_SECONDS}s POSTs the same ~1 KB
# JSON email (one recipient) to `tern api` backed by its own Redis (AOF,
# appendfsync always), then to the bare cpp-httplib server. Records
# accept.<tern|bare>.{requests,rps,p50_ms,p99_ms,p999_ms,http_errors,
# socket_errors}, and for Tern the number of queue entries Redis holds
# afterwards (accept.tern.queued) and the CPU ms per request of tern api and
# of redis-server.

# wrk_run NAME PORT - run wrk against 127.0.0.1:PORT, record accept.NAME.*.
wrk_run() {
  local name=$1 port=$2 out="$BENCH_TMP/wrk-$1.txt"
  BENCH_BODY_FILE="$BENCH_TMP/body-1k.json" BENCH_API_KEY=${API_KEY:-none} \
    wrk -t2 -c"$ACCEPT_CONNECTIONS" -d"${ACCEPT_SECONDS}s" --timeout 10s --latency \
    -s "$BENCH_DIR/lua/post_email.lua" "http://127.0.0.1:$port" >"$out" 2>&1 || true
  sed 's/^/    /' "$out" >&2
  grep '^BENCH ' "$out" | tail -1 | tr ' ' '\n' | record_lines "accept.$name"
}

run_accept_tern() {
  log "accept: tern api, Redis appendfsync always"
  start_redis accept
  tern_env
  create_api_key
  start_tern_api accept
  local code
  code=$(curl -s -o "$BENCH_TMP/accept-probe.json" -w '%{http_code}' "http://127.0.0.1:$API_PORT/emails" \
    -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' -d @"$BENCH_TMP/body-1k.json")
  if [[ $code != 2* ]]; then
    log "accept: probe POST answered $code: $(head -c 300 "$BENCH_TMP/accept-probe.json")"
    record meta.note " | accept probe answered $code"
  fi
  local api_cpu redis_cpu
  api_cpu=$(process_cpu_ms "$API_PID")
  redis_cpu=$(process_cpu_ms "$REDIS_PID")
  wrk_run tern "$API_PORT"
  local requests
  requests=$(sed -n 's/^accept\.tern\.requests=//p' "$BENCH_RESULTS" | tail -1)
  if ((${requests:-0} > 0)); then
    record accept.tern.api_cpu_ms_per_req "$(awk -v a="$api_cpu" -v b="$(process_cpu_ms "$API_PID")" \
      -v n="$requests" 'BEGIN { printf "%.3f", (b - a) / n }')"
    record accept.tern.redis_cpu_ms_per_req "$(awk -v a="$redis_cpu" -v b="$(process_cpu_ms "$REDIS_PID")" \
      -v n="$requests" 'BEGIN { printf "%.3f", (b - a) / n }')"
  fi
  record accept.tern.queued "$(redis XLEN tern:queue:ready)"
  stop_pid "$API_PID"
  stop_pid "$REDIS_PID"
}

run_accept_bare() {
  log "accept: bare cpp-httplib"
  local port
  port=$(free_port)
  bg_start "$BENCH_TMP/bare.log" "$BENCH_TOOLS/httplib_bare" 127.0.0.1 "$port"
  local pid=$BG_PID
  wait_tcp "$port" 10 || die "httplib_bare did not start (see $BENCH_TMP/bare.log)"
  API_KEY=${API_KEY:-re_bench} wrk_run bare "$port"
  stop_pid "$pid"
}

run_accept() {
  record meta.accept_seconds "$ACCEPT_SECONDS"
  record meta.accept_connections "$ACCEPT_CONNECTIONS"
  record meta.accept_body_bytes "$(stat -c %s "$BENCH_TMP/body-1k.json")"
  run_accept_tern
  run_accept_bare
}
