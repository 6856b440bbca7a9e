#!/bin/bash
# the sticky measure with PostgreSQL on CPU 1 and everything else (servers, wrk, the script) on CPU 0
cd /work/main
OUTD=$1
(taskset -c 0 env JAR=/tmp/bench-walk.jar NODES=2 STICKY=1 ATTRIBUTES=10 VALUE_CHARS=100 MAX_INACTIVE=1800 SETUPS=jetty-jdbc,shared-syncmap BASELINE=jetty-jdbc ROUNDS=10 SECONDS_PER_ROUND=15 WARMUP=30 OUT=$OUTD benchmarks/run-http-wrk.sh > /tmp/pinned.log 2>&1) &
# re-pin every postgres process to CPU 1 as soon as it appears, and keep doing it (new backends fork from the postmaster)
while kill -0 $! 2>/dev/null; do
  for p in $(pgrep -x postgres); do
    cur=$(taskset -p $p 2>/dev/null | awk '{print $NF}')
    [ "$cur" != "2" ] && taskset -p 2 $p >/dev/null 2>&1
  done
  sleep 2
done
echo done
