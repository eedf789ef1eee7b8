#!/usr/bin/env bash
# Every test: install what is missing, check formatting, build twice (release, and with
# ASan + UBSan) and run the whole suite in both builds.
set -euo pipefail
cd "$(dirname "$0")/.."
# Each step's heading says when it started and how long the run has taken so far.
step() { echo "== $* ($(date -u +%H:%M:%S), ${SECONDS} s)"; }
# The integration tests mostly wait (servers, browsers, mail, restarts): twice as many at once
# as there are cores keeps the machine busy; the long ones start first (COST, tests/CMakeLists.txt).
jobs=$(($(nproc) * 2))
scripts/install-deps.sh

step "clang-format"
mapfile -t sources < <(git ls-files 'src/*.h' 'src/*.cc' 'bench/*.cc' 'tests/*.cc' 2>/dev/null || true)
if ((${#sources[@]})); then
  clang-format --dry-run --Werror "${sources[@]}"
fi

step "PostgreSQL test cluster (throwaway, loopback only)"
TANDEM_TEST_POSTGRES_URL=$(scripts/postgres-test-cluster.sh start)
export TANDEM_TEST_POSTGRES_URL
trap 'scripts/postgres-test-cluster.sh stop' EXIT

step "release build"
scripts/build.sh release

step "web front end: build, type check, API types up to date with docs/api/openapi.json"
scripts/build-web.sh --check

step "clang-tidy (warnings are errors; see .clang-tidy)"
git ls-files 'src/*.cc' | grep -v '_test\.cc$' |
  xargs -P "$(nproc)" -n 1 clang-tidy -p build --quiet 2> >(grep -v "warnings generated" >&2)

step "release test suite"
(cd build && ctest --output-on-failure --parallel "$jobs")

step "sanitizer build (ASan + UBSan)"
scripts/build.sh asan
# The whole suite again, the fault tests included with fewer rounds (tests/CMakeLists.txt).
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  LSAN_OPTIONS=suppressions="$PWD/../tests/lsan.supp" \
  ctest --output-on-failure --parallel "$jobs")

step "fuzz smoke run (clang, libFuzzer; the checked-in seed corpus only)"
scripts/fuzz.sh --smoke
step "all passed"
