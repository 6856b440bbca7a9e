/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The index under the interleavings a server makes: several threads sign sessions in and out, renew their ids and
 * invalidate them, each change under the session's stripe lock as the store makes it, while the principals are
 * shared (many sessions of one user change at once on different threads) and a reader lists them. Each thread owns
 * its sessions, as Jetty serialises the requests of one session's saves under its lock, and keeps a model of them;
 * once every thread has finished, the index must hold exactly the union of the models.
 */
class SessionsByUserConcurrencyTest {

    private static final String[] PRINCIPALS = {"ada", "bob", "cyd"};

    @Test
    void concurrentSignInsSignOutsRenewalsAndInvalidationsLeaveExactlyWhatTheModelsSay() throws Exception {
        long seed = ThreadLocalRandom.current().nextLong();
        int threads = 4;
        int sessionsPerThread = 40;
        int operationsPerThread = 20_000;
        for (int round = 0; round < 5; round++) {
            long roundSeed = seed + round;
            SessionsByUser index = new SessionsByUser();
            CyclicBarrier start = new CyclicBarrier(threads + 2); // the writers, the reader and this thread
            AtomicBoolean writing = new AtomicBoolean(true);
            Set<String> everSignedIn = ConcurrentHashMap.newKeySet();
            ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
            try {
                List<Future<Map<String, String>>> models = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    models.add(pool.submit(() -> {
                        SplittableRandom random = new SplittableRandom(roundSeed * 31 + thread);
                        Map<String, String> model = new HashMap<>(); // id -> principal, or absent
                        List<String> ids = new ArrayList<>();
                        for (int i = 0; i < sessionsPerThread; i++) {
                            ids.add("t" + thread + "-s" + i + "-g0");
                        }
                        start.await();
                        for (int op = 0; op < operationsPerThread; op++) {
                            int slot = random.nextInt(ids.size());
                            String id = ids.get(slot);
                            switch (random.nextInt(4)) {
                                case 0 -> { // sign in (or in as someone else)
                                    String principal = PRINCIPALS[random.nextInt(PRINCIPALS.length)];
                                    everSignedIn.add(id);
                                    index.locked(id, () -> {
                                        index.put(id, principal);
                                        return null;
                                    });
                                    model.put(id, principal);
                                }
                                case 1 -> { // sign out
                                    index.locked(id, () -> {
                                        index.put(id, null);
                                        return null;
                                    });
                                    model.remove(id);
                                }
                                case 2 -> { // id renewal: the old id goes, the new one keeps the principal
                                    String renewed = id.substring(0, id.lastIndexOf("-g")) + "-g" + op;
                                    String principal = model.remove(id);
                                    index.locked(id, () -> {
                                        index.remove(id);
                                        return null;
                                    });
                                    if (principal != null) {
                                        everSignedIn.add(renewed);
                                        index.locked(renewed, () -> {
                                            index.put(renewed, principal);
                                            return null;
                                        });
                                        model.put(renewed, principal);
                                    }
                                    ids.set(slot, renewed);
                                }
                                default -> { // invalidation
                                    index.locked(id, () -> {
                                        index.remove(id);
                                        return null;
                                    });
                                    model.remove(id);
                                }
                            }
                        }
                        return model;
                    }));
                }
                Future<Integer> reader = pool.submit(() -> {
                    start.await();
                    int reads = 0;
                    while (writing.get()) {
                        for (String principal : PRINCIPALS) {
                            for (String id : index.idsOf(principal)) {
                                assertTrue(everSignedIn.contains(id), "listed " + id + ", never signed in");
                            }
                        }
                        reads++;
                    }
                    return reads;
                });
                start.await();
                Map<String, String> expected = new HashMap<>();
                for (Future<Map<String, String>> model : models) {
                    expected.putAll(model.get(60, TimeUnit.SECONDS));
                }
                writing.set(false);
                assertTrue(reader.get(60, TimeUnit.SECONDS) > 0, "the reader never listed");

                String replay = " (seed " + seed + ", round " + round + ")";
                for (String principal : PRINCIPALS) {
                    Set<String> want = new TreeSet<>();
                    expected.forEach((id, p) -> {
                        if (p.equals(principal)) {
                            want.add(id);
                        }
                    });
                    List<String> listed = index.idsOf(principal);
                    Set<String> missing = new TreeSet<>(want);
                    listed.forEach(missing::remove);
                    Set<String> extra = new TreeSet<>(listed);
                    extra.removeAll(want);
                    assertTrue(missing.isEmpty() && extra.isEmpty(), principal + "'s sessions: " + missing.size()
                            + " missing, e.g. " + first(missing) + "; " + extra.size() + " not theirs, e.g. "
                            + first(extra) + replay);
                    assertEquals(want.size(), listed.size(), principal + "'s sessions listed once each" + replay);
                }
                for (Map.Entry<String, String> entry : expected.entrySet()) {
                    assertEquals(entry.getValue(), index.userOf(entry.getKey()), entry.getKey() + replay);
                }
                assertEquals(expected.size(), index.size(), "indexed sessions" + replay);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static List<String> first(Set<String> ids) {
        return ids.stream().limit(3).toList();
    }
}
