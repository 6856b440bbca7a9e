#!/bin/bash
# quick A/B: base SyncMap vs new (maxLoad 0.5, 0.25) vs CHM, hits and create and churn, 1 thread
cd /tmp/ab
for round in 1 2 3 4; do
  for cfg in base new05 new025 chm; do
    case $cfg in
      base) jar=/tmp/base/benchmarks/target/benchmarks.jar; peer=SyncMap; extra="";;
      new05) jar=/tmp/new/benchmarks/target/benchmarks.jar; peer=SyncMap; extra="-Dsyncmap.maxLoad=0.5";;
      new025) jar=/tmp/new/benchmarks/target/benchmarks.jar; peer=SyncMap; extra="-Dsyncmap.maxLoad=0.25";;
      chm) jar=/tmp/base/benchmarks/target/benchmarks.jar; peer=ConcurrentHashMap; extra="";;
    esac
    flock /tmp/syncsession-mvn.lock java -jar $jar -f 1 -wi 2 -i 3 -w 1s -r 1s -t 1 -p peer=$peer -jvmArgsAppend "-Xms4g -Xmx4g $extra" \
      -rf csv -rff s-$cfg-r$round.csv 'SessionMapBenchmark.(hits|create|churn)$' > /dev/null 2>&1
    flock /tmp/syncsession-mvn.lock java -jar $jar -f 1 -wi 2 -i 3 -w 500ms -r 1s -t 1 -p peer=$peer -jvmArgsAppend "-Xms4g -Xmx4g $extra" \
      -rf csv -rff g-$cfg-r$round.csv 'GoMapBenchmark.(loadMostlyHits|loadOrStoreUnique)$' > /dev/null 2>&1
  done
done
echo done > /tmp/ab/DONE
