/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.map;

import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The part of a SyncMap that needs its lock (Go's {@code mu}, {@code dirty} and {@code misses}), with the
 * incremental copy, compaction bookkeeping and slow-path statistics. It is a separate object so that the fields
 * the lock side writes on every miss and copy step never share a cache line with {@code SyncMap.read}, which every
 * lock-free reader loads.
 *
 * <p>Every method must be called with {@link #lock} held. Each one allocates whatever it needs before it changes a
 * field, so an OutOfMemoryError (or any Throwable) leaves the state as it was before the call, or, for a copy
 * step, as after the last slot it completed.
 */
final class Dirty<K, V> {

    /**
     * Dirty tables at least this long are never regrown in place, an O(n) rehash under the lock (tens of
     * milliseconds at a million keys): when a new key would need it, the complete dirty table is promoted instead,
     * and the next copy, incremental and sized for every key, takes its place. Like compaction, a promotion Go does
     * not make (Go's dirty map grows by rehashing, golang/go#21032). Shorter tables regrow in place, for at most
     * about half a millisecond, so maps of up to some 29,000 keys promote only on misses (and range), as Go's do.
     */
    static final int PROMOTE_INSTEAD_OF_GROW = 1 << 16;

    /** Compaction is not worth a lock round-trip for fewer dead entries than this. */
    static final int MIN_TOMBSTONES_TO_COMPACT = 64;

    /** Guards every field of this object, and every replacement of {@code SyncMap.read}. */
    final ReentrantLock lock = new ReentrantLock();

    /**
     * The dirty table, or null right after a promotion or a clear (read is then unamended). Once {@link #copy} is
     * null it holds every entry of the read table that is not expunged, plus the keys added since the last
     * promotion, so promoting it needs no copy. While a copy runs it holds that only for the read table's slots the
     * copy has passed; the keys added meanwhile are in {@link #keysReadLacks()}.
     */
    Table<K, V> table;

    /** The copy of the read table into {@link #table} in progress; null when there is none. */
    private DirtyCopy<K, V> copy;

    /**
     * Operations since the last promotion that consulted the dirty table for a key read lacked: lookups (without the
     * lock as well as under it), updates of a key only in dirty, and deletes of a key that is nowhere (a delete that
     * unlinks counts none).
     */
    private final Misses misses = new Misses();

    /**
     * Set by a compaction: promote as soon as the copy in progress completes. Volatile so that deletes can see without
     * the lock that a compaction wants their help.
     */
    volatile boolean promoteWhenCopied;

    /**
     * Deletes that marked an entry of the read table since the last expunging copy began, less the deleted entries
     * of the read table a store filled in again: an estimate of the deleted entries the read table holds, written
     * without the lock. Never negative. Without the subtraction, a key deleted and stored again over and over (Go's
     * LoadAndDeleteCollision) would trigger compaction every few dozen deletes, and each compaction would push that
     * key out of the read table, onto the locked path.
     */
    final AtomicInteger readTombstones = new AtomicInteger();

    /**
     * The slots of a read table that a promotion replaced, being emptied {@link DirtyCopy#CLONE_STEP} slots per
     * slow-path operation ({@link #clearStep}); null when there are none. A replaced read table is garbage once the
     * lock-free searches that loaded it are done, but a table of more than half a G1 region (1 MB at a 4 GB heap:
     * 262,144 slots) is a humongous object, which JDK 17's G1 reclaims only after a concurrent mark when it holds
     * references. Until then it keeps every entry it references alive through each young collection, deleted ones
     * and their keys included: with a table replaced every few tens of thousands of new keys, young pauses grew
     * from 30 to 200 ms and hardly freed anything (BENCHMARKS.md, "What we tried"). Emptied, it keeps nothing.
     * Held weakly, so that holding it never keeps it from being collected. Searches of a state that may have been
     * replaced check that it is still published before they call a key absent, and iterations pin the slots they
     * walk ({@link ReadOnly#pin}).
     */
    private WeakReference<Cell<?, ?>[]> replaced;
    /** The next slot of {@link #replaced} to empty. */
    private int replacedCursor;
    /** The slots of the read state the last {@link #promote} replaced, until {@link #clearReplaced} takes them. */
    private WeakReference<Cell<?, ?>[]> promotedOver;

    // Slow-path statistics.
    /** Misses counted before the last promotion; {@link #totalMisses()} adds the ones since. */
    private long missesBeforePromotion;
    long promotions;
    long rebuilds;
    long entriesCopied;
    /** Times a new key made the dirty table regrow in place (only tables under PROMOTE_INSTEAD_OF_GROW do). */
    long regrows;

    /** Whether a dirty table exists (read is amended, or about to be). */
    boolean exists() {
        return table != null;
    }

    boolean copying() {
        return copy != null;
    }

    /**
     * The table that holds the keys the read table lacks, to look in, add to and remove from: the dirty table itself,
     * or while a clone of read is being copied, the small table of keys added meanwhile. An amended read state
     * names it ({@link ReadOnly#amendments}) for lock-free lookups, so whenever it changes ({@link #start},
     * {@link #step}, {@link #promote}, {@link #clear}) the map publishes a new read state.
     */
    Table<K, V> amendments() {
        return copy != null && copy.added != null ? copy.added : table;
    }

    /** The entry of a key the read table lacks, or null. The dirty table must exist. */
    Cell<K, V> find(Object key, int h) {
        return amendments().find(key, h);
    }

    /** Adds the entry of a key the read table lacks (a new key, or an expunged entry coming back). */
    void add(Cell<K, V> e) {
        Table<K, V> t = amendments();
        boolean regrow = t == table && t.isFull();
        t.insert(e);
        if (regrow) {
            regrows++;
        }
    }

    /** Unlinks a key the read table lacks; returns its entry, or null. */
    Cell<K, V> remove(Object key, int h) {
        return amendments().remove(key, h);
    }

    /**
     * Whether the next new key should promote the complete dirty table rather than make it regrow (see
     * {@link #PROMOTE_INSTEAD_OF_GROW}).
     */
    boolean promoteInsteadOfGrow() {
        return table != null && copy == null && table.slots.length >= PROMOTE_INSTEAD_OF_GROW && table.isFull();
    }

    /**
     * Starts building the dirty table from {@code read}, on the first new key after a promotion: a clone when the
     * read table holds no deleted entries to expunge, else Go's expunging copy. Also expunging when a clone, which
     * keeps read's length, would have to regrow to take the keys added while it is copied. A read table short
     * enough for one clone step is cloned at once; otherwise the copy's first step is taken when the lock is
     * released.
     */
    void start(ReadOnly<K, V> read) {
        if (readTombstones.get() > 0 || !DirtyCopy.cloneFits(read.size, read.slots.length)) {
            startExpunging(read);
            return;
        }
        Table<K, V> clone = Table.emptyClone(read.slots.length, read.size);
        if (read.slots.length <= DirtyCopy.CLONE_STEP) {
            // One step copies it all: do it now, with no copy in progress and no side table for added keys.
            System.arraycopy(read.slots, 0, clone.slots, 0, read.slots.length);
            table = clone;
            entriesCopied += read.size;
        } else {
            DirtyCopy<K, V> c = DirtyCopy.cloning(read, clone, new Table<>(8));
            table = clone;
            copy = c;
        }
        rebuilds++;
    }

    /**
     * Starts rebuilding the dirty table from the read table <em>without</em> its deleted entries, and asks for a
     * promotion when done: the read table then holds no deleted entries. Go leaves them until some later new key
     * rebuilds dirty and enough misses promote it, which may be never.
     */
    void startCompaction(ReadOnly<K, V> read) {
        startExpunging(read);
        promoteWhenCopied = true;
    }

    private void startExpunging(ReadOnly<K, V> read) {
        Table<K, V> target = new Table<>(read.size + 1);
        DirtyCopy<K, V> c = DirtyCopy.expunging(read, target);
        table = target;
        copy = c;
        // Deleted entries behind the cursor are expunged now; only deletes from here on stay in the next read.
        readTombstones.set(0);
        rebuilds++;
    }

    /**
     * Advances the copy in progress, if any, by one step, and ends it once every slot is copied. Returns the read
     * state to publish: {@code read} itself, or when a clone ends and its added keys join the dirty table, read
     * amended by the dirty table (allocated before anything changes).
     */
    ReadOnly<K, V> step(ReadOnly<K, V> read) {
        DirtyCopy<K, V> c = copy;
        if (c == null) {
            return read;
        }
        if (!c.sourceCopied()) {
            entriesCopied += c.step();
        }
        if (!c.sourceCopied()) {
            return read;
        }
        ReadOnly<K, V> next = read.amended() && read.amendments != table ? read.amendedBy(table) : read;
        c.mergeAdded();
        copy = null;
        return next;
    }

    /** Counts a miss under the lock; returns whether the dirty table has now earned its promotion. */
    boolean miss() {
        return misses.increment() >= table.size() && copy == null;
    }

    /**
     * Counts a miss without the lock, for a key searched for in {@code amendments}; returns whether it may have
     * earned the promotion, which only {@link #promotionEarned()}, under the lock, can tell. {@code amendments} is
     * never longer than the dirty table, so this never says no when the answer is yes; its size is read without the
     * lock, as a hint.
     */
    boolean missWithoutLock(Table<K, V> amendments) {
        return misses.increment() >= amendments.size();
    }

    /** Whether the misses have paid for promoting the dirty table; a half-built one lacks part of read. */
    boolean promotionEarned() {
        return table != null && copy == null && misses.get() >= table.size();
    }

    /** Every miss since the map was created. */
    long totalMisses() {
        return missesBeforePromotion + misses.get();
    }

    /** Whether a compaction asked for a promotion and its copy is complete. */
    boolean compactionDone() {
        return promoteWhenCopied && copy == null && table != null;
    }

    /**
     * Hands the complete dirty table over as the new, unamended read table, and starts over with none (Go's
     * {@code missLocked} promotion). {@code replacedState} is the read state the new one is to replace, whose slots
     * {@link #clearReplaced} then empties.
     */
    ReadOnly<K, V> promote(ReadOnly<K, V> replacedState) {
        ReadOnly<K, V> promoted = new ReadOnly<>(table.slots, table.size(), null);
        AllocationFaults.allocating();
        WeakReference<Cell<?, ?>[]> over = new WeakReference<>(replacedState.slots);
        promotedOver = over;
        table = null;
        missesBeforePromotion += misses.reset();
        promotions++;
        promoteWhenCopied = false;
        return promoted;
    }

    /**
     * Schedules the slots of {@code old}, a read state a promotion has just replaced (and published over), to be
     * emptied unless an iteration pinned them; finishes emptying the previous replaced table first. The look at the
     * pin comes after the promotion published its state, so an iteration that pinned {@code old} and then saw it
     * still published is never cleared under.
     */
    void clearReplaced(ReadOnly<K, V> old) {
        WeakReference<Cell<?, ?>[]> over = promotedOver;
        promotedOver = null;
        if (over == null || !old.clearable()) {
            return;
        }
        Cell<?, ?>[] previous = replaced == null ? null : replaced.get();
        if (previous != null) {
            Arrays.fill(previous, replacedCursor, previous.length, null);
        }
        replaced = over;
        replacedCursor = 0;
        clearStep();
    }

    /** Empties the next {@link DirtyCopy#CLONE_STEP} slots of the replaced read table, if any: about a microsecond. */
    void clearStep() {
        Cell<?, ?>[] slots = replaced == null ? null : replaced.get();
        if (slots == null) {
            replaced = null;
            return;
        }
        int to = Math.min(slots.length, replacedCursor + DirtyCopy.CLONE_STEP);
        Arrays.fill(slots, replacedCursor, to, null);
        if (to == slots.length) {
            replaced = null;
            replacedCursor = 0;
        } else {
            replacedCursor = to;
        }
    }

    /**
     * A slots array holding every entry of the map that is not expunged, each once, for an iteration that must not
     * promote: the dirty table's slots, copied (an arraycopy). The dirty table must exist and its copy be complete.
     */
    Cell<K, V>[] snapshot() {
        assert copy == null : "a half-built dirty table lacks part of read";
        Cell<K, V>[] slots = table.slots;
        Cell<K, V>[] copied = Table.newSlots(slots.length);
        System.arraycopy(slots, 0, copied, 0, slots.length);
        return copied;
    }

    /** Dirty tables up to this long are emptied and kept by a clear, which then allocates nothing. */
    static final int KEEP_ON_CLEAR = 64;

    /** The empty read state amended by a dirty table that {@link #clear} kept; reused while it keeps the same one. */
    private ReadOnly<K, V> clearedRead;

    /**
     * Empties the dirty state (Go's {@code Clear}), retiring every entry it held and counting the live ones off
     * {@code live}, and returns the read state to publish: empty and unamended, or, when it kept a small dirty
     * table emptied in place (no copy running), empty and amended by it, a state made once per kept table. So a
     * clear allocates nothing but that state, and a store after it nothing but its entry. Allocates before it
     * changes anything.
     */
    ReadOnly<K, V> clear(LongAdder live) {
        boolean keep = table != null && copy == null && table.slots.length <= KEEP_ON_CLEAR;
        ReadOnly<K, V> next = ReadOnly.empty();
        if (keep) {
            if (clearedRead == null || clearedRead.amendments != table) {
                clearedRead = ReadOnly.<K, V>empty().amendedBy(table);
            }
            next = clearedRead;
        }
        if (copy != null && copy.added != null) {
            Table.retire(copy.added.slots, live);
        }
        if (table != null) {
            Table.retire(table.slots, live);
            if (keep) {
                table.clear();
            }
        }
        if (!keep) {
            table = null;
        }
        copy = null;
        missesBeforePromotion += misses.reset();
        promoteWhenCopied = false;
        readTombstones.set(0);
        return next;
    }

    /** The deleted entries that make {@code read} worth compacting: half of it, and at least a few dozen. */
    static int compactionThreshold(ReadOnly<?, ?> read) {
        return Math.max(MIN_TOMBSTONES_TO_COMPACT, read.size / 2);
    }
}
