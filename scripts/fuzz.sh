#!/usr/bin/env bash
# fuzz.sh - build the libFuzzer targets (tests/fuzz) with clang in build/fuzz
# and run each for a bounded time. Exits non-zero when any target crashes,
# leaks, times out or fails to replay a saved regression input.
#
#   FUZZ_SECONDS=20   time per target (-max_total_time)
#   FUZZ_TARGETS="reply_parser spf"   only these targets (default: all)
#   FUZZ_JOBS=2       build parallelism
#   FUZZ_PARALLEL=2   targets fuzzed at once (default: one per core)
#
#   scripts/fuzz.sh [all|build|run]   build and run (default), or one half:
#   scripts/test.sh builds while ctest runs, then runs.
#
# Self-contained: installs clang if missing. The build dir is kept between
# runs, so a rebuild compiles only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PHASE="${1:-all}"
case "$PHASE" in
  all | build | run) ;;
  *) echo "usage: $0 [all|build|run]" >&2; exit 2 ;;
esac
BUILD=build/fuzz
if [ "$PHASE" = run ]; then
  exec tests/fuzz/run.sh "$BUILD/tests/fuzz"
fi

scripts/install-deps.sh

FUZZ_PACKAGES=(clang-14 libclang-rt-14-dev lld-14)
missing=()
for p in "${FUZZ_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "installing: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Every library under test gets coverage feedback and the sanitizers; only
# the fuzz executables link libFuzzer's main (tests/fuzz/CMakeLists.txt).
# _GLIBCXX_ASSERTIONS turns an out-of-range operator[] into a crash.
INSTRUMENT="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -D_GLIBCXX_ASSERTIONS"
CC=clang-14 CXX=clang++-14 cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Fuzz \
  -DCMAKE_CXX_FLAGS_FUZZ="-O1 -g1" -DCMAKE_CXX_FLAGS="$INSTRUMENT" \
  -DTERN_FUZZ=ON -DTERN_BUILD_TESTS=ON >/dev/null
cmake --build "$BUILD" --target fuzz_all -j"${FUZZ_JOBS:-$(nproc)}"
[ "$PHASE" = build ] && exit 0

exec tests/fuzz/run.sh "$BUILD/tests/fuzz"
