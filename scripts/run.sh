#!/usr/bin/env bash
# run.sh - install, build and run Tern locally in dev mode, with no internet:
#   - redis-server with Tern's own config (AOF, appendfsync always) on
#     127.0.0.1:6380, data in var/redis
#   - a local mail catcher on 127.0.0.1:2525 (TERN_RELAY_URL points there),
#     every delivered message kept in var/mail/*.eml
#   - a dev API key (created once, kept in var/dev-api-key)
#   - `tern serve` on 127.0.0.1:8080 with TERN_DEV=true
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

scripts/install-deps.sh
scripts/build.sh build/release

mkdir -p var/redis var/mail
REDIS_PORT=${TERN_DEV_REDIS_PORT:-6380}
cat > var/redis/redis.conf <<CONF
bind 127.0.0.1
port $REDIS_PORT
dir $ROOT/var/redis
appendonly yes
appendfsync always
save ""
maxmemory-policy noeviction
daemonize yes
pidfile $ROOT/var/redis/redis.pid
logfile $ROOT/var/redis/redis.log
CONF
if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  redis-server var/redis/redis.conf
  for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

if ! (exec 3<>/dev/tcp/127.0.0.1/2525) 2>/dev/null; then
  nohup /usr/bin/python3 scripts/mail_catcher.py --listen 127.0.0.1:2525 --dir var/mail \
    >var/mail-catcher.log 2>&1 &
  echo $! > var/mail-catcher.pid
  for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/2525) 2>/dev/null && break; sleep 0.1; done
fi

export TERN_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export TERN_HTTP_ADDR=${TERN_HTTP_ADDR:-127.0.0.1:8080}
export TERN_RELAY_URL=${TERN_RELAY_URL:-smtp://127.0.0.1:2525}
export TERN_HOSTNAME=${TERN_HOSTNAME:-tern.localhost}
export TERN_DEV=true

if [ ! -s var/dev-api-key ]; then
  build/release/cli/tern keys create --name dev > var/dev-api-key
fi
KEY=$(cat var/dev-api-key)
cat <<MSG

Tern is starting on http://$TERN_HTTP_ADDR (dev mode). Your API key: $KEY
Try:
  curl -s http://$TERN_HTTP_ADDR/emails -H "Authorization: Bearer $KEY" \\
    -H 'Content-Type: application/json' \\
    -d '{"from":"Acme <hello@example.com>","to":"you@example.org","subject":"Hi","text":"It works"}'
  curl -s http://$TERN_HTTP_ADDR/emails/<id> -H "Authorization: Bearer $KEY"
Delivered mail lands in $ROOT/var/mail/*.eml. Stop with Ctrl-C.

MSG
exec build/release/cli/tern serve
