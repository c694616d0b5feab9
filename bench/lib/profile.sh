# profile.sh - optional section "profile" (sourced by bench/run.sh): where
# does `tern worker` spend its CPU per message?
#
# Queues $PROFILE_N 2 KB emails (domain registered when possible, so the
# worker signs), then runs one worker under `perf record` while it delivers
# them to smtp-sink, and writes self time by shared object and by symbol,
# and inclusive time of Tern's own functions (and TLS, Redis, JSON, DKIM
# crypto) to $BENCH_BUILD/profile-worker.txt (also shown on stderr).
# Not part of the default sections: perf adds overhead and the figures of
# that run are not comparable with the others.

# tidy_perf - perf report's --stdio lines without comments, padding and the
# empty trailing columns, cut to 140 characters.
tidy_perf() {
  grep -v -e '^$' -e '^#' | sed -E 's/[[:space:]]+-[[:space:]]+-[[:space:]]*$//; s/[[:space:]]+$//' | cut -c1-140
}

run_profile() {
  command -v perf >/dev/null || { log "profile: perf is not installed; skipped"; return 0; }
  local size=${BENCH_PROFILE_BODY:-2k}
  log "profile: perf record of one worker delivering $PROFILE_N $size emails"
  start_redis profile
  tern_env
  create_api_key
  start_tern_api profile
  register_domain
  local out accepted data="$BENCH_TMP/perf.data" report="$BENCH_BUILD/profile-worker.txt"
  out=$("$BENCH_TOOLS/enqueue" 127.0.0.1 "$API_PORT" "$API_KEY" "$BENCH_TMP/body-$size.json" "$PROFILE_N" \
    "$ENQUEUE_CONNECTIONS" || true)
  accepted=$(sed -n 's/.*accepted=\([0-9]*\).*/\1/p' <<<"$out")
  stop_pid "$API_PID"
  start_sink profile
  TERN_RELAY_URL="smtp://127.0.0.1:$SINK_PORT" TERN_WORKER_CONCURRENCY=16 TERN_DESTINATION_CONCURRENCY=16 \
    "$BENCH_TOOLS/measure.py" --sink-out "$SINK_OUT" --target "${accepted:-0}" --timeout "$DELIVERY_TIMEOUT" \
    --log "$BENCH_TMP/profile-worker.log" \
    --spawn "perf record -q -F 499 --call-graph dwarf,16384 -o $data -- $TERN_BIN worker" | sed 's/^/    /' >&2
  stop_pid "$SINK_PID" KILL
  stop_pid "$REDIS_PID"
  perf report -i "$data" --no-children --sort dso --stdio -g none >"$BENCH_TMP/perf-dso.txt" 2>/dev/null || true
  perf report -i "$data" --no-children --sort dso,symbol --stdio -g none >"$BENCH_TMP/perf-sym.txt" \
    2>/dev/null || true
  perf report -i "$data" --children --sort symbol --stdio -g none >"$BENCH_TMP/perf-children.txt" \
    2>/dev/null || true
  {
    echo "# tern worker, $accepted $size emails (DKIM: $DKIM_SIGNED), perf record -F 499 --call-graph dwarf"
    echo "## self time by shared object"
    tidy_perf <"$BENCH_TMP/perf-dso.txt" | head -12 || true
    echo "## self time by symbol"
    tidy_perf <"$BENCH_TMP/perf-sym.txt" | head -30 || true
    echo "## inclusive time (children, self) of Tern, TLS, Redis, JSON and DKIM functions"
    tidy_perf <"$BENCH_TMP/perf-children.txt" |
      grep -E '\] (tern::|SSL_|EVP_(Digest|PKEY|DigestSign)|redis|nlohmann::.*parse)' | head -45 || true
  } >"$report"
  sed 's/^/    /' "$report" >&2
  log "profile written to $report (perf data kept only with BENCH_KEEP_TMP=1)"
}
