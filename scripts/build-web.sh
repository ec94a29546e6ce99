#!/usr/bin/env bash
# Builds the supervisor web page (web/) into web/dist, which `serve` and
# `demo` serve at /. The toolchain (Vite, ECharts, playwright-core) is
# pinned by web/package-lock.json and installed with `npm ci`; it is
# reinstalled only when the lockfile changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/../web"
stamp=node_modules/.installed-package-lock.json
if ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
npx --no-install vite build --logLevel warn
echo "build-web: web/dist ($(find dist -type f | wc -l) files, $(du -sh dist | cut -f1))"
