#!/usr/bin/env bash
# Overlapping requests over HTTP (BENCHMARKS.md, "Overlapping requests on two nodes"): for each setup, two server
# JVMs (BenchServer) on one embedded PostgreSQL (BenchDatabase), and OverlapClient (another JVM) sending pairs of
# requests of one session at once, one to each node, the cookie without its worker name (not sticky). It counts the
# acknowledged changes that are missing at the end, requests/s, the latency p99, the servers' CPU time per request
# (/proc/<pid>/stat around the run) and PostgreSQL's WAL bytes per request.
#
#   benchmarks/run-http-overlap.sh                  jetty-jdbc-null, shared-null and shared-null-inplace (the same
#                                                   with in-place changes detected), both modes, 60 s each
#   SETUPS=shared-null MODES=cart DURATION=20 benchmarks/run-http-overlap.sh
#   MODES=ten VALUE_BYTES=100 benchmarks/run-http-overlap.sh   sessions of ten attributes of 100 characters, each
#                                                   request changing one (the WAL measure); the mode is shown as ten-100
#   PAIRS=50 ...                                    pairs of requests per session before the next session (default 5)
#
# Output in $OUT (default benchmarks/results/http-overlap): overlap.csv, logs/, commands.txt. Loopback only; keep
# other work off the machine while it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
SETUPS=${SETUPS:-jetty-jdbc-null,shared-null,shared-null-inplace}
MODES=${MODES:-attributes,cart}
SECONDS_PER_RUN=${DURATION:-60}
DRIVERS=${DRIVERS:-16}
VALUE_BYTES=${VALUE_BYTES:-100}
PAIRS=${PAIRS:-5}
HEAP=${HEAP:-1g}
OUT=${OUT:-benchmarks/results/http-overlap}
JAR=$PWD/benchmarks/target/benchmarks.jar
source benchmarks/http-common.sh
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/syncsession-overlap.XXXXXX)
declare -A PORT PID
trap stop_servers EXIT
start_database
echo "+ SETUPS=$SETUPS MODES=$MODES VALUE_BYTES=$VALUE_BYTES PAIRS=$PAIRS DURATION=$SECONDS_PER_RUN DRIVERS=$DRIVERS HEAP=$HEAP $0" | tee "$OUT/commands.txt"
echo "setup,mode,requests,acknowledged,lost,failed,seconds,requests_per_s,p99_ms,cpu_us_per_request,wal_bytes_per_request" \
  > "$OUT/overlap.csv"
IFS=, read -r -a SETUP_LIST <<< "$SETUPS"
IFS=, read -r -a MODE_LIST <<< "$MODES"
letters=(a b c d e f g h)
for i in "${!SETUP_LIST[@]}"; do
  s=${SETUP_LIST[$i]}
  for n in 1 2; do
    java -Xms$HEAP -Xmx$HEAP -XX:+UseG1GC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$JAR" \
      dev.syncsession.benchmarks.BenchServer --setup "$s" --worker-name "${letters[$i]}$n" --jdbc-url "$JDBC_URL" \
      > "$WORK/$s-$n.log" 2>&1 &
    for _ in $(seq 1 300); do
      if grep -q '^LISTENING' "$WORK/$s-$n.log"; then break; fi
      sleep 0.1
    done
    read -r _ PORT[$s#$n] PID[$s#$n] < <(grep '^LISTENING' "$WORK/$s-$n.log")
  done
  # Warm-up: the same client for a few seconds, not recorded.
  java -Xmx512m -cp "$JAR" dev.syncsession.benchmarks.OverlapClient --a "http://127.0.0.1:${PORT[$s#1]}" \
    --b "http://127.0.0.1:${PORT[$s#2]}" --sessions "$DRIVERS" --seconds 10 > /dev/null
  for mode in "${MODE_LIST[@]}"; do
    c0=$(( $(cpu_ticks "${PID[$s#1]}") + $(cpu_ticks "${PID[$s#2]}") ))
    line=$(java -Xmx512m -cp "$JAR" dev.syncsession.benchmarks.OverlapClient --a "http://127.0.0.1:${PORT[$s#1]}" \
      --b "http://127.0.0.1:${PORT[$s#2]}" --sessions "$DRIVERS" --seconds "$SECONDS_PER_RUN" --mode "$mode" \
      --value-bytes "$VALUE_BYTES" --pairs-per-session "$PAIRS" --jdbc-url "$JDBC_URL" | grep '^RESULT')
    c1=$(( $(cpu_ticks "${PID[$s#1]}") + $(cpu_ticks "${PID[$s#2]}") ))
    echo "$s: $line"
    declare -A r=()
    for kv in ${line#RESULT }; do r[${kv%%=*}]=${kv#*=}; done
    shown=$mode
    if [[ $mode == ten ]]; then shown=ten-$VALUE_BYTES; fi
    awk -v s="$s" -v m="$shown" -v q="${r[requests]}" -v a="${r[acknowledged]}" -v l="${r[lost]}" -v f="${r[failed]}" \
        -v t="${r[seconds]}" -v p="${r[p99ms]}" -v w="${r[walBytes]}" -v c=$((c1 - c0)) -v hz="$TICKS" \
        'BEGIN { printf "%s,%s,%d,%d,%d,%d,%.1f,%.0f,%.2f,%.0f,%.0f\n", s, m, q, a, l, f, t, q / t, p, c * 1e6 / hz / q, w / q }' \
      >> "$OUT/overlap.csv"
  done
  stopped=("${PID[$s#1]}" "${PID[$s#2]}")
  for n in 1 2; do kill "${PID[$s#$n]}"; unset "PID[$s#$n]"; done
  wait "${stopped[@]}" 2>/dev/null || true # gone before the next setup's servers start
done
column -s, -t "$OUT/overlap.csv"
