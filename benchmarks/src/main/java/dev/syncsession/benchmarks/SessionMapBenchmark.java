/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.benchmarks;

import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Session-index workloads: 26-character String ids mapped to session values, {@value #LIVE} live ids.
 * <ul>
 *   <li>{@code hits}: reads only; 1023 of every 1024 ids read are live, the other was never stored.</li>
 *   <li>{@code churn}: per operation, on a random live id: 98% read it, 1% update its value, 1% replace it by a new
 *       id (store the new id, remove the old: Jetty's id renewal). Reads of a just-replaced slot see the new id, so
 *       SyncMap takes its miss path until the next promotion, as a real server would.</li>
 *   <li>{@code touch}: what every request does to its session: read a random live id, then replace its value by a
 *       compare-and-set on the value read ({@code replace(id, old, new)}).</li>
 *   <li>{@code create}: per operation, {@code putIfAbsent} a fresh id and remove the oldest id this thread owns: the
 *       live count stays at {@value #LIVE}.</li>
 *   <li>{@code scan}: one full {@code forEach} over the {@value #LIVE} sessions, as a sweeper walks them (scores in
 *       scans per second).</li>
 * </ul>
 * One JMH operation is one of those; the fresh-id cost (a String of 26 bytes) is included for every peer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SessionMapBenchmark {

    static final int LIVE = 1 << 16;
    private static final int MASK = LIVE - 1;

    @Param({"SyncMap", "ConcurrentHashMap", "Caffeine", "RWLockedMap", "StripedMap"})
    public Peer peer;

    ConcurrentMap<String, Object> map;

    /** The live ids, one per slot; churn replaces a slot's id with a CAS so two threads never both retire it. */
    AtomicReferenceArray<String> live;

    /** What {@code hits} reads: live ids, with every 1024th replaced by an id that was never stored. */
    String[] probes;

    int threads;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        map = peer.create();
        threads = params.getThreads();
        SessionIds ids = new SessionIds(42);
        live = new AtomicReferenceArray<>(LIVE);
        probes = new String[LIVE];
        for (int i = 0; i < LIVE; i++) {
            String id = ids.next();
            live.set(i, id);
            map.put(id, new Object());
            probes[i] = (i & 1023) == 1023 ? ids.next() : id;
        }
        // Bring every peer to its steady state before measuring: for SyncMap, a promoted read table (a range
        // promotes; reads alone may not, as a large SyncMap promotes part of a write-only fill along the way and the
        // rest only after as many misses as the dirty table holds keys).
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < LIVE; i++) {
                map.get(live.get(i));
            }
        }
        Peer.range(map, (k, v) -> true);
        // A full GC before measuring: a long-lived index has been copied by the collector many times, which lays its
        // entries out in the order the collector reaches them from the table. Without it, whether a young GC
        // happened during the fill decides the layout, and SyncMap's hits and scan come out bimodal between forks
        // (hits 0.66-0.95 of CHM in one run, scan 0.80-2.2).
        System.gc();
    }

    /** One thread's random source, id source and position. */
    @State(Scope.Thread)
    public static class ThreadState {
        long seed;
        int position;
        int threadIndex;
        SessionIds ids;

        @Setup(Level.Trial)
        public void setUp(ThreadParams params) {
            threadIndex = params.getThreadIndex();
            seed = 0x9E3779B97F4A7C15L * (threadIndex + 1);
            position = threadIndex * (LIVE / Math.max(1, params.getThreadCount()));
            ids = new SessionIds(1000 + threadIndex);
        }

        /** xorshift64: cheap and allocation-free. */
        int nextInt() {
            long x = seed;
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            seed = x;
            return (int) (x >>> 32);
        }
    }

    @Benchmark
    public Object hits(ThreadState t) {
        return map.get(probes[t.position++ & MASK]);
    }

    @Benchmark
    public Object churn(ThreadState t) {
        int r = t.nextInt();
        int slot = r & MASK;
        int dice = (r >>> 16) % 100;
        String id = live.get(slot);
        if (dice < 98) {
            return map.get(id);
        }
        if (dice == 98) {
            return map.put(id, new Object());
        }
        String renewed = t.ids.next();
        map.put(renewed, new Object());
        if (live.compareAndSet(slot, id, renewed)) {
            return map.remove(id);
        }
        // Another thread renewed this slot first: undo, so the live count stays exact.
        return map.remove(renewed);
    }

    /** The two values touch alternates between, so that it allocates nothing and every replace changes the value. */
    private static final Object TOUCHED = new Object();
    private static final Object TOUCHED_AGAIN = new Object();

    @Benchmark
    public boolean touch(ThreadState t) {
        String id = live.get(t.nextInt() & MASK);
        Object old = map.get(id);
        return map.replace(id, old, old == TOUCHED ? TOUCHED_AGAIN : TOUCHED);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long scan() {
        long[] visited = {0};
        map.forEach((k, v) -> visited[0]++);
        return visited[0];
    }

    @Benchmark
    public Object create(ThreadState t) {
        // Thread k owns the slots k, k + threads, k + 2 * threads, ...: no two threads retire the same id.
        int slot = (t.threadIndex + threads * t.position++) & MASK;
        String oldest = live.get(slot);
        String fresh = t.ids.next();
        map.putIfAbsent(fresh, new Object());
        live.set(slot, fresh);
        return map.remove(oldest);
    }
}
