/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.map;

/**
 * The published read state (Go's {@code readOnly}): a slots array that is never written again once published, and
 * whether the dirty table holds keys it lacks. A reader takes both with one volatile load of {@code SyncMap.read}.
 */
final class ReadOnly<K, V> {
    final Cell<K, V>[] slots;
    /** Entries in {@code slots}, whatever their state; sizes the next dirty table. */
    final int size;
    /** True when the dirty table holds some key that {@code slots} lacks. */
    final boolean amended;

    ReadOnly(Cell<K, V>[] slots, int size, boolean amended) {
        AllocationFaults.allocating();
        this.slots = slots;
        this.size = size;
        this.amended = amended;
    }

    /** A fresh, empty, unamended read state. */
    static <K, V> ReadOnly<K, V> empty() {
        return new ReadOnly<>(Table.newSlots(1), 0, false);
    }

    Cell<K, V> find(Object key, int h) {
        return Table.find(slots, key, h);
    }

    /** The same table, marked amended: published when the first key it lacks goes into dirty. */
    ReadOnly<K, V> asAmended() {
        return new ReadOnly<>(slots, size, true);
    }
}
