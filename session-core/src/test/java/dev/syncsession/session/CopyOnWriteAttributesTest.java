/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CopyOnWriteAttributesTest {

    @Test
    void behavesLikeAHashMapOverRandomOperationsAtEverySize() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        CopyOnWriteAttributes live = new CopyOnWriteAttributes();
        Map<String, Object> model = new HashMap<>();
        for (int step = 0; step < 20_000; step++) {
            // Up to 12 names, so the attributes cross between a scan (at most 8) and an index both ways; then up to
            // 40, so the index grows and is made again.
            String name = "a" + random.nextInt(step < 10_000 ? 12 : 40);
            String context = "seed " + seed + ", step " + step + ", " + name;
            switch (random.nextInt(6)) {
                case 0, 1 -> assertEquals(model.put(name, step), live.put(name, step), context);
                case 2 -> {
                    if (random.nextBoolean()) {
                        assertEquals(model.remove(name), live.remove(name), context);
                    } else {
                        assertEquals(model.remove(name) != null, live.keySet().remove(name), context);
                    }
                }
                case 3 -> {
                    assertEquals(model.get(name), live.get(name), context);
                    assertEquals(model.containsKey(name), live.keySet().contains(name), context);
                    assertEquals(model.keySet(), live.keySet(), context);
                }
                case 4 -> {
                    Iterator<String> names = live.keySet().iterator();
                    while (names.hasNext()) {
                        if (names.next().equals(name)) {
                            names.remove();
                            model.remove(name);
                        }
                    }
                }
                default -> {
                    if (random.nextInt(50) == 0) {
                        live.clear();
                        model.clear();
                    }
                }
            }
            assertEquals(model.size(), live.size(), context);
            assertEquals(model, live, context);
            assertEquals(model, live.snapshot().toMap(), context);
            assertEquals(model.hashCode(), live.hashCode(), context);
        }
    }

    @Test
    void aSnapshotDoesNotChangeWhenTheMapDoes() {
        CopyOnWriteAttributes live = new CopyOnWriteAttributes();
        live.put("user", "ann");
        live.put("visits", 1);
        SessionAttributes before = live.snapshot();
        assertSame(before, live.snapshot(), "no change, same attributes");

        live.put("visits", 2);
        live.remove("user");
        assertEquals(Map.of("user", "ann", "visits", 1), before.toMap());
        assertEquals(Map.of("visits", 2), live.snapshot().toMap());
        assertEquals(AttributeStorage.BY_REFERENCE, live.snapshot().storage());
    }

    @Test
    void aReplacedValueKeepsItsPlaceAndANewNameGoesLast() {
        CopyOnWriteAttributes live = new CopyOnWriteAttributes();
        live.put("a", 1);
        live.put("b", 2);
        live.put("c", 3);
        live.put("a", 10);
        assertEquals(List.of("a", "b", "c"), List.copyOf(live.keySet()));
        live.remove("a");
        live.put("a", 11);
        assertEquals(List.of("b", "c", "a"), List.copyOf(live.keySet()));
    }

    @Test
    void pastEightAttributesTheOrderIsKeptAndNamesWithOneHashCodeAreTold() {
        // "Aa" and "BB" have one hash code, so these sixteen names all do: each lookup probes past the others.
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            StringBuilder name = new StringBuilder();
            for (int bit = 0; bit < 4; bit++) {
                name.append((i >> bit & 1) == 0 ? "Aa" : "BB");
            }
            names.add(name.toString());
        }
        CopyOnWriteAttributes live = new CopyOnWriteAttributes();
        for (int i = 0; i < names.size(); i++) {
            live.put(names.get(i), i);
        }
        live.put(names.get(3), 30);
        assertEquals(names, List.copyOf(live.keySet()), "a replaced value keeps its place");
        for (int i = 0; i < names.size(); i++) {
            assertEquals(i == 3 ? 30 : i, live.get(names.get(i)), names.get(i));
        }
        assertEquals(null, live.get("AaAaAaAaAa"), "same hash code, absent");
        live.remove(names.get(0));
        live.put(names.get(0), 0);
        List<String> moved = new ArrayList<>(names.subList(1, names.size()));
        moved.add(names.get(0));
        assertEquals(moved, List.copyOf(live.keySet()), "a name removed and set again goes last");
        for (int i = 0; i < names.size(); i++) {
            live.remove(names.get(i));
            assertEquals(null, live.get(names.get(i)));
            for (int j = i + 1; j < names.size(); j++) {
                assertEquals(j == 3 ? 30 : j, live.get(names.get(j)), "after removing " + (i + 1));
            }
        }
        assertEquals(0, live.size());
    }

    @Test
    void putAllIntoAnEmptyMapTakesAStoresAttributesWithoutACopy() {
        SessionAttributes stored = AttributeStorage.BY_REFERENCE.of(Map.of("user", "ann", "visits", 3));
        CopyOnWriteAttributes live = new CopyOnWriteAttributes();
        live.putAll(stored.toMap());
        assertSame(stored, live.snapshot());

        live.put("visits", 4);
        assertEquals(3, stored.toMap().get("visits"), "the store's attributes are not changed by the session");

        CopyOnWriteAttributes notEmpty = new CopyOnWriteAttributes();
        notEmpty.put("cart", "x");
        notEmpty.putAll(stored.toMap());
        assertEquals(Map.of("user", "ann", "visits", 3, "cart", "x"), notEmpty);
    }

    /** A load puts a session's every attribute at once: one change, the same map as putting them one by one. */
    @Test
    void putAllIsOneChangeEqualToPutsInTurn() {
        for (int existing : new int[] {0, 3, 8, 12}) {
            for (int added : new int[] {1, 5, 10}) {
                CopyOnWriteAttributes all = new CopyOnWriteAttributes();
                CopyOnWriteAttributes inTurn = new CopyOnWriteAttributes();
                for (int i = 0; i < existing; i++) {
                    all.put("a" + i, i);
                    inTurn.put("a" + i, i);
                }
                Map<String, Object> more = new java.util.LinkedHashMap<>();
                for (int i = 0; i < added; i++) {
                    more.put("a" + (2 * i), "new" + i); // half replace existing names, half are new
                }
                all.putAll(more);
                more.forEach(inTurn::put);
                assertEquals(inTurn, all, existing + " then " + added);
                assertEquals(List.copyOf(inTurn.keySet()), List.copyOf(all.keySet()),
                        "replaced values keep their place, new names go last");
            }
        }
        Map<String, Object> withNull = new java.util.LinkedHashMap<>();
        withNull.put("user", "ann");
        withNull.put("cart", null);
        CopyOnWriteAttributes live = new CopyOnWriteAttributes();
        live.put("visits", 1);
        assertThrows(NullPointerException.class, () -> live.putAll(withNull));
        assertEquals(Map.of("visits", 1), live, "a refused putAll copies in nothing");
    }

    /** Jetty's invalidation removes every key through the key set it holds, until that set is empty. */
    @Test
    void theKeySetIsLiveWhileItsIteratorWalksWhatWasThere() {
        CopyOnWriteAttributes live = new CopyOnWriteAttributes();
        for (int i = 0; i < 10; i++) {
            live.put("a" + i, i);
        }
        Set<String> keys = live.keySet();
        int[] removed = new int[1];
        // A key set that did not follow the map would never be empty: the loop would not end.
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            do {
                for (String key : keys) {
                    if (live.remove(key) != null) {
                        removed[0]++;
                    }
                    live.put("late", 1); // added during the walk: seen by the next walk, not this one
                    live.remove("late");
                }
            } while (!keys.isEmpty());
        });
        assertEquals(10, removed[0]);
        assertTrue(live.isEmpty());
    }

    @Test
    void nullNamesAndValuesAreRefusedAsConcurrentHashMapRefusesThem() {
        CopyOnWriteAttributes live = new CopyOnWriteAttributes();
        assertThrows(NullPointerException.class, () -> live.put(null, 1));
        assertThrows(NullPointerException.class, () -> live.put("a", null));
        assertThrows(NullPointerException.class, () -> live.get(null));
        assertThrows(NullPointerException.class, () -> live.remove(null));
        assertTrue(live.isEmpty());
        Iterator<String> none = live.keySet().iterator();
        assertFalse(none.hasNext());
        assertThrows(IllegalStateException.class, none::remove);
    }

    /** Writers race on one map: no change is lost, whichever compare-and-set loses is retried. */
    @Test
    void concurrentWritersLoseNoChange() throws Exception {
        CopyOnWriteAttributes live = new CopyOnWriteAttributes();
        int threads = 4;
        int perThread = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String own = "t" + t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        live.put(own, i);
                        live.put(own + "-" + (i % 6), i);
                        if (i % 3 == 0) {
                            live.remove(own + "-" + (i % 6));
                        }
                        live.snapshot().toMap().forEach((k, v) -> assertTrue(k.startsWith("t")));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int t = 0; t < threads; t++) {
            assertEquals(perThread - 1, live.get("t" + t));
            for (int k = 0; k < 6; k++) {
                // The last i with i % 6 == k: removed if it is also a multiple of 3.
                int last = perThread - 1 - ((perThread - 1 - k) % 6);
                Object expected = last % 3 == 0 ? null : last;
                assertEquals(expected, live.get("t" + t + "-" + k), "t" + t + "-" + k);
            }
        }
        assertNull(live.get("absent"));
    }
}
