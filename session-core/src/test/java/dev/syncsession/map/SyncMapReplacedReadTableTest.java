/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A read table a promotion replaced is emptied (so that a large one, which G1 keeps until a concurrent mark, does not
 * keep the entries it references alive through young collections), without a lock-free search or an iteration of it
 * ever missing a key that was present throughout.
 */
class SyncMapReplacedReadTableTest {

    /** Makes the map promote its dirty table by misses alone (no range, which would pin the read table it returns). */
    private static void promoteByMisses(SyncMap<String, Integer> map, String fresh) {
        long before = map.stats().promotions();
        map.put(fresh, -1);
        while (map.stats().promotions() == before) {
            map.get(fresh);
        }
    }

    @Test
    void aReadTableReplacedByAPromotionIsEmptied() {
        SyncMap<String, Integer> map = new SyncMap<>();
        for (int i = 0; i < 3_000; i++) { // 8,192 slots: emptied over two steps
            map.put("k" + i, i);
        }
        promoteByMisses(map, "first");
        Cell<String, Integer>[] replaced = map.read.slots;
        assertTrue(replaced.length > DirtyCopy.CLONE_STEP, "a table emptied over more than one step");
        promoteByMisses(map, "second");
        for (int i = 0; i < 3; i++) {
            map.put("new" + i, i); // slow-path operations: each empties a step
        }
        for (Cell<String, Integer> slot : replaced) {
            assertNull(slot, "a replaced read table is emptied");
        }
        for (int i = 0; i < 3_000; i++) {
            assertEquals(i, map.get("k" + i));
        }
    }

    /** The map holds a replaced table it is still emptying only weakly: it never keeps it from being collected. */
    @Test
    void aReplacedReadTableBeingEmptiedCanBeCollected() throws InterruptedException {
        SyncMap<String, Integer> map = new SyncMap<>();
        for (int i = 0; i < 20_000; i++) { // 65,536 slots: emptied over 16 steps, so still being emptied below
            map.put("k" + i, i);
        }
        promoteByMisses(map, "first");
        WeakReference<Object> replaced = new WeakReference<>(map.read.slots);
        promoteByMisses(map, "second");
        for (int i = 0; i < 20 && replaced.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertTrue(replaced.get() == null, "the replaced read table is still reachable");
        assertEquals(7, map.get("k7"));
    }

    @Test
    void theSlotsAnIteratorWalksAreNeverEmptied() {
        SyncMap<String, Integer> map = new SyncMap<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 3_000; i++) {
            map.put("k" + i, i);
            keys.add("k" + i);
        }
        promoteByMisses(map, "first");
        keys.add("first");
        Iterator<String> iterator = map.keySet().iterator();
        for (int round = 0; round < 3; round++) {
            promoteByMisses(map, "round" + round);
            map.remove("round" + round);
        }
        Set<String> seen = new HashSet<>();
        iterator.forEachRemaining(seen::add);
        keys.removeAll(seen);
        assertTrue(keys.isEmpty(), () -> keys.size() + " keys present for the whole iteration were not visited");
    }

    @Test
    void rangeWalksSlotsThatAreNeverEmptied() {
        SyncMap<String, Integer> map = new SyncMap<>();
        for (int i = 0; i < 3_000; i++) {
            map.put("k" + i, i);
        }
        int[] visited = {0};
        map.range((k, v) -> {
            if (visited[0]++ == 0) {
                for (int round = 0; round < 3; round++) {
                    promoteByMisses(map, "round" + round);
                    map.remove("round" + round);
                }
            }
            return true;
        });
        assertTrue(visited[0] >= 3_000, "visited " + visited[0] + " of the 3,000 keys present throughout");
    }

    /**
     * A lookup and a remove that load the read state, then search it while a promotion replaces and empties it, must
     * not call a present key absent. Without the check that the state is still published, the reader fails within
     * about a second.
     */
    @Test
    void aLookupRacingTheEmptyingOfItsReadTableNeverMissesAPresentKey() throws InterruptedException {
        SyncMap<String, Integer> map = new SyncMap<>();
        String[] stable = new String[64];
        for (int i = 0; i < stable.length; i++) {
            stable[i] = "stable" + i;
            map.put(stable[i], i);
        }
        AtomicLong promotions = new AtomicLong();
        AtomicLong lookups = new AtomicLong();
        RacingThreads.run("replaced-read", 2, 3_000, (thread, until) -> {
            if (thread == 0) {
                for (int n = 0; RacingThreads.before(until); n++) {
                    promoteByMisses(map, "fresh" + n);
                    map.remove("fresh" + n);
                    promotions.incrementAndGet();
                }
            } else {
                long n = 0;
                while (RacingThreads.before(until)) {
                    for (int i = 0; i < stable.length; i++) {
                        assertNotNull(map.get(stable[i]), "a present key, looked up while its table was emptied");
                        assertNull(map.remove("absent" + (n & 7)), "no such key");
                        n++;
                    }
                }
                lookups.set(n);
            }
        });
        assertTrue(promotions.get() > 1_000, "promotions: " + promotions.get());
        assertTrue(lookups.get() > 100_000, "lookups: " + lookups.get());
        for (int i = 0; i < stable.length; i++) {
            assertEquals(i, map.get(stable[i]));
        }
    }
}
