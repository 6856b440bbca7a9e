/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.benchmarks;

import java.util.Random;
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
 * The parts of {@link SessionMapBenchmark#scan} for SyncMap, on a table built like its read table at 65,536 keys
 * (262,144 slots, each entry an object of a key, a hash and a volatile value) but outside the map, so that the
 * entries' order in memory can be chosen: issue #23 asks for a scan at 2.00 of ConcurrentHashMap, and this says how
 * much of the scan is walking slots, how much reaching entries, and how much the entries' order in memory decides.
 *
 * <ul>
 *   <li>{@code slots}: the scan's loop, every slot, each entry's value loaded (what {@code forEach} does);</li>
 *   <li>{@code slotsOnly}: the same loop counting entries without dereferencing them;</li>
 *   <li>{@code dense}: the same entries from an array of entries alone, in slot order (an iteration array beside
 *       the table, the one way to skip the empty slots).</li>
 * </ul>
 * {@code order}: {@code slot} allocates the entries in slot order, so that they lie in memory in the order the scan
 * reaches them; {@code random} in an order unrelated to their slots, as a map's entries are, allocated as keys
 * arrive (after the full GC at the end of setup, which keeps allocation order).
 *
 * <pre>
 *   java -jar benchmarks/target/benchmarks.jar -f 1 -wi 3 -i 5 ScanLayoutBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ScanLayoutBenchmark {

    static final int ENTRIES = 65_536;
    static final int SLOTS = 262_144;

    /** An entry as SyncMap's: a key, its hash and a volatile value. */
    static final class Entry {
        final Object key;
        final int hash;
        volatile Object value;

        Entry(Object key, int hash, Object value) {
            this.key = key;
            this.hash = hash;
            this.value = value;
        }
    }

    @Param({"random", "slot"})
    public String order;

    Entry[] table;

    Entry[] dense;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        int[] used = new int[ENTRIES];
        boolean[] taken = new boolean[SLOTS];
        for (int i = 0; i < ENTRIES; i++) {
            int s;
            do {
                s = random.nextInt(SLOTS);
            } while (taken[s]);
            taken[s] = true;
            used[i] = s;
        }
        if (order.equals("slot")) {
            java.util.Arrays.sort(used);
        } else if (!order.equals("random")) {
            throw new IllegalArgumentException("order is " + order + "; it must be random or slot");
        }
        table = new Entry[SLOTS];
        SessionIds ids = new SessionIds(42);
        for (int s : used) {
            String key = ids.next();
            table[s] = new Entry(key, key.hashCode(), new Object());
        }
        dense = new Entry[ENTRIES];
        int n = 0;
        for (Entry e : table) {
            if (e != null) {
                dense[n++] = e;
            }
        }
        System.gc();
    }

    @Benchmark
    public long slots() {
        long visited = 0;
        for (Entry e : table) {
            if (e != null && e.value != null) {
                visited++;
            }
        }
        return visited;
    }

    @Benchmark
    public long slotsOnly() {
        long visited = 0;
        for (Entry e : table) {
            if (e != null) {
                visited++;
            }
        }
        return visited;
    }

    @Benchmark
    public long dense() {
        long visited = 0;
        for (Entry e : dense) {
            if (e.value != null) {
                visited++;
            }
        }
        return visited;
    }
}
