/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.benchmarks;

import dev.syncsession.map.SyncMap;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentMap;
import org.HdrHistogram.Histogram;

/**
 * The latency of one session creation (a {@code put} of a fresh 26-character id) with {@code --live} sessions in the
 * index, SyncMap against ConcurrentHashMap in one run.
 *
 * <p>Each step creates a fresh id (timed), removes the oldest one (so the live count stays steady) and reads
 * {@code --reads-per-create} of the {@code --recent} newest ids. Those reads miss SyncMap's read table, so misses
 * accumulate and the dirty table is promoted; the next create then pays the O(n) read-to-dirty copy, which is
 * exactly the stall this tool is here to show. The SyncMap counters printed at the end prove promotions happened.
 *
 * <p>A stop-the-world collection that happens to fall inside a timed {@code put} dominates the maximum (on this
 * workload G1's young pauses take hundreds of milliseconds for either map), so each sample also records whether
 * the JVM's collection count moved across it; {@code gc_samples} counts those and {@code max_no_gc_us} is the
 * maximum of the others: the map's own worst case.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.syncsession.benchmarks.CreateLatency [--peers SyncMap,ConcurrentHashMap]
 * [--live 1000000] [--warmup-seconds 5] [--seconds 20] [--reads-per-create 2] [--recent 1024] [--out file.csv]}
 */
public final class CreateLatency {

    private CreateLatency() {
    }

    public static void main(String[] argv) {
        Args args = new Args(argv);
        int live = (int) args.number("live", 1_000_000);
        long warmupNanos = args.number("warmup-seconds", 5) * 1_000_000_000L;
        long measureNanos = args.number("seconds", 20) * 1_000_000_000L;
        int readsPerCreate = (int) args.number("reads-per-create", 2);
        int recent = (int) args.number("recent", 1024);
        System.out.printf(Locale.ROOT, "create latency: %,d live, %d reads of the %d newest ids per create,"
                + " %d s warmup + %d s measured%n", live, readsPerCreate, recent, warmupNanos / 1_000_000_000L,
                measureNanos / 1_000_000_000L);
        System.out.println("peer               creates     p50_us   p99_us  p99.9_us    max_us  promotions"
                + "  rebuilds  copied  gc_samples  max_no_gc_us");
        for (Peer peer : Peer.parse(args.string("peers", "SyncMap,ConcurrentHashMap"))) {
            System.gc();
            Result r = run(peer, live, warmupNanos, measureNanos, readsPerCreate, recent);
            Histogram h = r.histogram;
            System.out.printf(Locale.ROOT, "%-17s %,9d %9.2f %9.2f %9.2f %9.1f %11s %9s %7s %11d %13.1f%n", peer,
                    h.getTotalCount(), us(h.getValueAtPercentile(50)), us(h.getValueAtPercentile(99)),
                    us(h.getValueAtPercentile(99.9)), us(h.getMaxValue()), r.promotions, r.rebuilds, r.copied,
                    r.gcSamples, us(r.maxWithoutGc));
            args.record(String.format(Locale.ROOT, "create-latency,%s,%d,%d,%.3f,%.3f,%.3f,%.3f,%s,%s,%s,%d,%.3f", peer,
                    live, h.getTotalCount(), us(h.getValueAtPercentile(50)), us(h.getValueAtPercentile(99)),
                    us(h.getValueAtPercentile(99.9)), us(h.getMaxValue()), r.promotions, r.rebuilds, r.copied,
                    r.gcSamples, us(r.maxWithoutGc)));
        }
    }

    private record Result(Histogram histogram, String promotions, String rebuilds, String copied, long gcSamples,
            long maxWithoutGc) {
    }

    private static final List<GarbageCollectorMXBean> COLLECTORS = ManagementFactory.getGarbageCollectorMXBeans();

    /** Collections so far, over every collector the JVM reports (for G1: young and mixed pauses, and full GCs). */
    private static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : COLLECTORS) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static double us(long nanos) {
        return nanos / 1000.0;
    }

    private static Result run(Peer peer, int live, long warmupNanos, long measureNanos, int readsPerCreate,
            int recent) {
        ConcurrentMap<String, Object> map = peer.create();
        SessionIds ids = new SessionIds(7);
        SplittableRandom random = new SplittableRandom(11);
        String[] ring = new String[live];
        for (int i = 0; i < live; i++) {
            ring[i] = ids.next();
            map.put(ring[i], new Object());
        }
        // Start from the steady state: for SyncMap, everything promoted to the read table.
        Peer.range(map, (k, v) -> true);

        Histogram histogram = new Histogram(60_000_000_000L, 3);
        int oldest = 0;
        SyncMap.Stats before = null;
        long phaseStart = System.nanoTime();
        boolean measuring = false;
        Object sink = null;
        long gcSamples = 0;
        long maxWithoutGc = 0;
        for (long step = 0; ; step++) {
            if ((step & 1023) == 0) {
                long now = System.nanoTime();
                if (!measuring && now - phaseStart >= warmupNanos) {
                    measuring = true;
                    histogram.reset();
                    gcSamples = 0;
                    maxWithoutGc = 0;
                    before = map instanceof SyncMap<String, Object> s ? s.stats() : null;
                    phaseStart = now;
                } else if (measuring && now - phaseStart >= measureNanos) {
                    break;
                }
            }
            String fresh = ids.next();
            Object value = new Object();
            long gcBefore = collections();
            long t0 = System.nanoTime();
            map.put(fresh, value);
            long t1 = System.nanoTime();
            histogram.recordValue(t1 - t0);
            if (collections() != gcBefore) {
                gcSamples++;
            } else {
                maxWithoutGc = Math.max(maxWithoutGc, t1 - t0);
            }
            map.remove(ring[oldest]);
            ring[oldest] = fresh;
            int newest = oldest;
            oldest = oldest + 1 == live ? 0 : oldest + 1;
            for (int r = 0; r < readsPerCreate; r++) {
                int back = random.nextInt(recent);
                int slot = newest - back;
                sink = map.get(ring[slot < 0 ? slot + live : slot]);
            }
        }
        if (sink == null && map.isEmpty()) {
            System.out.println("(empty map)");
        }
        if (map instanceof SyncMap<String, Object> s && before != null) {
            SyncMap.Stats after = s.stats();
            return new Result(histogram, Long.toString(after.promotions() - before.promotions()),
                    Long.toString(after.dirtyRebuilds() - before.dirtyRebuilds()),
                    Long.toString(after.entriesCopied() - before.entriesCopied()), gcSamples, maxWithoutGc);
        }
        return new Result(histogram, "-", "-", "-", gcSamples, maxWithoutGc);
    }
}
