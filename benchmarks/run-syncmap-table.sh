#!/usr/bin/env bash
# The SyncMap-versus-ConcurrentHashMap table of BENCHMARKS.md ("SyncMap, second generation"): the session workloads
# (hits, touch, churn, create, scan) at 1 and 2 threads, in ROUNDS rounds; each round runs each peer in its own JMH
# fork, and every other round runs them in the opposite order. Then the Go suite at 1 thread, one fork per peer, and
# the memory and create-latency tools.
# Ratios are taken per round (the two forks of one round ran side by side), and the table gives their median and range.
#
#   mvn -B -q -pl benchmarks -am package -DskipTests -DskipITs
#   benchmarks/run-syncmap-table.sh                  # about 15 minutes on 2 cores
#   ROUNDS=2 GO=0 TOOLS=0 benchmarks/run-syncmap-table.sh    # a quicker look: session workloads only
#
# Results: $OUT (default benchmarks/results/syncmap): one JMH CSV per fork, commands.txt, and table.md, made by
#   java -cp benchmarks/target/benchmarks.jar dev.syncsession.benchmarks.RatioTable benchmarks/results/syncmap
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=benchmarks/target/benchmarks.jar
OUT=${OUT:-benchmarks/results/syncmap}
ROUNDS=${ROUNDS:-4}
LOCK=${LOCK:-/tmp/syncsession-mvn.lock}
mkdir -p "$OUT"
rm -f "$OUT"/*.csv "$OUT/commands.txt"
git rev-parse --short HEAD > "$OUT/commit.txt" 2>/dev/null || true
run() { echo "+ $*" >> "$OUT/commands.txt"; flock "$LOCK" "$@" > /dev/null; }
JVM=(-jvmArgsAppend "-Xms4g -Xmx4g")
for threads in 1 2; do
  for round in $(seq 1 "$ROUNDS"); do
    if (( round % 2 )); then order=(SyncMap ConcurrentHashMap); else order=(ConcurrentHashMap SyncMap); fi
    for peer in "${order[@]}"; do
      run java -jar "$JAR" -f 1 -wi 2 -i 3 -w 1s -r 1s -t "$threads" -p peer="$peer" "${JVM[@]}" \
          -rf csv -rff "$OUT/session-t$threads-r$round-$peer.csv" dev.syncsession.benchmarks.SessionMapBenchmark
    done
  done
done
if [[ "${GO:-1}" == 1 ]]; then
  for peer in SyncMap ConcurrentHashMap; do
    run java -jar "$JAR" -f 1 -wi 2 -i 3 -w 500ms -r 1s -t 1 -p peer="$peer" "${JVM[@]}" \
        -rf csv -rff "$OUT/go-t1-r1-$peer.csv" dev.syncsession.benchmarks.GoMapBenchmark
  done
fi
if [[ "${TOOLS:-1}" == 1 ]]; then
  # The two limits the issue sets beside the ratios: index memory per live session (steady, and right after a dirty
  # rebuild) and create latency with 1,000,000 live sessions (AlwaysPreTouch: see run-jmh.sh).
  rm -f "$OUT/memory.csv" "$OUT/create-latency.csv"
  flock "$LOCK" java -Xms4g -Xmx4g -XX:+UseSerialGC -cp "$JAR" dev.syncsession.benchmarks.MemoryFootprint \
      --sessions 1000000 --peers SyncMap,ConcurrentHashMap --out "$OUT/memory.csv" | tee "$OUT/memory.txt"
  flock "$LOCK" java -Xms4g -Xmx4g -XX:+AlwaysPreTouch -cp "$JAR" dev.syncsession.benchmarks.CreateLatency \
      --live 1000000 --warmup-seconds 10 --seconds 30 --peers SyncMap,ConcurrentHashMap \
      --out "$OUT/create-latency.csv" | tee "$OUT/create-latency.txt"
fi
java -cp "$JAR" dev.syncsession.benchmarks.RatioTable "$OUT" | tee "$OUT/table.md"
