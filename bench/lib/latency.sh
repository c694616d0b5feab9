# latency.sh - benchmark 3, accept -> 250 latency at low load (sourced by
# bench/run.sh).
#
# `tern api` and one `tern worker` against a fresh Redis (appendfsync
# always), the sending domain registered when POST /domains exists; the
# worker relays to the aiosmtpd sink inside bench/tools/latency.py, which
# posts $LATENCY_COUNT emails one at a time and times each to its arrival.
# Records latency.* (see latency.py), including how many arrived
# DKIM-signed and how many of those dkimpy verified.

run_latency() {
  log "latency: $LATENCY_COUNT single emails, ${LATENCY_GAP_MS} ms apart"
  record meta.latency_gap_ms "$LATENCY_GAP_MS"
  start_redis latency
  tern_env
  create_api_key
  start_tern_api latency
  register_domain
  local sink_port domain_arg=()
  sink_port=$(free_port)
  [[ $DKIM_SIGNED == yes ]] && domain_arg=(--domain-json "$DOMAIN_JSON")
  TERN_RELAY_URL="smtp://127.0.0.1:$sink_port" bg_start "$BENCH_TMP/latency-worker.log" "$TERN_BIN" worker
  local worker_pid=$BG_PID
  timeout $((LATENCY_COUNT / 5 + 60)) /usr/bin/python3 "$BENCH_DIR/tools/latency.py" --api-port "$API_PORT" \
    --api-key "$API_KEY" --sink-port "$sink_port" --count "$LATENCY_COUNT" --gap-ms "$LATENCY_GAP_MS" \
    --from "Bench <bench@$BENCH_DOMAIN>" "${domain_arg[@]}" |
    tee >(sed 's/^/    /' >&2) | record_lines latency
  stop_pid "$worker_pid"
  stop_pid "$API_PID"
  stop_pid "$REDIS_PID"
}
