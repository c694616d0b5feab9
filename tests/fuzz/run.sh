#!/usr/bin/env bash
# run.sh BIN_DIR - run every built fuzz target for a bounded time.
#
# For each target <name>_fuzz in BIN_DIR: first replay the saved crash
# reproducers in tests/fuzz/regressions/<name>/ (each must now pass), then
# fuzz for FUZZ_SECONDS (default 20) on a scratch copy of the seed corpus
# tests/fuzz/corpus/<name>/ with dict/<name>.dict when present. Any crash,
# leak, timeout or out-of-memory fails the run; the input libFuzzer saved is
# left in $FUZZ_ARTIFACTS (default build/fuzz/artifacts/<name>/) and named in
# the summary. One summary line per target; exit status 1 when any failed.
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
BIN="$(cd "${1:?usage: run.sh BIN_DIR}" && pwd)"
SECONDS_EACH="${FUZZ_SECONDS:-20}"
ARTIFACTS="${FUZZ_ARTIFACTS:-$BIN/../../artifacts}"
mkdir -p "$ARTIFACTS"
ARTIFACTS="$(cd "$ARTIFACTS" && pwd)"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

targets=()
if [ -n "${FUZZ_TARGETS:-}" ]; then
  for t in $FUZZ_TARGETS; do targets+=("$t"); done
else
  for exe in "$BIN"/*_fuzz; do
    [ -x "$exe" ] && targets+=("$(basename "$exe" _fuzz)")
  done
fi
if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzz: no targets in $BIN" >&2
  exit 1
fi

failed=0
summary=()
start_all=$(date +%s)
for name in "${targets[@]}"; do
  exe="$BIN/${name}_fuzz"
  out="$ARTIFACTS/$name"
  rm -rf "$out" && mkdir -p "$out/corpus" "$out/crashes"
  log="$out/fuzz.log"

  if [ ! -x "$exe" ]; then
    summary+=("FAIL  $name: not built")
    failed=1
    continue
  fi

  # Replay each saved reproducer on its own, so one that still crashes
  # names itself; then fuzz anyway, to find what else is there.
  regressed=""
  for input in "$HERE/regressions/$name"/*; do
    [ -e "$input" ] || continue
    if ! "$exe" "$input" >>"$out/regressions.log" 2>&1; then
      regressed+=" $(basename "$input")"
    fi
  done
  if [ -n "$regressed" ]; then
    summary+=("FAIL  $name: regression input(s) crash:$regressed (log $out/regressions.log)")
    failed=1
  fi

  [ -d "$HERE/corpus/$name" ] && cp -r "$HERE/corpus/$name/." "$out/corpus/"
  dict=()
  [ -f "$HERE/dict/$name.dict" ] && dict=(-dict="$HERE/dict/$name.dict")
  # Header values are short; long inputs there only slow the search down.
  case "$name" in
    header_encoding | address | server_command) max_len=1200 ;;
    *) max_len=8192 ;;
  esac
  t0=$(date +%s)
  "$exe" "$out/corpus" "${dict[@]}" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
    -max_len="$max_len" -print_final_stats=1 -artifact_prefix="$out/crashes/" >"$log" 2>&1
  rc=$?
  took=$(( $(date +%s) - t0 ))
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || true)
  if [ $rc -eq 0 ]; then
    summary+=("ok    $name: ${runs:-?} runs, cov ${cov:-?}, ${took}s")
  else
    crash=$(ls "$out/crashes" 2>/dev/null | head -1)
    reason=$(grep -m1 -oE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer|UndefinedBehaviorSanitizer)[^(]*|runtime error: .*|invariant broken: .*' "$log" || true)
    summary+=("FAIL  $name: ${reason:-exit $rc}; input $out/crashes/${crash:-?}; log $log")
    failed=1
  fi
done

echo "fuzz summary (${SECONDS_EACH}s per target, $(( $(date +%s) - start_all ))s total):"
printf '  %s\n' "${summary[@]}"
exit $failed
