package dev.syncsession.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Several threads hammering overlapping keys with every kind of write for a bounded time; invariants are checked
 * when all threads have joined (and, where a thread owns a key, after each of its own writes).
 */
class SyncMapStressTest {

    private static final int THREADS = 6;
    private static final long MILLIS = 2_000;
    private static final int MAX_ITERATIONS = 2_000_000;

    @Test
    void concurrentIncrementsAreNeverLost() throws Exception {
        SyncMap<String, Long> map = new SyncMap<>();
        int counters = 16;
        long[][] added = new long[THREADS][counters];
        RacingThreads.run("increment", THREADS, MILLIS, (t, until) -> {
            SplittableRandom random = new SplittableRandom(t);
            for (int i = 0; i < MAX_ITERATIONS && RacingThreads.before(until); i++) {
                int c = random.nextInt(counters);
                String k = "counter" + c;
                switch (random.nextInt(6)) {
                    case 0 -> map.merge(k, 1L, Long::sum);
                    case 1 -> map.compute(k, (key, v) -> v == null ? 1L : v + 1);
                    case 2 -> casIncrement(map, k);
                    case 3 -> {
                        if (map.computeIfPresent(k, (key, v) -> v + 1) == null) {
                            map.merge(k, 1L, Long::sum);
                        }
                    }
                    case 4 -> {
                        // Churn on keys no other invariant depends on, to force rebuilds and promotions.
                        String churn = "churn" + t + "-" + random.nextInt(64);
                        if (map.remove(churn) == null) {
                            map.put(churn, 0L);
                        }
                        map.get("missing" + random.nextInt(8));
                        continue;
                    }
                    default -> {
                        Long v = map.get(k);
                        assertTrue(v == null || v > 0, "counter " + k + " = " + v);
                        continue;
                    }
                }
                added[t][c]++;
            }
        });
        for (int c = 0; c < counters; c++) {
            long expected = 0;
            for (int t = 0; t < THREADS; t++) {
                expected += added[t][c];
            }
            Long actual = map.get("counter" + c);
            assertEquals(expected, actual == null ? 0L : actual, "counter" + c + " lost increments; " + map.stats());
        }
        assertTrue(map.stats().promotions() > 0 && map.stats().dirtyRebuilds() > 1, map.stats().toString());
    }

    private static void casIncrement(SyncMap<String, Long> map, String k) {
        for (;;) {
            Long v = map.get(k);
            if (v == null) {
                if (map.putIfAbsent(k, 1L) == null) {
                    return;
                }
            } else if (map.replace(k, v, v + 1)) {
                return;
            }
        }
    }

    @Test
    void eachThreadSeesItsOwnWritesAndOwnedKeysEndWithTheLastWrite() throws Exception {
        SyncMap<String, String> map = new SyncMap<>();
        int ownedKeys = 32;
        @SuppressWarnings("unchecked")
        Map<String, String>[] models = new Map[THREADS];
        RacingThreads.run("owner", THREADS, MILLIS, (t, until) -> {
            SplittableRandom random = new SplittableRandom(100 + t);
            Map<String, String> model = new HashMap<>();
            models[t] = model;
            String prefix = "t" + t + ":";
            for (int i = 0; i < MAX_ITERATIONS && RacingThreads.before(until); i++) {
                String k = prefix + random.nextInt(ownedKeys);
                String v = prefix + i;
                String where = "thread " + t + " iteration " + i + " key " + k;
                switch (random.nextInt(11)) {
                    case 0 -> assertEquals(model.put(k, v), map.put(k, v), where);
                    case 1 -> assertEquals(model.remove(k), map.remove(k), where);
                    case 2 -> assertEquals(model.putIfAbsent(k, v), map.putIfAbsent(k, v), where);
                    case 3 -> assertEquals(model.replace(k, v), map.replace(k, v), where);
                    case 4 -> {
                        String old = model.getOrDefault(k, "none");
                        assertEquals(model.replace(k, old, v), map.replace(k, old, v), where);
                    }
                    case 5 -> {
                        String old = model.getOrDefault(k, "none");
                        assertEquals(model.remove(k, old), map.remove(k, old), where);
                    }
                    case 6 -> {
                        boolean delete = random.nextInt(3) == 0;
                        assertEquals(model.compute(k, (key, o) -> delete ? null : v),
                                map.compute(k, (key, o) -> delete ? null : v), where);
                    }
                    case 7 -> assertEquals(model.merge(k, v, (a, b) -> b), map.merge(k, v, (a, b) -> b), where);
                    case 8 -> assertEquals(model.computeIfAbsent(k, key -> v), map.computeIfAbsent(k, key -> v), where);
                    case 9 -> {
                        // Read someone else's key: its value, if any, was written by its owner.
                        int other = random.nextInt(THREADS);
                        String value = map.get("t" + other + ":" + random.nextInt(ownedKeys));
                        assertTrue(value == null || value.startsWith("t" + other + ":"), where + " read " + value);
                        map.get("absent" + random.nextInt(4));
                    }
                    default -> {
                        String fresh = prefix + "fresh" + i;
                        map.put(fresh, v);
                        assertEquals(v, map.remove(fresh), where);
                    }
                }
                assertEquals(model.get(k), map.get(k), where + " read-your-writes");
            }
        });
        int expectedSize = 0;
        for (int t = 0; t < THREADS; t++) {
            for (int i = 0; i < ownedKeys; i++) {
                String k = "t" + t + ":" + i;
                assertEquals(models[t].get(k), map.get(k), "final value of " + k);
            }
            expectedSize += models[t].size();
        }
        assertEquals(expectedSize, map.size());
        assertEquals(expectedSize, countByRange(map));
        Map<String, String> all = new HashMap<>();
        for (Map<String, String> model : models) {
            all.putAll(model);
        }
        assertEquals(all, new HashMap<>(map));
    }

    @Test
    void sizeEqualsEntriesAfterConcurrentChurn() throws Exception {
        SyncMap<Integer, Integer> map = new SyncMap<>();
        RacingThreads.run("churn", THREADS, MILLIS, (t, until) -> {
            SplittableRandom random = new SplittableRandom(200 + t);
            for (int i = 0; i < MAX_ITERATIONS && RacingThreads.before(until); i++) {
                Integer k = random.nextInt(t % 2 == 0 ? 64 : 4096);
                switch (random.nextInt(9)) {
                    case 0 -> map.put(k, i);
                    case 1 -> map.remove(k);
                    case 2 -> map.putIfAbsent(k, i);
                    case 3 -> map.compute(k, (key, v) -> v == null ? 1 : null);
                    case 4 -> map.merge(k, 1, (a, b) -> a > 3 ? null : a + b);
                    case 5 -> map.computeIfPresent(k, (key, v) -> v % 2 == 0 ? null : v + 1);
                    case 6 -> map.remove(k, i % 4);
                    case 7 -> map.replace(k, i);
                    default -> {
                        int n = map.size();
                        assertTrue(n >= 0, "size " + n);
                    }
                }
            }
        });
        Set<Integer> keys = new HashSet<>();
        map.range((k, v) -> {
            assertTrue(keys.add(k), "range visited " + k + " twice");
            return true;
        });
        assertEquals(keys.size(), map.size(), "size() after all writers joined; " + map.stats());
        assertEquals(keys.size(), map.mappingCount());
        assertEquals(keys.isEmpty(), map.isEmpty());
        assertEquals(keys, new HashSet<>(map.keySet()));
        for (int k = 0; k < 4096; k++) {
            assertEquals(keys.contains(k), map.containsKey(k), "containsKey(" + k + ")");
        }
    }

    @Test
    void putIfAbsentRaceHasExactlyOneWinnerPerKey() throws Exception {
        int keys = 2_000;
        int threads = 4;
        long until = RacingThreads.deadline(MILLIS);
        for (int round = 0; round < 200 && RacingThreads.before(until); round++) {
            SyncMap<Integer, String> map = new SyncMap<>();
            String[][] results = new String[threads][keys];
            Object[][] computed = new Object[threads][keys];
            boolean useCompute = round % 2 == 1;
            SyncMap<Integer, Object> instances = new SyncMap<>();
            int r = round;
            RacingThreads.run("putIfAbsent", threads, MILLIS, (t, ignored) -> {
                for (int n = 0; n < keys; n++) {
                    int k = (n + t * keys / threads) % keys; // each thread starts at a different key
                    if (useCompute) {
                        computed[t][k] = instances.computeIfAbsent(k, key -> new Object());
                    } else {
                        results[t][k] = map.putIfAbsent(k, "r" + r + "t" + t);
                        assertNotNull(map.get(k), "key " + k + " absent right after putIfAbsent");
                    }
                }
            });
            for (int k = 0; k < keys; k++) {
                if (useCompute) {
                    Object winner = instances.get(k);
                    for (int t = 0; t < threads; t++) {
                        assertSame(winner, computed[t][k], "round " + r + " key " + k + " thread " + t);
                    }
                    continue;
                }
                String stored = map.get(k);
                int winners = 0;
                for (int t = 0; t < threads; t++) {
                    if (results[t][k] == null) {
                        winners++;
                        assertEquals("r" + r + "t" + t, stored, "round " + r + " key " + k + ": winner's value");
                    } else {
                        assertEquals(stored, results[t][k], "round " + r + " key " + k + ": loser saw the winner");
                    }
                }
                assertEquals(1, winners, "round " + r + " key " + k + " winners");
            }
            assertEquals(keys, useCompute ? instances.size() : map.size());
        }
    }

    @Test
    void concurrentReplaceAllAndIncrementsNeverLoseAnUpdate() throws Exception {
        // replaceAll adds 1000 to each counter; concurrent merges add 1. Neither may overwrite the other.
        SyncMap<Integer, Long> map = new SyncMap<>();
        int counters = 32;
        for (int c = 0; c < counters; c++) {
            map.put(c, 0L);
        }
        long[][] added = new long[THREADS][counters];
        AtomicInteger replaceAlls = new AtomicInteger();
        RacingThreads.run("replaceAll", THREADS, MILLIS, (t, until) -> {
            SplittableRandom random = new SplittableRandom(300 + t);
            for (int i = 0; i < MAX_ITERATIONS / 10 && RacingThreads.before(until); i++) {
                if (t == 0) {
                    map.replaceAll((k, v) -> v + 1000);
                    replaceAlls.incrementAndGet();
                } else {
                    int c = random.nextInt(counters);
                    map.merge(c, 1L, Long::sum);
                    added[t][c]++;
                }
            }
        });
        for (int c = 0; c < counters; c++) {
            long expected = 1000L * replaceAlls.get();
            for (int t = 0; t < THREADS; t++) {
                expected += added[t][c];
            }
            assertEquals(expected, map.get(c), "counter " + c);
        }
    }

    private static int countByRange(SyncMap<?, ?> map) {
        int[] n = {0};
        map.range((k, v) -> {
            if (v == null) {
                fail("range passed a null value for " + k);
            }
            n[0]++;
            return true;
        });
        return n[0];
    }
}
