#!/usr/bin/env bash
# Configures and builds Tandem. Usage: scripts/build.sh [release|asan]
#   release -> build/      (the binary is build/tandem)
#   asan    -> build-asan/ (AddressSanitizer + UndefinedBehaviorSanitizer, no benchmarks)
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-release}
case "$kind" in
  release) dir=build; flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
  asan) dir=build-asan; flags=(-DCMAKE_BUILD_TYPE=Debug -DTANDEM_SANITIZE=ON -DTANDEM_BENCH=OFF) ;;
  *) echo "usage: $0 [release|asan]" >&2; exit 2 ;;
esac
# ccache (the compiler launcher, CMakeLists.txt): paths relative to the checkout, so that another
# clone of the same sources (a CI worktree) reuses the compiled objects.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
if [[ ! -f "$dir/build.ninja" ]]; then
  cmake -S . -B "$dir" -G Ninja "${flags[@]}"
fi
cmake --build "$dir" --parallel "$(nproc)"
