/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * {@code putAll} into a new map builds its read table at once (a restore at start): the map then behaves as if each
 * mapping had been put, under every later operation; into a map that is not new it puts one at a time; racing
 * writers lose nothing either way; a failed allocation leaves the map as it was.
 */
class SyncMapBulkLoadTest {

    private static Map<Integer, Integer> squares(int from, int to) {
        Map<Integer, Integer> m = new LinkedHashMap<>();
        for (int i = from; i < to; i++) {
            m.put(i, i * i);
        }
        return m;
    }

    @Test
    void aNewMapIsLoadedAsOneReadTableWithoutADirtyOne() {
        SyncMap<Integer, Integer> map = new SyncMap<>();
        map.putAll(squares(0, 10_000));
        assertEquals(10_000, map.size());
        assertEquals(0, map.stats().dirtyRebuilds(), "no dirty table was built");
        assertEquals(0, map.stats().entriesCopied());
        for (int i = 0; i < 10_000; i++) {
            assertEquals(i * i, map.get(i));
        }
        assertEquals(0, map.stats().misses(), "every key is in the read table");
        assertEquals(squares(0, 10_000), new HashMap<>(map));
    }

    @Test
    void aLoadedMapTakesEveryLaterOperationAsAModelMapDoes() {
        SyncMap<Integer, Integer> map = new SyncMap<>(7);
        Map<Integer, Integer> model = new HashMap<>(squares(0, 2_000));
        map.putAll(squares(0, 2_000));
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int step = 0; step < 50_000; step++) {
            int key = random.nextInt(3_000);
            switch (random.nextInt(5)) {
                case 0 -> assertEquals(model.put(key, step), map.put(key, step));
                case 1 -> assertEquals(model.remove(key), map.remove(key));
                case 2 -> assertEquals(model.putIfAbsent(key, step), map.putIfAbsent(key, step));
                case 3 -> assertEquals(model.get(key), map.get(key));
                default -> assertEquals(model.replace(key, step), map.replace(key, step));
            }
        }
        assertEquals(model, new HashMap<>(map));
        assertEquals(model.size(), map.size());
    }

    @Test
    void intoAMapThatIsNotNewItPutsOneAtATime() {
        SyncMap<Integer, Integer> map = new SyncMap<>();
        map.put(-1, 1);
        map.putAll(squares(0, 1_000));
        assertEquals(1_001, map.size());
        assertEquals(1, map.get(-1));
        SyncMap<Integer, Integer> emptied = new SyncMap<>();
        emptied.put(1, 1);
        emptied.clear();
        emptied.putAll(squares(0, 100));
        assertEquals(squares(0, 100), new HashMap<>(emptied));
    }

    /** A map view whose entries repeat a key (as a store's view over a damaged snapshot's records may): the later wins. */
    @Test
    void aViewWithRepeatedKeysLoadsTheLaterValueOfEach() {
        java.util.List<Map.Entry<Integer, Integer>> entries = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            entries.add(Map.entry(i % 40, i));
        }
        Map<Integer, Integer> view = new java.util.AbstractMap<>() {
            @Override
            public java.util.Set<Entry<Integer, Integer>> entrySet() {
                return new java.util.AbstractSet<>() {
                    @Override
                    public java.util.Iterator<Entry<Integer, Integer>> iterator() {
                        return entries.iterator();
                    }

                    @Override
                    public int size() {
                        return entries.size();
                    }
                };
            }
        };
        SyncMap<Integer, Integer> map = new SyncMap<>();
        map.putAll(view);
        Map<Integer, Integer> expected = new HashMap<>();
        entries.forEach(e -> expected.put(e.getKey(), e.getValue()));
        assertEquals(expected, new HashMap<>(map));
        assertEquals(40, map.size());
    }

    @Test
    void aNullKeyOrValueIsRefusedAndTheMapStaysEmpty() {
        SyncMap<Integer, Integer> map = new SyncMap<>();
        Map<Integer, Integer> withNull = new HashMap<>(squares(0, 100));
        withNull.put(50, null);
        assertThrows(NullPointerException.class, () -> map.putAll(withNull));
        assertEquals(0, map.size());
        assertNull(map.get(1), "the table built so far was not published");
    }

    @Test
    void aFailedAllocationLeavesTheMapEmptyAndUsable() {
        for (int n = 1; n <= 3; n++) {
            SyncMap<Integer, Integer> map = new SyncMap<>();
            AllocationFaults.arm(n);
            boolean failed;
            try {
                map.putAll(squares(0, 500));
                failed = false;
            } catch (AllocationFaults.InjectedFailure e) {
                failed = true;
            } finally {
                AllocationFaults.disarm();
            }
            if (failed) {
                assertEquals(0, map.size(), "allocation " + n);
                map.putAll(squares(0, 500));
            }
            assertEquals(squares(0, 500), new HashMap<>(map), "allocation " + n);
            assertEquals(500, map.size());
        }
    }

    /** Writers racing a bulk load on other keys: every mapping of both ends up in the map. */
    @RepeatedTest(20)
    void writersRacingABulkLoadLoseNothing() throws Exception {
        SyncMap<Integer, Integer> map = new SyncMap<>();
        Map<Integer, Integer> loaded = squares(0, 20_000);
        Map<Integer, Integer> racing = new ConcurrentHashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                return;
            }
            for (int i = 0; i < 2_000; i++) {
                int key = -1 - i;
                map.put(key, i);
                racing.put(key, i);
                map.get(i); // a key of the load, perhaps not yet there
            }
        });
        writer.start();
        go.countDown();
        map.putAll(loaded);
        writer.join();
        Map<Integer, Integer> expected = new HashMap<>(loaded);
        expected.putAll(racing);
        assertEquals(expected, new HashMap<>(map));
        assertEquals(expected.size(), map.size());
    }
}
