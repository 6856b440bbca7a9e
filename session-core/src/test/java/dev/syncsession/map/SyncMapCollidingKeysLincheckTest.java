/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.map;

import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Lincheck over keys that all share one hash code, so that every key of the map is in one probe run: lookups of keys
 * the read table lacks search the dirty table without the lock while the lock holder unlinks other keys of that run
 * and shifts the entries behind them back. {@link SyncMapLincheckTest} checks every single-key operation over
 * ordinary keys; this one the lookups and the writes that move keys between the tables, plus {@code getOrDefault}
 * and {@code clear}. It does not replace {@link SyncMapLockFreeMissTest}'s race test: with the sequence lock of
 * {@link Table#findWithoutLock} removed, that test fails at once, while these scenarios passed (the model checker did
 * not choose the one interleaving that loses a key: a switch between two slot loads of the same search).
 */
@Param(name = "key", gen = IntGen.class, conf = "1:4")
@Param(name = "value", gen = IntGen.class, conf = "1:2")
public class SyncMapCollidingKeysLincheckTest {

    /** A key whose hash code every instance shares. */
    record Collider(int id) {
        @Override
        public int hashCode() {
            return 7;
        }
    }

    /** A fixed hash seed: the model checker replays each execution and needs the same tables every time. */
    private final SyncMap<Collider, Integer> map = new SyncMap<>(0);

    @Operation
    public Integer get(@Param(name = "key") int key) {
        return map.get(new Collider(key));
    }

    @Operation
    public Integer getOrDefault(@Param(name = "key") int key) {
        return map.getOrDefault(new Collider(key), -1);
    }

    @Operation
    public boolean containsKey(@Param(name = "key") int key) {
        return map.containsKey(new Collider(key));
    }

    @Operation
    public Integer put(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.put(new Collider(key), value);
    }

    @Operation
    public Integer putIfAbsent(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.putIfAbsent(new Collider(key), value);
    }

    @Operation
    public Integer remove(@Param(name = "key") int key) {
        return map.remove(new Collider(key));
    }

    @Operation
    public boolean replaceValue(@Param(name = "key") int key, @Param(name = "value") int oldValue,
            @Param(name = "value") int newValue) {
        return map.replace(new Collider(key), oldValue, newValue);
    }

    @Operation
    public void clear() {
        map.clear();
    }

    @Test
    void linearizableUnderModelChecking() {
        new ModelCheckingOptions()
                .iterations(12)
                .invocationsPerIteration(200)
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(5)
                .actorsAfter(2)
                .sequentialSpecification(SyncMapLincheckTest.Sequential.class)
                .check(getClass());
    }

    @Test
    void linearizableUnderStress() {
        new StressOptions()
                .iterations(12)
                .invocationsPerIteration(1_000)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(5)
                .actorsAfter(2)
                .sequentialSpecification(SyncMapLincheckTest.Sequential.class)
                .check(getClass());
    }
}
