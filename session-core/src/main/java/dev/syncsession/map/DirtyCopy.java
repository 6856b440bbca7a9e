/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.map;

/**
 * The incremental copy of a read table into a new dirty table. Go copies every live entry at the first new key after
 * a promotion, so that one operation, and every writer and missing load waiting for the lock, pays O(n)
 * (golang/go#21032); here the copy advances a bounded step per slow-path operation. Two kinds:
 * <ul>
 *   <li>a <em>clone</em>, when no deleted entries need expunging: the target gets the read table's slots array
 *       layout, copied with {@link System#arraycopy} {@link #CLONE_STEP} slots at a time without dereferencing an
 *       entry; keys stored meanwhile go to the small {@link #added} table and join the target when the copy is
 *       complete;</li>
 *   <li>an <em>expunging</em> copy (Go's): each entry is dereferenced, deleted ones are expunged instead of copied,
 *       {@link #COPY_STEP} slots at a time; keys stored meanwhile go straight into the target.</li>
 * </ul>
 * Used only under the map's lock. Exception safety: the cursor advances per slot, after the slot's entry is in the
 * target, so a Throwable in a step (an OutOfMemoryError as the target regrows) leaves nothing copied twice and
 * nothing skipped; the next step resumes at the slot that failed.
 */
final class DirtyCopy<K, V> {

    /** Slots an expunging copy handles per step, dereferencing each entry: a pause of a few microseconds. */
    static final int COPY_STEP = 256;

    /** Slots a clone copies per step with one arraycopy: about a microsecond. */
    static final int CLONE_STEP = 4096;

    private final Cell<K, V>[] source;
    private final Table<K, V> target;
    /** A clone's keys stored while it is copied, which the read table lacks; null for an expunging copy. */
    final Table<K, V> added;
    /** The next slot of {@link #source} to copy; source.length once every slot is copied. */
    private int cursor;

    private DirtyCopy(Cell<K, V>[] source, Table<K, V> target, Table<K, V> added) {
        AllocationFaults.allocating();
        this.source = source;
        this.target = target;
        this.added = added;
    }

    /** A clone of {@code read}: the target counts read's entries already, and has its length. */
    static <K, V> DirtyCopy<K, V> cloning(ReadOnly<K, V> read, Table<K, V> target, Table<K, V> added) {
        return new DirtyCopy<>(read.slots, target, added);
    }

    static <K, V> DirtyCopy<K, V> expunging(ReadOnly<K, V> read, Table<K, V> target) {
        return new DirtyCopy<>(read.slots, target, null);
    }

    /**
     * Whether a clone of a read table of {@code size} entries in {@code length} slots can take the keys added while
     * it is copied (at most one per step) without regrowing, an O(n) rehash under the lock.
     */
    static boolean cloneFits(int size, int length) {
        return Table.fits(size + length / CLONE_STEP + 1, length);
    }

    /** Copies the next step of slots; returns the entries it copied. */
    long step() {
        return added != null ? cloneStep() : expungingStep();
    }

    private long cloneStep() {
        int from = cursor;
        int to = Math.min(source.length, from + CLONE_STEP);
        System.arraycopy(source, from, target.slots, from, to - from);
        long copied = 0;
        for (int i = from; i < to; i++) {
            if (source[i] != null) {
                copied++;
            }
        }
        cursor = to;
        return copied;
    }

    private long expungingStep() {
        int to = Math.min(source.length, cursor + COPY_STEP);
        long copied = 0;
        for (int i = cursor; i < to; i++) {
            Cell<K, V> e = source[i];
            if (e != null && !e.tryExpungeLocked()) {
                target.insert(e);
                copied++;
            }
            cursor = i + 1;
        }
        return copied;
    }

    /** Whether every slot of the source has been copied. */
    boolean sourceCopied() {
        return cursor == source.length;
    }

    /**
     * Moves a clone's added keys into the target once the source is copied: all the room first (the one allocation),
     * then the entries.
     */
    void mergeAdded() {
        if (added == null) {
            return;
        }
        target.reserve(added.size());
        for (Cell<K, V> e : added.slots) {
            if (e != null) {
                target.insert(e);
            }
        }
    }
}
