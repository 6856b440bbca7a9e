/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.map;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * The probe table: an open-addressing hash table of entries with linear probing, kept between {@link #MIN_LOAD}
 * and {@link #MAX_LOAD} full. Mutated only as a dirty table, under the map's lock; once promoted its slots array is
 * published in a {@link ReadOnly} and never written again.
 *
 * <p>The length is not a power of two: a slot index is the hash's high bits scaled to the length ({@link #home}),
 * so the load factor can be held in a narrow band instead of halving on every doubling. The band trades the two
 * things a lookup pays for: each probe past the first dereferences another entry (a likely cache miss), and each
 * empty slot costs 4 bytes, twice while a dirty copy of the read table exists. At a load of 1/3 a successful lookup
 * probes 1.25 slots on average, as many nodes as a ConcurrentHashMap bin holds at its typical load; at 0.45, 1.41.
 *
 * <p>Exception safety: every mutator allocates whatever it needs before it changes anything, so an
 * OutOfMemoryError leaves the table as it was.
 */
final class Table<K, V> {
    /** The load a table is built or regrown to. */
    static final double MIN_LOAD = 0.3;
    /** The load past which an insert regrows the table. */
    static final double MAX_LOAD = 0.45;
    private static final int MIN_CAPACITY = 8;
    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

    Cell<K, V>[] slots;
    private int size;

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

    /** The length that holds {@code n} entries at {@link #MIN_LOAD}. */
    static int capacityFor(int n) {
        long wanted = (long) Math.ceil(n / MIN_LOAD);
        if (wanted > MAX_CAPACITY) {
            throw new IllegalStateException("SyncMap cannot hold more than " + (int) (MAX_CAPACITY * MAX_LOAD)
                    + " keys");
        }
        return Math.max(MIN_CAPACITY, (int) wanted);
    }

    /** The slot where a key with spread hash {@code h} starts probing: the high bits of h scaled to length. */
    static int home(int h, int length) {
        return (int) (((h & 0xFFFFFFFFL) * length) >>> 32);
    }

    int size() {
        return size;
    }

    static <K, V> Cell<K, V> find(Cell<K, V>[] slots, Object key, int h) {
        int n = slots.length;
        for (int i = home(h, n);;) {
            Cell<K, V> e = slots[i];
            if (e == null) {
                return null;
            }
            if (e.hash == h && (e.key == key || key.equals(e.key))) {
                return e;
            }
            if (++i == n) {
                i = 0;
            }
        }
    }

    Cell<K, V> find(Object key, int h) {
        return find(slots, key, h);
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

    private static <K, V> void place(Cell<K, V>[] slots, Cell<K, V> e) {
        int n = slots.length;
        int i = home(e.hash, n);
        while (slots[i] != null) {
            if (++i == n) {
                i = 0;
            }
        }
        slots[i] = e;
    }

    private void grow(int entries) {
        Cell<K, V>[] bigger = newSlots(capacityFor(entries));
        for (Cell<K, V> e : slots) {
            if (e != null) {
                place(bigger, e);
            }
        }
        slots = bigger;
    }

    /** Empties the table in place. */
    void clear() {
        Arrays.fill(slots, null);
        size = 0;
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
        int n = slots.length;
        int i = home(h, n);
        Cell<K, V> e;
        while ((e = slots[i]) != null && !(e.hash == h && (e.key == key || key.equals(e.key)))) {
            if (++i == n) {
                i = 0;
            }
        }
        if (e == null) {
            return null;
        }
        int hole = i;
        for (int j = hole + 1 == n ? 0 : hole + 1; slots[j] != null; j = j + 1 == n ? 0 : j + 1) {
            int home = home(slots[j].hash, n);
            // Move slots[j] into the hole unless its home lies cyclically in (hole, j].
            boolean homeBetween = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
            if (!homeBetween) {
                slots[hole] = slots[j];
                hole = j;
            }
        }
        slots[hole] = null;
        size--;
        return e;
    }
}
