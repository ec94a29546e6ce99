#!/usr/bin/env bash
# Installs the Debian 12 packages fupin-ledger builds, tests and runs with.
# Idempotent: packages already present are not touched, and apt-get update
# runs only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  librocksdb-dev rocksdb-tools
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libcereal-dev libssl-dev openssl zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev libxlsxwriter-dev libzip-dev libpugixml-dev
  python3 python3-openpyxl curl wrk clang-format
  chromium fonts-noto-cjk
  clang-14 libclang-rt-14-dev libfuzzer-14-dev
)
# clang 14 with its sanitizer runtimes and libFuzzer builds and runs the
# fuzz targets (scripts/fuzz.sh).
# chromium runs the web page's browser tests (headless, driven by
# playwright-core); fonts-noto-cjk renders its Chinese in screenshots.
# Node.js and npm lint the OpenAPI document and build the web page; a
# machine that already has them (e.g. from NodeSource) keeps its own.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: must run as root to install packages" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
