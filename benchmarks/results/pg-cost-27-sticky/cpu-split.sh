#!/bin/bash
# CPU split per request: server, PostgreSQL (all backends), per setup, alternating; one node, sticky-capable setups
set -e
JAR=${JAR:-/tmp/bench-hot.jar}
PG=/usr/lib/postgresql/15/bin
OUT=${OUT:-/tmp/split/out}; mkdir -p $OUT
ROUNDS=${ROUNDS:-3}; SECS=${SECS:-15}
SETUPS=${SETUPS:-"jetty-jdbc shared-syncmap"}
runuser -u nobody -- $PG/pg_ctl -D /tmp/pgx/data -o "-p 55433 -k /tmp/pgx -c fsync=off -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on -c listen_addresses=127.0.0.1" -l /tmp/pgx/log start > /dev/null
sleep 2
psql -h /tmp/pgx -p 55433 -U postgres -qc "create extension if not exists pg_stat_statements" > /dev/null
URL="jdbc:postgresql://127.0.0.1:55433/postgres?user=postgres"
pgticks() { local t=0; for p in $(pgrep -u nobody postgres); do s=$(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null || echo 0); t=$((t+s)); done; echo $t; }
echo "round,setup,requests,rps,server_us_per_req,pg_us_per_req" > $OUT/split.csv
for s in $SETUPS; do
  java -Xmx2g $JOPTS -cp $JAR dev.syncsession.benchmarks.BenchServer --setup $s --worker-name a1 --jdbc-url "$URL" --attributes 10 --value-chars ${VALUE_CHARS:-100} --max-inactive-seconds 1800 > $OUT/$s.log 2>&1 &
  for i in $(seq 1 300); do grep -q '^LISTENING' $OUT/$s.log && break; sleep 0.1; done
  read -r _ port pid < <(grep '^LISTENING' $OUT/$s.log)
  echo "$s $port $pid" > $OUT/$s.server
  java -Xmx512m -cp $JAR dev.syncsession.benchmarks.MakeSessions --url "http://127.0.0.1:$port/s" --count 1000 --keep 1000 --out $OUT/$s-cookies.txt --concurrency 32 > /dev/null
  COOKIES=$OUT/$s-cookies.txt wrk -t1 -c32 -d20s -s /work/main/benchmarks/wrk/sessions.lua http://127.0.0.1:$port > /dev/null
done
for r in $(seq 1 $ROUNDS); do
  for s in $SETUPS; do
    read -r _ port pid < $OUT/$s.server
    [ $r = $ROUNDS ] && psql -h /tmp/pgx -p 55433 -U postgres -qc "select pg_stat_statements_reset()" > /dev/null
    t0=$(awk '{print $14+$15}' /proc/$pid/stat); p0=$(pgticks)
    res=$(COOKIES=$OUT/$s-cookies.txt wrk -t1 -c32 -d${SECS}s -s /work/main/benchmarks/wrk/sessions.lua http://127.0.0.1:$port)
    t1=$(awk '{print $14+$15}' /proc/$pid/stat); p1=$(pgticks)
    n=$(echo "$res" | awk '/requests in/ {print $1}')
    rps=$(echo "$res" | awk '/Requests\/sec/ {print $2}')
    echo "$r,$s,$n,$rps,$(( (t1-t0)*10000000/n )),$(( (p1-p0)*10000000/n ))" >> $OUT/split.csv
    if [ $r = $ROUNDS ]; then
      psql -h /tmp/pgx -p 55433 -U postgres -Ac "select calls, round(mean_exec_time::numeric*1000,1) as exec_us, round(mean_plan_time::numeric*1000,1) as plan_us, plans, wal_bytes/greatest(calls,1) as wal, left(regexp_replace(query, '\s+', ' ', 'g'), 200) as query from pg_stat_statements where calls > 100 order by total_exec_time desc limit 8" > $OUT/$s-statements.txt
    fi
  done
done
for s in $SETUPS; do read -r _ port pid < $OUT/$s.server; kill $pid; wait $pid 2>/dev/null || true; done
runuser -u nobody -- $PG/pg_ctl -D /tmp/pgx/data stop > /dev/null
cat $OUT/split.csv
