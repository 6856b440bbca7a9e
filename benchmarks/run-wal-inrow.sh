#!/usr/bin/env bash
# WAL bytes per request of a session kept in its row's map column (issue #27's in-row experiment, BENCHMARKS.md "The
# issue's measure"), in SQL alone on the embedded PostgreSQL: Jetty's store as it saves (the index over the exact
# expiry time: J of benchmarks/wal/requests-run.sql), then the tier's in-row save with the index over minutes, with
# and without the version bump (benchmarks/wal/inrow-run.sql). Needs psql. About 2 minutes per size.
#
#   benchmarks/run-wal-inrow.sh              sizes 16 96 bytes per attribute value
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-16 96}
OUT=${OUT:-benchmarks/results/wal-inrow}
JAR=$PWD/benchmarks/target/benchmarks.jar
mkdir -p "$OUT"
rm -f "$OUT/wal.txt"
WORK=$(mktemp -d /tmp/syncsession-wal.XXXXXX)
declare -A PID
source benchmarks/http-common.sh
trap stop_servers EXIT
start_database
PORT=$(sed 's/.*:\([0-9]*\)\/postgres.*/\1/' <<< "$JDBC_URL")
sql() { psql -q -h 127.0.0.1 -p "$PORT" -U postgres "$@"; }
for s in $SIZES; do {
  sql -v S="$s" -f benchmarks/wal/layouts-setup.sql > /dev/null 2>&1
  echo "bytes=$s Jetty's store: $(sql -v S="$s" -v N=20000 -f benchmarks/wal/requests-run.sql 2>&1 | grep -v NOTICE \
    | sed 's/.*jetty=\([0-9.]*\).*/\1 per request/')"
  sql -v S="$s" -f benchmarks/wal/layouts-setup.sql > /dev/null 2>&1
  sql -c "drop index jettysessions_expiry" -c "alter table jettysessions add column syncsession_expiry_minute bigint" \
    -c "create index on jettysessions (syncsession_expiry_minute)" > /dev/null
  echo "bytes=$s in the row, index over minutes: $(sql -v S="$s" -f benchmarks/wal/inrow-run.sql 2>&1 | grep -v NOTICE)"
} | tee -a "$OUT/wal.txt"; done
