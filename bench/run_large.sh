#!/usr/bin/env bash
# Whole-process benchmark of `tandem match` at cohort scale (issue 2, "Large"):
#   1. tandem generate --people N (default 1,000,000), then tandem match from CSV to written
#      output, for the optimal objective (one solve of the candidate graph: --max-rounds 1)
#      and the stable objective: wall time and peak memory (/usr/bin/time);
#   2. the optimality gap of the K-candidate result (--candidates K) against the exact optimum
#      (default mode, proved by column generation) on a 20,000-person cohort.
# Usage: bench/run_large.sh [build-dir] [people]      (after scripts/build.sh release)
# Writes bench/results/large.txt; docs/matching.md quotes it.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
people=${2:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=bench/results/large.txt
: > "$out"
say() { echo "$*" | tee -a "$out"; }

say "# bench/run_large.sh $build $people  ($(date -u +%F), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
/usr/bin/time -f "%e s wall, %M KiB peak" -o "$work/time" \
  "$build/tandem" generate --people "$people" --seed 1 --out "$work/cohort.csv"
say "generate --people $people: $(cat "$work/time"), $(du -m "$work/cohort.csv" | cut -f1) MB"
for objective in optimal stable; do
  /usr/bin/time -f "%e s wall, %M KiB peak" -o "$work/time" \
    "$build/tandem" match "$work/cohort.csv" --objective "$objective" --max-rounds 1 --quiet \
    --out "$work/tandems.csv" --report "$work/report.json"
  summary=$(/usr/bin/python3 bench/summarize_report.py "$work/report.json")
  say "match --objective $objective --max-rounds 1: $(cat "$work/time"); $summary"
done

"$build/tandem" generate --people 20000 --seed 1 --out "$work/c20k.csv"
for k in auto 8 24 64; do
  /usr/bin/time -f "%e" -o "$work/time-$k" \
    "$build/tandem" match "$work/c20k.csv" --candidates "$k" --quiet --out /dev/null \
    --report "$work/r-$k.json"
done
say "20,000 people, default mode (exact, proved): $(cat "$work/time-auto") s wall"
/usr/bin/python3 - "$work" <<'PY' | tee -a "$out"
import json, sys
work = sys.argv[1]
exact = json.load(open(f"{work}/r-auto.json"))
assert exact["candidates"]["exact"], "the default mode must prove the optimum"
for k in ("8", "24", "64"):
    r = json.load(open(f"{work}/r-{k}.json"))
    gap = 100.0 * (exact["score"]["total"] - r["score"]["total"]) / exact["score"]["total"]
    print(f"20,000 people, --candidates {k}: {r['tandems']} tandems (exact {exact['tandems']}), "
          f"total score {r['score']['total']} (exact {exact['score']['total']}): gap {gap:.2f}%")
PY
