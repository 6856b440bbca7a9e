#!/usr/bin/env bash
# The HTTP benchmark behind BENCHMARKS.md's HTTP table: every session configuration, one after another, in one JVM.
#
#   benchmarks/run-http.sh            full: 10 s warmup + 20 s measured per configuration, one warm-up round
#                                     and three measured rounds (median reported): about 15 minutes
#   SMOKE=1 benchmarks/run-http.sh    reduced: 3 s + 5 s per configuration
#
# Loopback only (127.0.0.1). The embedded PostgreSQL behind the jetty-jdbc configuration refuses to run as root,
# so as root the tool runs as the unprivileged user $BENCH_USER (default nobody).
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=$PWD/benchmarks/target/benchmarks.jar
OUT=${OUT:-benchmarks/results}
LOCK=${LOCK:-/tmp/syncsession-mvn.lock}
mkdir -p "$OUT"
if [[ "${SMOKE:-0}" == 1 ]]; then
  TIMES=(--warmup-seconds 3 --seconds 5 --rounds 2)
else
  TIMES=(--warmup-seconds 10 --seconds 20 --rounds 4 --measured-rounds 3)
fi
TMP_OUT=$(mktemp -d /tmp/syncsession-http.XXXXXX)
chmod 777 "$TMP_OUT"
CMD=(java -Xms2g -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$JAR"
     dev.syncsession.benchmarks.HttpBench "${TIMES[@]}" --clients 1000 --concurrency 32
     --configs "${CONFIGS:-jetty-default,syncsession-default-cache,syncsession-null-cache,syncsession-syncmap-cache,syncsession-caffeine,jetty-file,jetty-jdbc}"
     --out "$TMP_OUT/http.csv")
if [[ $(id -u) == 0 ]]; then
  CMD=(runuser -u "${BENCH_USER:-nobody}" -- env HOME="$TMP_OUT" "${CMD[@]}")
fi
echo "+ ${CMD[*]}" | tee -a "$OUT/commands.txt"
(cd "$TMP_OUT" && flock "$LOCK" "${CMD[@]}") | tee "$OUT/http.txt"
cp "$TMP_OUT/http.csv" "$OUT/http.csv"
rm -rf "$TMP_OUT"
