#!/usr/bin/env bash
# The JMH command lines behind BENCHMARKS.md's map tables, and the create-latency, sweep and memory tools.
#
#   benchmarks/run-jmh.sh            full suite: about 45 minutes on 2 cores
#   SMOKE=1 benchmarks/run-jmh.sh    reduced smoke run: about 15 minutes (the preliminary numbers)
#   GO_SMOKE=1 benchmarks/run-jmh.sh full settings except the Go suite, which gets the smoke settings: about 30 min
#   PARTS=go benchmarks/run-jmh.sh   only some parts, comma-separated: go (the Go suite, 1 and 2 threads), session
#                                    (the session workloads and their -prof stack), tools (latency, sweep, memory)
#
# Build first:  mvn -B -q -pl benchmarks -am package -DskipTests -DskipITs
# Results go to $OUT (default benchmarks/results): JMH CSV and text, the tools' CSV and text, commands.txt. Then
#   java -cp benchmarks/target/benchmarks.jar dev.syncsession.benchmarks.Report benchmarks/results docs/benchmarks
# prints the Markdown tables and writes the SVG charts. Each command holds the Maven flock while it runs, so no
# build overlaps a measurement on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=benchmarks/target/benchmarks.jar
OUT=${OUT:-benchmarks/results}
LOCK=${LOCK:-/tmp/syncsession-mvn.lock}
mkdir -p "$OUT"
run() { echo "+ $*" | tee -a "$OUT/commands.txt"; flock "$LOCK" "$@"; }
PARTS=",${PARTS:-go,session,tools},"
part() { [[ "$PARTS" == *",$1,"* ]]; }

GO='dev.syncsession.benchmarks.GoMapBenchmark'
SESSION='dev.syncsession.benchmarks.SessionMapBenchmark'
if [[ "${SMOKE:-0}" == 1 || "${GO_SMOKE:-0}" == 1 ]]; then
  GO_T1=(-f 1 -wi 1 -i 2 -w 200ms -r 300ms)
  GO_T2=(-f 2 -wi 1 -i 2 -w 200ms -r 300ms)
fi
if [[ "${SMOKE:-0}" == 1 ]]; then
  GO_T1=(-f 1 -wi 1 -i 2 -w 200ms -r 300ms)
  GO_T2=(-f 2 -wi 1 -i 2 -w 200ms -r 300ms)
  SESSION_T1=(-f 2 -wi 1 -i 3 -w 300ms -r 500ms)
  SESSION_T2=(-f 3 -wi 1 -i 3 -w 300ms -r 500ms)
  LATENCY=(--live 1000000 --warmup-seconds 3 --seconds 10)
  SWEEP=(--records 1000000 --warmup-rounds 2 --rounds 5)
else
  # 2-thread scores on 2 cores are noisy (the JIT, GC and JMH's own threads share the cores): more forks there,
  # and the session workloads the targets are about get the most forks.
  if [[ "${GO_SMOKE:-0}" != 1 ]]; then
    GO_T1=(-f 1 -wi 2 -i 3 -w 500ms -r 1s)
    GO_T2=(-f 2 -wi 1 -i 2 -w 500ms -r 1s)
  fi
  SESSION_T1=(-f 3 -wi 2 -i 3 -w 1s -r 1s)
  SESSION_T2=(-f 5 -wi 1 -i 3 -w 1s -r 1s)
  LATENCY=(--live 1000000 --warmup-seconds 10 --seconds 60)
  SWEEP=(--records 1000000 --warmup-rounds 3 --rounds 11)
fi
JVM=(-jvmArgsAppend "-Xms4g -Xmx4g")
# Every benchmark x every peer (the @Param default), 1 and 2 threads, with -prof gc for B/op.
jmh() { # name, threads, options..., regexp
  local name=$1 threads=$2; shift 2
  run java -jar "$JAR" "$@" -t "$threads" -prof gc "${JVM[@]}" -rf csv -rff "$OUT/jmh-$name-t$threads.csv" \
      | tee "$OUT/jmh-$name-t$threads.txt"
}
if part go; then
  jmh go 1 "${GO_T1[@]}" "$GO"
  jmh go 2 "${GO_T2[@]}" "$GO"
fi
if part session; then
  jmh session 1 "${SESSION_T1[@]}" "$SESSION"
  jmh session 2 "${SESSION_T2[@]}" "$SESSION"
  # Where SyncMap spends its time in the session workloads (read for the hot paths; not in the tables).
  run java -jar "$JAR" -f 1 -wi 1 -i 2 -w 500ms -r 1s -t 1 -p peer=SyncMap -prof stack:lines=3 "$SESSION" \
      > "$OUT/jmh-stack.txt"
fi
part tools || exit 0

rm -f "$OUT/create-latency.csv" "$OUT/sweep.csv" "$OUT/memory.csv"
# AlwaysPreTouch: without it the first touch of each never-used heap page is a page fault, up to 140 ms per put
# that lands on fresh pages on this VM (a property of the VM, not of either map). The ZGC run shows the maximum
# without G1's stop-the-world young pauses.
run java -Xms4g -Xmx4g -XX:+AlwaysPreTouch -cp "$JAR" dev.syncsession.benchmarks.CreateLatency "${LATENCY[@]}" \
    --peers SyncMap,ConcurrentHashMap --out "$OUT/create-latency.csv" | tee "$OUT/create-latency.txt"
rm -f "$OUT/create-latency-zgc.csv"
run java -Xms4g -Xmx4g -XX:+AlwaysPreTouch -XX:+UseZGC -cp "$JAR" dev.syncsession.benchmarks.CreateLatency \
    "${LATENCY[@]}" --peers SyncMap,ConcurrentHashMap --out "$OUT/create-latency-zgc.csv" \
    | tee "$OUT/create-latency-zgc.txt"
run java -Xms4g -Xmx4g -cp "$JAR" dev.syncsession.benchmarks.SweepBench "${SWEEP[@]}" --readers 1 \
    --impls store,SyncMap,ConcurrentHashMap --out "$OUT/sweep.csv" | tee "$OUT/sweep.txt"
run java -Xms4g -Xmx4g -XX:+UseSerialGC -cp "$JAR" dev.syncsession.benchmarks.MemoryFootprint \
    --sessions 1000000 --peers SyncMap,ConcurrentHashMap --out "$OUT/memory.csv" | tee "$OUT/memory.txt"
