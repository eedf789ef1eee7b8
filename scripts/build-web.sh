#!/usr/bin/env bash
# Builds the web front end (web/) into web/dist: `npm ci` from the committed package-lock.json
# (skipped while web/node_modules was installed from the same lock file), then `npm run build`
# (type check + Vite). Needs node >= 18.19 and npm (scripts/install-deps.sh installs Debian's).
# Usage: scripts/build-web.sh [--check|--if-stale]   --check also runs the front end's checks
#        (type check, generated API types up to date with docs/api/openapi.json) and the Vitest
#        unit tests (web/src/**/*.test.ts[x], `npm run test:unit`); --if-stale builds only when
#        a source is newer than web/dist (what the end-to-end tests call).
set -euo pipefail
cd "$(dirname "$0")/../web"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "build-web: node and npm are missing (run scripts/install-deps.sh)" >&2
  exit 1
fi

stamp=node_modules/.tandem-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  echo "== web: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
fi

# --if-stale (the end-to-end tests): no rebuild while web/dist is newer than every input.
if [[ ${1:-} == --if-stale && -f dist/index.html ]] &&
  [[ -z $(find src public index.html package.json package-lock.json tsconfig.json vite.config.ts \
    ../docs/api/openapi.json -newer dist/index.html -print -quit 2>/dev/null) ]]; then
  exit 0
fi
echo "== web: build into web/dist"
npm run --silent build -- --logLevel warn
if [[ ${1:-} == --check ]]; then
  echo "== web: checks"
  npm run --silent check
  echo "== web: unit tests (vitest)"
  npm run --silent test:unit
fi
