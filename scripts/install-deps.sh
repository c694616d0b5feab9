#!/usr/bin/env bash
# install-deps.sh - every Debian 12 package Tern needs to build, run and
# test. Idempotent; runs apt-get as root (or through sudo).
#   scripts/install-deps.sh           everything (build, run, test)
#   scripts/install-deps.sh build     only what compiles `tern` (docker/Dockerfile's build stage)
#   scripts/install-deps.sh runtime   only the shared libraries `tern` links (the Docker runtime image)
set -euo pipefail

BUILD=(
  build-essential cmake pkg-config
  libcpp-httplib-dev libboost-dev libssl-dev libhiredis-dev nlohmann-json3-dev
  libc-ares-dev libexpected-dev
)
RUNTIME=(libcpp-httplib0.11 libssl3 libhiredis0.14 libc-ares2 ca-certificates)
EVERYTHING_ELSE=(
  libgtest-dev libgmock-dev
  # run
  redis-server openssl ca-certificates curl
  # test peers: a real DNS server, real SMTP servers, DKIM verifier
  dnsmasq-base python3-aiosmtpd postfix python3-dkim python3-nacl python3-spf python3-dnspython swaks
  libmail-dkim-perl libnet-dns-resolver-mock-perl libcryptx-perl
  # operations: the web console's browser test, the compose file check,
  # a second Prometheus text parser for /metrics
  chromium docker-compose python3-prometheus-client
)

case "${1:-all}" in
  build) PACKAGES=("${BUILD[@]}") ;;
  runtime) PACKAGES=("${RUNTIME[@]}") ;;
  all) PACKAGES=("${BUILD[@]}" "${EVERYTHING_ELSE[@]}") ;;
  *) echo "usage: $0 [build|runtime|all]" >&2; exit 2 ;;
esac

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# postfix asks a question at install time; answer it so nothing waits.
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
