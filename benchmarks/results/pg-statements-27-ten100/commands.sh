#!/bin/bash
# per-statement PostgreSQL cost of the ten-attribute workload, one node per setup: the null caches as is, the sticky
# setups (caches in front) with SETUPS="jetty-jdbc shared-syncmap"
set -e
JAR=/tmp/bench-hot.jar
PG=/usr/lib/postgresql/15/bin
runuser -u nobody -- $PG/pg_ctl -D /tmp/pgx/data -o "-p 55433 -k /tmp/pgx -c fsync=off -c shared_preload_libraries=pg_stat_statements -c listen_addresses=127.0.0.1" -l /tmp/pgx/log start > /dev/null
sleep 2
psql -h /tmp/pgx -p 55433 -U postgres -qc "create extension if not exists pg_stat_statements" 
URL="jdbc:postgresql://127.0.0.1:55433/postgres?user=postgres"
OUT=/work/main/benchmarks/results/pg-statements-27-ten100
mkdir -p $OUT
for s in ${SETUPS:-jetty-jdbc-null shared-null}; do
  java -Xmx2g -cp $JAR dev.syncsession.benchmarks.BenchServer --setup $s --worker-name a1 --jdbc-url "$URL" --attributes 10 --value-chars 100 --max-inactive-seconds 1800 > /tmp/pgprof-$s.log 2>&1 &
  for i in $(seq 1 300); do grep -q '^LISTENING' /tmp/pgprof-$s.log && break; sleep 0.1; done
  read -r _ port pid < <(grep '^LISTENING' /tmp/pgprof-$s.log)
  java -Xmx512m -cp $JAR dev.syncsession.benchmarks.MakeSessions --url "http://127.0.0.1:$port/s" --count 1000 --keep 1000 --out /tmp/pgprof-cookies.txt --concurrency 32 > /dev/null
  COOKIES=/tmp/pgprof-cookies.txt wrk -t1 -c32 -d20s -s /work/main/benchmarks/wrk/sessions.lua http://127.0.0.1:$port > /dev/null
  psql -h /tmp/pgx -p 55433 -U postgres -qc "select pg_stat_statements_reset()" > /dev/null
  COOKIES=/tmp/pgprof-cookies.txt wrk -t1 -c32 -d20s -s /work/main/benchmarks/wrk/sessions.lua http://127.0.0.1:$port | grep -E "Requests/sec|RESULT" > $OUT/$s-wrk.txt
  psql -h /tmp/pgx -p 55433 -U postgres -Ac "select calls, round(mean_exec_time::numeric*1000,1) as mean_us, round(total_exec_time::numeric) as total_ms, wal_bytes/greatest(calls,1) as wal_per_call, shared_blks_hit/greatest(calls,1) as blks_per_call, left(regexp_replace(query, '\s+', ' ', 'g'), 230) as query from pg_stat_statements where calls > 100 order by total_exec_time desc limit 8" > $OUT/$s-statements.txt
  kill $pid; wait $pid 2>/dev/null || true
done
runuser -u nobody -- $PG/pg_ctl -D /tmp/pgx/data stop > /dev/null
