#!/usr/bin/env bash
# run.sh - Tern's benchmarks (issue 7) in one command: installs what they
# need (apt), builds Tern in Release and two small helpers, runs
#   1. accept rate   (wrk against `tern api` and a bare cpp-httplib server)
#   2. delivery rate (`tern worker` to Postfix's smtp-sink; Postfix +
#                     OpenDKIM relaying the same kind of mail; openssl speed)
#   3. latency       (one email at a time, POST -> arrival at a sink)
# and prints one table with the figures, the ratios and the targets.
#
# Everything runs on 127.0.0.1 with free ports, private Redis/Postfix/
# OpenDKIM instances and temp dirs; an EXIT trap stops every process it
# started (by pid) and removes the temp dirs. Runs as root (apt-get, the
# private Postfix, smtp-sink -u nobody). About 8-10 minutes by default.
#
# Settings (environment):
#   TERN_SRC              source tree to build        (default: this repo)
#   TERN_BIN              use this tern binary; skip the build
#   BENCH_BUILD           build directory              (default: bench/build)
#   BENCH_SECTIONS        subset of "accept delivery postfix openssl latency",
#                         plus "profile" (perf profile of the worker; off by
#                         default, writes bench/build/profile-worker.txt)
#   BENCH_N               2 KB emails per Tern delivery run      (20000)
#   BENCH_N_LARGE         100 KB emails                           (5000)
#   BENCH_POSTFIX_N       messages through Postfix + OpenDKIM     (5000)
#   BENCH_DELIVERY_TIMEOUT  seconds before a delivery run is cut  (90)
#   BENCH_CONCURRENCIES   TERN_WORKER_CONCURRENCY values, 2 KB    ("16 64")
#   BENCH_TWO_WORKERS     1: also two worker processes            (1)
#   BENCH_ACCEPT_SECONDS  wrk duration                            (15)
#   BENCH_LATENCY_COUNT   latency probes                          (200)
#   BENCH_PROFILE_N       emails delivered under perf             (5000)
#   BENCH_PROFILE_BODY    2k or 100k: the body size profiled      (2k)
#   BENCH_RESULTS_OUT     also copy the key=value results here
#   BENCH_KEEP_TMP=1      keep the temp dir (logs) for inspection
set -euo pipefail
[[ -n ${BENCH_TRACE:-} ]] && { PS4='+ $(date +%T.%3N) '; set -x; }

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TERN_SRC=${TERN_SRC:-$(dirname "$BENCH_DIR")}
BENCH_BUILD=${BENCH_BUILD:-$BENCH_DIR/build}
BENCH_TOOLS=$BENCH_BUILD/tools
BENCH_SECTIONS=${BENCH_SECTIONS:-accept delivery postfix openssl latency}
BENCH_DOMAIN=${BENCH_DOMAIN:-bench.example.com}
DELIVERY_N=${BENCH_N:-20000}
DELIVERY_N_LARGE=${BENCH_N_LARGE:-5000}
POSTFIX_N=${BENCH_POSTFIX_N:-5000}
DELIVERY_TIMEOUT=${BENCH_DELIVERY_TIMEOUT:-90}
DELIVERY_CONCURRENCIES=${BENCH_CONCURRENCIES:-16 64}
DELIVERY_TWO_WORKERS=${BENCH_TWO_WORKERS:-1}
ENQUEUE_CONNECTIONS=${BENCH_ENQUEUE_CONNECTIONS:-32}
ACCEPT_SECONDS=${BENCH_ACCEPT_SECONDS:-15}
ACCEPT_CONNECTIONS=${BENCH_ACCEPT_CONNECTIONS:-64}
LATENCY_COUNT=${BENCH_LATENCY_COUNT:-200}
LATENCY_GAP_MS=${BENCH_LATENCY_GAP_MS:-20}
OPENSSL_SECONDS=${BENCH_OPENSSL_SECONDS:-3}
PROFILE_N=${BENCH_PROFILE_N:-5000}

source "$BENCH_DIR/lib/common.sh"
source "$BENCH_DIR/lib/postfix.sh"
source "$BENCH_DIR/lib/accept.sh"
source "$BENCH_DIR/lib/delivery.sh"
source "$BENCH_DIR/lib/latency.sh"
source "$BENCH_DIR/lib/profile.sh"

APT_PACKAGES=(wrk postfix opendkim opendkim-tools redis-server redis-tools curl python3 python3-aiosmtpd
  python3-dkim g++ cmake pkg-config libcpp-httplib-dev openssl procps)

install_deps() {
  if [[ -x $TERN_SRC/scripts/install-deps.sh && -z ${TERN_BIN:-} ]]; then
    "$TERN_SRC/scripts/install-deps.sh"
  fi
  local missing=() p sudo=""
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  ((EUID == 0)) || sudo=sudo
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Postfix asks at install time; "No configuration" leaves the system
  # Postfix unconfigured and stopped (the bench runs its own instance).
  echo "postfix postfix/main_mailer_type select No configuration" | $sudo debconf-set-selections
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build_tern() {
  TERN_BUILT=0
  if [[ -n ${TERN_BIN:-} ]]; then
    [[ -x $TERN_BIN ]] || die "TERN_BIN=$TERN_BIN is not executable"
    return 0
  fi
  log "building tern (Release) from $TERN_SRC into $BENCH_BUILD/tern"
  cmake -S "$TERN_SRC" -B "$BENCH_BUILD/tern" -DCMAKE_BUILD_TYPE=Release -DTERN_BUILD_TESTS=OFF >/dev/null
  cmake --build "$BENCH_BUILD/tern" --target tern -j"$(nproc)" >"$BENCH_BUILD/tern-build.log" 2>&1 ||
    die "tern did not build (see $BENCH_BUILD/tern-build.log)"
  TERN_BIN=$(find "$BENCH_BUILD/tern" -type f -name tern -perm -u+x | head -1)
  TERN_BUILT=1
  [[ -n $TERN_BIN ]] || die "no tern binary under $BENCH_BUILD/tern"
}

build_tools() {
  mkdir -p "$BENCH_TOOLS"
  local src
  for src in httplib_bare enqueue; do
    if [[ ! -x $BENCH_TOOLS/$src || $BENCH_DIR/tools/$src.cpp -nt $BENCH_TOOLS/$src ]]; then
      # shellcheck disable=SC2046 # pkg-config prints several words
      g++ -std=c++20 -O2 -Wall -Wextra -o "$BENCH_TOOLS/$src" "$BENCH_DIR/tools/$src.cpp" \
        $(pkg-config --cflags --libs cpp-httplib) -pthread || die "cannot build bench/tools/$src.cpp"
    fi
  done
  ln -sf "$BENCH_DIR/tools/measure.py" "$BENCH_TOOLS/measure.py"
}

# make_bodies - the JSON requests: ~1 KB (accept), ~2 KB and ~100 KB
# (delivery), each one recipient, plain text in 72-character lines.
make_bodies() {
  /usr/bin/python3 - "$BENCH_TMP" "$BENCH_DOMAIN" <<'EOF'
import json, sys
out, domain = sys.argv[1], sys.argv[2]
line = "The quick brown fox jumps over the lazy dog while the bench counts.\n"
for name, size in (("1k", 1024), ("2k", 2048), ("100k", 102400)):
    doc = {"from": "Bench <bench@%s>" % domain, "to": "rcpt@sink.example.net",
           "subject": "Tern benchmark message", "text": ""}
    base = len(json.dumps(doc))
    text = (line * (size // len(line) + 1))[: size - base - 40]
    doc["text"] = text
    with open("%s/body-%s.json" % (out, name), "w") as f:
        json.dump(doc, f)
EOF
}

record_meta() {
  record meta.date "$(date -u +%Y-%m-%dT%H:%MZ)"
  record meta.cpus "$(nproc)"
  record meta.cpu_model "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  local version
  version=$("$TERN_BIN" version 2>/dev/null | head -1 || true)
  if [[ $TERN_BUILT == 1 ]]; then
    local commit changes=""
    commit=$(git -C "$TERN_SRC" rev-parse --short HEAD 2>/dev/null || echo "no git")
    if [[ -n $(git -C "$TERN_SRC" status --porcelain -uno 2>/dev/null | head -1) ]]; then
      changes="+uncommitted changes"
    fi
    version="$version, built from $TERN_SRC ($commit$changes)"
  else
    version="$version, $TERN_BIN"
  fi
  record meta.tern_version "$version"
  record meta.load_start "$(load_average)"
}

main() {
  install_deps
  mkdir -p "$BENCH_BUILD"
  build_tern
  build_tools
  BENCH_TMP=$(mktemp -d /tmp/tern-bench.XXXXXX)
  chmod 755 "$BENCH_TMP"  # Postfix's and OpenDKIM's users reach into it
  BENCH_PIDS_FILE=$BENCH_TMP/pids
  BENCH_RESULTS=$BENCH_TMP/results
  BENCH_MASTER_KEY=$(openssl rand -hex 32)
  : >"$BENCH_PIDS_FILE"
  : >"$BENCH_RESULTS"
  trap cleanup_all EXIT
  trap 'exit 130' INT TERM
  make_bodies
  record_meta
  local section
  for section in $BENCH_SECTIONS; do
    case $section in
      accept) run_accept ;;
      delivery) run_tern_delivery ;;
      postfix) run_postfix_delivery ;;
      openssl) run_openssl ;;
      latency) run_latency ;;
      profile) run_profile ;;
      *) die "unknown section $section" ;;
    esac
  done
  record meta.load_end "$(load_average)"
  [[ -n ${BENCH_RESULTS_OUT:-} ]] && cp "$BENCH_RESULTS" "$BENCH_RESULTS_OUT"
  /usr/bin/python3 "$BENCH_DIR/tools/report.py" "$BENCH_RESULTS"
}

main "$@"
