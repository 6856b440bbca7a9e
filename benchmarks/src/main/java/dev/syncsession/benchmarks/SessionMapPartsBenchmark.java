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
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the time of two {@link SessionMapBenchmark} workloads goes, for issue #23's goals of 2.00 against
 * ConcurrentHashMap on {@code hotTouch} and {@code scan}: each workload beside its parts, in nanoseconds per
 * operation, so that the part a map could still save is bounded by measurement.
 *
 * <ul>
 *   <li>{@code hotPick}: choosing one of the 1,024 hot ids, as hotTouch does, and nothing else;</li>
 *   <li>{@code hotGet}: that, and a {@code get} (hotTouch's first half);</li>
 *   <li>{@code hotTouch}: SessionMapBenchmark's, a {@code get} and then {@code replace(id, old, new)}.</li>
 * </ul>
 * hotTouch less hotGet is the {@code replace}; hotGet less hotPick the {@code get}. The scan's parts, which need a
 * table laid out as SyncMap's, are {@link ScanLayoutBenchmark}'s.
 *
 * <pre>
 *   java -jar benchmarks/target/benchmarks.jar -f 1 -wi 3 -i 5 SessionMapPartsBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SessionMapPartsBenchmark {

    static final int KEYS = 65_536;

    @Param({"SyncMap", "ConcurrentHashMap"})
    public Peer peer;

    ConcurrentMap<String, Object> map;

    String[] hot;

    long seed = 0x9E3779B97F4A7C15L;

    private static final Object TOUCHED = new Object();
    private static final Object TOUCHED_AGAIN = new Object();

    @Setup
    public void setUp() {
        map = peer.create();
        SessionIds ids = new SessionIds(42);
        hot = new String[SessionMapBenchmark.HOT];
        for (int i = 0; i < KEYS; i++) {
            String id = ids.next();
            map.put(id, new Object());
            if (i < hot.length) {
                hot[i] = id;
            }
        }
        Peer.range(map, (k, v) -> true);
        System.gc();
    }

    private int nextInt() {
        long x = seed;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        seed = x;
        return (int) (x >>> 32);
    }

    @Benchmark
    public String hotPick() {
        return hot[nextInt() & (SessionMapBenchmark.HOT - 1)];
    }

    @Benchmark
    public Object hotGet() {
        return map.get(hot[nextInt() & (SessionMapBenchmark.HOT - 1)]);
    }

    @Benchmark
    public boolean hotTouch() {
        String id = hot[nextInt() & (SessionMapBenchmark.HOT - 1)];
        Object old = map.get(id);
        return map.replace(id, old, old == TOUCHED ? TOUCHED_AGAIN : TOUCHED);
    }
}
