#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job: a ledger in
# data/demo (reused if present) loaded with a generated Hunan campaign,
# served on 127.0.0.1:8080 until Ctrl-C. Extra arguments go to `demo`
# (e.g. --listen 127.0.0.1:9090, --data DIR, --mirror).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh release
# data/demo (data/demo-guomi with --guomi) unless --data is given.
exec build/release/fupin-ledger demo "$@"
