#!/usr/bin/env bash
# Whole-process benchmark of `tandem import` (issue 3): N generated people (default 100,000)
# into a fresh SQLite database, the same file again (all unchanged), and the same file with
# --programme (enrolments and answers). Wall time and peak memory from /usr/bin/time.
# Usage: bench/run_import.sh [build-dir] [people]      (after scripts/build.sh release)
# Writes bench/results/import.txt; docs/operations.md quotes it.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
people=${2:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=bench/results/import.txt
: >"$out"
say() { echo "$*" | tee -a "$out"; }

say "# bench/run_import.sh $build $people  ($(date -u +%F), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
"$build/tandem" generate --people "$people" --seed 1 --out "$work/people.csv"
export TANDEM_DB="sqlite:$work/tandem.db"
run() {
  local label=$1
  shift
  /usr/bin/time -f "%e s wall, %M KiB peak" -o "$work/time" "$build/tandem" "$@" \
    >"$work/out" 2>/dev/null
  say "$label: $(cat "$work/time"); $(cat "$work/out")"
}
run "import into an empty database" import "$work/people.csv"
run "import again (nothing changes)" import "$work/people.csv"
programme=$("$build/tandem" programme create "Benchmark")
run "import --programme (enrolments and answers)" import "$work/people.csv" --programme "$programme"
say "database file: $(du -m "$work/tandem.db" | cut -f1) MB"
