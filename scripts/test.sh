#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite.
# Usage: scripts/test.sh [--sanitize]   (--sanitize: the ASan+UBSan build)
set -euo pipefail
cd "$(dirname "$0")/.."
flavor=release
if [ "${1:-}" = "--sanitize" ]; then flavor=asan; fi
bash scripts/install-deps.sh
bash scripts/build.sh "$flavor"
# The OpenAPI document must pass a real linter (Redocly CLI, pinned).
if [ "$flavor" = release ]; then bash scripts/lint-openapi.sh; fi
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ctest --test-dir "build/$flavor" --output-on-failure -j2 --timeout 900
