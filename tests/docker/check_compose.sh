#!/usr/bin/env bash
# check_compose.sh - what CI can check of docker/ without a Docker engine:
#   1. the compose file validates (Debian's docker-compose), with and
#      without the dev profile;
#   2. the Dockerfile installs and builds through the same scripts as
#      scripts/run.sh (the README's first command), so they cannot drift:
#      scripts/install-deps.sh and scripts/build.sh in both;
#   3. the runtime image runs as a non-root user, from a slim base.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
fail() { echo "FAIL: $*" >&2; exit 1; }

command -v docker-compose >/dev/null || fail "docker-compose is not installed (scripts/install-deps.sh)"
docker-compose -f docker/compose.yaml config -q || fail "docker/compose.yaml does not validate"
docker-compose -f docker/compose.yaml --profile dev config -q || fail "docker/compose.yaml --profile dev does not validate"
config=$(docker-compose -f docker/compose.yaml --profile dev config)
for service in redis api worker mailpit; do
  grep -q "^  $service:" <<<"$config" || fail "compose has no $service service"
done
grep -q -- "--appendonly" <<<"$config" || fail "redis runs without AOF"
grep -q "redis-data:/data" <<<"$config" || grep -q "source: redis-data" <<<"$config" || fail "redis has no volume"
grep -q "container_name" <<<"$config" && fail "container_name prevents --scale worker=N"

df=docker/Dockerfile
grep -q '^RUN scripts/install-deps.sh build' "$df" || fail "$df build stage does not call scripts/install-deps.sh build"
grep -q '^RUN scripts/build.sh ' "$df" || fail "$df does not build with scripts/build.sh"
grep -q 'install-deps.sh runtime' "$df" || fail "$df runtime stage does not call install-deps.sh runtime"
grep -q '^scripts/install-deps.sh$' scripts/run.sh || fail "scripts/run.sh does not call scripts/install-deps.sh"
grep -q '^scripts/build.sh' scripts/run.sh || fail "scripts/run.sh does not build with scripts/build.sh"
grep -q '^FROM debian:12-slim' "$df" || fail "$df runtime stage is not debian:12-slim"
user=$(grep '^USER ' "$df" | tail -1 | awk '{print $2}')
[ -n "$user" ] && [ "${user%%:*}" != "root" ] && [ "${user%%:*}" != "0" ] || fail "$df does not run as a non-root user"
echo "docker/: compose validates; Dockerfile uses install-deps.sh + build.sh; non-root runtime"
