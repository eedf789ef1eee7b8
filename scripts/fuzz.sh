#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang into build-fuzz/ and runs them.
# Usage: scripts/fuzz.sh [SECONDS]   each target for SECONDS (default 60) on a copy of its
#                                    seed corpus; new inputs go to build-fuzz/corpus/NAME/
#        scripts/fuzz.sh --smoke     each target once over the checked-in corpus only (the test
#                                    command runs this)
# Fails when a target crashes; the crashing input is kept as build-fuzz/crashes/NAME/crash-*.
# The checked-in corpus fuzz/corpus/NAME/ is never written to.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mode=${1:-60}
targets=(csv_reader participants_csv survey_json json_request)
dir=build-fuzz

if [[ ! -f "$dir/build.ninja" ]]; then
  CC=clang CXX=clang++ cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" -DTANDEM_FUZZ=ON -DTANDEM_BENCH=OFF >/dev/null
fi
# ccache relative to the checkout, as in scripts/build.sh.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
cmake --build "$dir" --parallel "$(nproc)" --target "${targets[@]/%/_fuzz}"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=()
for t in "${targets[@]}"; do
  seeds=$root/fuzz/corpus/$t
  crashes=$root/$dir/crashes/$t
  mkdir -p "$crashes"
  if [[ $mode == --smoke ]]; then
    echo "== fuzz smoke: $t ($(find "$seeds" -type f | wc -l) seeds)"
    # Each seed once (libFuzzer runs the files given and exits); no new inputs are written.
    mapfile -t files < <(find "$seeds" -type f | sort)
    if ! "$dir/fuzz/${t}_fuzz" -max_total_time=10 -artifact_prefix="$crashes/" "${files[@]}" \
      >"$dir/$t.log" 2>&1; then
      tail -n 40 "$dir/$t.log" >&2
      failed+=("$t")
    fi
  else
    corpus=$root/$dir/corpus/$t
    mkdir -p "$corpus"
    cp -n "$seeds"/* "$corpus"/ 2>/dev/null || true
    echo "== fuzz: $t for $mode s (corpus $corpus)"
    if ! "$dir/fuzz/${t}_fuzz" -max_total_time="$mode" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$crashes/" -print_final_stats=1 "$corpus" >"$dir/$t.log" 2>&1; then
      tail -n 40 "$dir/$t.log" >&2
      failed+=("$t")
    else
      grep -E '^stat::(number_of_executed_units|new_units_added)' "$dir/$t.log" | tr '\n' ' '
      echo
    fi
  fi
done
if ((${#failed[@]})); then
  echo "fuzz: crashes in ${failed[*]}; inputs in $dir/crashes/" >&2
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets clean"
