#!/usr/bin/env bash
# WAL bytes per save of Jetty's map column against the tier's attribute table, in SQL alone on the embedded
# PostgreSQL (BENCHMARKS.md, "The attribute table: WAL bytes per request"): for each attribute size, variants A (Jetty),
# B (the tier) and C (Jetty's save of times alone), then B with the expiry column left unchanged (the session row's
# update heap-only: the experiment that was not built), then per request of two saves with the tier's expiry index over
# the exact time and over minutes (ExpiryMinuteSchema), then per request of a session kept in its row's map column
# with the index over minutes, with and without the version bump (benchmarks/wal/inrow-run.sql; BENCHMARKS.md, "The
# issue's measure"). Needs psql (Debian's postgresql-client). About 3 minutes.
#
#   benchmarks/run-wal-layouts.sh            sizes 16 96 256 1024 bytes per attribute value
#   SIZES=96 benchmarks/run-wal-layouts.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-16 96 256 1024}
OUT=${OUT:-benchmarks/results/wal-layouts}
JAR=$PWD/benchmarks/target/benchmarks.jar
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/syncsession-wal.XXXXXX)
declare -A PID
source benchmarks/http-common.sh
trap stop_servers EXIT
start_database
PORT=$(sed 's/.*:\([0-9]*\)\/postgres.*/\1/' <<< "$JDBC_URL")
sql() { psql -q -h 127.0.0.1 -p "$PORT" -U postgres "$@"; }
sed 's/update main2 set lastnode=.node1., accesstime=t, lastaccesstime=t, lastsavedtime=t, expirytime=1000000+t,/update main2 set lastnode='"'"'node1'"'"', accesstime=t, lastaccesstime=t, lastsavedtime=t,/' \
  benchmarks/wal/layouts-run.sql > "$WORK/layouts-run-same-expiry.sql"
for s in $SIZES; do {
  sql -v S="$s" -f benchmarks/wal/layouts-setup.sql > /dev/null 2>&1
  echo "bytes=$s $(sql -v N=20000 -v S="$s" -f benchmarks/wal/layouts-run.sql)"
  sql -v S="$s" -f benchmarks/wal/layouts-setup.sql > /dev/null 2>&1
  echo "bytes=$s expiry unchanged: $(sql -v N=20000 -v S="$s" -f "$WORK/layouts-run-same-expiry.sql" | sed 's/.*B=/B=/;s/ accessonly.*//')"
  # Per request (two saves, as each request of the HTTP harness): Jetty's against the tier's, the tier's expiry index
  # over the exact time (as Jetty makes it) and then over the expiry minute (ExpiryMinuteSchema: heap-only updates).
  sql -v S="$s" -f benchmarks/wal/layouts-setup.sql > /dev/null 2>&1
  echo "bytes=$s per request, index over expiry: $(sql -v N=20000 -v S="$s" -f benchmarks/wal/requests-run.sql 2>&1 | grep -v NOTICE)"
  sql -v S="$s" -f benchmarks/wal/layouts-setup.sql > /dev/null 2>&1
  sql -c "drop index main2_expirytime_idx" -c "alter table main2 add column syncsession_expiry_minute bigint" \
    -c "create index on main2 (syncsession_expiry_minute)" > /dev/null
  echo "bytes=$s per request, index over minutes: $(sql -v N=20000 -v S="$s" -f benchmarks/wal/requests-run.sql 2>&1 | grep -v NOTICE)"
  # The session in its row (the tier's in-row layout), the version bumped as the tier does, then not.
  for bump in 1 0; do
    sql -v S="$s" -f benchmarks/wal/layouts-setup.sql > /dev/null 2>&1
    sql -c "drop index jettysessions_expiry" -c "alter table jettysessions add column syncsession_expiry_minute bigint" \
      -c "create index on jettysessions (syncsession_expiry_minute)" > /dev/null
    echo "bytes=$s per request, in the row: $(sql -v S="$s" -v BUMP="$bump" -f benchmarks/wal/inrow-run.sql 2>&1 \
      | grep -v NOTICE)"
  done
} | tee -a "$OUT/wal.txt"; done
