#!/usr/bin/env bash
# Installs the Debian packages Tandem needs to build, test and benchmark; skips what is there.
# Usage (as root on Debian 12): scripts/install-deps.sh
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libfmt-dev libspdlog-dev libcli11-dev nlohmann-json3-dev
  liblemon-dev libcsv-dev
  libsqlite3-dev libsqlitecpp-dev libpqxx-dev libpq-dev libsodium-dev
  libcpp-httplib-dev libcurl4-openssl-dev libtomlplusplus-dev libical-dev libxlsxwriter-dev tzdata
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-format clang-tidy clang libclang-rt-14-dev
  python3 python3-scipy python3-numpy openssl wrk nginx curl
  python3-aiosmtpd python3-icalendar python3-openpyxl
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# The web front end: Node.js and npm (Debian's, when no node is installed at all: a machine with
# another node, e.g. NodeSource's, keeps it) and chromium for its end-to-end tests.
if ! command -v node >/dev/null; then
  missing+=(nodejs npm)
elif ! command -v npm >/dev/null; then
  missing+=(npm)
fi
if [[ ! -x /usr/bin/chromium ]]; then missing+=(chromium); fi

if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
