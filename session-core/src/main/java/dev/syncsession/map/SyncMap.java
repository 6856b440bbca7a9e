/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.map;

import static dev.syncsession.map.Cell.EXPUNGED;
import static dev.syncsession.map.Cell.isLive;

import java.lang.invoke.VarHandle;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * A concurrent map for keys that are written once and read many times, ported from Go's {@code sync.Map}
 * (the read/dirty design of Go 1.20&ndash;1.23).
 *
 * <p>The map keeps two tables. The <em>read</em> table is immutable once published and is read with a single
 * volatile load and no lock, so a lookup of a key that is in it costs one hash probe and writes no shared memory.
 * The <em>dirty</em> table is guarded by a lock; when it exists it holds every live entry of the read table plus
 * the keys added since the read table was published. A lookup (or an update) that misses the read table while the
 * dirty table holds more keys counts a <em>miss</em> and searches the dirty table (Go takes the lock for it; this map
 * searches without the lock, and takes it only if a writer moved the dirty table's entries meanwhile); once the
 * misses reach the dirty table's size the dirty table is promoted to be the new read table (a reference swap, not a copy) and the cost of the next copy
 * has been paid for by the lock acquisitions it saves. Both tables share one {@code Cell} per key whose value
 * slot is swapped atomically between a live value, <em>deleted</em> ({@code null}) and <em>expunged</em> (deleted
 * and left out of the dirty table), so an update through either table is seen through both.
 *
 * <p>Use it where keys are stable: each key written once and then read by many threads (caches that only grow,
 * session indexes keyed by id), or threads working on disjoint key sets. For workloads that keep adding new keys
 * while reading recently added ones, {@link java.util.concurrent.ConcurrentHashMap} is usually the better choice.
 *
 * <h2>Go to Java</h2>
 * <table class="striped">
 *   <caption>Go's sync.Map operations and their SyncMap equivalents</caption>
 *   <thead><tr><th scope="col">Go</th><th scope="col">SyncMap</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code Load}</td><td>{@link #get(Object)}</td></tr>
 *     <tr><td>{@code Store}, {@code Swap}</td><td>{@link #put(Object, Object)}</td></tr>
 *     <tr><td>{@code LoadOrStore}</td><td>{@link #putIfAbsent(Object, Object)}</td></tr>
 *     <tr><td>{@code LoadAndDelete}, {@code Delete}</td><td>{@link #remove(Object)}</td></tr>
 *     <tr><td>{@code CompareAndSwap}</td><td>{@link #replace(Object, Object, Object)}</td></tr>
 *     <tr><td>{@code CompareAndDelete}</td><td>{@link #remove(Object, Object)}</td></tr>
 *     <tr><td>{@code Clear}</td><td>{@link #clear()}</td></tr>
 *     <tr><td>{@code Range}</td><td>{@link #range(BiPredicate)}; {@link #forEach(BiConsumer)} never stops</td></tr>
 *     <tr><td>(none: golang/go#20680)</td><td>{@link #size()}, {@link #isEmpty()}, {@link #mappingCount()}</td></tr>
 *   </tbody>
 * </table>
 *
 * <h2>Thread safety and memory model</h2>
 * All methods are safe to call from any thread. Every single-key operation is atomic (linearizable). A write of a
 * mapping <em>happens-before</em> any read that observes it, as for {@link ConcurrentMap}. The bulk operations
 * ({@link #putAll(Map)}, {@link #replaceAll(BiFunction)}, {@link #clear()}, {@link #equals(Object)}) are not
 * atomic as a whole. {@link #size()} is exact when no write is in flight, and otherwise an estimate that is never
 * negative.
 *
 * <h2>Nulls</h2>
 * Like {@link java.util.concurrent.ConcurrentHashMap}, this map accepts neither null keys nor null values, and
 * queries with a null key or value throw {@link NullPointerException} ({@code remove(key, null)} returns false, and
 * {@code getOrDefault(key, null)} is allowed, also as there).
 *
 * <h2>Cost</h2>
 * <ul>
 *   <li>{@code get}, {@code containsKey}, and updates of a key already in the read table: one hash probe, no lock,
 *       no allocation.</li>
 *   <li>A lookup of a key only in the dirty table: takes the lock, amortized O(1).</li>
 *   <li>Adding a key: takes the lock, amortized O(1). The first new key after a promotion starts copying the read
 *       table into a new dirty table; the copy is spread over the following slow-path operations, a bounded step
 *       each, instead of stalling one operation (and every writer waiting for it) for O(n) as Go does.</li>
 *   <li>{@code size}, {@code isEmpty}: O(1), no lock.</li>
 *   <li>{@link #range(BiPredicate)} and {@link #forEach(BiConsumer)}: O(n); when the read table is amended they
 *       first promote the dirty table, as Go's {@code Range} does.</li>
 *   <li>The views' iterators, {@code containsValue}, {@code equals}, {@code hashCode}, {@code toString},
 *       {@code replaceAll}: O(n), and they never promote: over an amended map they walk a copy of the dirty
 *       table's slots (one arraycopy under the lock), so a {@code toString()} in a log line does not cost a
 *       promotion and the rebuild that follows it.</li>
 *   <li>{@code clear}: O(n) in the entries it retires.</li>
 * </ul>
 *
 * <h2>Functions passed in</h2>
 * The remapping functions of {@code compute}, {@code computeIfAbsent}, {@code computeIfPresent} and
 * {@code merge} are called without any lock held and may be called more than once when another thread changes the
 * same key concurrently; only the result of the last call is installed, and an update is never lost. They should be
 * short and free of side effects, and may call methods of this map. Unlike
 * {@link java.util.concurrent.ConcurrentHashMap}, no thread is ever blocked while a function runs.
 *
 * <h2>Iteration</h2>
 * {@link #range(BiPredicate)} and the iterators of the collection views are <em>weakly consistent</em>: they never
 * throw {@link java.util.ConcurrentModificationException}, never block writers, visit every key that is present for
 * the whole iteration exactly once, never visit a key twice, and may or may not reflect changes made during the
 * iteration. Spliterators report {@link Spliterator#CONCURRENT}, {@link Spliterator#DISTINCT} and
 * {@link Spliterator#NONNULL}. The views' iterators, {@link #forEach(BiConsumer)} and {@link #toString()} follow one
 * unspecified order; {@link #range(BiPredicate)}, as Go's {@code Range}, starts at a random place each call.
 * Removal through the iterators of the value and entry views (and so their {@code removeIf}, {@code removeAll} and
 * {@code retainAll}) removes a mapping only while it still holds the value the iterator returned, as
 * {@link java.util.concurrent.ConcurrentHashMap#remove(Object, Object)} would: a value stored after a predicate
 * judged the old one is kept. The key set's iterator removes by key.
 *
 * <h2>Beyond Go</h2>
 * The map counts live mappings, so {@link #size()} is O(1); the read-to-dirty copy is incremental, so no operation
 * pays for all of it (golang/go#21032); a delete that finds its key only in the dirty table removes it there
 * (golang/go#40999), and once deleted entries could make up half of the read table it is compacted, so deleted keys
 * become garbage without waiting for new keys; an update that takes the lock for a key only in the dirty table counts
 * a miss, as a lookup does, so keys written often and read elsewhere (a store behind a cache) are promoted too;
 * {@link #stats()} reports what the slow paths did, counted under the
 * lock so reads stay free of shared writes. The {@linkplain dev.syncsession.map package documentation} says how.
 *
 * <h2>Errors</h2>
 * An Error thrown inside the map (an {@link OutOfMemoryError} while it allocates a table) leaves it consistent: the
 * operation that threw took effect or did not, and every mapping is as the operations that completed left it.
 *
 * @param <K> the type of keys
 * @param <V> the type of values
 */
public final class SyncMap<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V> {

    /**
     * The read table, loaded once by every operation and searched without the lock. Its slots are never written
     * while it is published (a promotion empties them once it has replaced it: {@link Dirty#clearReplaced});
     * {@code read.amended} says whether {@link #dirty} holds keys it lacks. Replaced only under {@link #lock}, by
     * {@link #publish}: by a promotion, by the first new key after one (to mark it amended), and by {@link #clear()}.
     */
    volatile ReadOnly<K, V> read = ReadOnly.empty();

    /**
     * {@code read.slots}, written after {@link #read} by {@link #publish}: a lookup's first search loads it directly,
     * one dependent load fewer than through {@code read} on the path every hit takes. A search that finds nothing
     * in it goes on with {@code read}, and searches again when read holds other slots.
     */
    private volatile Cell<K, V>[] readSlots = read.slots;

    /** The odd multiplier that spreads every key's hash ({@link #hash(Object, long)}); differs from map to map. */
    private final long hashMultiplier;

    /** Everything that needs {@link #lock}: the dirty table, the copy into it, misses and statistics. */
    final Dirty<K, V> dirty = new Dirty<>();

    /** Go's {@code mu}: guards {@link #dirty} and every replacement of {@link #read}. */
    private final ReentrantLock lock = dirty.lock;

    /** Live mappings: moved on every absent-to-live and live-to-absent transition of an entry's value slot. */
    private final LongAdder live = new LongAdder();

    private Set<K> keySetView;
    private Collection<V> valuesView;
    private Set<Map.Entry<K, V>> entrySetView;

    /** Creates an empty map. */
    public SyncMap() {
        this(ThreadLocalRandom.current().nextLong());
    }

    /**
     * A map whose slots follow from this seed: the same keys in the same order make the same tables. For tests that
     * replay executions (Lincheck's model checker); every other map takes a random seed.
     */
    SyncMap(long hashSeed) {
        this.hashMultiplier = multiplier(hashSeed);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Load

    /**
     * Returns the value for {@code key}, or null if there is none (Go's {@code Load}).
     *
     * @throws NullPointerException if {@code key} is null
     */
    @Override
    public V get(Object key) {
        Cell<K, V> e = lookup(key, hash(key));
        return e == null ? null : e.load();
    }

    /**
     * Returns the value for {@code key}, or {@code defaultValue} if there is none.
     *
     * @throws NullPointerException if {@code key} is null
     */
    @Override
    public V getOrDefault(Object key, V defaultValue) {
        V v = get(key);
        return v == null ? defaultValue : v;
    }

    /**
     * Returns true if {@code key} is mapped.
     *
     * @throws NullPointerException if {@code key} is null
     */
    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    /**
     * Returns true if some key maps to a value equal to {@code value}. O(n); never promotes.
     *
     * @throws NullPointerException if {@code value} is null
     */
    @Override
    public boolean containsValue(Object value) {
        Objects.requireNonNull(value, "value");
        return !visit(iterationSlots(), 0, (k, v) -> !(v == value || value.equals(v)));
    }

    /**
     * Finds the entry for a key: in the read table, else, if the dirty table may hold it, there, counting a miss;
     * neither search takes the lock unless a writer moved entries of the dirty table during it. The entry's value
     * may be live, deleted or expunged.
     */
    private Cell<K, V> lookup(Object key, int h) {
        Cell<K, V>[] slots = readSlots;
        Cell<K, V> e = Table.find(slots, key, h);
        return e != null ? e : lookupMissed(key, h, slots);
    }

    /**
     * The rest of {@link #lookup} once {@code searched}, the read slots it loaded, lacked the key: the search is
     * made again in the read state's slots if they are others; then the dirty table's answer if the state is
     * amended; else absent, unless the state was replaced during the search, whose slots a promotion then empties
     * ({@link Dirty#clearReplaced}), so the search is made again in the state that replaced it.
     */
    private Cell<K, V> lookupMissed(Object key, int h, Cell<K, V>[] searched) {
        ReadOnly<K, V> r = read;
        if (r.slots != searched) {
            Cell<K, V> e = r.find(key, h);
            if (e != null) {
                return e;
            }
        }
        for (;;) {
            if (r.amended()) {
                return lookupAmended(key, h, r);
            }
            if (stillPublished(r)) {
                return null;
            }
            r = read;
            Cell<K, V> e = r.find(key, h);
            if (e != null) {
                return e;
            }
        }
    }

    /**
     * Whether {@code r}, a read state a lock-free search just found without a key, is still the published one, so
     * that the key is absent: once replaced, its slots may have been emptied under the search.
     */
    private boolean stillPublished(ReadOnly<K, V> r) {
        VarHandle.acquireFence(); // the search's slot loads come before this look at read
        return read == r;
    }

    /**
     * The second half of {@link #lookup}, kept apart so that the first stays small enough to inline anywhere: the
     * key is not in read, which is amended. Past Go, whose every such lookup takes the lock (golang/go#21032), the
     * dirty table is searched without it; a miss is counted all the same, so misses still promote.
     */
    private Cell<K, V> lookupAmended(Object key, int h, ReadOnly<K, V> r) {
        Cell<K, V> e = findAmended(key, h, r);
        if (e == Table.CHANGED) {
            return lookupSlow(key, h, r);
        }
        missWithoutLock(r);
        return e;
    }

    /**
     * The entry of a key that {@code r}, the amended read state, lacks, searched for in the table of keys it lacks
     * without the lock: the entry, null, or {@link Table#CHANGED} when a writer moved that table's entries or
     * replaced the read state during the search, whose answer then does not stand.
     */
    private Cell<K, V> findAmended(Object key, int h, ReadOnly<K, V> r) {
        Cell<K, V> e = r.amendments.findWithoutLock(key, h);
        return read == r ? e : Table.changed();
    }

    /** Counts a miss of a lock-free search of {@code r}'s amendments; promotes if the misses have paid for it. */
    private void missWithoutLock(ReadOnly<K, V> r) {
        if (dirty.missWithoutLock(r.amendments)) {
            lock.lock();
            try {
                if (read.amended() && dirty.promotionEarned()) {
                    promoteLocked();
                }
            } finally {
                unlockAfterCopyStep();
            }
        }
    }

    /** The slow half of {@link #lookup}: under the lock, when a lock-free search of the dirty table was disturbed. */
    private Cell<K, V> lookupSlow(Object key, int h, ReadOnly<K, V> searched) {
        lock.lock();
        try {
            // read may have been replaced while we waited for the lock: look again before consulting dirty (a read
            // table never changes, so if it is still the one we searched, the answer stands).
            ReadOnly<K, V> r = read;
            Cell<K, V> e = r == searched ? null : r.find(key, h);
            if (e == null && r.amended()) {
                e = dirty.find(key, h);
                // Whether or not dirty had it, this lookup paid for the lock: count it until dirty is promoted.
                missLocked();
            }
            return e;
        } finally {
            unlockAfterCopyStep();
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Store

    /**
     * Maps {@code key} to {@code value} and returns the previous value, or null (Go's {@code Store} and
     * {@code Swap}).
     *
     * @throws NullPointerException if {@code key} or {@code value} is null
     */
    @Override
    public V put(K key, V value) {
        Objects.requireNonNull(value, "value");
        int h = hash(key);
        ReadOnly<K, V> seen = read;
        Cell<K, V> e = seen.find(key, h);
        if (e != null) {
            Object previous = e.trySwap(value);
            if (previous != EXPUNGED) {
                if (previous == null) {
                    noteReadTombstoneRevived();
                }
                return countedIn(previous);
            }
        } else if (seen.amended()) {
            // Only in dirty, perhaps: update it there without the lock, counting a miss as storeSlow would.
            Cell<K, V> d = findAmended(key, h, seen);
            if (d != null && d != Table.CHANGED) {
                Object previous = d.trySwap(value);
                if (previous != EXPUNGED) {
                    missWithoutLock(seen);
                    return countedIn(previous);
                }
            }
        }
        return storeSlow(key, h, value, seen, e);
    }

    /**
     * The slow half of {@link #put}: takes the lock, looks at read again (it may have changed while we waited),
     * then at dirty. Returns the previous value, or null.
     */
    private V storeSlow(K key, int h, V value, ReadOnly<K, V> seen, Cell<K, V> e) {
        lock.lock();
        try {
            ReadOnly<K, V> r = read;
            if (r != seen) {
                e = r.find(key, h);
            }
            if (e != null && e.isExpungedLocked()) {
                if (unexpungeLocked(e)) {
                    return countedIn(e.swap(value)); // no read tombstone: the copy that expunged it reset them
                }
                r = read;
                e = null;
            } else if (e != null) {
                Object previous = e.swap(value);
                if (previous == null) {
                    noteReadTombstoneRevived();
                }
                // Counted before the copy step as the lock is released, which may fail to allocate: the store has
                // taken effect.
                return countedIn(previous);
            }
            if (r.amended() && (e = dirty.find(key, h)) != null) {
                V previous = countedIn(e.swap(value));
                // Past Go, whose Store and Swap count no miss here: a key that is written again and again but read
                // elsewhere (a session store behind a cache saves every request and loads almost never) would take
                // the lock on every write until something else promoted dirty. Counted like a lookup's miss, n such
                // writes pay for the O(n) promotion that puts the key in read.
                missLocked();
                return previous;
            }
            addLocked(r, new Cell<>(key, h, value));
            return countedIn(null);
        } finally {
            unlockAfterCopyStep();
        }
    }

    /**
     * Puts an expunged entry of the read table back into dirty, which lacks it, so that a store can fill it in; the
     * insert comes first, so that if it fails the entry is still expunged and nothing has changed. When dirty is
     * full and too long to regrow in place ({@link Dirty#PROMOTE_INSTEAD_OF_GROW}) it promotes dirty instead and
     * returns false: the entry is then in no table, and the key is to be added as a new one.
     */
    private boolean unexpungeLocked(Cell<K, V> e) {
        if (dirty.promoteInsteadOfGrow()) {
            promoteLocked();
            return false;
        }
        dirty.add(e);
        e.unexpungeLocked();
        return true;
    }

    /**
     * Maps {@code key} to {@code value} unless it is already mapped; returns the existing value, or null if
     * {@code value} was stored (Go's {@code LoadOrStore}).
     *
     * @throws NullPointerException if {@code key} or {@code value} is null
     */
    @Override
    public V putIfAbsent(K key, V value) {
        Objects.requireNonNull(value, "value");
        return loadOrStore(key, hash(key), value);
    }

    /** Go's LoadOrStore: returns the existing live value, or null after storing {@code value}. */
    private V loadOrStore(K key, int h, V value) {
        ReadOnly<K, V> seen = read;
        Cell<K, V> e = seen.find(key, h);
        if (e != null) {
            Object actual = e.tryLoadOrStore(value);
            if (actual != EXPUNGED) {
                if (actual == null) {
                    noteReadTombstoneRevived();
                }
                return countedIn(actual);
            }
        }
        return loadOrStoreSlow(key, h, value, seen, e);
    }

    /**
     * The slow half of {@link #loadOrStore}; returns the existing live value, or null after storing. {@code e} is
     * what the search of {@code seen} found, which stands if seen is still the read state.
     */
    private V loadOrStoreSlow(K key, int h, V value, ReadOnly<K, V> seen, Cell<K, V> e) {
        lock.lock();
        try {
            ReadOnly<K, V> r = read;
            if (r != seen) {
                e = r.find(key, h);
            }
            if (e != null && e.isExpungedLocked()) {
                if (unexpungeLocked(e)) {
                    return countedIn(e.tryLoadOrStore(value));
                }
                r = read;
                e = null;
            } else if (e != null) {
                Object actual = e.tryLoadOrStore(value); // cannot see EXPUNGED: only lock holders expunge
                if (actual == null) {
                    noteReadTombstoneRevived();
                }
                return countedIn(actual);
            }
            if (r.amended() && (e = dirty.find(key, h)) != null) {
                Object actual = e.tryLoadOrStore(value);
                V counted = countedIn(actual);
                missLocked();
                return counted;
            }
            addLocked(r, new Cell<>(key, h, value));
            return countedIn(null);
        } finally {
            unlockAfterCopyStep();
        }
    }

    /**
     * Replaces the value of {@code key} only if it is mapped; returns the previous value, or null.
     *
     * @throws NullPointerException if {@code key} or {@code value} is null
     */
    @Override
    public V replace(K key, V value) {
        Objects.requireNonNull(value, "value");
        Cell<K, V> e = lookup(key, hash(key));
        if (e == null) {
            return null;
        }
        for (;;) {
            Object p = e.value;
            if (!isLive(p)) {
                return null;
            }
            if (e.compareAndSet(p, value)) {
                return cast(p);
            }
        }
    }

    /**
     * Replaces the value of {@code key} with {@code newValue} only if it is mapped to a value equal to
     * {@code oldValue} (Go's {@code CompareAndSwap}).
     *
     * @throws NullPointerException if any argument is null
     */
    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        Objects.requireNonNull(oldValue, "oldValue");
        Objects.requireNonNull(newValue, "newValue");
        Cell<K, V> e = lookup(key, hash(key));
        if (e == null) {
            return false;
        }
        for (;;) {
            Object p = e.value;
            if (!isLive(p) || !(p == oldValue || oldValue.equals(p))) {
                return false;
            }
            if (e.compareAndSet(p, newValue)) {
                return true;
            }
        }
    }

    /**
     * Copies every mapping of {@code m} into this map, one {@link #put} at a time (not atomic as a whole); into a map
     * that is empty and has never had a dirty table (a new map: a restore at start), as one read table built
     * outside the lock and published at once, so that loading a million keys costs a million inserts into one
     * table instead of the dirty table's growth, promotions and read-to-dirty copies.
     *
     * @throws NullPointerException if {@code m} or any of its keys or values is null
     */
    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        if (m.size() >= BULK_LOAD_MIN && read == ReadOnly.<K, V>empty() && loadedInBulk(m)) {
            return;
        }
        for (Map.Entry<? extends K, ? extends V> e : m.entrySet()) {
            put(e.getKey(), e.getValue());
        }
    }

    /** Below this many mappings, {@link #putAll} puts one at a time: the bulk build would gain nothing. */
    static final int BULK_LOAD_MIN = 16;

    /**
     * Publishes {@code m} as the read table if this map is still empty, without a dirty table, once the table is
     * built; false, changing nothing, if anything was stored meanwhile (the caller then puts one at a time).
     */
    private boolean loadedInBulk(Map<? extends K, ? extends V> m) {
        Table<K, V> table = new Table<>(m.size());
        for (Map.Entry<? extends K, ? extends V> e : m.entrySet()) {
            K key = Objects.requireNonNull(e.getKey(), "key");
            V value = Objects.requireNonNull(e.getValue(), "value");
            int h = hash(key);
            Cell<K, V> existing = table.find(key, h);
            if (existing == null) {
                table.insert(new Cell<>(key, h, value));
            } else {
                existing.trySwap(value); // a map whose keys are not distinct (a view): the later one wins, as put
            }
        }
        lock.lock();
        try {
            if (read != ReadOnly.<K, V>empty() || dirty.exists()) {
                return false;
            }
            // Allocated first: if that fails, nothing has changed.
            ReadOnly<K, V> loaded = new ReadOnly<>(table.slots, table.size(), null);
            live.add(table.size());
            publish(loaded);
            return true;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Delete

    /**
     * Removes the mapping for {@code key} and returns its value, or null if there was none (Go's
     * {@code LoadAndDelete} and {@code Delete}).
     *
     * @throws NullPointerException if {@code key} is null
     */
    @Override
    public V remove(Object key) {
        int h = hash(key);
        for (;;) {
            ReadOnly<K, V> r = read;
            Cell<K, V> e = r.find(key, h);
            if (e != null) {
                return deleteInRead(e);
            }
            if (r.amended()) {
                return deleteSlow(key, h);
            }
            if (stillPublished(r)) {
                return null;
            }
        }
    }

    /**
     * Deletes an entry of the read table, lock-free; returns the value removed, or null. The live count moves
     * first: counting the tombstone may start a compaction, whose allocation may fail after the delete took effect.
     */
    private V deleteInRead(Cell<K, V> e) {
        V removed = countedOut(e.delete());
        if (removed != null) {
            noteReadTombstone();
        }
        return removed;
    }

    /**
     * The slow half of {@link #remove(Object)}, for a key the read table lacked: takes the lock, looks at read
     * again, then at dirty. Returns the value removed, or null.
     */
    private V deleteSlow(Object key, int h) {
        Cell<K, V> e;
        lock.lock();
        try {
            ReadOnly<K, V> r = read;
            e = r.find(key, h);
            if (e == null && r.amended()) {
                // Only in dirty: unlink it there so the key becomes garbage now (golang/go#40999), retired first so
                // that no lock-free writer holding it can store into it once it is unreachable.
                Cell<K, V> removed = dirty.find(key, h);
                if (removed == null) {
                    // Absent: as in Go, a miss, so that deletes of keys that are nowhere (Go's DeleteCollision, once
                    // its key is gone) promote dirty and then stay on the lock-free path.
                    missLocked();
                    return null;
                }
                // Unlinked: unlike Go, no miss. Counting it promotes the dirty table, and the next new key rebuilds
                // it, on every round of a store-then-delete loop (Go's SwapMostlyMisses, LoadAndDeleteCollision).
                V previous = countedOut(removed.retire());
                dirty.remove(key, h);
                return previous;
            }
        } finally {
            unlockAfterCopyStep();
        }
        // Promoted into read while we waited: delete it there, lock-free, as the fast path would have.
        return e == null ? null : deleteInRead(e);
    }

    /**
     * Removes the mapping for {@code key} only if it maps to a value equal to {@code value} (Go's
     * {@code CompareAndDelete}).
     *
     * @return true if the mapping was removed; false if {@code value} is null
     * @throws NullPointerException if {@code key} is null
     */
    @Override
    public boolean remove(Object key, Object value) {
        int h = hash(key);
        if (value == null) {
            return false;
        }
        for (;;) {
            Cell<K, V> e = lookup(key, h);
            if (e == null) {
                return false;
            }
            Object p = e.value;
            if (!isLive(p) || !(p == value || value.equals(p))) {
                return false;
            }
            if (deleteExact(e, key, h, p)) {
                return true;
            }
        }
    }

    /**
     * Deletes {@code e} if its slot still holds exactly {@code expected}. An entry of the read table is only marked
     * deleted; an entry found only in the dirty table is unlinked from it under the lock, so the key does not leak.
     */
    private boolean deleteExact(Cell<K, V> e, Object key, int h, Object expected) {
        ReadOnly<K, V> r = read;
        if (r.find(key, h) != e) {
            lock.lock();
            try {
                r = read;
                if (r.find(key, h) != e) {
                    if (!r.amended() || dirty.find(key, h) != e || !e.compareAndSet(expected, EXPUNGED)) {
                        return false;
                    }
                    dirty.remove(key, h);
                    live.decrement();
                    return true;
                }
            } finally {
                unlockAfterCopyStep();
            }
        }
        if (e.compareAndSet(expected, null)) {
            live.decrement();
            noteReadTombstone();
            return true;
        }
        return false;
    }

    /**
     * Removes every mapping (Go's {@code Clear}). Loads and stores that start after this call see an empty map at
     * once; O(n) in the entries it retires.
     */
    @Override
    public void clear() {
        lock.lock();
        try {
            Cell<K, V>[] retiredSlots = read.slots;
            // Retire the old entries: a thread still holding one sees EXPUNGED and retries against the new tables,
            // so no store can land in an entry that is no longer reachable, and the live count stays exact. A small
            // dirty table is emptied and kept, and read published as the shared empty, amended state, so the next
            // store allocates nothing but its entry (Go's Clear benchmark: clear, then store one key, each round).
            publish(dirty.clear(live));
            Table.retire(retiredSlots, live);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Counts a delete that left a deleted entry in the read table, and compacts once such entries could make up
     * half of it: rebuild dirty (which expunges them) and promote it as soon as the copy completes. Compaction is
     * O(n) but needs n/2 deletes to trigger, and its copy advances by a bounded step per delete (or other slow-path
     * operation), so deletes stay amortized O(1).
     */
    private void noteReadTombstone() {
        // While a compaction is copying, every such delete takes the lock to advance it, so it finishes even if no
        // other slow-path operation comes.
        if (dirty.readTombstones.incrementAndGet() >= Dirty.compactionThreshold(read) || dirty.promoteWhenCopied) {
            lock.lock();
            try {
                ReadOnly<K, V> r = read;
                if (dirty.readTombstones.get() >= Dirty.compactionThreshold(r) && !dirty.promoteWhenCopied) {
                    if (!dirty.exists()) {
                        dirty.startCompaction(r);
                    } else if (!dirty.copying()) {
                        // Promoting a complete dirty costs nothing, and the next new key then rebuilds dirty
                        // without the deleted entries; if no new key comes, a later delete finds dirty null and
                        // compacts.
                        promoteLocked();
                    }
                    // Else a copy is in progress: a later delete looks again once it is complete.
                }
            } finally {
                unlockAfterCopyStep();
            }
        }
    }

    /**
     * Counts a store that filled in a deleted entry found in the read table (a deleted dirty-only entry is
     * unlinked at once, so a deleted entry found is in the read table, or was when it was deleted): one tombstone
     * fewer. May also subtract one that an expunging copy started since had already stopped counting; the estimate
     * then runs low by at most the deleted entries that copy had not reached yet, until the next copy resets it.
     */
    private void noteReadTombstoneRevived() {
        AtomicInteger tombstones = dirty.readTombstones;
        for (int n; (n = tombstones.get()) > 0;) {
            if (tombstones.compareAndSet(n, n - 1)) {
                return;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // compute family

    /**
     * Atomically remaps the value of {@code key}; a null result removes the mapping. See the class documentation
     * on functions: {@code remappingFunction} may run more than once, and runs without a lock.
     *
     * @throws NullPointerException if {@code key} or {@code remappingFunction} is null
     */
    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        Objects.requireNonNull(remappingFunction, "remappingFunction");
        return remap(key, remappingFunction, Remap.ALWAYS);
    }

    /**
     * If {@code key} is not mapped, maps it to the non-null result of {@code mappingFunction}; returns the current
     * (existing or computed) value. The function may run more than once under contention, and a result it computed
     * may be discarded if another thread maps the key first.
     *
     * @throws NullPointerException if {@code key} or {@code mappingFunction} is null
     */
    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
        Objects.requireNonNull(mappingFunction, "mappingFunction");
        V existing = get(key);
        if (existing != null) {
            return existing;
        }
        return remap(key, (k, absent) -> mappingFunction.apply(k), Remap.IF_ABSENT);
    }

    /**
     * If {@code key} is mapped, atomically remaps its value; a null result removes the mapping.
     *
     * @throws NullPointerException if {@code key} or {@code remappingFunction} is null
     */
    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        Objects.requireNonNull(remappingFunction, "remappingFunction");
        return remap(key, remappingFunction, Remap.IF_PRESENT);
    }

    /**
     * Maps {@code key} to {@code value} if it is absent, else atomically to
     * {@code remappingFunction(current, value)}; a null result removes the mapping.
     *
     * @throws NullPointerException if any argument is null
     */
    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(remappingFunction, "remappingFunction");
        return remap(key, (k, current) -> current == null ? value : remappingFunction.apply(current, value),
                Remap.ALWAYS);
    }

    /**
     * Replaces each value with {@code function(key, value)}, key by key; a concurrent update of a key is never
     * overwritten by a value computed from the older one. Never promotes.
     *
     * @throws NullPointerException if {@code function} is null or returns null
     */
    @Override
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
        Objects.requireNonNull(function, "function");
        visit(iterationSlots(), 0, (key, value) -> {
            V current = value;
            while (!replace(key, current, Objects.requireNonNull(function.apply(key, current),
                    "replaceAll function returned null"))) {
                if ((current = get(key)) == null) {
                    break;
                }
            }
            return true;
        });
    }

    private enum Remap { ALWAYS, IF_ABSENT, IF_PRESENT }

    /**
     * The compute family's single loop: read the entry's slot, compute outside any lock, then install the result
     * with a compare-and-set on the exact slot value that was read; start over when another thread got there
     * first. Writing to a non-expunged entry without the lock is safe because entries that leave both tables are
     * expunged first (see {@link Cell#EXPUNGED}).
     */
    private V remap(K key, BiFunction<? super K, ? super V, ? extends V> fn, Remap mode) {
        int h = hash(key);
        for (;;) {
            Cell<K, V> e = lookup(key, h);
            Object p = e == null ? EXPUNGED : e.value;
            if (isLive(p)) {
                if (mode == Remap.IF_ABSENT) {
                    return cast(p);
                }
                V next = fn.apply(key, cast(p));
                if (next == null) {
                    if (deleteExact(e, key, h, p)) {
                        return null;
                    }
                } else if (e.compareAndSet(p, next)) {
                    return next;
                }
                continue;
            }
            if (mode == Remap.IF_PRESENT) {
                return null;
            }
            V next = fn.apply(key, null);
            if (next == null) {
                return null;
            }
            if (p == null) {
                // A deleted but still reachable entry: fill it in place, as Go's Store does.
                if (e.compareAndSet(null, next)) {
                    live.increment();
                    noteReadTombstoneRevived();
                    return next;
                }
                continue;
            }
            V existing = loadOrStore(key, h, next);
            if (existing == null) {
                return next;
            }
            if (mode == Remap.IF_ABSENT) {
                return existing;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Range and size

    /**
     * Calls {@code visitor} for each mapping until it returns false (Go's {@code Range}).
     *
     * <p>No consistent snapshot is taken: every key present for the whole call is visited exactly once, no key is
     * visited twice, and a key added or removed during the call may or may not be visited. The order is unspecified
     * and changes from call to call: like Go's map iteration, each call starts at a random position of the table, so
     * a visitor that deletes the first keys it sees (as Go's AdversarialDelete benchmark does) does not always
     * delete from the same end of the table, which would leave the survivors packed into one long probe run. When
     * the read table is amended, the dirty table is promoted first, as Go does (the iteration is O(n) anyway, which
     * pays for the next copy); after that, iteration takes no lock and never blocks writers. The visitor may call
     * any method of this map, including {@code range}. No allocation is made per entry.
     *
     * @param visitor called with each key and its value at the time it is visited
     * @return true if every mapping was visited, false if {@code visitor} stopped the iteration
     * @throws NullPointerException if {@code visitor} is null
     */
    public boolean range(BiPredicate<? super K, ? super V> visitor) {
        Objects.requireNonNull(visitor, "visitor");
        Cell<K, V>[] slots = promotedSlots();
        return visit(slots, ThreadLocalRandom.current().nextInt(slots.length), visitor);
    }

    /**
     * Calls {@code action} for each mapping: {@link #range(BiPredicate)} that never stops (and so promotes an
     * amended map, as range does), in the order of the views' iterators rather than from a random place.
     *
     * @throws NullPointerException if {@code action} is null
     */
    @Override
    public void forEach(BiConsumer<? super K, ? super V> action) {
        Objects.requireNonNull(action, "action");
        visit(promotedSlots(), 0, (k, v) -> {
            action.accept(k, v);
            return true;
        });
    }

    /** Visits every live entry of {@code slots} once, from slot {@code start} round to the slot before it. */
    static <K, V> boolean visit(Cell<K, V>[] slots, int start, BiPredicate<? super K, ? super V> visitor) {
        return visit(slots, start, slots.length, visitor) && visit(slots, 0, start, visitor);
    }

    private static <K, V> boolean visit(Cell<K, V>[] slots, int from, int to,
            BiPredicate<? super K, ? super V> visitor) {
        for (int i = from; i < to; i++) {
            Cell<K, V> e = slots[i];
            if (e != null) {
                V v = e.load();
                if (v != null && !visitor.test(e.key, v)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The read table's slots, after promoting the dirty table if read is amended (Go's Range). */
    private Cell<K, V>[] promotedSlots() {
        ReadOnly<K, V> r = read;
        if (!r.amended() && pinned(r)) {
            return r.slots;
        }
        lock.lock();
        try {
            r = read;
            if (r.amended()) {
                finishCopyLocked(); // iteration is O(n) anyway: it pays for the rest of the copy
                promoteLocked();
                r = read;
            }
            r.pin();
            return r.slots;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Pins the slots of {@code r}, a read state loaded without the lock, for an iteration; true if r was still
     * published after the pin, so that no promotion will empty them (see {@link ReadOnly#pin}).
     */
    private boolean pinned(ReadOnly<K, V> r) {
        r.pin();
        return read == r;
    }

    /**
     * Slots holding every entry of the map, each once, for the iterations that must not promote: the read table's
     * if it is not amended, else a copy of the dirty table's (see {@link Dirty#snapshot()}). The views' iterators,
     * {@code toString} and {@link #forEach} all walk their slots from 0, so they follow one order.
     */
    Cell<K, V>[] iterationSlots() {
        ReadOnly<K, V> r = read;
        if (!r.amended() && pinned(r)) {
            return r.slots;
        }
        lock.lock();
        try {
            r = read;
            if (!r.amended()) {
                r.pin();
                return r.slots;
            }
            finishCopyLocked(); // iteration is O(n) anyway: it pays for the rest of the copy
            return dirty.snapshot();
        } finally {
            unlockAfterCopyStep();
        }
    }

    /** The number of mappings, in O(1). Exact when no write is in flight; never negative. */
    @Override
    public int size() {
        long n = mappingCount();
        return n > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
    }

    /** Whether there are no mappings, in O(1); exact when no write is in flight. */
    @Override
    public boolean isEmpty() {
        return mappingCount() == 0;
    }

    /**
     * The number of mappings as a long, in O(1). Exact when no write is in flight; never negative.
     *
     * @return the number of live mappings
     */
    public long mappingCount() {
        return Math.max(0L, live.sum());
    }

    /**
     * A snapshot of what the slow paths have done since this map was created. Counting happens only under the
     * lock, so lookups that hit the read table stay free of shared writes; this call takes the lock briefly.
     *
     * @return the counters, read together under the lock
     */
    public Stats stats() {
        lock.lock();
        try {
            return new Stats(dirty.totalMisses(), dirty.promotions, dirty.rebuilds, dirty.entriesCopied);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Counters of SyncMap's slow paths, cumulative since the map was created.
     *
     * @param misses operations that missed the read table while it was amended and took the lock to consult the
     *     dirty table: lookups, updates of a key only in dirty, deletes of a key that was nowhere
     * @param promotions times the dirty table became the read table (after enough misses, or before a range)
     * @param dirtyRebuilds times a new dirty table was built by copying the read table (the first new key after a
     *     promotion or a clear)
     * @param entriesCopied entries copied by those rebuilds
     */
    public record Stats(long misses, long promotions, long dirtyRebuilds, long entriesCopied) {
    }

    // ------------------------------------------------------------------------------------------------------------
    // Under the lock

    /** Adds a new key's entry to dirty, building dirty first if the read table is not amended. */
    private void addLocked(ReadOnly<K, V> r, Cell<K, V> e) {
        if (r.amended() && dirty.promoteInsteadOfGrow()) {
            promoteLocked();
            r = read;
        }
        if (!r.amended()) {
            // The first new key since the last promotion: build dirty (unless a compaction already is) and mark
            // read amended by the table the new key goes into. If the amended state fails to allocate, dirty exists
            // beside an unamended read, as during a compaction, and the next new key publishes it.
            if (!dirty.exists()) {
                dirty.start(r);
            }
            publish(r.amendedBy(dirty.amendments()));
        }
        dirty.add(e);
    }

    private void missLocked() {
        if (dirty.miss()) {
            promoteLocked();
        }
    }

    /** Publishes {@code next} as the read state; lock held. */
    private void publish(ReadOnly<K, V> next) {
        read = next;
        readSlots = next.slots;
    }

    private void promoteLocked() {
        ReadOnly<K, V> replaced = read;
        publish(dirty.promote(replaced));
        dirty.clearReplaced(replaced);
    }

    /**
     * Releases the lock after advancing a dirty rebuild in progress by one step, and the emptying of a replaced read
     * table by one step: every slow-path operation pays a bounded share of each. Promotes right away if a compaction
     * asked for it and the copy is now complete.
     */
    private void unlockAfterCopyStep() {
        try {
            dirty.clearStep();
            copyStepLocked();
            if (dirty.compactionDone()) {
                promoteLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Advances the copy in progress by a step, publishing read amended by the dirty table when a clone ends. */
    private void copyStepLocked() {
        ReadOnly<K, V> r = read;
        ReadOnly<K, V> next = dirty.step(r);
        if (next != r) {
            publish(next);
        }
    }

    private void finishCopyLocked() {
        while (dirty.copying()) {
            copyStepLocked();
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Helpers

    /** Counts a mapping in if {@code previous}, what a store replaced, says the key was absent; returns it. */
    private V countedIn(Object previous) {
        if (previous == null) {
            live.increment();
        }
        return cast(previous);
    }

    /** Counts a mapping out if {@code previous}, what a delete replaced, was live; returns it, or null. */
    private V countedOut(Object previous) {
        if (isLive(previous)) {
            live.decrement();
            return cast(previous);
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private V cast(Object p) {
        return (V) p;
    }

    /**
     * Spreads the key's hash with this map's multiplier; throws the documented NullPointerException for a null key.
     * See {@link #hash(Object, long)}.
     */
    int hash(Object key) {
        return hash(key, hashMultiplier);
    }

    /**
     * Spreads a key's hash: bits 32 to 63 of {@code hashCode} times a 64-bit multiplier. With the multiplier drawn at
     * random this is Dietzfelbinger's multiply-shift scheme, so the low bits, which pick the slot
     * ({@link Table#home}), are universal over every bit of {@code hashCode}: two keys share a home in a table of
     * 2<sup>b</sup> slots with probability at most 2<sup>1-b</sup>, whatever their hash codes. One multiply, where
     * Murmur3's finalizer and a scaling step took three. The multiplier differs from map to map, so that the slot
     * order of one map says nothing about the slots of another: copying a map into another in its iteration order (a
     * snapshot restore writes the sessions in the order the store's range visited them) would otherwise insert keys
     * sorted by slot into a smaller table, pile them into one probe run and make each insert walk it, quadratic in
     * the number of keys (the restore of 1,000,000 sessions did not finish in minutes).
     */
    static int hash(Object key, long multiplier) {
        return (int) ((Objects.requireNonNull(key, "key").hashCode() * multiplier) >>> 32);
    }

    /** The multiplier of a map made with this seed: the seed's bits mixed (SplitMix64's finalizer), made odd. */
    static long multiplier(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) | 1L;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Object methods

    /** Compares by the {@link Map} contract: equal if {@code o} is a map with the same mappings. Not atomic. */
    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof Map)) {
            return false;
        }
        Map<?, ?> m = (Map<?, ?>) o;
        boolean containedInOther = visit(iterationSlots(), 0, (k, v) -> {
            Object other = m.get(k);
            return other == v || v.equals(other);
        });
        if (!containedInOther) {
            return false;
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            Object k = e.getKey();
            Object v = e.getValue();
            Object mine;
            if (k == null || v == null || (mine = get(k)) == null || !(v == mine || v.equals(mine))) {
                return false;
            }
        }
        return true;
    }

    /** The sum of {@code key.hashCode() ^ value.hashCode()} over all mappings, by the {@link Map} contract. */
    @Override
    public int hashCode() {
        int[] h = {0};
        visit(iterationSlots(), 0, (k, v) -> {
            h[0] += k.hashCode() ^ v.hashCode();
            return true;
        });
        return h[0];
    }

    /** Renders {@code {k1=v1, k2=v2}}, as {@link AbstractMap#toString()} does, in the views' order. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        visit(iterationSlots(), 0, (k, v) -> {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(k == this ? "(this Map)" : k).append('=').append(v == this ? "(this Map)" : v);
            return true;
        });
        return sb.append('}').toString();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Views

    /**
     * A weakly consistent live view of the keys; removal removes the mapping, adding is not supported.
     *
     * @return the key set view
     */
    @Override
    public Set<K> keySet() {
        Set<K> ks = keySetView;
        return ks != null ? ks : (keySetView = new KeySetView<>(this));
    }

    /**
     * A weakly consistent live view of the values; removal removes a mapping (only while it holds the value the
     * iterator returned), adding is not supported.
     *
     * @return the values view
     */
    @Override
    public Collection<V> values() {
        Collection<V> vs = valuesView;
        return vs != null ? vs : (valuesView = new ValuesView<>(this));
    }

    /**
     * A weakly consistent live view of the mappings; removal removes the mapping (only while it holds the value the
     * iterator returned) and {@link Map.Entry#setValue} writes through to this map.
     *
     * @return the entry set view
     */
    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        Set<Map.Entry<K, V>> es = entrySetView;
        return es != null ? es : (entrySetView = new EntrySetView<>(this));
    }
}
