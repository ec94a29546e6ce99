#!/usr/bin/env bash
# The PostgreSQL peer, side by side with the ledger (docs/performance.md,
# "Side by side"): a private PostgreSQL 15 cluster from Debian's packages,
# the append-only table with a per-stream hash-chain trigger (schema.sql),
# driven by pgbench on the shapes of bench_ingest and bench_api.
#
#   peer.sh start DIR            install if missing (root), initdb, start, load the schema
#   peer.sh run DIR SHAPE SECONDS [CLIENTS] [RATE]
#                                SHAPE: ingest-single | ingest-batch | trail;
#                                RATE paces the clients (pgbench --rate) for latency;
#                                prints one JSON line
#   peer.sh load DIR ROWS        append ROWS sales (through the trigger) in chunks,
#                                so reads run against a table the size of the ledger
#   peer.sh stop DIR             stop the cluster and remove DIR
#   peer.sh all SECONDS          start, every shape, stop: the figures bench_* print
#
# Durable like the ledger: fsync, synchronous_commit and full_page_writes
# on; one row per transaction for ingest-single. The cluster listens on a
# Unix socket inside DIR only. Idempotent: `start` on a running DIR only
# checks it answers. Nothing here runs in the default test suite.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pg_bin=/usr/lib/postgresql/15/bin
port=5433
database=peer

die() { echo "peer.sh: $*" >&2; exit 2; }

as_postgres() { runuser -u postgres -- "$@"; }

install_postgres() {
  if [ -x "$pg_bin/pgbench" ] && [ -x "$pg_bin/initdb" ]; then return; fi
  [ "$(id -u)" -eq 0 ] || die "PostgreSQL 15 is missing and installing it needs root"
  echo "peer.sh: installing postgresql-15 and postgresql-contrib (Debian)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    postgresql-15 postgresql-contrib >&2
}

psql_peer() { as_postgres "$pg_bin/psql" -h "$1" -p "$port" -d "$database" -v ON_ERROR_STOP=1 -qAt "${@:2}"; }

start() {
  local dir="$1"
  [ "$(id -u)" -eq 0 ] || die "run as root (the cluster runs as the postgres user)"
  install_postgres
  if [ -f "$dir/data/postmaster.pid" ] && as_postgres "$pg_bin/pg_isready" -h "$dir" -p "$port" -q; then
    return
  fi
  mkdir -p "$dir"
  chown postgres:postgres "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_postgres "$pg_bin/initdb" -D "$dir/data" -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
port = $port
max_connections = 200
shared_buffers = 512MB
fsync = on
synchronous_commit = on
full_page_writes = on
wal_level = replica
CONF
  fi
  as_postgres "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start >/dev/null
  if ! psql_peer "$dir" -c "SELECT 1" >/dev/null 2>&1; then
    as_postgres "$pg_bin/createdb" -h "$dir" -p "$port" "$database"
    psql_peer "$dir" -f "$here/schema.sql" >/dev/null
  fi
}

stop() {
  local dir="$1"
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_postgres "$pg_bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  fi
  rm -rf "$dir"
}

# pgbench over one shape; a JSON line with rows/s, transactions/s and, from
# the per-transaction log, latency percentiles in ms.
run() {
  local dir="$1" shape="$2" seconds="$3" clients="${4:-64}" rate="${5:-}"
  local script rows_per_tx
  case "$shape" in
    ingest-single) script=ingest_single.sql; rows_per_tx=1 ;;
    ingest-batch) script=ingest_batch.sql; rows_per_tx=500 ;;
    trail) script=trail.sql; rows_per_tx=1 ;;
    *) die "unknown shape $shape" ;;
  esac
  local logs
  logs="$(mktemp -d)"
  chown postgres:postgres "$logs"
  cp "$here/$script" "$logs/"
  local args=(-h "$dir" -p "$port" -n -f "$logs/$script" -c "$clients" -j 2 -T "$seconds" -l
              --log-prefix="$logs/tx")
  [ -n "$rate" ] && args+=(--rate "$rate")
  local out
  out="$(cd "$logs" && as_postgres "$pg_bin/pgbench" "${args[@]}" "$database" 2>&1)" ||
    { echo "$out" >&2; die "pgbench failed on $shape"; }
  local tps failed
  tps="$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' <<<"$out" | head -1)"
  failed="$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' <<<"$out" | head -1)"
  # Per-transaction log: client tx_no latency_us script epoch us [lag_us].
  local percentiles
  percentiles="$(cat "$logs"/tx.* | awk '{print $3}' | sort -n | awk '
    { v[NR] = $1 } END {
      if (NR == 0) { print "null null null"; exit }
      p50 = v[int(NR * 0.50) > 0 ? int(NR * 0.50) : 1]; p99 = v[int(NR * 0.99) > 0 ? int(NR * 0.99) : 1]
      printf "%.3f %.3f %.3f", p50 / 1000, p99 / 1000, v[NR] / 1000 }')"
  rm -rf "$logs"
  read -r p50 p99 max <<<"$percentiles"
  local rows
  rows="$(awk -v t="$tps" -v r="$rows_per_tx" 'BEGIN { printf "%.1f", t * r }')"
  printf '{"peer":"postgresql-15","shape":"%s","clients":%s,"seconds":%s,"rate":%s,"transactions_per_s":%s,"rows_per_s":%s,"failed":%s,"latency_p50_ms":%s,"latency_p99_ms":%s,"latency_max_ms":%s}\n' \
    "$shape" "$clients" "$seconds" "${rate:-null}" "$tps" "$rows" "${failed:-0}" "$p50" "$p99" "$max"
}

load() {
  local dir="$1" rows="$2" chunk=100000 done=0 n
  while [ "$done" -lt "$rows" ]; do
    n=$(( rows - done < chunk ? rows - done : chunk ))
    psql_peer "$dir" -c "INSERT INTO events (stream, event_id, body)
      SELECT 'outlet:C-' || (($done + i) % 10000 + 1), gen_random_uuid(),
             jsonb_build_object('sale_id', gen_random_uuid()::text, 'product_id', 'P-' || i,
                                'outlet_id', 'C-' || (($done + i) % 10000 + 1), 'quantity', 2,
                                'unit_price_fen', 3500, 'amount_fen', 7000,
                                'buyer_kind', 'individual', 'buyer_ref', 'B-' || i)
      FROM generate_series(1, $n) AS i" >/dev/null
    done=$(( done + n ))
  done
  psql_peer "$dir" -c "VACUUM ANALYZE events" >/dev/null
  printf '{"peer":"postgresql-15","loaded":%s}\n' "$rows"
}

all() {
  local seconds="${1:-20}" dir
  dir="$(mktemp -d /tmp/fupin-peer-XXXXXX)"
  trap 'stop "$dir"' EXIT
  start "$dir"
  run "$dir" ingest-single "$seconds" 64
  run "$dir" ingest-batch "$seconds" 64
  run "$dir" trail "$seconds" 64
  run "$dir" trail "$seconds" 64 1000
}

case "${1:-}" in
  start) [ $# -eq 2 ] || die "usage: peer.sh start DIR"; start "$2" ;;
  run) [ $# -ge 4 ] || die "usage: peer.sh run DIR SHAPE SECONDS [CLIENTS] [RATE]"; run "${@:2}" ;;
  load) [ $# -eq 3 ] || die "usage: peer.sh load DIR ROWS"; load "$2" "$3" ;;
  stop) [ $# -eq 2 ] || die "usage: peer.sh stop DIR"; stop "$2" ;;
  all) all "${2:-20}" ;;
  *) die "usage: peer.sh start|run|load|stop|all (see the header)" ;;
esac
