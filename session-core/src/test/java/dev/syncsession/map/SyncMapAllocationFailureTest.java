/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * State SyncMap changes under its lock stays consistent when an allocation there fails, as an OutOfMemoryError
 * would make it: the failing operation either took effect or did not, and every later operation sees exactly the
 * mappings a reference map holds. {@link AllocationFaults} makes the n-th allocation under the lock throw; the tests
 * below fail each allocation point of each slow path in turn (building dirty as a clone or as an expunging copy,
 * a copy step, regrowing dirty, adding the keys stored during a clone, compaction, promotion).
 */
class SyncMapAllocationFailureTest {

    /** Keys enough for the read table to need several clone steps ({@link DirtyCopy#CLONE_STEP} slots each). */
    private static final int KEYS = 6_000;

    @Test
    void everyAllocationOfTheFirstStoreAfterAPromotionMayFail() {
        for (int n = 1;; n++) {
            SyncMap<Integer, Integer> map = promoted(KEYS);
            Map<Integer, Integer> model = contents(map);
            boolean failed = failing(n, () -> map.put(-1, -1));
            settle(model, map, -1, -1);
            exercise(map, model, new Random(n));
            if (!failed) {
                return; // n passed the last allocation the operation makes: every one has been failed
            }
        }
    }

    @Test
    void everyAllocationOfAnExpungingCopyMayFail() {
        for (int n = 1;; n++) {
            SyncMap<Integer, Integer> map = promoted(KEYS);
            for (int k = 0; k < KEYS; k += 7) {
                map.remove(k); // deleted read entries: the next dirty is built by an expunging copy
            }
            Map<Integer, Integer> model = contents(map);
            boolean failed = false;
            for (int k = -1; k > -600; k--) { // enough new keys to make dirty regrow while the copy runs
                int key = k;
                failed |= failing(n, () -> map.put(key, key));
                settle(model, map, key, key);
            }
            exercise(map, model, new Random(n));
            if (!failed) {
                return;
            }
        }
    }

    /** A map in a given state, and operations on it that reach one of the slow paths. */
    private record Scenario(String name, Supplier<SyncMap<Integer, Integer>> setUp, List<Integer> newKeys,
            Consumer<SyncMap<Integer, Integer>> then) {
    }

    private static List<Scenario> scenarios() {
        List<Integer> many = IntStream.rangeClosed(1, 700).map(k -> -k).boxed().toList();
        List<Integer> one = List.of(-1);
        Consumer<SyncMap<Integer, Integer>> nothing = map -> { };
        return List.of(
                // A clone of read, incremental: the side table of added keys, its growth, the merge at the end.
                new Scenario("clone with keys added meanwhile", () -> promoted(KEYS), many, nothing),
                // An expunging copy whose target regrows, and a promotion of a dirty table that would have regrown.
                new Scenario("expunging copy", () -> withDeletes(KEYS, 7), many, nothing),
                // Misses until the dirty table is promoted.
                new Scenario("promotion by misses", () -> promoted(KEYS), one, map -> {
                    for (int k = 0; k < 3 * KEYS; k++) {
                        map.get(-KEYS - k);
                    }
                }),
                // Deletes until compaction rebuilds and promotes.
                new Scenario("compaction", () -> promoted(KEYS), List.of(), map -> {
                    for (int k = 0; k < KEYS; k++) {
                        map.remove(k);
                    }
                }),
                // Iteration helpers over an amended map copy dirty's slots.
                new Scenario("snapshot of dirty", () -> promoted(KEYS), one, map -> map.keySet().iterator()),
                // range over an amended map promotes.
                new Scenario("range", () -> promoted(KEYS), one, map -> map.range((k, v) -> true)),
                // A new map loaded in bulk.
                new Scenario("bulk load", SyncMap::new, List.of(), map -> {
                    Map<Integer, Integer> m = new HashMap<>();
                    for (int k = 0; k < KEYS; k++) {
                        m.put(k, k);
                    }
                    map.putAll(m);
                }),
                // Small maps: a dirty table that regrows in place, and a store that revives an expunged entry.
                new Scenario("small map growing", () -> withDeletes(40, 2), many, nothing),
                // A clear that keeps a small dirty table (made by the new key), and the read state amended by it that
                // it publishes.
                new Scenario("clear", () -> {
                    SyncMap<Integer, Integer> map = new SyncMap<>();
                    for (int k = 0; k < 5; k++) {
                        map.put(k, k);
                    }
                    return map;
                }, one, SyncMap::clear));
    }

    /**
     * Fails each allocation of each scenario in turn, the late ones (a copy step as the lock is released, a
     * promotion after it, a merge) as well as the first, checks the map against a model after each, and checks
     * that every allocation site of the lock side was reached and failed at least once.
     */
    @Test
    void everyAllocationOfEverySlowPathMayFailAndEverySiteIsReached() {
        for (Scenario scenario : scenarios()) {
            for (int n = 1;; n++) {
                SyncMap<Integer, Integer> map = scenario.setUp().get();
                Map<Integer, Integer> model = contents(map);
                int allocation = n;
                boolean failed = failing(n, () -> {
                    for (int key : scenario.newKeys()) {
                        map.put(key, key);
                    }
                    scenario.then().accept(map);
                });
                for (int key : scenario.newKeys()) {
                    settle(model, map, key, key);
                }
                if (scenario.name().equals("compaction")) {
                    for (int k = 0; k < KEYS; k++) {
                        if (map.get(k) == null) {
                            model.remove(k);
                        }
                    }
                } else if (scenario.name().equals("clear")) {
                    if (map.isEmpty()) {
                        model.clear();
                    }
                } else if (scenario.name().equals("bulk load")) {
                    model.putAll(contents(map));
                }
                assertSameContents(model, map, scenario.name() + ", allocation " + allocation + " failed");
                exercise(map, model, new Random(n));
                if (!failed) {
                    break;
                }
            }
        }
        // Every path to an allocation under the lock, innermost frame first. Not among them: a clone's merge of the
        // keys added meanwhile and an expunging copy's insert never regrow their target, which is sized for them.
        Set<String> expected = Set.of(
                "Table.newSlots<Table.emptyClone<Dirty.start",
                "Table.newSlots<Table.<init><Dirty.start",
                "DirtyCopy.<init><DirtyCopy.cloning<Dirty.start",
                "Table.newSlots<Table.<init><Dirty.startExpunging<Dirty.start",
                "DirtyCopy.<init><DirtyCopy.expunging<Dirty.startExpunging<Dirty.start",
                "Table.newSlots<Table.<init><Dirty.startExpunging<Dirty.startCompaction",
                "DirtyCopy.<init><DirtyCopy.expunging<Dirty.startExpunging<Dirty.startCompaction",
                "Table.newSlots<Table.grow<Table.insert<Dirty.add",
                "ReadOnly.<init><Dirty.promote",
                "Dirty.promote", // the weak reference to the replaced read table's slots, emptied later
                "ReadOnly.<init><ReadOnly.amendedBy",
                "ReadOnly.<init><ReadOnly.amendedBy<Dirty.step", // a clone ends: read amended by the whole dirty table
                "ReadOnly.<init><ReadOnly.amendedBy<Dirty.clear", // the empty state amended by a kept dirty table
                "Table.newSlots<Dirty.snapshot",
                "Table.newSlots<Table.<init>", // the bulk load's table
                "ReadOnly.<init>"); // the bulk load's read state
        Set<String> reached = AllocationFaults.sitesReached();
        Set<String> failed = AllocationFaults.sitesFailed();
        for (String site : expected) {
            assertTrue(reached.contains(site), () -> site + " never reached; reached: " + reached);
            assertTrue(failed.contains(site), () -> site + " never failed; failed: " + failed);
        }
        assertEquals(reached, failed, "every site reached was failed");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomOperationsWithAllocationsFailingAtRandomKeepTheMapExact(long seed) {
        Random random = new Random(seed);
        SyncMap<Integer, Integer> map = new SyncMap<>();
        Map<Integer, Integer> model = new HashMap<>();
        int injected = 0;
        int mostAllocations = 3; // the most allocations one operation made so far: any of them may fail
        for (int i = 0; i < 60_000; i++) {
            int key = random.nextInt(KEYS);
            int value = random.nextInt();
            int op = random.nextInt(10);
            boolean fail = random.nextInt(3) == 0;
            boolean failed;
            AllocationFaults.arm(fail ? 1 + random.nextInt(mostAllocations) : Integer.MAX_VALUE);
            try {
                failed = apply(map, op, key, value);
            } catch (AllocationFaults.InjectedFailure e) {
                failed = true;
            } finally {
                mostAllocations = Math.max(mostAllocations, AllocationFaults.disarm());
            }
            if (failed) {
                injected++;
            }
            // Whether or not the operation took effect, the map must hold one of the two values it may have left.
            Integer expectedAfter = expectedAfter(model, op, key, value);
            Integer actual = map.get(key);
            if (!Objects.equals(actual, expectedAfter)) {
                if (!failed || !Objects.equals(actual, model.get(key))) {
                    fail("seed " + seed + ", op " + i + " (" + op + ") on key " + key + ": map has " + actual
                            + ", expected " + expectedAfter + (failed ? " or " + model.get(key) : ""));
                }
            } else {
                setModel(model, key, expectedAfter);
            }
            if (i % 5_000 == 0) {
                assertSameContents(model, map, "seed " + seed + " after op " + i);
            }
        }
        assertTrue(injected > 10, "only " + injected + " failures were injected");
        assertSameContents(model, map, "seed " + seed + " at the end");
        exercise(map, model, random);
    }

    /** Applies operation {@code op}; returns false (the injected failure is thrown, not returned). */
    private static boolean apply(SyncMap<Integer, Integer> map, int op, int key, int value) {
        switch (op) {
            case 0, 1 -> map.put(key, value);
            case 2 -> map.putIfAbsent(key, value);
            case 3, 4 -> map.remove(key);
            case 5 -> map.get(key);
            case 6 -> map.replace(key, value);
            case 7 -> map.compute(key, (k, v) -> v == null ? value : null);
            case 8 -> map.merge(key, value, (a, b) -> b);
            case 9 -> {
                if (key % 97 == 0) {
                    map.range((k, v) -> true); // promotes an amended map
                } else {
                    map.get(-key - 1); // a miss: counts toward promotion
                }
            }
            default -> throw new AssertionError(op);
        }
        return false;
    }

    private static Integer expectedAfter(Map<Integer, Integer> model, int op, int key, int value) {
        Integer current = model.get(key);
        return switch (op) {
            case 0, 1, 8 -> value;
            case 2 -> current == null ? value : current;
            case 3, 4 -> null;
            case 6 -> current == null ? null : value;
            case 7 -> current == null ? value : null;
            default -> current;
        };
    }

    private static void setModel(Map<Integer, Integer> model, int key, Integer value) {
        if (value == null) {
            model.remove(key);
        } else {
            model.put(key, value);
        }
    }

    /** Runs {@code action} with the {@code n}-th allocation failing; returns whether it did fail. */
    private static boolean failing(int n, Runnable action) {
        AllocationFaults.arm(n);
        try {
            action.run();
            return false;
        } catch (AllocationFaults.InjectedFailure e) {
            return true;
        } finally {
            AllocationFaults.disarm();
        }
    }

    /** After an operation that stored {@code value} at {@code key} or failed before it: records which it was. */
    private static void settle(Map<Integer, Integer> model, SyncMap<Integer, Integer> map, int key, int value) {
        Integer actual = map.get(key);
        if (actual != null) {
            assertEquals(value, actual);
            model.put(key, value);
        }
    }

    /**
     * Drives the map through every slow path after the failure (more new keys, misses until promotion, deletes
     * until compaction, a range) and checks it against the model at each stage.
     */
    private static void exercise(SyncMap<Integer, Integer> map, Map<Integer, Integer> model, Random random) {
        assertSameContents(model, map, "right after the failure");
        for (int i = 0; i < 3 * KEYS; i++) {
            int key = random.nextInt(2 * KEYS);
            switch (random.nextInt(4)) {
                case 0 -> {
                    map.put(key, i);
                    model.put(key, i);
                }
                case 1 -> assertEquals(model.remove(key), map.remove(key), "remove " + key);
                default -> assertEquals(model.get(key), map.get(key), "get " + key);
            }
        }
        assertSameContents(model, map, "after more operations");
        map.range((k, v) -> true);
        assertSameContents(model, map, "after a promotion");
    }

    private static void assertSameContents(Map<Integer, Integer> model, SyncMap<Integer, Integer> map, String when) {
        for (Map.Entry<Integer, Integer> e : model.entrySet()) {
            assertEquals(e.getValue(), map.get(e.getKey()), () -> "key " + e.getKey() + " " + when);
        }
        assertEquals(model.size(), map.size(), "size " + when);
        Set<Integer> visited = new HashSet<>();
        map.forEach((k, v) -> {
            assertTrue(visited.add(k), () -> "key " + k + " visited twice " + when);
            assertEquals(model.get(k), v, () -> "key " + k + " " + when);
        });
        assertEquals(model.size(), visited.size(), "keys visited " + when);
    }

    private static SyncMap<Integer, Integer> promoted(int n) {
        SyncMap<Integer, Integer> map = new SyncMap<>();
        for (int i = 0; i < n; i++) {
            map.put(i, i);
        }
        map.range((k, v) -> true);
        return map;
    }

    /** A promoted map of keys 0 to n - 1 with every {@code every}-th deleted: deleted entries in its read table. */
    private static SyncMap<Integer, Integer> withDeletes(int n, int every) {
        SyncMap<Integer, Integer> map = promoted(n);
        for (int k = 0; k < n; k += every) {
            map.remove(k);
        }
        return map;
    }

    private static Map<Integer, Integer> contents(SyncMap<Integer, Integer> map) {
        Map<Integer, Integer> m = new HashMap<>();
        map.forEach(m::put);
        return m;
    }
}
