/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Removal through the entry and value views removes only the mapping that was judged, as ConcurrentHashMap's
 * {@code removeIf} does ({@code remove(key, value)}): a value stored after a predicate looked at the old one
 * survives. "Sweep what expired" must not delete a session a request touched meanwhile. The store that races with
 * the predicate is made inside it, so the interleaving is certain.
 */
class SyncMapViewRemovalTest {

    static Stream<Supplier<ConcurrentMap<String, Integer>>> maps() {
        return Stream.of(SyncMap::new, ConcurrentHashMap::new);
    }

    private static ConcurrentMap<String, Integer> filled(Supplier<ConcurrentMap<String, Integer>> factory) {
        ConcurrentMap<String, Integer> map = factory.get();
        for (int i = 0; i < 100; i++) {
            map.put("k" + i, i);
        }
        return map;
    }

    @ParameterizedTest
    @MethodSource("maps")
    void entrySetRemoveIfKeepsAValueStoredAfterThePredicateJudgedTheOldOne(
            Supplier<ConcurrentMap<String, Integer>> factory) {
        ConcurrentMap<String, Integer> map = filled(factory);
        boolean removed = map.entrySet().removeIf(e -> {
            if (e.getKey().equals("k7")) {
                map.put("k7", 1_000); // a concurrent update lands after the predicate read the old value
            }
            return e.getValue() < 50;
        });
        assertTrue(removed);
        assertEquals(1_000, map.get("k7"));
        assertEquals(51, map.size());
    }

    @ParameterizedTest
    @MethodSource("maps")
    void valuesRemoveIfKeepsAValueStoredAfterThePredicateJudgedTheOldOne(
            Supplier<ConcurrentMap<String, Integer>> factory) {
        ConcurrentMap<String, Integer> map = filled(factory);
        map.values().removeIf(v -> {
            if (v == 7) {
                map.put("k7", 1_000);
            }
            return v < 50;
        });
        assertEquals(1_000, map.get("k7"));
        assertEquals(51, map.size());
    }

    @ParameterizedTest
    @MethodSource("maps")
    void removeIfStillRemovesWhatItJudged(Supplier<ConcurrentMap<String, Integer>> factory) {
        ConcurrentMap<String, Integer> map = filled(factory);
        assertTrue(map.values().removeIf(v -> v % 2 == 0));
        assertTrue(map.entrySet().removeIf(e -> e.getValue() % 3 == 0));
        assertTrue(map.keySet().removeIf(k -> k.endsWith("5")));
        for (int i = 0; i < 100; i++) {
            boolean kept = i % 2 != 0 && i % 3 != 0 && i % 10 != 5;
            assertEquals(kept ? Integer.valueOf(i) : null, map.get("k" + i), "k" + i);
        }
    }

    @ParameterizedTest
    @MethodSource("maps")
    void removeAllAndRetainAllOnValuesKeepALaterValue(Supplier<ConcurrentMap<String, Integer>> factory) {
        ConcurrentMap<String, Integer> map = filled(factory);
        List<Integer> doomed = List.of(3, 4);
        Iterator<Map.Entry<String, Integer>> unused = map.entrySet().iterator();
        assertTrue(unused.hasNext());
        map.values().removeAll(doomed);
        assertFalse(map.containsKey("k3"));
        map.values().retainAll(List.of(5, 6));
        assertEquals(Map.of("k5", 5, "k6", 6), Map.copyOf(map));
    }

    /** Beyond ConcurrentHashMap, whose iterators remove by key: ours remove the mapping they returned. */
    @ParameterizedTest
    @MethodSource("syncMapOnly")
    void valueAndEntryIteratorsRemoveOnlyTheMappingTheyReturned(Supplier<ConcurrentMap<String, Integer>> factory) {
        ConcurrentMap<String, Integer> map = filled(factory);
        Iterator<Integer> values = map.values().iterator();
        Integer v = values.next();
        String key = "k" + v;
        map.put(key, -1);
        values.remove();
        assertEquals(-1, map.get(key), "values iterator removed a later value");

        Iterator<Map.Entry<String, Integer>> entries = map.entrySet().iterator();
        Map.Entry<String, Integer> e = entries.next();
        map.put(e.getKey(), -2);
        entries.remove();
        assertEquals(-2, map.get(e.getKey()), "entry iterator removed a later value");

        // An entry whose setValue wrote through is removed with the value it wrote.
        Map.Entry<String, Integer> f = entries.next();
        f.setValue(-3);
        entries.remove();
        assertFalse(map.containsKey(f.getKey()), "entry iterator did not remove the value its entry set");

        Iterator<String> keys = map.keySet().iterator();
        String k = keys.next();
        map.put(k, -4);
        keys.remove();
        assertFalse(map.containsKey(k), "the key set's iterator removes by key");
    }

    static Stream<Supplier<ConcurrentMap<String, Integer>>> syncMapOnly() {
        return Stream.of(SyncMap::new);
    }
}
