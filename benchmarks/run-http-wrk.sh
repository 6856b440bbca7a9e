#!/usr/bin/env bash
# The HTTP benchmark of BENCHMARKS.md, out of process: each session setup in its own server JVM (BenchServer), the
# load from wrk (Debian's package, installed here if missing) with benchmarks/wrk/sessions.lua replaying the cookies
# of $SESSIONS sessions at random, rounds alternating the order of the setups, and the server's CPU time per request
# read from /proc/<pid>/stat around each measured window.
#
#   benchmarks/run-http-wrk.sh                      1,000 sessions, 6 rounds of 20 s per setup (about 12 minutes)
#   PREFILL=1000000 benchmarks/run-http-wrk.sh      each server first holds 1,000,000 more live sessions, made over
#                                                   HTTP by MakeSessions (another JVM) before any measurement
#   SETUPS=jetty-default,syncsession-default ROUNDS=4 SECONDS_PER_ROUND=10 benchmarks/run-http-wrk.sh
#   WORKLOAD=create SETUPS=syncsession-default,syncsession-by-user BASELINE=syncsession-default \
#     benchmarks/run-http-wrk.sh                    every request creates a session (benchmarks/wrk/create.lua), which
#                                                   syncsession-by-user signs in: the cost of the index by user
#   SETUPS=jetty-jdbc,shared-syncmap,shared-syncmap-trusting,shared-null BASELINE=jetty-jdbc benchmarks/run-http-wrk.sh
#                                                   one node per setup on an embedded PostgreSQL (BenchDatabase, run
#                                                   as $BENCH_USER, default nobody, when root: PostgreSQL refuses root)
#   NODES=2 SETUPS=jetty-jdbc,shared-syncmap,shared-syncmap-trusting BASELINE=jetty-jdbc benchmarks/run-http-wrk.sh
#                                                   two server JVMs per setup on the one PostgreSQL, one wrk per node
#                                                   ($CONNECTIONS connections each), sticky: each node is sent only
#                                                   the sessions it made
#   NODES=2 STICKY=0 SETUPS=jetty-jdbc-null,shared-null,shared-syncmap BASELINE=jetty-jdbc-null benchmarks/run-http-wrk.sh
#                                                   not sticky: every node is sent every session at random, the
#                                                   cookie without its worker name
#   NODES=2 ATTRIBUTES=10 VALUE_CHARS=100 ...      sessions of ten attributes of 100 characters, one replaced per
#                                                   request (ManyAttributesServlet), instead of SessionServlet's three
#   MAX_INACTIVE=1800 ...                           sessions expire after 30 idle minutes (Jetty's webdefault) instead
#                                                   of never (an embedded context's default): every save then writes
#                                                   a new expiry time
#   PROFILE=1 ...                                   each server also records JFR (settings=$JFR_SETTINGS, default, with
#                                                   -XX:+DebugNonSafepoints) from the end of its warm-up to the end
#                                                   of the rounds, into $OUT/<setup>-<node>.jfr; its numbers are
#                                                   then for reading the profile, not for the table
#
# Output in $OUT (default benchmarks/results/http-wrk): http.csv (one row per setup and round), heap.csv (heap per
# live session after full GCs, on node 1), db.csv (with a database: its CPU time, transactions and WAL bytes per
# request, per setup and round), logs/ (each server's and the database's output), table.md (ratios to jetty-default per round:
# median and range), commands.txt.
# Loopback only. Keep other work (builds) off the machine while it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
SETUPS=${SETUPS:-jetty-default,syncsession-default,syncsession-default-cache}
ROUNDS=${ROUNDS:-6}
SECONDS_PER_ROUND=${SECONDS_PER_ROUND:-20}
WARMUP=${WARMUP:-20}
SESSIONS=${SESSIONS:-1000}
PREFILL=${PREFILL:-0}
CONNECTIONS=${CONNECTIONS:-32}
HEAP=${HEAP:-4g}
OUT=${OUT:-benchmarks/results/http-wrk}
BASELINE=${BASELINE:-jetty-default}
NODES=${NODES:-1}
STICKY=${STICKY:-1}
PROFILE=${PROFILE:-0}
PROFILE_OPTS=()
if (( PROFILE )); then PROFILE_OPTS=(-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints); fi
ATTRIBUTES=${ATTRIBUTES:-0}
VALUE_CHARS=${VALUE_CHARS:-16}
MAX_INACTIVE=${MAX_INACTIVE:-0}
SERVLET_ARGS=()
if (( ATTRIBUTES > 0 )); then SERVLET_ARGS=(--attributes "$ATTRIBUTES" --value-chars "$VALUE_CHARS"); fi
if (( MAX_INACTIVE > 0 )); then SERVLET_ARGS+=(--max-inactive-seconds "$MAX_INACTIVE"); fi
JAR=${JAR:-$PWD/benchmarks/target/benchmarks.jar}
WORKLOAD=${WORKLOAD:-sessions}
LUA=$PWD/benchmarks/wrk/$WORKLOAD.lua

source benchmarks/http-common.sh
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/syncsession-wrk.XXXXXX)
declare -A PORT PID
trap stop_servers EXIT

load() { # setup seconds -> one RESULT line per node: one wrk per node, all at once
  local pids=() n
  for n in $(seq 1 "$NODES"); do
    COOKIES="$WORK/cookies-$1-$n.txt" wrk -t1 -c"$CONNECTIONS" -d"$2s" --latency -s "$LUA" \
      "http://127.0.0.1:${PORT[$1#$n]}" | grep '^RESULT' &
    pids+=($!)
  done
  for n in "${pids[@]}"; do wait "$n"; done
}

IFS=, read -r -a SETUP_LIST <<< "$SETUPS"
JDBC_ARGS=()
if [[ $SETUPS == *jdbc* || $SETUPS == *shared* ]]; then
  start_database
  JDBC_ARGS=(--jdbc-url "$JDBC_URL")
fi
echo "+ WORKLOAD=$WORKLOAD ATTRIBUTES=$ATTRIBUTES VALUE_CHARS=$VALUE_CHARS MAX_INACTIVE=$MAX_INACTIVE JAR=$JAR SETUPS=$SETUPS NODES=$NODES STICKY=$STICKY ROUNDS=$ROUNDS SECONDS_PER_ROUND=$SECONDS_PER_ROUND WARMUP=$WARMUP SESSIONS=$SESSIONS PREFILL=$PREFILL CONNECTIONS=$CONNECTIONS HEAP=$HEAP $0" | tee "$OUT/commands.txt"
echo "setup,live_sessions,heap_before,heap_after,bytes_per_session" > "$OUT/heap.csv"
letters=(a b c d e f g h i j k l m n o p)
for i in "${!SETUP_LIST[@]}"; do
  s=${SETUP_LIST[$i]}
  for n in $(seq 1 "$NODES"); do
    k="$s#$n"
    java -Xms$HEAP -Xmx$HEAP -XX:+UseG1GC "${PROFILE_OPTS[@]}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$JAR" \
      dev.syncsession.benchmarks.BenchServer --setup "$s" --worker-name "${letters[$i]}$n" "${JDBC_ARGS[@]}" \
      "${SERVLET_ARGS[@]}" \
      > "$WORK/$s-$n.log" 2>&1 &
    for _ in $(seq 1 300); do
      if grep -q '^LISTENING' "$WORK/$s-$n.log"; then break; fi
      sleep 0.1
    done
    read -r _ PORT[$k] PID[$k] < <(grep '^LISTENING' "$WORK/$s-$n.log")
  done
  # Heap per session is measured on node 1, which holds every session made before the measurement.
  before=$(http_get "${PORT[$s#1]}" /bench/heap)
  if (( PREFILL > 0 )); then
    java -Xmx1g -cp "$JAR" dev.syncsession.benchmarks.MakeSessions --url "http://127.0.0.1:${PORT[$s#1]}/s" \
      --count "$PREFILL" --keep 0 --out "$WORK/prefill-$s.txt" --concurrency 32
  fi
  # Each node makes its share of the sessions: sticky, node n is sent only the cookies it made (which end in its
  # worker name, as a balancer's affinity would route them); not sticky, every node is sent every session, the
  # worker name cut off, so no node can tell from the cookie that it served the session last.
  for n in $(seq 1 "$NODES"); do
    java -Xmx512m -cp "$JAR" dev.syncsession.benchmarks.MakeSessions --url "http://127.0.0.1:${PORT[$s#$n]}/s" \
      --count $((SESSIONS / NODES)) --keep $((SESSIONS / NODES)) --out "$WORK/cookies-$s-$n.txt" --concurrency 32
  done
  if (( STICKY == 0 )); then
    cat "$WORK"/cookies-"$s"-*.txt | sed 's/\.[^.]*$//' > "$WORK/all-$s.txt"
    for n in $(seq 1 "$NODES"); do cp "$WORK/all-$s.txt" "$WORK/cookies-$s-$n.txt"; done
  fi
  after=$(http_get "${PORT[$s#1]}" /bench/heap)
  live=$((PREFILL + SESSIONS / NODES))
  echo "$s,$live,$before,$after,$(( (after - before) / live ))" >> "$OUT/heap.csv"
  echo "$s: $NODES node(s), ports/pids $(for n in $(seq 1 "$NODES"); do printf '%s/%s ' "${PORT[$s#$n]}" "${PID[$s#$n]}"; done)$live live sessions on node 1, $(( (after - before) / live )) B each; warming up"
  load "$s" "$WARMUP" > /dev/null
  if (( PROFILE )); then
    for n in $(seq 1 "$NODES"); do jcmd "${PID[$s#$n]}" JFR.start name=bench settings="${JFR_SETTINGS:-default}" > /dev/null; done
  fi
done

echo "round,setup,rps,p50_us,p99_us,p999_us,cpu_us_per_request,errors,new_sessions" > "$OUT/http.csv"
# With a database: PostgreSQL's own CPU time (the postmaster and its backends) and transactions per request, in
# db.csv beside http.csv (psql from Debian's postgresql-client reads the transaction counts).
db_ticks() { # the postmaster listening on JDBC_URL's port (not another PostgreSQL of the machine) and its children
  local pm t=0
  pm=$(pgrep -f "bin/postgres -D .* -p $(sed 's/.*:\([0-9]*\)\/postgres.*/\1/' <<< "$JDBC_URL")( |\$)" | head -1) || true
  [[ -n $pm ]] || { echo 0; return; }
  for p in $pm $(pgrep -P "$pm"); do t=$((t + $(cpu_ticks "$p" 2>/dev/null || echo 0))); done
  echo "$t"
}
db_query() { # sql -> its one value, or 0 without psql
  if [[ -n ${JDBC_URL:-} ]] && command -v psql > /dev/null; then
    psql -h 127.0.0.1 -p "$(sed 's/.*:\([0-9]*\)\/postgres.*/\1/' <<< "$JDBC_URL")" -U postgres -Atc "$1" \
      2>/dev/null || echo 0
  else
    echo 0
  fi
}
db_transactions() { db_query "select sum(xact_commit + xact_rollback) from pg_stat_database"; }
db_wal() { db_query "select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint"; }
if [[ -n ${JDBC_URL:-} ]]; then
  echo "round,setup,db_cpu_us_per_request,db_transactions_per_request,wal_bytes_per_request" > "$OUT/db.csv"
fi
for round in $(seq 1 "$ROUNDS"); do
  order=("${SETUP_LIST[@]}")
  if (( round % 2 == 0 )); then
    order=(); for (( i=${#SETUP_LIST[@]}-1; i>=0; i-- )); do order+=("${SETUP_LIST[$i]}"); done
  fi
  for s in "${order[@]}"; do
    if [[ -n ${JDBC_URL:-} ]]; then d0=$(db_ticks); x0=$(db_transactions); w0=$(db_wal); fi
    c0=0; for n in $(seq 1 "$NODES"); do c0=$((c0 + $(cpu_ticks "${PID[$s#$n]}"))); done
    load "$s" "$SECONDS_PER_ROUND" > "$WORK/round.txt"
    c1=0; for n in $(seq 1 "$NODES"); do c1=$((c1 + $(cpu_ticks "${PID[$s#$n]}"))); done
    if [[ -n ${JDBC_URL:-} ]]; then w1=$(db_wal); sleep 1; d1=$(db_ticks); x1=$(db_transactions); fi # statistics lag 0.5 s
    # Many nodes: requests, errors and new sessions summed over the nodes' wrk, latencies the worst node's.
    line=$(awk '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        r += v["requests"]; if (v["seconds"] > t) t = v["seconds"]; e += v["errors"]; ns += v["new_sessions"]
        for (q in v) if (q ~ /_us$/ && v[q] > m[q]) m[q] = v[q] }
      END { printf "requests=%d seconds=%s p50_us=%d p99_us=%d p999_us=%d errors=%d new_sessions=%d",
        r, t, m["p50_us"], m["p99_us"], m["p999_us"], e, ns }' "$WORK/round.txt")
    eval "$line"
    rps=$(awk -v r="$requests" -v t="$seconds" 'BEGIN {printf "%.1f", r / t}')
    cpu=$(awk -v d="$((c1 - c0))" -v k="$TICKS" -v r="$requests" 'BEGIN {printf "%.2f", d * 1e6 / k / r}')
    echo "$round,$s,$rps,$p50_us,$p99_us,$p999_us,$cpu,$errors,$new_sessions" | tee -a "$OUT/http.csv"
    if [[ -n ${JDBC_URL:-} ]]; then
      awk -v s="$s" -v r="$round" -v d="$((d1 - d0))" -v x="$((x1 - x0))" -v w="$((w1 - w0))" -v k="$TICKS" \
        -v q="$requests" 'BEGIN { printf "%d,%s,%.2f,%.2f,%.1f\n", r, s, d * 1e6 / k / q, x / q, w / q }' \
        | tee -a "$OUT/db.csv"
    fi
  done
done
if [[ -n ${JDBC_URL:-} ]]; then # how PostgreSQL wrote each table's rows over the whole run: HOT updates need no index entry
  db_query "select string_agg(relname || ' updates=' || n_tup_upd || ' hot=' || n_tup_hot_upd || ' inserts=' || n_tup_ins
    || ' pages=' || pg_relation_size(relid) / 8192, E'\n' order by relname) from pg_stat_user_tables" > "$OUT/db-tables.txt"
fi
if (( PROFILE )); then
  for k in "${!PID[@]}"; do
    [[ $k == *#* ]] || continue # the database
    jcmd "${PID[$k]}" JFR.dump name=bench filename="$(realpath "$OUT")/${k/\#/-}.jfr" > /dev/null
  done
fi
java -cp "$JAR" dev.syncsession.benchmarks.HttpTable "$OUT/http.csv" "$OUT/heap.csv" "$BASELINE" | tee "$OUT/table.md"
