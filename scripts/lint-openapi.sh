#!/usr/bin/env bash
# Lints api/openapi.yaml (OpenAPI 3.1) with Redocly CLI, pinned in
# scripts/openapi/package-lock.json and installed with `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/openapi"
if ! command -v npm >/dev/null; then
  echo "lint-openapi: npm is missing (scripts/install-deps.sh installs it)" >&2
  exit 2
fi
if [ ! -x node_modules/.bin/redocly ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
node_modules/.bin/redocly lint --config redocly.yaml ../../api/openapi.yaml
