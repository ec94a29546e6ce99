#!/usr/bin/env bash
# Configures and builds fupin-ledger. Usage: scripts/build.sh [release|asan]
# Build trees: build/release (optimized) and build/asan (Debug with
# AddressSanitizer + UndefinedBehaviorSanitizer).
set -euo pipefail
cd "$(dirname "$0")/.."
flavor="${1:-release}"
case "$flavor" in
  release) args=(-DCMAKE_BUILD_TYPE=Release) ;;
  # The browser tests drive the release binary only: under ASan the same
  # server code is covered by the C++ tests, and the browser adds minutes.
  asan) args=(-DCMAKE_BUILD_TYPE=Debug -DFUPIN_SANITIZE=ON -DFUPIN_WEB_TESTS=OFF) ;;
  *) echo "usage: scripts/build.sh [release|asan]" >&2; exit 2 ;;
esac
cmake -S . -B "build/$flavor" "${args[@]}" >/dev/null
cmake --build "build/$flavor" -j2
bash scripts/build-web.sh
