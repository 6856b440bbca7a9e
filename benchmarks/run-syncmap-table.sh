#!/usr/bin/env bash
# The SyncMap-versus-ConcurrentHashMap table of BENCHMARKS.md ("SyncMap, third generation"): every workload of
# SessionMapBenchmark (hits, wide, churn, create, touch, hotTouch, scan; the whole class runs, so a new workload
# gets its row) at 65,536 keys, 1 and 2 threads, in ROUNDS rounds (default 10: issue #23 asks for at least 10
# alternating rounds); each round runs each peer in its own JMH run, and every other round runs them in the opposite
# order. Then the Go suite at 1 thread, GO_ROUNDS rounds (default 3) of one fork per peer, alternating in the same
# way, and the memory and create-latency tools. SWEEP=1 adds the key-count sweep: hits and wide at 8,192 / 65,536 /
# 262,144 / 1,048,576 keys, 1 thread, ROUNDS rounds, the peers alternating in the same way within each key count.
# Ratios are taken per round (the two forks of one round ran side by side), and the table gives their median and range.
#
# Time on 2 cores: a JMH fork is -wi 2 -i 3 at 1 s per workload, 5 s, plus about 2-3 s of JVM start and setup. The
# session part is 7 workloads x 2 peers x 2 thread counts x ROUNDS forks (280 at ROUNDS=10: about 35 minutes); the Go
# suite is one fork per peer per round of 25 benchmarks at 4 s each (about 10 minutes for 3 rounds); the tools about
# 3 minutes. The sweep is 4 key counts x 2 workloads x 2 peers x ROUNDS forks (160 at ROUNDS=10), whose setup grows
# with the keys (about 11 s at 1,048,576): about 25 minutes.
#
#   mvn -B -q -pl benchmarks -am package -DskipTests -DskipITs
#   benchmarks/run-syncmap-table.sh                  # about 50 minutes
#   SWEEP=1 benchmarks/run-syncmap-table.sh          # about 75 minutes: the table and the sweep
#   ROUNDS=2 GO=0 TOOLS=0 benchmarks/run-syncmap-table.sh    # a quicker look, session workloads only: about 7 minutes
#   SWEEP=1 SESSION=0 GO=0 TOOLS=0 OUT=benchmarks/results/syncmap-sweep benchmarks/run-syncmap-table.sh  # sweep only
#
# Results: $OUT (default benchmarks/results/syncmap): one JMH CSV per fork, commands.txt, and table.md, made by
#   java -cp benchmarks/target/benchmarks.jar dev.syncsession.benchmarks.RatioTable benchmarks/results/syncmap
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=benchmarks/target/benchmarks.jar
OUT=${OUT:-benchmarks/results/syncmap}
ROUNDS=${ROUNDS:-10}
LOCK=${LOCK:-/tmp/syncsession-mvn.lock}
mkdir -p "$OUT"
rm -f "$OUT"/*.csv "$OUT/commands.txt"
git rev-parse --short HEAD > "$OUT/commit.txt" 2>/dev/null || true
run() { echo "+ $*" >> "$OUT/commands.txt"; flock "$LOCK" "$@" > /dev/null; }
JVM=(-jvmArgsAppend "-Xms4g -Xmx4g")
# The peers of a round, in the order they run: SyncMap first in odd rounds, ConcurrentHashMap first in even ones.
order() { if (( $1 % 2 )); then echo SyncMap ConcurrentHashMap; else echo ConcurrentHashMap SyncMap; fi; }
if [[ "${SESSION:-1}" == 1 ]]; then
  for threads in 1 2; do
    for round in $(seq 1 "$ROUNDS"); do
      for peer in $(order "$round"); do
        run java -jar "$JAR" -f 1 -wi 2 -i 3 -w 1s -r 1s -t "$threads" -p peer="$peer" "${JVM[@]}" \
            -rf csv -rff "$OUT/session-t$threads-r$round-$peer.csv" dev.syncsession.benchmarks.SessionMapBenchmark
      done
    done
  done
fi
if [[ "${SWEEP:-0}" == 1 ]]; then
  # sweep-t<threads>-k<keys>-r<round>-<peer>.csv: RatioTable's sweep table, apart from the session rows.
  for round in $(seq 1 "$ROUNDS"); do
    for keys in 8192 65536 262144 1048576; do
      for peer in $(order "$round"); do
        run java -jar "$JAR" -f 1 -wi 2 -i 3 -w 1s -r 1s -t 1 -p peer="$peer" -p keys="$keys" "${JVM[@]}" \
            -rf csv -rff "$OUT/sweep-t1-k$keys-r$round-$peer.csv" \
            'dev.syncsession.benchmarks.SessionMapBenchmark.(hits|wide)$'
      done
    done
  done
fi
if [[ "${GO:-1}" == 1 ]]; then
  # GO_ROUNDS rounds (default 3, as issue #23 asks), the peers alternating like the session rounds.
  for round in $(seq 1 "${GO_ROUNDS:-3}"); do
    for peer in $(order "$round"); do
      run java -jar "$JAR" -f 1 -wi 2 -i 3 -w 500ms -r 1s -t 1 -p peer="$peer" "${JVM[@]}" \
          -rf csv -rff "$OUT/go-t1-r$round-$peer.csv" dev.syncsession.benchmarks.GoMapBenchmark
    done
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
