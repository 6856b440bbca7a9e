/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.map;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * The probe table: an open-addressing hash table of entries with linear probing, a power of two long and at most
 * {@link #MAX_LOAD} full. Mutated only as a dirty table, under the map's lock; once promoted its slots array is
 * published in a {@link ReadOnly} and never written again.
 *
 * <p>A slot index is the spread hash ({@link SyncMap#hash}) masked to the length ({@link #home}): one AND, and an
 * index the JIT can prove in bounds, so a hit's first probe is one unchecked load. The load band trades the two
 * things a lookup pays for: each probe past the first dereferences another entry (a likely cache miss), and each
 * empty slot costs 4 bytes, twice while a dirty copy of the read table exists.
 *
 * <p>Searching without the lock ({@link #findWithoutLock}): the table that holds the keys the read table lacks is
 * also searched by lock-free readers, while the lock holder changes it. An insert fills one empty slot with a release
 * store, and a regrow publishes a new, complete slots array (the old one is never written again), so a reader sees
 * either state and finds what was there when it began. Only {@link #remove} moves entries (a backward shift, which
 * can carry a key past a reader's probe) and {@link #clear} empties slots; both run inside a sequence lock, odd while
 * they write, so a reader that overlapped one sees {@link #stamp} change and searches again under the lock.
 *
 * <p>Exception safety: every mutator allocates whatever it needs before it changes anything, so an
 * OutOfMemoryError leaves the table as it was.
 */
final class Table<K, V> {
    /**
     * The load past which an insert doubles the table. A table is built as short as holds its entries, so once it
     * has more than a few it is between MAX_LOAD / 2 and MAX_LOAD full. In a quick A/B (4 rounds; BENCHMARKS.md,
     * "What we tried") a maximum of 1/4, which makes the same tables as this one at 8,192, 65,536, 262,144 and
     * 1,000,000 entries, took {@code hits} on 65,536 ids to 0.88 of ConcurrentHashMap, against 0.65 at 1/2. The bound
     * is set by memory: just past a doubling both tables of a rebuild are at their emptiest, 24 + 16 / MAX_LOAD bytes
     * per entry with the entries, against ConcurrentHashMap's 37 to 43; at 3/8 that was 66.0 B against 42.5 B at
     * 1,600,000 entries (1.55 &times;), over the limit of 1.5 &times;, and 7/16 keeps it under (at most about 61 B).
     */
    static final double MAX_LOAD = 0.4375;
    static final int MIN_CAPACITY = 8;
    private static final int MAX_CAPACITY = 1 << 30;

    /** What {@link #findWithoutLock} returns when a writer moved entries while it searched. */
    static final Cell<?, ?> CHANGED = new Cell<>(null, 0, null);

    @SuppressWarnings("unchecked")
    static <K, V> Cell<K, V> changed() {
        return (Cell<K, V>) CHANGED;
    }

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Cell[].class);
    private static final VarHandle STAMP;

    static {
        try {
            STAMP = MethodHandles.lookup().findVarHandle(Table.class, "stamp", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Replaced whole by a regrow, after the new array is filled: lock-free readers load it once per search. */
    volatile Cell<K, V>[] slots;
    /** Entries; written under the lock, read without it only as a hint (the misses that promote). */
    private int size;
    /** The sequence lock of {@link #remove} and {@link #clear}: odd while one of them writes. */
    private int stamp;

    Table(int expectedEntries) {
        slots = newSlots(capacityFor(expectedEntries));
    }

    private Table(Cell<K, V>[] slots, int size) {
        this.slots = slots;
        this.size = size;
    }

    /** A table to be filled by copying a slots array of the same length, already counting its entries. */
    static <K, V> Table<K, V> emptyClone(int capacity, int size) {
        return new Table<>(newSlots(capacity), size);
    }

    @SuppressWarnings("unchecked")
    static <K, V> Cell<K, V>[] newSlots(int capacity) {
        AllocationFaults.allocating();
        return (Cell<K, V>[]) new Cell<?, ?>[capacity];
    }

    /** The shortest power-of-two length that holds {@code n} entries at most {@link #MAX_LOAD} full. */
    static int capacityFor(int n) {
        int length = MIN_CAPACITY;
        while (!fits(n, length)) {
            if (length == MAX_CAPACITY) {
                throw new IllegalStateException("SyncMap cannot hold more than " + (int) (MAX_CAPACITY * MAX_LOAD)
                        + " keys");
            }
            length <<= 1;
        }
        return length;
    }

    /** The slot where a key with spread hash {@code h} starts probing; {@code length} is a power of two. */
    static int home(int h, int length) {
        return h & (length - 1);
    }

    int size() {
        return size;
    }

    /**
     * The entry of {@code key} in {@code slots}, or null. The first probe, where a hit usually ends, is peeled out
     * of the loop so that it stays small enough to inline into every caller.
     */
    static <K, V> Cell<K, V> find(Cell<K, V>[] slots, Object key, int h) {
        int mask = slots.length - 1;
        int i = h & mask;
        Cell<K, V> e = slots[i];
        if (e == null || e.hash == h && (e.key == key || key.equals(e.key))) {
            return e;
        }
        return findAfter(slots, key, h, i, mask);
    }

    /** The rest of {@link #find}'s probe run, after slot {@code i}. */
    private static <K, V> Cell<K, V> findAfter(Cell<K, V>[] slots, Object key, int h, int i, int mask) {
        for (;;) {
            i = (i + 1) & mask;
            Cell<K, V> e = slots[i];
            if (e == null || e.hash == h && (e.key == key || key.equals(e.key))) {
                return e;
            }
        }
    }

    Cell<K, V> find(Object key, int h) {
        return find(slots, key, h);
    }

    /**
     * The entry of {@code key}, or null, searched without the lock while the lock holder may be changing the table;
     * {@link #CHANGED} if a {@link #remove} or {@link #clear} overlapped the search, whose answer may then be wrong.
     * A key inserted during the search may or may not be found, as if the search had come just before or after.
     */
    @SuppressWarnings("unchecked")
    Cell<K, V> findWithoutLock(Object key, int h) {
        int before = (int) STAMP.getAcquire(this);
        if ((before & 1) != 0) {
            return changed();
        }
        Cell<K, V>[] s = slots;
        int mask = s.length - 1;
        int i = h & mask;
        for (int left = s.length;; left--) {
            Cell<K, V> e = (Cell<K, V>) SLOT.getAcquire(s, i);
            if (e == null || e.hash == h && (e.key == key || key.equals(e.key))) {
                VarHandle.acquireFence(); // the slot loads above happen before the stamp is checked again
                return (int) STAMP.getOpaque(this) == before ? e : changed();
            }
            if (left == 1) {
                return changed(); // a whole pass without an empty slot: a writer was moving entries
            }
            i = (i + 1) & mask;
        }
    }

    /** Opens a sequence-locked write: lock-free searches that overlap it will see the stamp move. */
    private int beginMoves() {
        int s = stamp;
        STAMP.setOpaque(this, s + 1);
        VarHandle.storeStoreFence(); // the odd stamp is visible before any slot write that follows
        return s;
    }

    private void endMoves(int s) {
        STAMP.setRelease(this, s + 2);
    }

    /** Whether {@code n} entries fit in {@code length} slots without passing {@link #MAX_LOAD}. */
    static boolean fits(int n, int length) {
        return n <= length * MAX_LOAD;
    }

    /** Whether the next insert regrows the table. */
    boolean isFull() {
        return !fits(size + 1, slots.length);
    }

    /** Inserts an entry whose key is not in the table. */
    void insert(Cell<K, V> e) {
        if (isFull()) {
            grow(size + 1);
        }
        place(slots, e);
        size++;
    }

    /** Regrows now, if needed, so that the next {@code n} inserts allocate nothing. */
    void reserve(int n) {
        if (!fits(size + n, slots.length)) {
            grow(size + n);
        }
    }

    /** Puts {@code e} in the first empty slot of its probe run, with a release store for lock-free readers. */
    private static <K, V> void place(Cell<K, V>[] slots, Cell<K, V> e) {
        int mask = slots.length - 1;
        int i = e.hash & mask;
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        SLOT.setRelease(slots, i, e);
    }

    private void grow(int entries) {
        Cell<K, V>[] bigger = newSlots(Math.max(slots.length << 1, capacityFor(entries)));
        for (Cell<K, V> e : slots) {
            if (e != null) {
                place(bigger, e);
            }
        }
        slots = bigger;
    }

    /** Empties the table in place. */
    void clear() {
        int moves = beginMoves();
        Arrays.fill(slots, null);
        size = 0;
        endMoves(moves);
    }

    /**
     * Expunges every entry of {@code slots} for good, for entries leaving every table, and counts the live ones off
     * {@code live}. Lock held.
     */
    static void retire(Cell<?, ?>[] slots, LongAdder live) {
        for (Cell<?, ?> e : slots) {
            if (e != null && Cell.isLive(e.retire())) {
                live.decrement();
            }
        }
    }

    /** Removes the key's entry, shifting later entries of its probe run back so lookups stay correct. */
    Cell<K, V> remove(Object key, int h) {
        Cell<K, V>[] slots = this.slots;
        int mask = slots.length - 1;
        int i = h & mask;
        Cell<K, V> e;
        while ((e = slots[i]) != null && !(e.hash == h && (e.key == key || key.equals(e.key)))) {
            i = (i + 1) & mask;
        }
        if (e == null) {
            return null;
        }
        int moves = beginMoves();
        int hole = i;
        for (int j = (hole + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            // Move slots[j] into the hole unless its home lies cyclically in (hole, j], that is, unless it is fewer
            // slots from its home than from the hole.
            if (((j - slots[j].hash) & mask) >= ((j - hole) & mask)) {
                slots[hole] = slots[j];
                hole = j;
            }
        }
        slots[hole] = null;
        size--;
        endMoves(moves);
        return e;
    }
}
