#!/usr/bin/env bash
# p99 while expired sessions are removed, out of process: one server JVM per setup (BenchServer) holding $LIVE
# sessions, $EXPIRING of which were made first with a max inactive interval of $TTL seconds, so that they expire
# together during the measurement and Jetty's housekeeper (every $SCAVENGE s) removes them, which for syncsession
# deletes their records from the store too. wrk replays the cookies of 1,000 other sessions in $WINDOWS windows of
# $WINDOW_SECONDS s; before and after each window the script reads the live sessions (/bench/sessions), so each
# window is known to overlap the removal or not. The summary compares the p99 of the windows that overlap it with the
# median p99 of those that do not, per setup.
#
#   benchmarks/run-http-expiry.sh                    syncsession-default and jetty-default, 1,000,000 live of which
#                                                    100,000 expire (about 15 minutes)
#   SETUPS=syncsession-default LIVE=200000 EXPIRING=20000 TTL=60 WINDOWS=20 benchmarks/run-http-expiry.sh
#   PROFILE=1 ...                                    each server also records JFR (settings=default, with
#                                                    -XX:+DebugNonSafepoints) over the windows, into
#                                                    $OUT/<setup>.jfr
#
# Output in $OUT (default benchmarks/results/http-expiry): windows.csv, summary.md, commands.txt, logs/.
# Loopback only. Keep other work (builds) off the machine while it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
SETUPS=${SETUPS:-syncsession-default,jetty-default}
LIVE=${LIVE:-1000000}
EXPIRING=${EXPIRING:-100000}
TTL=${TTL:-180}
SCAVENGE=${SCAVENGE:-10}
WINDOWS=${WINDOWS:-40}
WINDOW_SECONDS=${WINDOW_SECONDS:-5}
CONNECTIONS=${CONNECTIONS:-32}
HEAP=${HEAP:-4g}
OUT=${OUT:-benchmarks/results/http-expiry}
JAR=$PWD/benchmarks/target/benchmarks.jar
PROFILE=${PROFILE:-0}
PROFILE_OPTS=()
if (( PROFILE )); then PROFILE_OPTS=(-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints); fi
LUA=$PWD/benchmarks/wrk/sessions.lua

source benchmarks/http-common.sh
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/syncsession-expiry.XXXXXX)
PID=
cleanup() {
  [[ -n $PID ]] && kill "$PID" 2>/dev/null || true
  wait 2>/dev/null || true
  mkdir -p "$OUT/logs" && cp "$WORK"/*.log "$OUT/logs/" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "+ SETUPS=$SETUPS LIVE=$LIVE EXPIRING=$EXPIRING TTL=$TTL SCAVENGE=$SCAVENGE WINDOWS=$WINDOWS WINDOW_SECONDS=$WINDOW_SECONDS CONNECTIONS=$CONNECTIONS HEAP=$HEAP $0" | tee "$OUT/commands.txt"
echo "setup,window,seconds_since_expiry,rps,p50_us,p99_us,p999_us,cpu_us_per_request,live_before,live_after,errors,new_sessions" > "$OUT/windows.csv"
IFS=, read -r -a SETUP_LIST <<< "$SETUPS"
for s in "${SETUP_LIST[@]}"; do
  java -Xms$HEAP -Xmx$HEAP -XX:+UseG1GC "${PROFILE_OPTS[@]}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$JAR" \
    dev.syncsession.benchmarks.BenchServer --setup "$s" --scavenge-seconds "$SCAVENGE" > "$WORK/$s.log" 2>&1 &
  for _ in $(seq 1 300); do
    if grep -q '^LISTENING' "$WORK/$s.log"; then break; fi
    sleep 0.1
  done
  read -r _ PORT PID < <(grep '^LISTENING' "$WORK/$s.log")
  made=$(date +%s)
  java -Xmx1g -cp "$JAR" dev.syncsession.benchmarks.MakeSessions --url "http://127.0.0.1:$PORT/s?ttl=$TTL" \
    --count "$EXPIRING" --keep 0 --out "$WORK/expiring.txt" --concurrency 32
  expires=$((made + TTL))
  java -Xmx1g -cp "$JAR" dev.syncsession.benchmarks.MakeSessions --url "http://127.0.0.1:$PORT/s" \
    --count $((LIVE - EXPIRING - 1000)) --keep 0 --out "$WORK/lasting.txt" --concurrency 32
  java -Xmx512m -cp "$JAR" dev.syncsession.benchmarks.MakeSessions --url "http://127.0.0.1:$PORT/s" \
    --count 1000 --keep 1000 --out "$WORK/cookies.txt" --concurrency 32
  echo "$s: port/pid $PORT/$PID, $(http_get "$PORT" /bench/sessions) live sessions, $EXPIRING of them expire at $(date -d @"$expires" +%T); warming up"
  COOKIES="$WORK/cookies.txt" wrk -t1 -c"$CONNECTIONS" -d20s -s "$LUA" "http://127.0.0.1:$PORT" > /dev/null
  if (( $(date +%s) > expires - 3 * WINDOW_SECONDS )); then
    echo "the sessions expire before the measurement starts: raise TTL above $(( $(date +%s) - made + 3 * WINDOW_SECONDS ))" >&2
    exit 1
  fi
  if (( PROFILE )); then jcmd "$PID" JFR.start name=bench settings=default > /dev/null; fi
  for w in $(seq 1 "$WINDOWS"); do
    before=$(http_get "$PORT" /bench/sessions)
    c0=$(cpu_ticks "$PID")
    start=$(date +%s)
    line=$(COOKIES="$WORK/cookies.txt" wrk -t1 -c"$CONNECTIONS" -d"${WINDOW_SECONDS}s" --latency -s "$LUA" \
      "http://127.0.0.1:$PORT" | grep '^RESULT')
    c1=$(cpu_ticks "$PID")
    after=$(http_get "$PORT" /bench/sessions)
    eval "${line#RESULT }"
    rps=$(awk -v r="$requests" -v t="$seconds" 'BEGIN {printf "%.1f", r / t}')
    cpu=$(awk -v d="$((c1 - c0))" -v k="$TICKS" -v r="$requests" 'BEGIN {printf "%.2f", d * 1e6 / k / r}')
    echo "$s,$w,$((start - expires)),$rps,$p50_us,$p99_us,$p999_us,$cpu,$before,$after,$errors,$new_sessions" | tee -a "$OUT/windows.csv"
  done
  if (( PROFILE )); then jcmd "$PID" JFR.dump name=bench filename="$(realpath "$OUT")/$s.jfr" > /dev/null; fi
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
done
# Windows in which the live count fell (the removal ran in them) against the rest.
awk -F, 'NR > 1 {
    removing = ($9 - $10) > 1000
    key = $1 SUBSEP removing; n[key]++; v[key, n[key]] = $6; setups[$1] = 1
    if (removing) { removed[$1] += $9 - $10 }
  }
  function median(key,   i, j, t, m, sorted) {
    m = n[key]; for (i = 1; i <= m; i++) sorted[i] = v[key, i] + 0
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (sorted[j] < sorted[i]) { t = sorted[i]; sorted[i] = sorted[j]; sorted[j] = t }
    if (m == 0) return 0
    return m % 2 ? sorted[(m + 1) / 2] : (sorted[m / 2] + sorted[m / 2 + 1]) / 2
  }
  function spread(key,   i, lo, hi, x) {
    lo = -1; hi = -1
    for (i = 1; i <= n[key]; i++) { x = v[key, i] + 0; if (lo < 0 || x < lo) lo = x; if (hi < 0 || x > hi) hi = x }
    return lo "-" hi
  }
  END {
    print "| setup | windows removing / not | sessions removed in them | p99 µs while removing: median (range) | p99 µs otherwise: median (range) | ratio of medians |"
    print "|---|---|---|---|---|---|"
    for (s in setups) {
      during = median(s SUBSEP 1); others = median(s SUBSEP 0)
      printf "| %s | %d / %d | %d | %d (%s) | %d (%s) | %.2f |\n", s, n[s SUBSEP 1], n[s SUBSEP 0], removed[s], during, spread(s SUBSEP 1), others, spread(s SUBSEP 0), (others > 0 ? during / others : 0)
    }
  }' "$OUT/windows.csv" | tee "$OUT/summary.md"
