/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.map;

/**
 * The published read state (Go's {@code readOnly}): a slots array that is never written again once published, and
 * the table that holds the keys it lacks, if any. A reader takes both with one volatile load of
 * {@code SyncMap.read}.
 */
final class ReadOnly<K, V> {
    final Cell<K, V>[] slots;
    /** Entries in {@code slots}, whatever their state; sizes the next dirty table. */
    final int size;
    /**
     * Where the keys that {@code slots} lacks are (Go's {@code amended}, and past Go, the table to search for them
     * without the lock): the dirty table, or while a clone of this table is being copied into it, the small table of
     * keys added meanwhile. Null when the map holds no key that {@code slots} lacks. Whenever the lock holder starts
     * putting keys elsewhere, it publishes a new read state first.
     */
    final Table<K, V> amendments;
    /**
     * The state that first published {@code slots}: a state amended from it shares its slots, and its pin, so that a
     * pin taken on any of them holds for the array.
     */
    private final ReadOnly<K, V> base;
    /** Set on {@link #base} once an iteration walks {@code slots}: they are then never cleared (see {@link #pin}). */
    private volatile boolean pinned;

    /** A state that publishes {@code slots} for the first time. */
    ReadOnly(Cell<K, V>[] slots, int size, Table<K, V> amendments) {
        AllocationFaults.allocating();
        this.slots = slots;
        this.size = size;
        this.amendments = amendments;
        this.base = this;
    }

    private ReadOnly(ReadOnly<K, V> base, Table<K, V> amendments) {
        AllocationFaults.allocating();
        this.slots = base.slots;
        this.size = base.size;
        this.amendments = amendments;
        this.base = base;
    }

    /**
     * The empty, unamended read state, shared by every map: a read table's identity stands for its contents, and
     * this one never has any, so sharing it is safe (a lookup that finds read still to be the state it searched may
     * skip the second search whichever map published it).
     */
    private static final ReadOnly<?, ?> EMPTY = new ReadOnly<>(Table.newSlots(Table.MIN_CAPACITY), 0, null);

    @SuppressWarnings("unchecked")
    static <K, V> ReadOnly<K, V> empty() {
        return (ReadOnly<K, V>) EMPTY;
    }

    /** True when the dirty table holds some key that {@code slots} lacks (Go's {@code amended}). */
    boolean amended() {
        return amendments != null;
    }

    Cell<K, V> find(Object key, int h) {
        return Table.find(slots, key, h);
    }

    /** The same table, its missing keys in {@code amendments}. */
    ReadOnly<K, V> amendedBy(Table<K, V> amendments) {
        return new ReadOnly<>(base, amendments);
    }

    /**
     * Keeps {@code slots} from being cleared once this state is replaced, for an iteration that walks them: an
     * iterator must see every key that was present when it began, however long it runs. The caller then checks that
     * this state is still the published one (or holds the lock): a promotion publishes its new state before it looks
     * at the pin, so one of the two sees the other's write.
     */
    void pin() {
        if (!base.pinned) {
            base.pinned = true;
        }
    }

    /**
     * Whether {@code slots} may be cleared once this state has been replaced: not pinned by an iteration, and not
     * the shared empty array.
     */
    boolean clearable() {
        return !base.pinned && base != EMPTY;
    }
}
