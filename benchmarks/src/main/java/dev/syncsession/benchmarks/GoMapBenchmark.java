/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.benchmarks;

import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
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
 * Go's {@code src/sync/map_bench_test.go} (Go 1.23) ported to JMH, run against every {@link Peer}.
 *
 * <p>One JMH operation is one {@code pb.Next()} iteration of the Go benchmark's {@code perG} loop; each thread's
 * counter {@code i} starts at a disjoint offset, as Go's {@code id * b.N}. Keys and values are {@link Long}s; keys
 * below {@link #SMALL_KEYS} are boxed once, so lookups of them allocate nothing. Go's method names map as in
 * {@code SyncMap}'s Javadoc: Load = get, LoadOrStore = putIfAbsent, LoadAndDelete/Delete = remove(k),
 * Store/Swap = put, CompareAndSwap = replace(k, old, new), CompareAndDelete = remove(k, v), Clear = clear.
 *
 * <p>Bounded key growth: where Go stores a fresh key per operation (LoadOrStoreBalanced's misses,
 * LoadOrStoreUnique) each thread also removes the fresh key it stored {@link Cursor#WINDOW} fresh keys earlier, so at
 * most that many fresh keys per thread are live and long runs cannot exhaust the heap. This adds one remove per
 * fresh key to those two workloads. AdversarialAlloc is left as Go wrote it: it stores about sqrt(2n) keys in n
 * operations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GoMapBenchmark {

    static final int SMALL_KEYS = 2048;
    private static final Long[] SMALL = new Long[SMALL_KEYS];
    private static final Long ZERO;
    private static final Long ONE;
    private static final Long TWO;
    private static final Long FORTY_TWO;

    static {
        for (int i = 0; i < SMALL_KEYS; i++) {
            SMALL[i] = (long) i;
        }
        ZERO = SMALL[0];
        ONE = SMALL[1];
        TWO = SMALL[2];
        FORTY_TWO = SMALL[42];
    }

    @Param({"SyncMap", "ConcurrentHashMap", "Caffeine", "RWLockedMap", "StripedMap"})
    public Peer peer;

    ConcurrentMap<Long, Long> map;

    static Long key(long i) {
        return i >= 0 && i < SMALL_KEYS ? SMALL[(int) i] : Long.valueOf(i);
    }

    /** Go's per-benchmark {@code setup}: chosen by the benchmark method's name. */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        map = peer.create();
        String name = params.getBenchmark();
        switch (name.substring(name.lastIndexOf('.') + 1)) {
            case "loadMostlyHits", "swapMostlyHits", "compareAndSwapMostlyHits", "compareAndDeleteMostlyHits" ->
                    fillAndPrime(1023);
            case "loadMostlyMisses", "swapMostlyMisses", "compareAndSwapMostlyMisses",
                    "compareAndDeleteMostlyMisses" -> fillAndPrime(1);
            case "loadOrStoreBalanced", "loadAndDeleteBalanced" -> fillAndPrime(128);
            case "range", "adversarialDelete" -> {
                for (int i = 0; i < 1024; i++) {
                    map.put(key(i), key(i));
                }
            }
            case "loadOrStoreCollision", "loadAndDeleteCollision", "deleteCollision", "swapCollision",
                    "compareAndSwapCollision", "compareAndDeleteCollision" -> map.putIfAbsent(ZERO, ZERO);
            case "compareAndSwapValueNotEqual" -> map.put(ZERO, ZERO);
            default -> {
                // loadOrStoreUnique, loadAndDeleteUnique, adversarialAlloc, compareAndSwapNoExistingKey, clear:
                // Go starts these from an empty map.
            }
        }
    }

    /** Stores keys 0..hits-1 with LoadOrStore, then loads them twice over: "prime the map to a steady state". */
    private void fillAndPrime(int hits) {
        for (int i = 0; i < hits; i++) {
            map.putIfAbsent(key(i), key(i));
        }
        for (int i = 0; i < hits * 2; i++) {
            map.get(key(i % hits));
        }
    }

    /** One thread's loop state: Go's {@code i} and the per-goroutine locals some benchmarks keep. */
    @State(Scope.Thread)
    public static class Cursor {
        /** Fresh keys each thread keeps live at most (see the class comment). */
        static final int WINDOW = 1 << 16;

        long i;
        long stores;
        long loadsSinceStore;
        private final Long[] freshRing = new Long[WINDOW];
        private int freshNext;

        @Setup(Level.Trial)
        public void setUp(ThreadParams threads) {
            i = (long) threads.getThreadIndex() << 40;
        }

        /** Boxes a fresh key and retires the one stored WINDOW fresh keys ago by this thread. */
        Long fresh(ConcurrentMap<Long, Long> map, long k) {
            Long key = key(k);
            Long retired = freshRing[freshNext];
            if (retired != null) {
                map.remove(retired);
            }
            freshRing[freshNext] = key;
            freshNext = (freshNext + 1) & (WINDOW - 1);
            return key;
        }
    }

    @Benchmark
    public Long loadMostlyHits(Cursor c) {
        return map.get(key(c.i++ % 1024));
    }

    @Benchmark
    public Long loadMostlyMisses(Cursor c) {
        return map.get(key(c.i++ % 1024));
    }

    @Benchmark
    public Long loadOrStoreBalanced(Cursor c) {
        long i = c.i++;
        long j = i % 256;
        if (j < 128) {
            return map.putIfAbsent(key(j), key(i));
        }
        Long k = c.fresh(map, i);
        return map.putIfAbsent(k, k);
    }

    @Benchmark
    public Long loadOrStoreUnique(Cursor c) {
        Long k = c.fresh(map, c.i++);
        return map.putIfAbsent(k, k);
    }

    @Benchmark
    public Long loadOrStoreCollision() {
        return map.putIfAbsent(ZERO, ZERO);
    }

    @Benchmark
    public Long loadAndDeleteBalanced(Cursor c) {
        long i = c.i++;
        long j = i % 256;
        return map.remove(j < 128 ? key(j) : key(i));
    }

    @Benchmark
    public Long loadAndDeleteUnique(Cursor c) {
        return map.remove(key(c.i++));
    }

    @Benchmark
    public Long loadAndDeleteCollision() {
        Long v = map.remove(ZERO);
        if (v != null) {
            map.put(ZERO, ZERO);
        }
        return v;
    }

    @Benchmark
    public boolean range() {
        return Peer.range(map, (k, v) -> true);
    }

    @Benchmark
    public Long adversarialAlloc(Cursor c) {
        long i = c.i++;
        Long v = map.get(key(i));
        if (++c.loadsSinceStore > c.stores) {
            map.putIfAbsent(key(i), key(c.stores));
            c.loadsSinceStore = 0;
            c.stores++;
        }
        return v;
    }

    @Benchmark
    public Long adversarialDelete(Cursor c) {
        long i = c.i++;
        Long v = map.get(key(i));
        if (i % 1024 == 0) {
            Peer.range(map, (k, ignored) -> {
                map.remove(k);
                return false;
            });
            map.put(key(i), key(i));
        }
        return v;
    }

    @Benchmark
    public Long deleteCollision() {
        return map.remove(ZERO);
    }

    @Benchmark
    public Long swapCollision() {
        return map.put(ZERO, ZERO);
    }

    @Benchmark
    public Long swapMostlyHits(Cursor c) {
        return swap(c, 1023, 1);
    }

    @Benchmark
    public Long swapMostlyMisses(Cursor c) {
        return swap(c, 1, 1023);
    }

    private Long swap(Cursor c, int hits, int misses) {
        long i = c.i++;
        if (i % (hits + misses) < hits) {
            Long v = key(i % (hits + misses));
            return map.put(v, v);
        }
        Long k = key(i);
        Long previous = map.put(k, k);
        map.remove(k);
        return previous;
    }

    @Benchmark
    public boolean compareAndSwapCollision() {
        if (map.replace(ZERO, ZERO, FORTY_TWO)) {
            return map.replace(ZERO, FORTY_TWO, ZERO);
        }
        return false;
    }

    @Benchmark
    public boolean compareAndSwapNoExistingKey(Cursor c) {
        Long k = key(c.i++);
        if (map.replace(k, ZERO, ZERO)) {
            map.remove(k);
            return true;
        }
        return false;
    }

    @Benchmark
    public boolean compareAndSwapValueNotEqual() {
        return map.replace(ZERO, ONE, TWO);
    }

    @Benchmark
    public boolean compareAndSwapMostlyHits(Cursor c) {
        Long v = mostly(c, 1023, 1);
        return map.replace(v, v, v);
    }

    @Benchmark
    public boolean compareAndSwapMostlyMisses(Cursor c) {
        Long v = mostly(c, 1, 1023);
        return map.replace(v, v, v);
    }

    @Benchmark
    public boolean compareAndDeleteCollision() {
        if (map.remove(ZERO, ZERO)) {
            map.put(ZERO, ZERO);
            return true;
        }
        return false;
    }

    @Benchmark
    public boolean compareAndDeleteMostlyHits(Cursor c) {
        return compareAndDelete(mostly(c, 1023, 1));
    }

    @Benchmark
    public boolean compareAndDeleteMostlyMisses(Cursor c) {
        return compareAndDelete(mostly(c, 1, 1023));
    }

    private boolean compareAndDelete(Long v) {
        if (map.remove(v, v)) {
            map.put(v, v);
            return true;
        }
        return false;
    }

    /** Go's {@code v := i; if i%(hits+misses) < hits { v = i % (hits + misses) }}. */
    private static Long mostly(Cursor c, int hits, int misses) {
        long i = c.i++;
        long r = i % (hits + misses);
        return r < hits ? key(r) : key(i);
    }

    @Benchmark
    public void clear(Cursor c) {
        Long k = key(c.i++ % 256);
        map.clear();
        map.put(k, k);
    }
}
