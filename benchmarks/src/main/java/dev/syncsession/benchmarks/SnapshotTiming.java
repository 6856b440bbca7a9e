/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.benchmarks;

import dev.syncsession.session.AttributeStorage;
import dev.syncsession.session.SessionKey;
import dev.syncsession.session.SessionRecord;
import dev.syncsession.session.SessionScope;
import dev.syncsession.session.SessionSnapshot;
import dev.syncsession.session.SyncMapSessionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How long the snapshot of {@code --sessions} sessions takes to write (at stop, or periodically) and to restore (at
 * start): a {@link SyncMapSessionStore} filled with records shaped like the HTTP benchmark's sessions (three
 * attributes: a visit counter, a user name and a locale, an {@code Integer} and two {@code String}s;
 * {@code --shape cart}: a small cart map, a {@code LinkedHashMap}, instead of the locale), held by reference as the
 * default install holds them, written with {@link SessionSnapshot#write} and restored into an empty store with
 * {@link SessionSnapshot#restore}, {@code --rounds} times each after one unmeasured round. The file goes to
 * {@code --dir} (default: a temporary directory, deleted after). Prints one line per round and the medians.
 */
public final class SnapshotTiming {

    private SnapshotTiming() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int sessions = (int) args.number("sessions", 1_000_000);
        int rounds = (int) args.number("rounds", 5);
        boolean cart = args.string("shape", "http").equals("cart");
        Path dir = args.string("dir", null) == null ? Files.createTempDirectory("syncsession-snapshot-timing")
                : Path.of(args.string("dir", null));
        Path file = dir.resolve("sessions.snapshot");
        SyncMapSessionStore store = new SyncMapSessionStore();
        SessionScope scope = new SessionScope("/", "0.0.0.0");
        long now = System.currentTimeMillis();
        SessionIds ids = new SessionIds(42);
        for (int i = 0; i < sessions; i++) {
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("visits", i % 100);
            attributes.put("user", "user" + (i % 5000));
            if (cart) {
                attributes.put("cart", new LinkedHashMap<>(Map.of("mug", 1 + i % 3)));
            } else {
                attributes.put("locale", "en-GB");
            }
            store.save(SessionRecord.builder(new SessionKey(scope, ids.next())).created(now).accessed(now)
                    .lastAccessed(now).lastSaved(now).maxInactiveMs(1_800_000).expiry(now + 1_800_000)
                    .lastNode("node0").attributes(AttributeStorage.BY_REFERENCE.of(attributes)).build());
        }
        SessionSnapshot snapshot = SessionSnapshot.builder(file).build();
        System.out.printf(Locale.ROOT, "snapshot of %,d sessions to %s%n", sessions, file);
        List<Double> writes = new ArrayList<>();
        List<Double> restores = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
            System.gc();
            long start = System.nanoTime();
            SessionSnapshot.WriteResult written = snapshot.write(store);
            double writeSeconds = (System.nanoTime() - start) / 1e9;
            SyncMapSessionStore restored = new SyncMapSessionStore();
            System.gc();
            start = System.nanoTime();
            SessionSnapshot.RestoreResult result = snapshot.restore(restored);
            double restoreSeconds = (System.nanoTime() - start) / 1e9;
            if (result.restored() != sessions || written.written() != sessions) {
                throw new IllegalStateException("wrote " + written + ", restored " + result);
            }
            System.out.printf(Locale.ROOT, "round %d%s: write %.2f s (%,d bytes), restore %.2f s%n", round,
                    round == 0 ? " (warm-up)" : "", writeSeconds, written.bytes(), restoreSeconds);
            if (round > 0) {
                writes.add(writeSeconds);
                restores.add(restoreSeconds);
            }
            restored.close();
        }
        System.out.printf(Locale.ROOT, "median: write %.2f s (%.2f-%.2f), restore %.2f s (%.2f-%.2f)%n",
                median(writes), min(writes), max(writes), median(restores), min(restores), max(restores));
        if (args.string("dir", null) == null) {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
