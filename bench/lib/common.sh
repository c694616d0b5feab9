# common.sh - shared helpers for bench/run.sh (sourced, not run).
#
# Every process a benchmark starts goes through `bg_start`, which records its
# pid in $BENCH_PIDS_FILE; `cleanup_all` (the EXIT trap) stops each of them
# by pid, then removes $BENCH_TMP. Results are `key=value` lines appended to
# $BENCH_RESULTS by `record`; bench/tools/report.py turns them into the table.
# Nothing here binds anything but 127.0.0.1.

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }

record() {  # record KEY VALUE
  printf '%s=%s\n' "$1" "$2" >>"$BENCH_RESULTS"
}

# record_lines PREFIX < key=value lines: prefix every key.
record_lines() {
  local prefix=$1 line
  while IFS= read -r line; do
    case $line in *=*) printf '%s.%s\n' "$prefix" "$line" >>"$BENCH_RESULTS" ;; esac
  done
}

# free_port - a TCP port on 127.0.0.1 nobody listens on right now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# bg_start LOGFILE CMD... - start CMD in the background, remember its pid;
# the pid is left in $BG_PID.
bg_start() {
  local logfile=$1
  shift
  "$@" >"$logfile" 2>&1 &
  BG_PID=$!
  echo "$BG_PID" >>"$BENCH_PIDS_FILE"
}

# stop_pid PID [SIGNAL] - SIGNAL (default TERM), wait up to 5 s, then
# SIGKILL. smtp-sink takes KILL at once: it ignores TERM and holds no state.
stop_pid() {
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  kill "-${2:-TERM}" "$pid" 2>/dev/null || true
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup_all() {
  local pid
  if [[ -n ${POSTFIX_CONF_DIR:-} && -d ${POSTFIX_CONF_DIR:-} ]]; then
    postfix -c "$POSTFIX_CONF_DIR" stop >/dev/null 2>&1 || true
  fi
  if [[ -f ${BENCH_PIDS_FILE:-} ]]; then
    for pid in $(tac "$BENCH_PIDS_FILE"); do stop_pid "$pid"; done
  fi
  if [[ ${BENCH_KEEP_TMP:-0} != 1 ]]; then
    [[ -n ${BENCH_TMP:-} && -d ${BENCH_TMP:-} ]] && rm -rf "$BENCH_TMP"
    [[ -n ${OPENDKIM_DIR:-} && -d ${OPENDKIM_DIR:-} ]] && rm -rf "$OPENDKIM_DIR"
  fi
  return 0
}

# wait_tcp PORT SECONDS - until something accepts on 127.0.0.1:PORT.
wait_tcp() {
  local port=$1 deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

# start_redis NAME - a private redis-server (AOF on, appendfsync always, no
# RDB snapshots, noeviction) with data in $BENCH_TMP/NAME; sets REDIS_PORT,
# REDIS_PID and REDIS_URL.
start_redis() {
  local dir="$BENCH_TMP/$1"
  mkdir -p "$dir"
  REDIS_PORT=$(free_port)
  bg_start "$dir/redis.log" redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$dir" \
    --appendonly yes --appendfsync always --save "" --maxmemory-policy noeviction --daemonize no \
    --protected-mode yes --logfile ""
  REDIS_PID=$BG_PID
  REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
  wait_tcp "$REDIS_PORT" 10 || die "redis-server did not start (see $dir/redis.log)"
}

redis() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }

# redis_calls - commands Redis has executed so far (INFO commandstats).
redis_calls() {
  redis INFO commandstats | tr -d '\r' | sed -n 's/^cmdstat_[^:]*:calls=\([0-9]*\),.*/\1/p' |
    awk '{ s += $1 } END { print s + 0 }'
}

redis_used_memory() { redis INFO memory | tr -d '\r' | sed -n 's/^used_memory:\([0-9]*\)$/\1/p'; }

# tern_env - the settings every Tern process of the bench shares.
tern_env() {
  export TERN_REDIS_URL=$REDIS_URL TERN_DEV=true TERN_MASTER_KEY=$BENCH_MASTER_KEY \
    TERN_HOSTNAME=tern.bench.example TERN_LOG_LEVEL=${BENCH_TERN_LOG_LEVEL:-info}
}

# start_tern_api NAME - `tern api` on a free port; sets API_PORT, API_PID.
start_tern_api() {
  API_PORT=$(free_port)
  TERN_HTTP_ADDR="127.0.0.1:$API_PORT" bg_start "$BENCH_TMP/$1-api.log" "$TERN_BIN" api
  API_PID=$BG_PID
  wait_tcp "$API_PORT" 20 || die "tern api did not start (see $BENCH_TMP/$1-api.log)"
}

# create_api_key - a full-access key on the current Redis; sets API_KEY.
create_api_key() {
  API_KEY=$("$TERN_BIN" keys create --name bench 2>>"$BENCH_TMP/keys.log" | tail -1)
  [[ $API_KEY == re_* ]] || die "tern keys create printed no key (see $BENCH_TMP/keys.log)"
}

# register_domain - POST /domains for $BENCH_DOMAIN when the binary has the
# route; sets DKIM_SIGNED=yes|no and writes the domain JSON to
# $BENCH_TMP/domain-<n>.json (used by the latency check to verify DKIM).
register_domain() {
  local out="$BENCH_TMP/domain-$RANDOM.json" code
  code=$(curl -s -o "$out" -w '%{http_code}' "http://127.0.0.1:$API_PORT/domains" \
    -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$BENCH_DOMAIN\"}")
  DOMAIN_JSON=$out
  if [[ $code == 2* ]]; then
    DKIM_SIGNED=yes
  else
    DKIM_SIGNED=no
    log "POST /domains answered $code ($(head -c 200 "$out")); delivery runs unsigned"
  fi
}

# process_cpu_ms PID - utime+stime of PID (all its threads) in ms.
process_cpu_ms() {
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print int(($12 + $13) * 1000 / hz) }' "/proc/$1/stat"
}

load_average() { cut -d' ' -f1-3 /proc/loadavg; }
