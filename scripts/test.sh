#!/usr/bin/env bash
# test.sh - install, build (Debug with ASan+UBSan) and run every test with
# ctest, then every fuzz target for FUZZ_SECONDS (10) each (scripts/fuzz.sh).
# Tests start their own redis-server, DNS server and SMTP peers on
# loopback, free ports and temp dirs.
#
# CI time on 2 cores: the tests are built with -g1 (line tables only: ASan
# and UBSan still print file:line), and the fuzz targets are compiled with
# clang while ctest runs, since most tests wait on their peers rather than
# compute. Phases print their wall time.
set -euo pipefail
cd "$(dirname "$0")/.."

phase_started=$(date +%s)
phase() {
  local now
  now=$(date +%s)
  echo "test.sh: $1 took $((now - phase_started)) s" >&2
  phase_started=$now
}

scripts/install-deps.sh
phase "installing dependencies"
cmake -S . -B build/test -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DTERN_SANITIZE=ON >/dev/null
cmake --build build/test -j"$(nproc)"
# The SDK suite and the OpenAPI lint share tests/sdk/node_modules: install it
# once here (pinned by package-lock.json) so parallel tests never race npm.
if [ ! -f tests/sdk/node_modules/@redocly/cli/bin/cli.js ] || [ ! -d tests/sdk/node_modules/resend ] ||
   [ ! -d tests/sdk/node_modules/playwright-core ] || [ ! -d tests/sdk/node_modules/nodemailer ] ||
   [ ! -d tests/sdk/node_modules/ajv ] || [ ! -d tests/sdk/node_modules/yaml ] || [ ! -d tests/sdk/node_modules/svix ]; then
  npm ci --prefix tests/sdk --no-audit --no-fund
fi
phase "building"

mkdir -p build
fuzz_build_log=build/fuzz-build.log
FUZZ_JOBS=1 nice -n 10 scripts/fuzz.sh build >"$fuzz_build_log" 2>&1 &
fuzz_build=$!
trap 'kill "$fuzz_build" 2>/dev/null || true' EXIT

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
(cd build/test && ctest --output-on-failure -j2 --timeout 300)
phase "ctest"

if ! wait "$fuzz_build"; then
  cat "$fuzz_build_log" >&2
  echo "test.sh: building the fuzz targets failed" >&2
  exit 1
fi
trap - EXIT
phase "building the fuzz targets (after ctest)"
# Every libFuzzer target (tests/fuzz) for a bounded time; a crash fails the run.
FUZZ_SECONDS="${FUZZ_SECONDS:-10}" scripts/fuzz.sh run
phase "fuzzing"
