#!/bin/bash
set -e
JAR=/tmp/bench-hot.jar
PG=/usr/lib/postgresql/15/bin
runuser -u nobody -- $PG/pg_ctl -D /tmp/pgx/data -o "-p 55433 -k /tmp/pgx -c fsync=off -c listen_addresses=127.0.0.1" -l /tmp/pgx/log start > /dev/null
sleep 2
URL="jdbc:postgresql://127.0.0.1:55433/postgres?user=postgres"
OUT=/tmp/jfrprof; mkdir -p $OUT
for s in jetty-jdbc shared-syncmap; do
  java -Xmx2g -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -cp $JAR dev.syncsession.benchmarks.BenchServer --setup $s --worker-name a1 --jdbc-url "$URL" --attributes 10 --value-chars 100 --max-inactive-seconds 1800 > $OUT/$s.log 2>&1 &
  for i in $(seq 1 300); do grep -q '^LISTENING' $OUT/$s.log && break; sleep 0.1; done
  read -r _ port pid < <(grep '^LISTENING' $OUT/$s.log)
  java -Xmx512m -cp $JAR dev.syncsession.benchmarks.MakeSessions --url "http://127.0.0.1:$port/s" --count 1000 --keep 1000 --out $OUT/cookies.txt --concurrency 32 > /dev/null
  COOKIES=$OUT/cookies.txt wrk -t1 -c32 -d20s -s /work/main/benchmarks/wrk/sessions.lua http://127.0.0.1:$port > /dev/null
  jcmd $pid JFR.start name=p settings=profile > /dev/null
  t0=$(awk '{print $14+$15}' /proc/$pid/stat)
  COOKIES=$OUT/cookies.txt wrk -t1 -c32 -d20s -s /work/main/benchmarks/wrk/sessions.lua http://127.0.0.1:$port | grep RESULT > $OUT/$s-wrk.txt
  t1=$(awk '{print $14+$15}' /proc/$pid/stat)
  echo "cpu_ticks=$((t1-t0))" >> $OUT/$s-wrk.txt
  jcmd $pid JFR.dump name=p filename=$OUT/$s.jfr > /dev/null
  kill $pid; wait $pid 2>/dev/null || true
  jfr print --events jdk.ExecutionSample --stack-depth 64 $OUT/$s.jfr > $OUT/$s-samples.txt
done
runuser -u nobody -- $PG/pg_ctl -D /tmp/pgx/data stop > /dev/null
