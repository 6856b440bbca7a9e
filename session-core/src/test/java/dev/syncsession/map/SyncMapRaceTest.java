package dev.syncsession.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The races the read/dirty design exists for, each run for many rounds within a bounded time. */
class SyncMapRaceTest {

    private static final long MILLIS = 1_500;

    @Test
    void loadNeverMissesAKeyInsertedBeforeItWhilePromotionsHappen() throws Exception {
        long until = RacingThreads.deadline(MILLIS);
        int rounds = 0;
        long promotions = 0;
        while (RacingThreads.before(until) && rounds < 2_000) {
            int r = rounds++;
            SyncMap<String, String> map = new SyncMap<>();
            for (int i = 0; i < 32; i++) {
                map.put("base" + i, "b" + i);
            }
            map.range((k, v) -> true);
            for (int i = 0; i < 16; i++) {
                map.put("new" + i, "value" + i); // these live only in dirty: the readers start on the slow path
            }
            RacingThreads.run("loadDuringPromotion", 3, MILLIS, (t, ignored) -> {
                if (t == 2) {
                    // Drive promotions and rebuilds: misses on absent keys, and brand-new keys after a promotion.
                    for (int i = 0; i < 256; i++) {
                        map.get("absent" + i % 8);
                        if (i % 32 == 0) {
                            map.put("extra" + i, "x");
                        }
                    }
                    return;
                }
                for (int pass = 0; pass < 8; pass++) {
                    for (int i = 0; i < 16; i++) {
                        String v = map.get("new" + i);
                        if (!("value" + i).equals(v)) {
                            fail("round " + r + " pass " + pass + ": get(new" + i + ") = " + v + "; " + map.stats());
                        }
                        if (!map.containsKey("base" + i)) {
                            fail("round " + r + ": base" + i + " missing; " + map.stats());
                        }
                    }
                }
            });
            assertEquals(32 + 16 + 8, map.size(), "round " + r);
            promotions += map.stats().promotions();
        }
        assertTrue(promotions >= 2L * rounds, promotions + " promotions in " + rounds + " rounds");
    }

    /** A write that re-fills a deleted key, racing with a new key whose insert rebuilds dirty and expunges it. */
    private enum StoreIntoExpunging {
        PUT((m, k, v) -> m.put(k, v), false),
        PUT_IF_ABSENT((m, k, v) -> m.putIfAbsent(k, v), false),
        COMPUTE((m, k, v) -> m.compute(k, (key, old) -> old == null ? v : "unexpected:" + old), true),
        COMPUTE_IF_ABSENT((m, k, v) -> m.computeIfAbsent(k, key -> v), true),
        MERGE((m, k, v) -> m.merge(k, v, (a, b) -> "unexpected:" + a), true),
        REPLACE_THEN_PUT((m, k, v) -> {
            if (m.replace(k, v) != null) {
                throw new AssertionError("replace found deleted key " + k);
            }
            return m.put(k, v);
        }, false);

        /** Stores value v under key k in map m; returns what the map method returned. */
        interface Write {
            String apply(SyncMap<String, String> m, String k, String v);
        }

        final Write write;
        /** Whether the write returns the value it stored (else it returns null, the absent previous value). */
        final boolean returnsStored;

        StoreIntoExpunging(Write write, boolean returnsStored) {
            this.write = write;
            this.returnsStored = returnsStored;
        }

        static StoreIntoExpunging of(int i) {
            return values()[i % values().length];
        }
    }

    @Test
    void storeToAnEntryBeingExpungedByARebuildIsNeverLost() throws Exception {
        int baseKeys = 8;
        int deletedKeys = 64;
        // A fixed number of rounds, not as many as fit in a time window: on a loaded machine a window holds few.
        // Each round's spin before the rebuild differs (0 to 199 spins), so the rounds land it at different stores.
        for (int rounds = 0; rounds < 400; rounds++) {
            int r = rounds;
            SyncMap<String, String> map = new SyncMap<>();
            for (int i = 0; i < baseKeys; i++) {
                map.put("base" + i, "b");
            }
            for (int i = 0; i < deletedKeys; i++) {
                map.put("X" + i, "old");
            }
            map.range((k, v) -> true); // promote: every X is in the read table
            for (int i = 0; i < deletedKeys; i++) {
                map.remove("X" + i); // deleted (null) in the read table; the next rebuild expunges what is still null
            }
            String[] results = new String[deletedKeys];
            RacingThreads.run("storeIntoExpunging", 2, MILLIS, (t, ignored) -> {
                if (t == 0) {
                    for (int i = 0; i < deletedKeys; i++) {
                        results[i] = StoreIntoExpunging.of(i + r).write.apply(map, "X" + i, "stored" + r + "-" + i);
                    }
                } else {
                    for (int spin = (r * 7) % 200; spin > 0; spin--) {
                        Thread.onSpinWait(); // vary where in the stores the rebuild lands
                    }
                    map.put("Y", "y"); // first new key since the promotion: rebuilds dirty, expunging null entries
                }
            });
            for (int i = 0; i < deletedKeys; i++) {
                String where = "round " + r + " key X" + i + " via " + StoreIntoExpunging.of(i + r);
                String value = "stored" + r + "-" + i;
                assertEquals(StoreIntoExpunging.of(i + r).returnsStored ? value : null, results[i], where + ": result");
                assertEquals(value, map.get("X" + i), where + ": store lost; " + map.stats());
                assertTrue(map.containsKey("X" + i), where);
            }
            String where = "round " + r;
            assertEquals("y", map.get("Y"), where);
            int expected = baseKeys + deletedKeys + 1;
            assertEquals(expected, map.size(), where + ": size; " + map.stats());
            Map<String, String> ranged = new HashMap<>();
            map.range((k, v) -> ranged.put(k, v) == null); // promotes dirty: the stored keys must be in it
            assertEquals(expected, ranged.size(), where + ": range count after promotion; " + map.stats());
            map.put("Z", "z"); // another rebuild: the stored keys must be copied, not expunged
            map.range((k, v) -> true);
            for (int i = 0; i < deletedKeys; i++) {
                assertEquals("stored" + r + "-" + i, map.get("X" + i), where + ": X" + i + " lost after next rebuild");
            }
            assertEquals(expected + 1, map.size(), where);
        }
    }

    @Test
    void storesIntoDeletedKeysSurviveContinuousRebuilds() throws Exception {
        // Thread 0 owns keys X0..X31 and keeps deleting and re-storing them, checking each store with a read;
        // thread 1 keeps promoting (range) and adding a brand-new key, so every add rebuilds dirty and tries to
        // expunge whatever X is deleted at that moment.
        SyncMap<String, String> map = new SyncMap<>();
        for (int i = 0; i < 32; i++) {
            map.put("X" + i, "initial");
        }
        AtomicInteger rebuildsSeen = new AtomicInteger();
        RacingThreads.run("continuousRebuild", 2, MILLIS, (t, until) -> {
            if (t == 0) {
                for (int n = 0; n < 10_000_000 && RacingThreads.before(until); n++) {
                    String k = "X" + (n & 31);
                    String v = "v" + n;
                    map.remove(k);
                    switch (n % 4) {
                        case 0 -> map.put(k, v);
                        case 1 -> map.putIfAbsent(k, v);
                        case 2 -> map.compute(k, (key, old) -> v);
                        default -> map.merge(k, v, (a, b) -> b);
                    }
                    String read = map.get(k);
                    if (!v.equals(read)) {
                        fail("store of " + k + "=" + v + " lost: read " + read + "; " + map.stats());
                    }
                }
                return;
            }
            for (int n = 0; RacingThreads.before(until); n++) {
                map.range((k, v) -> true);
                map.put("Y" + n, "y");
                map.remove("Y" + (n - 1));
                rebuildsSeen.incrementAndGet();
            }
        });
        assertTrue(rebuildsSeen.get() > 100, "rebuilds: " + rebuildsSeen.get());
        for (int i = 0; i < 32; i++) {
            assertNotNull(map.get("X" + i), "X" + i);
        }
        assertEquals(33, map.size(), map.stats().toString());
    }

    @Test
    void rangeVisitsStableKeysExactlyOnceWhileOthersAreDeletedAndReadded() throws Exception {
        SyncMap<Integer, Integer> map = new SyncMap<>();
        int stable = 256;
        for (int k = 0; k < 3 * stable; k++) {
            map.put(k, k);
        }
        map.range((k, v) -> true);
        // Keys 512..639 are deleted and then expunged by a rebuild; 640..767 are deleted while both tables hold them.
        for (int k = 2 * stable; k < 2 * stable + 128; k++) {
            map.remove(k);
        }
        map.put(-1, -1);
        map.remove(-1);
        for (int k = 2 * stable + 128; k < 3 * stable; k++) {
            map.remove(k);
        }
        AtomicInteger ranges = new AtomicInteger();
        RacingThreads.run("rangeDuringDelete", 3, MILLIS, (t, until) -> {
            SplittableRandom random = new SplittableRandom(t);
            if (t == 0) {
                // Volatile keys 256..511 come and go; fresh keys force rebuilds; misses force promotions.
                for (int i = 0; RacingThreads.before(until); i++) {
                    int k = stable + random.nextInt(stable);
                    if (map.remove(k) == null) {
                        map.put(k, k);
                    }
                    int fresh = 10_000 + i;
                    map.put(fresh, fresh);
                    map.get(-2);
                    map.remove(fresh - 50);
                }
                return;
            }
            while (RacingThreads.before(until)) {
                Map<Integer, Integer> seen = new HashMap<>();
                boolean all;
                if (t == 1) {
                    all = map.range((k, v) -> {
                        if (seen.put(k, v) != null) {
                            fail("range visited " + k + " twice");
                        }
                        return true;
                    });
                } else {
                    for (Map.Entry<Integer, Integer> e : map.entrySet()) {
                        if (seen.put(e.getKey(), e.getValue()) != null) {
                            fail("entry iterator visited " + e.getKey() + " twice");
                        }
                    }
                    all = true;
                }
                assertTrue(all);
                for (int k = 0; k < stable; k++) {
                    assertEquals(k, seen.get(k), "stable key " + k + " not visited exactly once");
                }
                for (int k = 2 * stable; k < 3 * stable; k++) {
                    assertFalse(seen.containsKey(k), "key " + k + " was deleted before the range started");
                }
                seen.forEach((k, v) -> assertEquals(k, v, "value of " + k));
                ranges.incrementAndGet();
            }
        });
        assertTrue(ranges.get() > 2, "ranges completed: " + ranges.get());
    }

    @Test
    void clearConcurrentWithStoresLeavesAConsistentMap() throws Exception {
        long until = RacingThreads.deadline(MILLIS);
        int rounds = 0;
        while (RacingThreads.before(until) && rounds < 50) {
            rounds++;
            SyncMap<Integer, Integer> map = new SyncMap<>();
            RacingThreads.run("clearDuringStore", 4, 100, (t, stop) -> {
                SplittableRandom random = new SplittableRandom(t * 31L);
                for (int i = 0; RacingThreads.before(stop); i++) {
                    if (t == 3) {
                        map.clear();
                        Thread.onSpinWait();
                        continue;
                    }
                    int k = random.nextInt(256);
                    switch (random.nextInt(6)) {
                        case 0 -> map.put(k, i);
                        case 1 -> map.remove(k);
                        case 2 -> map.putIfAbsent(k, i);
                        case 3 -> map.merge(k, 1, Integer::sum);
                        case 4 -> map.compute(k, (key, v) -> v == null ? 0 : null);
                        default -> map.get(k + 1000);
                    }
                }
            });
            String where = "round " + rounds + " " + map.stats();
            Set<Integer> iterated = new HashSet<>();
            for (Map.Entry<Integer, Integer> e : map.entrySet()) {
                assertTrue(iterated.add(e.getKey()), where + ": iterated twice " + e.getKey());
                assertEquals(e.getValue(), map.get(e.getKey()), where);
            }
            assertEquals(iterated.size(), map.size(), where + ": size() vs iterated entries");
            assertEquals(iterated.isEmpty(), map.isEmpty(), where);
            for (int k = 0; k < 256; k++) {
                assertEquals(iterated.contains(k), map.containsKey(k), where + ": containsKey(" + k + ")");
            }
            map.clear();
            assertEquals(0, map.size(), where);
            assertTrue(map.range((k, v) -> false), where + ": range after clear");
            map.put(1, 1);
            assertEquals(1, map.size(), where);
            assertEquals(1, map.get(1), where);
        }
    }

    @Test
    void nestedRangeAndWritesFromTheVisitorNeitherDeadlockNorThrow() throws Exception {
        SyncMap<Integer, Integer> map = new SyncMap<>();
        int stable = 64;
        for (int k = 0; k < stable; k++) {
            map.put(k, k);
        }
        AtomicInteger outerRanges = new AtomicInteger();
        RacingThreads.run("nestedRange", 3, MILLIS, (t, until) -> {
            SplittableRandom random = new SplittableRandom(t);
            while (RacingThreads.before(until)) {
                int[] outer = {0};
                map.range((k, v) -> {
                    if (k < stable) {
                        outer[0]++;
                    }
                    int[] inner = {0};
                    boolean completed = map.range((k2, v2) -> {
                        if (k2 < stable) {
                            inner[0]++;
                        }
                        int w = stable + random.nextInt(64);
                        switch (random.nextInt(5)) {
                            case 0 -> map.put(w, w);
                            case 1 -> map.remove(w);
                            case 2 -> map.computeIfAbsent(1000 + random.nextInt(64), key -> key);
                            case 3 -> map.remove(1000 + random.nextInt(64));
                            default -> map.get(5000);
                        }
                        return random.nextInt(8) != 0 || k2 < stable;
                    });
                    if (completed && inner[0] != stable) {
                        fail("nested range saw " + inner[0] + " of " + stable + " stable keys");
                    }
                    map.merge(stable + random.nextInt(64), 1, Integer::sum);
                    return true;
                });
                assertEquals(stable, outer[0], "outer range stable keys");
                outerRanges.incrementAndGet();
            }
        });
        assertTrue(outerRanges.get() > 0);
        for (int k = 0; k < stable; k++) {
            assertEquals(k, map.get(k));
        }
    }

    /** Mutable on purpose: plain fields are only safely seen by another thread through a happens-before edge. */
    private static final class Payload {
        int a;
        long b;
        String c;

        Payload(int n) {
            a = n;
            b = n * 3L;
            c = "p" + n;
        }

        boolean complete(int n) {
            return a == n && b == n * 3L && ("p" + n).equals(c);
        }
    }

    @Test
    void valuesAndKeysPublishedByAWriteAreSeenFullyInitialized() throws Exception {
        int keys = 20_000;
        SyncMap<Object, Payload> map = new SyncMap<>();
        RacingThreads.run("publication", 2, MILLIS, (t, until) -> {
            if (t == 0) {
                for (int n = 0; n < keys; n++) {
                    map.put(n, new Payload(n));
                    if (n % 3 == 0) {
                        map.put(n, new Payload(n)); // a replacement of a live value, possibly in the read table
                    }
                }
                map.put("done", new Payload(-1));
                return;
            }
            int n = 0;
            while (n < keys && RacingThreads.before(until)) {
                Payload p = map.get(n);
                if (p == null) {
                    // get(n) may have run before put(n); only once "done" is seen must n be visible.
                    if (map.containsKey("done") && map.get(n) == null) {
                        fail("key " + n + " never became visible");
                    }
                    Thread.onSpinWait();
                    continue;
                }
                if (!p.complete(n)) {
                    fail("value for " + n + " seen partially initialized: a=" + p.a + " b=" + p.b + " c=" + p.c);
                }
                n++;
            }
            map.range((k, v) -> {
                if (k instanceof Integer i && !v.complete(i)) {
                    fail("range saw a partially initialized value for " + k);
                }
                return true;
            });
        });
    }

    /** Port of Go's TestConcurrentRange. */
    @Test
    void concurrentRangeSeesEveryKeyOnceWithAConsistentValue() throws Exception {
        int mapSize = 1 << 10;
        SyncMap<Long, Long> map = new SyncMap<>();
        for (long n = 1; n <= mapSize; n++) {
            map.put(n, n);
        }
        AtomicInteger ranges = new AtomicInteger();
        int writers = 3;
        RacingThreads.run("concurrentRange", writers + 1, MILLIS, (g, until) -> {
            if (g < writers) {
                SplittableRandom random = new SplittableRandom(g + 1);
                for (long i = 0; RacingThreads.before(until); i++) {
                    for (long n = 1; n < mapSize; n++) {
                        if (random.nextInt(mapSize) == 0) {
                            map.put(n, n * i * (g + 1));
                        } else {
                            map.get(n);
                        }
                    }
                }
                return;
            }
            for (int iter = 0; iter < 1 << 10 && RacingThreads.before(until); iter++) {
                Set<Long> seen = new HashSet<>(2 * mapSize);
                map.range((k, v) -> {
                    if (v % k != 0) {
                        fail("while storing multiples of " + k + ", range saw value " + v);
                    }
                    if (!seen.add(k)) {
                        fail("range visited key " + k + " twice");
                    }
                    return true;
                });
                assertEquals(mapSize, seen.size(), "range visited " + seen.size() + " of " + mapSize);
                ranges.incrementAndGet();
            }
        });
        assertTrue(ranges.get() > 0);
    }

    @Test
    void loadOrStoreAndDeleteRacesKeepSizeExact() throws Exception {
        // Deletes of dirty-only keys unlink entries; racing putIfAbsent/remove must agree with the live count.
        SyncMap<Integer, Integer> map = new SyncMap<>();
        long until = RacingThreads.deadline(MILLIS);
        int rounds = 0;
        while (RacingThreads.before(until) && rounds < 200) {
            rounds++;
            int r = rounds;
            map.put(-r, r); // amend read so that the keys below start in dirty
            RacingThreads.run("loadOrStoreDelete", 4, 50, (t, stop) -> {
                SplittableRandom random = new SplittableRandom(r * 7L + t);
                while (RacingThreads.before(stop)) {
                    int k = random.nextInt(32);
                    switch (random.nextInt(4)) {
                        case 0 -> map.putIfAbsent(k, k);
                        case 1 -> map.remove(k);
                        case 2 -> map.remove(k, k);
                        default -> map.computeIfAbsent(k, key -> key);
                    }
                }
            });
            int[] n = {0};
            map.range((k, v) -> {
                n[0]++;
                return true;
            });
            assertEquals(n[0], map.size(), "round " + r + " " + map.stats());
            for (int k = 0; k < 32; k++) {
                Integer v = map.get(k);
                if (v != null) {
                    assertEquals(k, v);
                }
            }
            assertNotNull(map.get(-r));
        }
    }
}
