#!/usr/bin/env bash
# The main job: install what is missing, build, and match the shipped example cohort.
# Prints the tandems (CSV) and a summary; the report lands in build/example-report.json.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh release
./build/tandem match examples/cohort.csv --topics examples/topics.csv \
  --report build/example-report.json
echo "report: build/example-report.json"
