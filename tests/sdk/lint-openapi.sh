#!/bin/sh
# lint-openapi.sh - lint openapi.yaml with the pinned @redocly/cli
# (tests/sdk/package.json). Installs tests/sdk/node_modules with `npm ci`
# from the committed package-lock.json when it is missing; once installed,
# it runs offline. Fails on lint errors (warnings are printed, not fatal).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cli="$here/node_modules/@redocly/cli/bin/cli.js"
if [ ! -f "$cli" ]; then
  npm ci --prefix "$here" --no-audit --no-fund >&2
fi
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
exec node "$cli" lint --config "$here/redocly.yaml" "$root/openapi.yaml"
