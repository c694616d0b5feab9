#!/usr/bin/env bash
# build.sh - configure and build the `tern` binary (Release, no tests): the
# one way scripts/run.sh and docker/Dockerfile build it, so they cannot
# drift apart. Needs `scripts/install-deps.sh build` first.
#   scripts/build.sh [BUILD_DIR]      default build/release; the binary is BUILD_DIR/cli/tern
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build/release}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DTERN_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" --target tern
