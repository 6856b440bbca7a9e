/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.map;

import java.util.AbstractMap.SimpleEntry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Lincheck checks that every ConcurrentMap operation of SyncMap is linearizable: it runs small concurrent scenarios
 * (in stress mode on real threads, in model-checking mode over the interleavings it chooses at every shared-memory
 * access and lock) and requires each result to match some sequential order of the same operations on a
 * {@link ConcurrentHashMap}. The key space is tiny so that operations collide, and the scenarios run before them
 * fill the map, so that keys move between the read and dirty tables (misses, promotions, copies, expunging) during
 * the concurrent part.
 */
@Param(name = "key", gen = IntGen.class, conf = "1:3")
@Param(name = "value", gen = IntGen.class, conf = "1:2")
public class SyncMapLincheckTest {

    /** A fixed hash seed: the model checker replays each execution and needs the same tables every time. */
    private final SyncMap<Integer, Integer> map = new SyncMap<>(0);

    @Operation
    public Integer get(@Param(name = "key") int key) {
        return map.get(key);
    }

    @Operation
    public boolean containsKey(@Param(name = "key") int key) {
        return map.containsKey(key);
    }

    @Operation
    public Integer put(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.put(key, value);
    }

    @Operation
    public Integer putIfAbsent(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.putIfAbsent(key, value);
    }

    @Operation
    public Integer remove(@Param(name = "key") int key) {
        return map.remove(key);
    }

    @Operation
    public boolean removeValue(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.remove(key, value);
    }

    @Operation
    public Integer replace(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.replace(key, value);
    }

    @Operation
    public boolean replaceValue(@Param(name = "key") int key, @Param(name = "value") int oldValue,
            @Param(name = "value") int newValue) {
        return map.replace(key, oldValue, newValue);
    }

    @Operation
    public Integer compute(@Param(name = "key") int key, @Param(name = "value") int value) {
        // Adds value, and removes the mapping when the sum reaches 4: insert, update and delete in one function.
        return map.compute(key, (k, v) -> v == null ? value : (v + value >= 4 ? null : v + value));
    }

    @Operation
    public Integer computeIfAbsent(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.computeIfAbsent(key, k -> value);
    }

    @Operation
    public Integer computeIfPresent(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.computeIfPresent(key, (k, v) -> v == value ? null : value);
    }

    @Operation
    public Integer merge(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.merge(key, value, (a, b) -> a + b >= 4 ? null : a + b);
    }

    @Operation
    public boolean keySetRemove(@Param(name = "key") int key) {
        return map.keySet().remove(key);
    }

    @Operation
    public boolean entrySetRemove(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.entrySet().remove(new SimpleEntry<>(key, value));
    }

    @Operation
    public boolean entrySetContains(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.entrySet().contains(Map.entry(key, value));
    }

    @Test
    void linearizableUnderModelChecking() {
        new ModelCheckingOptions()
                .iterations(60)
                .invocationsPerIteration(200)
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(4)
                .actorsAfter(2)
                .sequentialSpecification(Sequential.class)
                .check(getClass());
    }

    @Test
    void linearizableUnderStress() {
        new StressOptions()
                .iterations(60)
                .invocationsPerIteration(1_000)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(4)
                .actorsAfter(2)
                .sequentialSpecification(Sequential.class)
                .check(getClass());
    }

    /** The sequential specification: the same operations on a ConcurrentHashMap, used by one thread. */
    public static class Sequential {
        private final Map<Integer, Integer> map = new ConcurrentHashMap<>();

        public Integer get(int key) {
            return map.get(key);
        }

        public boolean containsKey(int key) {
            return map.containsKey(key);
        }

        public Integer put(int key, int value) {
            return map.put(key, value);
        }

        public Integer putIfAbsent(int key, int value) {
            return map.putIfAbsent(key, value);
        }

        public Integer remove(int key) {
            return map.remove(key);
        }

        public boolean removeValue(int key, int value) {
            return map.remove(key, value);
        }

        public Integer replace(int key, int value) {
            return map.replace(key, value);
        }

        public boolean replaceValue(int key, int oldValue, int newValue) {
            return map.replace(key, oldValue, newValue);
        }

        public Integer compute(int key, int value) {
            return map.compute(key, (k, v) -> v == null ? value : (v + value >= 4 ? null : v + value));
        }

        public Integer computeIfAbsent(int key, int value) {
            return map.computeIfAbsent(key, k -> value);
        }

        public Integer computeIfPresent(int key, int value) {
            return map.computeIfPresent(key, (k, v) -> v == value ? null : value);
        }

        public Integer merge(int key, int value) {
            return map.merge(key, value, (a, b) -> a + b >= 4 ? null : a + b);
        }

        public boolean keySetRemove(int key) {
            return map.keySet().remove(key);
        }

        public boolean entrySetRemove(int key, int value) {
            return map.entrySet().remove(new SimpleEntry<>(key, value));
        }

        public boolean entrySetContains(int key, int value) {
            return map.entrySet().contains(Map.entry(key, value));
        }

        /** For {@link SyncMapCollidingKeysLincheckTest}, which shares this specification. */
        public Integer getOrDefault(int key) {
            return map.getOrDefault(key, -1);
        }

        /** For {@link SyncMapCollidingKeysLincheckTest}, which shares this specification. */
        public void clear() {
            map.clear();
        }
    }
}
