/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.map;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One key's value slot (Go's {@code entry}), shared by the read and dirty tables so that an update through either
 * is seen through both. The slot holds one of:
 * <ul>
 *   <li>a live value: the key is mapped;</li>
 *   <li>{@code null}: deleted; the dirty table is null, or holds this entry;</li>
 *   <li>{@link #EXPUNGED}: deleted, the dirty table exists and does not hold this entry; or the entry is in no table
 *       any more (unlinked from dirty, or cleared).</li>
 * </ul>
 * Any thread may move a slot between live values and null; only the holder of the map's lock moves it to or from
 * EXPUNGED, so under the lock an entry's expunged state cannot change underfoot, and a lock-free write never lands
 * in an entry that has left every table. While an expunging copy of the read table into a new dirty table runs
 * ({@code DirtyCopy}), "the dirty table holds this entry" is decided per slot by the copy's cursor: an entry of a
 * slot behind the cursor was copied unless it was expunged then; one ahead of it counts as held, and is copied or
 * expunged when the cursor reaches it.
 */
final class Cell<K, V> {

    /** The slot value of an entry that is deleted and in no dirty table (see the class comment). */
    static final Object EXPUNGED = new Object();

    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(Cell.class, "value", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final K key;
    /** The key's spread hash ({@link SyncMap#hash}), compared before the key on every probe. */
    final int hash;
    volatile Object value;

    Cell(K key, int hash, Object value) {
        this.key = key;
        this.hash = hash;
        this.value = value;
    }

    static boolean isLive(Object p) {
        return p != null && p != EXPUNGED;
    }

    /** The live value, or null if deleted or expunged. */
    @SuppressWarnings("unchecked")
    V load() {
        Object p = value;
        return isLive(p) ? (V) p : null;
    }

    boolean compareAndSet(Object expected, Object next) {
        return VALUE.compareAndSet(this, expected, next);
    }

    /** Stores {@code v} unless expunged; returns the previous value (null if deleted) or EXPUNGED on failure. */
    Object trySwap(Object v) {
        for (;;) {
            Object p = value;
            if (p == EXPUNGED) {
                return EXPUNGED;
            }
            if (VALUE.compareAndSet(this, p, v)) {
                return p;
            }
        }
    }

    /** Unconditionally stores {@code v}; the entry must be known not to be expunged (lock held). */
    Object swap(Object v) {
        return VALUE.getAndSet(this, v);
    }

    /** Returns the live value, or null after storing {@code v} into a deleted slot, or EXPUNGED on failure. */
    Object tryLoadOrStore(Object v) {
        for (;;) {
            Object p = value;
            if (p != null) {
                return p;
            }
            if (VALUE.compareAndSet(this, null, v)) {
                return null;
            }
        }
    }

    /** Marks the slot deleted; returns the value it held (null or EXPUNGED when there was none). */
    Object delete() {
        for (;;) {
            Object p = value;
            if (!isLive(p)) {
                return p;
            }
            if (VALUE.compareAndSet(this, p, null)) {
                return p;
            }
        }
    }

    /** Moves a deleted slot to EXPUNGED; returns whether the slot is now expunged. Lock held. */
    boolean tryExpungeLocked() {
        Object p = value;
        while (p == null) {
            if (VALUE.compareAndSet(this, null, EXPUNGED)) {
                return true;
            }
            p = value;
        }
        return p == EXPUNGED;
    }

    /** Whether the slot is expunged; stable while the lock is held. */
    boolean isExpungedLocked() {
        return value == EXPUNGED;
    }

    /** Moves an expunged slot back to deleted. Lock held, and the entry known to be expunged. */
    void unexpungeLocked() {
        boolean was = VALUE.compareAndSet(this, EXPUNGED, null);
        assert was : "only lock holders leave EXPUNGED";
    }

    /** Expunges the slot for good, returning what it held; for entries leaving every table. Lock held. */
    Object retire() {
        return VALUE.getAndSet(this, EXPUNGED);
    }
}
