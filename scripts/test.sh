#!/usr/bin/env bash
# test.sh - install, build (Debug with ASan+UBSan) and run every test with
# ctest, then every fuzz target for FUZZ_SECONDS (15) each (scripts/fuzz.sh). Tests start their own redis-server, DNS server and SMTP peers on
# loopback, free ports and temp dirs.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build/test -DCMAKE_BUILD_TYPE=Debug -DTERN_SANITIZE=ON >/dev/null
cmake --build build/test -j"$(nproc)"
# The SDK suite and the OpenAPI lint share tests/sdk/node_modules: install it
# once here (pinned by package-lock.json) so parallel tests never race npm.
if [ ! -f tests/sdk/node_modules/@redocly/cli/bin/cli.js ] || [ ! -d tests/sdk/node_modules/resend ] ||
   [ ! -d tests/sdk/node_modules/playwright-core ] || [ ! -d tests/sdk/node_modules/nodemailer ]; then
  npm ci --prefix tests/sdk --no-audit --no-fund
fi
cd build/test
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --output-on-failure -j2 --timeout 300
cd ../..
# Every libFuzzer target (tests/fuzz) for a bounded time; a crash fails the run.
FUZZ_SECONDS="${FUZZ_SECONDS:-15}" scripts/fuzz.sh
