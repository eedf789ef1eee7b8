#!/usr/bin/env bash
# The main job: install what is missing, build, load the demo data into an SQLite database
# (build/demo.db: the example cohort, a programme, a system administrator) and start
# `tandem serve` with the web front end (web/dist, built by scripts/build-web.sh). Prints the
# URL and a one-time sign-in link; stop it with Ctrl-C.
# TANDEM_LISTEN (default 127.0.0.1:8080) chooses the address.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh release
scripts/build-web.sh

listen=${TANDEM_LISTEN:-127.0.0.1:8080}
db="sqlite:build/demo.db"
export TANDEM_PUBLIC_URL="http://$listen"
if [[ ! -f build/demo.db ]]; then
  echo "== demo data: examples/cohort.csv into build/demo.db"
  ./build/tandem import examples/cohort.csv --db "$db"
  programme=$(./build/tandem programme create "Reverse Mentoring 2027" --mentee-min-level 2 --db "$db")
  ./build/tandem import examples/cohort.csv --programme "$programme" --db "$db"
  echo "== and, as before, the matching engine on the same cohort:"
  ./build/tandem match examples/cohort.csv --topics examples/topics.csv \
    --out build/example-tandems.csv --report build/example-report.json
fi
link=$(./build/tandem admin create admin@example.com --db "$db" 2>/dev/null)
echo
echo "Tandem: http://$listen/"
echo "One-time sign-in link for admin@example.com: $link"
echo
exec ./build/tandem serve --listen "$listen" --db "$db" --static-dir web/dist
