#!/usr/bin/env bash
# The main job: install what is missing, build, load the demo data into an SQLite database
# (build/demo.db: the example cohort of 60 people, a programme with a published run and active
# tandems, a system administrator) and start
# `tandem serve` with the web front end (web/dist, built by scripts/build-web.sh). Prints the
# URL and one-time sign-in links for an administrator, a mentee and a mentor; stop it with Ctrl-C.
# TANDEM_LISTEN (default 127.0.0.1:8080) chooses the address; the workspaces' master key is
# build/demo-master.key (made on first use) unless TANDEM_MASTER_KEY(_FILE) is set.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh release
scripts/build-web.sh

listen=${TANDEM_LISTEN:-127.0.0.1:8080}
db="sqlite:build/demo.db"
export TANDEM_PUBLIC_URL="http://$listen"
if [[ ! -f build/demo.db || ! -f build/demo.programme ]]; then
  rm -f build/demo.db build/demo.db-wal build/demo.db-shm
  echo "== demo data: examples/cohort.csv into build/demo.db"
  ./build/tandem import examples/cohort.csv --db "$db"
  programme=$(./build/tandem programme create "Reverse Mentoring 2027" --mentee-min-level 2 --db "$db")
  ./build/tandem import examples/cohort.csv --programme "$programme" --db "$db"
  echo "$programme" > build/demo.programme
  echo "== and, as before, the matching engine on the same cohort:"
  ./build/tandem match examples/cohort.csv --topics examples/topics.csv \
    --out build/example-tandems.csv --report build/example-report.json
fi
# The tandems' workspaces need a master key (docs/operations.md); the demo keeps one beside its
# database. A real installation keeps it apart from the database and its backups.
if [[ -z ${TANDEM_MASTER_KEY:-} && -z ${TANDEM_MASTER_KEY_FILE:-} ]]; then
  [[ -f build/demo-master.key ]] || ./build/tandem keys generate --out build/demo-master.key
  export TANDEM_MASTER_KEY_FILE=build/demo-master.key
fi
# The programme's lifecycle replayed (enrolment, a run, publication, acceptances) on first use;
# every start prints fresh one-time sign-in links.
signins=$(./build/tandem demo --programme "$(cat build/demo.programme)" --db "$db")
echo
echo "Tandem: http://$listen/"
echo "Demo sign-ins (one-time links, valid 24 hours):"
echo "$signins"
echo
exec ./build/tandem serve --listen "$listen" --db "$db" --static-dir web/dist
