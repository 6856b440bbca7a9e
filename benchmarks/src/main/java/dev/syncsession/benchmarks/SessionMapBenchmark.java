/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.benchmarks;

import java.util.Arrays;
import java.util.Collections;
import java.util.Random;
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
 * Session-index workloads: 26-character String ids mapped to session values, {@link #keys} live ids (65,536 unless
 * {@code -p keys=...} says otherwise; a power of two).
 * <ul>
 *   <li>{@code hits}: reads only; 1023 of every 1024 ids read are live, the other was never stored. The ids are read
 *       in the order they were stored.</li>
 *   <li>{@code wide}: the reads of {@code hits}, in a fixed random order: consecutive reads land far apart in the
 *       table and in the heap, as requests for many sessions do, so at large key counts most reads miss the CPU
 *       caches.</li>
 *   <li>{@code churn}: per operation, on a random live id: 98% read it, 1% update its value, 1% replace it by a new
 *       id (store the new id, remove the old: Jetty's id renewal). Reads of a just-replaced slot see the new id, so
 *       SyncMap takes its miss path until the next promotion, as a real server would.</li>
 *   <li>{@code touch}: what every request does to its session: read a random live id, then replace its value by a
 *       compare-and-set on the value read ({@code replace(id, old, new)}).</li>
 *   <li>{@code hotTouch}: {@code touch} on {@value #HOT} of the live ids only (all of them if there are fewer): a few
 *       busy sessions, each touched by many requests.</li>
 *   <li>{@code create}: per operation, {@code putIfAbsent} a fresh id and remove the oldest id this thread owns: the
 *       live count stays at {@link #keys}.</li>
 *   <li>{@code scan}: one full {@code forEach} over the {@link #keys} sessions, as a sweeper walks them (scores in
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

    /** How many live ids {@code hotTouch} touches. */
    static final int HOT = 1024;

    @Param({"SyncMap", "ConcurrentHashMap", "Caffeine", "RWLockedMap", "StripedMap"})
    public Peer peer;

    /**
     * How many ids are live; a power of two, so that a slot is {@code index & mask}. Below 1024, {@code hits} and
     * {@code wide} read no id that was never stored.
     */
    @Param({"65536"})
    public int keys;

    /** {@code keys - 1}: turns any int into a slot of {@link #live}. */
    int mask;

    /** {@code min(HOT, keys) - 1}: turns any int into one of the slots {@code hotTouch} touches. */
    int hotMask;

    ConcurrentMap<String, Object> map;

    /** The live ids, one per slot; churn replaces a slot's id with a CAS so two threads never both retire it. */
    AtomicReferenceArray<String> live;

    /** What {@code hits} reads: live ids, with every 1024th replaced by an id that was never stored. */
    String[] probes;

    /** What {@code wide} reads: {@link #probes} shuffled, with a fixed seed so every fork reads the same order. */
    String[] shuffledProbes;

    int threads;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        if (keys <= 0 || Integer.bitCount(keys) != 1) {
            throw new IllegalArgumentException("keys is " + keys + "; it must be a power of two (8192, 65536, "
                    + "262144, 1048576, ...), as slots are taken with a mask");
        }
        mask = keys - 1;
        hotMask = Math.min(HOT, keys) - 1;
        map = peer.create();
        threads = params.getThreads();
        SessionIds ids = new SessionIds(42);
        live = new AtomicReferenceArray<>(keys);
        probes = new String[keys];
        for (int i = 0; i < keys; i++) {
            String id = ids.next();
            live.set(i, id);
            map.put(id, new Object());
            probes[i] = (i & 1023) == 1023 ? ids.next() : id;
        }
        shuffledProbes = probes.clone();
        Collections.shuffle(Arrays.asList(shuffledProbes), new Random(7));
        // Bring every peer to its steady state before measuring: for SyncMap, a promoted read table (a range
        // promotes; reads alone may not, as a large SyncMap promotes part of a write-only fill along the way and the
        // rest only after as many misses as the dirty table holds keys).
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < keys; i++) {
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

        /** Takes the benchmark state for its {@code keys}: JMH sets that state up first. */
        @Setup(Level.Trial)
        public void setUp(ThreadParams params, SessionMapBenchmark benchmark) {
            threadIndex = params.getThreadIndex();
            seed = 0x9E3779B97F4A7C15L * (threadIndex + 1);
            position = threadIndex * (benchmark.keys / Math.max(1, params.getThreadCount()));
            ids = new SessionIds(1000 + threadIndex);
        }

        /** xorshift64: cheap and allocation-free. */
        long nextLong() {
            long x = seed;
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            seed = x;
            return x;
        }

        /** The upper half of {@link #nextLong()}. */
        int nextInt() {
            return (int) (nextLong() >>> 32);
        }
    }

    @Benchmark
    public Object hits(ThreadState t) {
        return map.get(probes[t.position++ & mask]);
    }

    @Benchmark
    public Object wide(ThreadState t) {
        return map.get(shuffledProbes[t.position++ & mask]);
    }

    @Benchmark
    public Object churn(ThreadState t) {
        // The slot from the upper half of r, the dice from bits 16-31: they share no bit at any key count. Taking both
        // from one int would tie the dice to the slot above 65,536 keys: at 1,048,576, a slot's dice would be fixed
        // mod 4, so only a quarter of the slots would ever be updated and another quarter ever renewed.
        long r = t.nextLong();
        int slot = (int) (r >>> 32) & mask;
        int dice = (int) ((r >>> 16) & 0xFFFF) % 100;
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
        return touchOne(live.get(t.nextInt() & mask));
    }

    @Benchmark
    public boolean hotTouch(ThreadState t) {
        return touchOne(live.get(t.nextInt() & hotMask));
    }

    private boolean touchOne(String id) {
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
        int slot = (t.threadIndex + threads * t.position++) & mask;
        String oldest = live.get(slot);
        String fresh = t.ids.next();
        map.putIfAbsent(fresh, new Object());
        live.set(slot, fresh);
        return map.remove(oldest);
    }
}
