#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job on the default
# data directory (./data/demo, reused if present).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh release
bin=build/release/fupin-ledger
data="${FUPIN_DATA:-data/demo}"
mkdir -p "$data"
if [ ! -f "$data/db/CURRENT" ]; then
  if [ ! -f "$data/admin-key.pem" ]; then
    "$bin" keygen --out "$data/admin-key.pem" > "$data/admin-public-key.json"
  fi
  admin_pub=$(sed -E 's/.*"public_key":"([^"]+)".*/\1/' "$data/admin-public-key.json")
  "$bin" init --data "$data" --admin-public-key "$admin_pub" --admin-key-id admin \
    > "$data/genesis.json"
  echo "Created a new ledger in $data:"
else
  echo "Reusing the ledger in $data:"
fi
cat "$data/genesis.json"
cat <<NEXT

  system key:  $data/system-key.pem (the ledger's own key, mode 0600)
  admin key:   $data/admin-key.pem (key id "admin", registered at seq 1)

Next: sign events with the admin key, e.g.
  echo '{"type":"region.defined","occurred_at":"2020-08-01T09:00:00+08:00","body":{"code":"430000","name":"湖南省","level":"province","poverty_county":false}}' \\
    | $bin sign --key $data/admin-key.pem --key-id admin
NEXT
