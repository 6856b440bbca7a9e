/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.benchmarks;

import dev.syncsession.session.ExpirySweeper;
import dev.syncsession.session.SessionKey;
import dev.syncsession.session.SessionRecord;
import dev.syncsession.session.SessionScope;
import dev.syncsession.session.SyncMapSessionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;

/**
 * How long a sweep of {@code --records} session records takes, and how much read throughput other threads keep
 * while it runs.
 *
 * <p>Implementations: {@code store} is {@link SyncMapSessionStore} swept by {@link ExpirySweeper#sweepNow()};
 * a peer name ({@code SyncMap}, {@code ConcurrentHashMap}, ...) is that map keyed by id, swept with
 * {@link Peer#range} and {@code remove(key, record)}. A fraction {@code --expired} of the records is expired and
 * removed by each sweep, then put back before the next round (new keys: SyncMap rebuilds its dirty table and the
 * sweep's range promotes it, both inside the timed sweep, as in production).
 *
 * <p>{@code --readers} threads look up random ids the whole time. Each round measures their rate during the sweep
 * and over a quiet window of {@code --baseline-ms} just before and just after it; the ratio to the faster quiet
 * window is reported. Rounds after
 * {@code --warmup-rounds} are reported individually and as the median.
 */
public final class SweepBench {

    private static final long NOW = 1_000_000L;
    private static final long EXPIRED = NOW - 1;
    private static final long LIVE_UNTIL = Long.MAX_VALUE / 4;

    private SweepBench() {
    }

    public static void main(String[] argv) throws InterruptedException {
        Args args = new Args(argv);
        int records = (int) args.number("records", 1_000_000);
        double expired = args.decimal("expired", 0.1);
        int readers = (int) args.number("readers", 1);
        int warmupRounds = (int) args.number("warmup-rounds", 2);
        int rounds = (int) args.number("rounds", 5);
        long baselineMs = args.number("baseline-ms", 300);
        System.out.printf(Locale.ROOT, "sweep: %,d records, %.0f%% expired per round, %d reader thread(s),"
                + " %d warmup + %d measured rounds%n", records, expired * 100, readers, warmupRounds, rounds);
        for (String impl : args.string("impls", "store,SyncMap,ConcurrentHashMap").split(",")) {
            System.gc();
            Target target = impl.equals("store") ? new StoreTarget() : new MapTarget(Peer.valueOf(impl));
            run(impl, target, records, expired, readers, warmupRounds, rounds, baselineMs, args);
        }
    }

    /** What is swept: add/reload records, read one, sweep. */
    private interface Target {
        void put(SessionRecord record);

        boolean read(SessionKey key);

        long sweep();
    }

    private static final class StoreTarget implements Target {
        private final SyncMapSessionStore store = new SyncMapSessionStore();
        private final ExpirySweeper sweeper = ExpirySweeper.builder(store)
                .clock(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC)).retainExpired(Duration.ZERO).build();

        @Override
        public void put(SessionRecord record) {
            store.save(record);
        }

        @Override
        public boolean read(SessionKey key) {
            return store.load(key) != null;
        }

        @Override
        public long sweep() {
            return sweeper.sweepNow().removed();
        }
    }

    private static final class MapTarget implements Target {
        private final ConcurrentMap<SessionKey, SessionRecord> map;

        MapTarget(Peer peer) {
            map = peer.create();
        }

        @Override
        public void put(SessionRecord record) {
            map.put(record.key(), record);
        }

        @Override
        public boolean read(SessionKey key) {
            return map.get(key) != null;
        }

        @Override
        public long sweep() {
            long[] removed = new long[1];
            Peer.range(map, (key, record) -> {
                if (record.isExpiredAt(NOW) && map.remove(key, record)) {
                    removed[0]++;
                }
                return true;
            });
            return removed[0];
        }
    }

    private static void run(String impl, Target target, int records, double expired, int readers,
            int warmupRounds, int rounds, long baselineMs, Args args) throws InterruptedException {
        SessionIds ids = new SessionIds(3);
        SessionKey[] keys = new SessionKey[records];
        SessionRecord[] expiring = new SessionRecord[records];
        int expiringCount = 0;
        int stride = expired <= 0 ? Integer.MAX_VALUE : (int) Math.max(1, Math.round(1 / expired));
        for (int i = 0; i < records; i++) {
            keys[i] = SessionScope.ROOT.key(ids.next());
            boolean expires = i % stride == 0;
            SessionRecord record = SessionRecord.builder(keys[i]).created(1).accessed(1).maxInactiveMs(1_000)
                    .expiry(expires ? EXPIRED : LIVE_UNTIL).build();
            if (expires) {
                expiring[expiringCount++] = record;
            }
            target.put(record);
        }
        target.sweep(); // the first range promotes and settles every implementation

        AtomicLong[] counts = new AtomicLong[readers];
        Thread[] threads = new Thread[readers];
        AtomicBoolean stop = new AtomicBoolean();
        for (int t = 0; t < readers; t++) {
            AtomicLong count = counts[t] = new AtomicLong();
            SplittableRandom random = new SplittableRandom(t);
            IntPredicate read = i -> target.read(keys[i]);
            threads[t] = new Thread(() -> {
                long n = 0;
                while (!stop.get()) {
                    for (int k = 0; k < 256; k++) {
                        read.test(random.nextInt(records));
                    }
                    n += 256;
                    count.setRelease(n);
                }
            }, "sweep-reader-" + t);
            threads[t].setDaemon(true);
            threads[t].start();
        }

        double[] sweepMs = new double[rounds];
        double[] ratio = new double[rounds];
        long removed = 0;
        for (int round = 0; round < warmupRounds + rounds; round++) {
            for (int i = 0; i < expiringCount; i++) {
                target.put(expiring[i]);
            }
            Thread.sleep(50);
            long c0 = sum(counts);
            long t0 = System.nanoTime();
            Thread.sleep(baselineMs);
            long c1 = sum(counts);
            long t1 = System.nanoTime();
            removed = target.sweep();
            long t2 = System.nanoTime();
            long c2 = sum(counts);
            Thread.sleep(baselineMs);
            long c3 = sum(counts);
            long t3 = System.nanoTime();
            // The quiet rate before the sweep is taken with the re-stored records new to the map (SyncMap: in its
            // dirty table, read under the lock), after it with them removed; the faster one is the baseline.
            double quietRate = Math.max((c1 - c0) / (double) (t1 - t0), (c3 - c2) / (double) (t3 - t2));
            double sweepRate = (c2 - c1) / (double) (t2 - t1);
            if (round >= warmupRounds) {
                int r = round - warmupRounds;
                sweepMs[r] = (t2 - t1) / 1e6;
                ratio[r] = sweepRate / quietRate;
            }
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join(5_000);
        }
        double medianMs = median(sweepMs);
        double medianRatio = median(ratio);
        System.out.printf(Locale.ROOT, "%-18s sweep ms: median %.1f, rounds %s; removed %,d per sweep;"
                + " readers' rate during/quiet: median %.2f, rounds %s%n", impl, medianMs, format(sweepMs, "%.1f"),
                removed, medianRatio, format(ratio, "%.2f"));
        args.record(String.format(Locale.ROOT, "sweep,%s,%d,%d,%.3f,%.3f,%.3f,%.3f", impl, records, removed,
                medianMs, Arrays.stream(sweepMs).max().orElse(0), medianRatio,
                Arrays.stream(ratio).min().orElse(0)));
    }

    private static long sum(AtomicLong[] counts) {
        long n = 0;
        for (AtomicLong c : counts) {
            n += c.getAcquire();
        }
        return n;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String format(double[] values, String pattern) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, pattern, values[i]));
        }
        return sb.append(']').toString();
    }
}
