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

# fuzz_one NAME - replay NAME's regressions, then fuzz it; writes its one
# summary line to $ARTIFACTS/NAME/summary.
fuzz_one() {
  local name=$1
  local exe="$BIN/${name}_fuzz"
  local out="$ARTIFACTS/$name"
  rm -rf "$out" && mkdir -p "$out/corpus" "$out/crashes"
  local log="$out/fuzz.log"
  local line=""

  if [ ! -x "$exe" ]; then
    echo "FAIL  $name: not built" >"$out/summary"
    return
  fi

  # Replay each saved reproducer on its own, so one that still crashes
  # names itself; then fuzz anyway, to find what else is there.
  local regressed="" input
  for input in "$HERE/regressions/$name"/*; do
    [ -e "$input" ] || continue
    if ! "$exe" "$input" >>"$out/regressions.log" 2>&1; then
      regressed+=" $(basename "$input")"
    fi
  done
  if [ -n "$regressed" ]; then
    line="FAIL  $name: regression input(s) crash:$regressed (log $out/regressions.log)"$'\n'
  fi

  [ -d "$HERE/corpus/$name" ] && cp -r "$HERE/corpus/$name/." "$out/corpus/"
  local dict=()
  [ -f "$HERE/dict/$name.dict" ] && dict=(-dict="$HERE/dict/$name.dict")
  # Header values are short; long inputs there only slow the search down.
  local max_len
  case "$name" in
    header_encoding | address | server_command) max_len=1200 ;;
    *) max_len=8192 ;;
  esac
  local t0 rc took runs cov crash reason
  t0=$(date +%s)
  "$exe" "$out/corpus" "${dict[@]}" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
    -max_len="$max_len" -print_final_stats=1 -artifact_prefix="$out/crashes/" >"$log" 2>&1
  rc=$?
  took=$(( $(date +%s) - t0 ))
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || true)
  if [ $rc -eq 0 ]; then
    line+="ok    $name: ${runs:-?} runs, cov ${cov:-?}, ${took}s"
  else
    crash=$(ls "$out/crashes" 2>/dev/null | head -1)
    reason=$(grep -m1 -oE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer|UndefinedBehaviorSanitizer)[^(]*|runtime error: .*|invariant broken: .*' "$log" || true)
    line+="FAIL  $name: ${reason:-exit $rc}; input $out/crashes/${crash:-?}; log $log"
  fi
  printf '%s\n' "$line" >"$out/summary"
}

# FUZZ_PARALLEL targets at a time (default: one per core), so the whole run
# takes about targets x FUZZ_SECONDS / cores.
parallel="${FUZZ_PARALLEL:-$(nproc)}"
start_all=$(date +%s)
running=0
for name in "${targets[@]}"; do
  if [ "$running" -ge "$parallel" ]; then
    wait -n
    running=$((running - 1))
  fi
  fuzz_one "$name" &
  running=$((running + 1))
done
wait

failed=0
summary=()
for name in "${targets[@]}"; do
  if [ ! -f "$ARTIFACTS/$name/summary" ]; then
    summary+=("FAIL  $name: the fuzz run left no summary")
    failed=1
    continue
  fi
  while IFS= read -r line; do
    summary+=("$line")
    [[ $line == FAIL* ]] && failed=1
  done <"$ARTIFACTS/$name/summary"
done

echo "fuzz summary (${SECONDS_EACH}s per target, $parallel at a time, $(( $(date +%s) - start_all ))s total):"
printf '  %s\n' "${summary[@]}"
exit $failed
