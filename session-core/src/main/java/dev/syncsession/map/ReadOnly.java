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

    /**
     * The empty read states, shared by every map: a read table's identity stands for its contents, and these never
     * have any, so sharing them is safe (a lookup that finds read still to be the state it searched may skip the
     * second search whichever map published it).
     */
    private static final ReadOnly<?, ?> EMPTY = new ReadOnly<>(Table.newSlots(Table.MIN_CAPACITY), 0, false);
    private static final ReadOnly<?, ?> EMPTY_AMENDED = new ReadOnly<>(EMPTY.slots, 0, true);

    /** The empty, unamended read state: no dirty table. */
    @SuppressWarnings("unchecked")
    static <K, V> ReadOnly<K, V> empty() {
        return (ReadOnly<K, V>) EMPTY;
    }

    /** The empty, amended read state: a dirty table exists and holds every key. */
    @SuppressWarnings("unchecked")
    static <K, V> ReadOnly<K, V> emptyAmended() {
        return (ReadOnly<K, V>) EMPTY_AMENDED;
    }

    Cell<K, V> find(Object key, int h) {
        return Table.find(slots, key, h);
    }

    /** The same table, marked amended: published when the first key it lacks goes into dirty. */
    ReadOnly<K, V> asAmended() {
        return new ReadOnly<>(slots, size, true);
    }
}
