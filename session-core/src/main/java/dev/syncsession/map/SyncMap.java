/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.map;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
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
 * the keys added since the read table was published. A lookup that misses the read table while the dirty table
 * holds more keys takes the lock and counts a <em>miss</em>; once the misses reach the dirty table's size the
 * dirty table is promoted to be the new read table (a reference swap, not a copy) and the cost of the next copy
 * has been paid for by the lock acquisitions it saves. Both tables share one {@code Entry} per key whose value
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
 *   <li>{@link #range(BiPredicate)}, iteration, {@code containsValue}, {@code clear}: O(n); when the read table is
 *       amended they first promote the dirty table, as Go's {@code Range} does.</li>
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
 *
 * <h2>Beyond Go</h2>
 * The map counts live mappings, so {@link #size()} is O(1); the read-to-dirty copy is incremental, so no operation
 * pays for all of it (golang/go#21032); a delete that finds its key only in the dirty table
 * removes it there (golang/go#40999), and once deleted entries could make up half of the read table it is compacted,
 * so deleted keys become garbage without waiting for new keys; {@link #stats()} reports what the slow paths
 * did, counted under the lock so reads stay free of shared writes.
 *
 * @param <K> the type of keys
 * @param <V> the type of values
 */
public final class SyncMap<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V> {

    /**
     * Marks an entry that was deleted and then left out of the dirty table. Also marks an entry that is reachable
     * from neither table any more (removed from the dirty table, or cleared), so that a thread still holding it can
     * never write a value into it: any write to an entry that is not expunged therefore lands in a reachable entry.
     */
    static final Object EXPUNGED = new Object();

    private static final ReadOnly<?, ?> EMPTY = new ReadOnly<>(Table.newSlots(1), 0, false);

    /**
     * The read-only view: published with one volatile write, read with one volatile load. Its table is never
     * modified after publication. Writers replace it only while holding {@link #lock}.
     */
    private volatile ReadOnly<K, V> read;

    /** Guards {@link #dirty}, {@link #misses} and the slow-path statistics, and every replacement of {@link #read}. */
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * The keys that need {@link #lock}. When non-null it holds every entry of {@code read.table} that is not
     * expunged, plus the keys added since the last promotion, so promoting it needs no copy. Null right after a
     * promotion or a clear; then {@code read.amended} is false. Guarded by {@link #lock}.
     */
    private Table<K, V> dirty;

    /** Lookups since the last promotion that had to take the lock to consult {@link #dirty}. Guarded by {@link #lock}. */
    private int misses;

    /**
     * The read table's slots while dirty is being built from them, and the next slot to copy; -1 when no copy is in
     * progress (see {@link #dirtyLocked}). Guarded by {@link #lock}.
     */
    private Entry<K, V>[] copySource;
    private int copyCursor = -1;

    /**
     * Set by a compaction: promote as soon as the copy in progress completes. Written under {@link #lock}; volatile
     * so that deletes can see without the lock that a compaction wants their help.
     */
    private volatile boolean promoteWhenCopied;

    /**
     * Slots of the read table a compaction copies into dirty per slow-path operation, dereferencing each entry: a
     * bounded pause of a few microseconds.
     */
    static final int COPY_STEP = 256;

    /** Slots of the read table cloned into dirty per slow-path operation with one arraycopy: about a microsecond. */
    static final int CLONE_STEP = 4096;

    /**
     * Dirty tables at least this long are never regrown in place, an O(n) rehash under the lock (tens of
     * milliseconds at a million keys): when a new key would need it, the complete dirty table is promoted instead,
     * and the next copy, incremental and sized for every key, takes its place. Like compaction, a promotion Go does
     * not make (Go's dirty map grows by rehashing, golang/go#21032). Shorter tables regrow in place, for at most
     * about half a millisecond, so maps of up to some 29,000 keys promote only on misses (and range), as Go's do.
     */
    static final int PROMOTE_INSTEAD_OF_GROW = 1 << 16;

    /**
     * While a clone of the read table is being copied into {@link #dirty}: the keys added meanwhile, which read
     * lacks; null otherwise. Guarded by {@link #lock}.
     */
    private Table<K, V> pending;

    /**
     * Deletes that marked an entry of the read table since the last expunging copy began, less the deleted entries
     * of the read table a store filled in again: an estimate of the deleted entries the read table (and a clone of
     * it) holds. Never negative. Without the subtraction, a key deleted and stored again over and over (Go's
     * LoadAndDeleteCollision) would trigger compaction every few dozen deletes, and each compaction would push that
     * key out of the read table, onto the locked path.
     */
    private final AtomicInteger readTombstones = new AtomicInteger();

    /** Compaction is not worth a lock round-trip for fewer dead entries than this. */
    static final int MIN_TOMBSTONES_TO_COMPACT = 64;

    /** Live mappings: moved on every absent-to-live and live-to-absent transition of an entry's value slot. */
    private final LongAdder liveCount = new LongAdder();

    // Slow-path statistics, guarded by lock.
    private long totalMisses;
    private long promotions;
    private long dirtyRebuilds;
    private long entriesCopied;
    private long regrows;

    private Set<K> keySetView;
    private Collection<V> valuesView;
    private Set<Map.Entry<K, V>> entrySetView;

    /** Creates an empty map. */
    @SuppressWarnings("unchecked")
    public SyncMap() {
        this.read = (ReadOnly<K, V>) EMPTY;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Lookup

    /**
     * Returns the value for {@code key}, or null if there is none (Go's {@code Load}).
     *
     * @throws NullPointerException if {@code key} is null
     */
    @Override
    public V get(Object key) {
        Entry<K, V> e = lookup(key, hash(key));
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
     * Returns true if some key maps to a value equal to {@code value}. O(n).
     *
     * @throws NullPointerException if {@code value} is null
     */
    @Override
    public boolean containsValue(Object value) {
        Objects.requireNonNull(value, "value");
        return !range((k, v) -> !(v == value || value.equals(v)));
    }

    /**
     * Finds the entry for a key: in the read table without the lock, else, if the dirty table may hold it, under
     * the lock, counting a miss. The entry's value may be live, deleted or expunged.
     */
    private Entry<K, V> lookup(Object key, int h) {
        ReadOnly<K, V> r = read;
        Entry<K, V> e = Table.find(r.slots, key, h);
        if (e == null && r.amended) {
            lock.lock();
            try {
                // read may have been replaced while we waited for the lock: look again before consulting dirty (a
                // read table never changes, so if it is still the one we searched, the answer stands).
                if (read != r) {
                    r = read;
                    e = Table.find(r.slots, key, h);
                }
                if (e == null && r.amended) {
                    e = dirtyTable().find(key, h);
                    // Whether or not dirty had it, this lookup paid for the lock: count it until dirty is promoted.
                    missLocked();
                }
            } finally {
                unlockAfterCopyStep();
            }
        }
        return e;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Writes

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
        Entry<K, V> e = Table.find(seen.slots, key, h);
        if (e != null) {
            Object previous = e.trySwap(value);
            if (previous != EXPUNGED) {
                if (previous == null) {
                    noteReadTombstoneRevived();
                }
                return afterStore(previous);
            }
        }
        Object previous;
        lock.lock();
        try {
            ReadOnly<K, V> r = read;
            if (r != seen) {
                e = Table.find(r.slots, key, h);
            }
            if (e != null) {
                boolean wasExpunged = e.unexpungeLocked();
                if (wasExpunged) {
                    // The entry was expunged, so dirty is non-null and lacks it: put it back before storing.
                    dirtyTable().insert(e);
                }
                previous = e.swap(value);
                if (previous == null && !wasExpunged) {
                    noteReadTombstoneRevived();
                }
            } else if (dirty != null && (e = dirtyTable().find(key, h)) != null) {
                previous = e.swap(value);
            } else {
                addLocked(r, new Entry<>(key, h, value));
                previous = null;
            }
        } finally {
            unlockAfterCopyStep();
        }
        return afterStore(previous);
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
    @SuppressWarnings("unchecked")
    private V loadOrStore(K key, int h, V value) {
        Entry<K, V> e = Table.find(read.slots, key, h);
        if (e != null) {
            Object actual = e.tryLoadOrStore(value);
            if (actual != EXPUNGED) {
                if (actual == null) {
                    noteReadTombstoneRevived();
                }
                return afterLoadOrStore(actual);
            }
        }
        Object actual;
        lock.lock();
        try {
            ReadOnly<K, V> r = read;
            e = Table.find(r.slots, key, h);
            if (e != null) {
                boolean wasExpunged = e.unexpungeLocked();
                if (wasExpunged) {
                    dirtyTable().insert(e);
                }
                actual = e.tryLoadOrStore(value); // cannot see EXPUNGED: only lock holders expunge
                if (actual == null && !wasExpunged) {
                    noteReadTombstoneRevived();
                }
            } else if (dirty != null && (e = dirtyTable().find(key, h)) != null) {
                actual = e.tryLoadOrStore(value);
                missLocked();
            } else {
                addLocked(r, new Entry<>(key, h, value));
                actual = null;
            }
        } finally {
            unlockAfterCopyStep();
        }
        return afterLoadOrStore(actual);
    }

    /**
     * Removes the mapping for {@code key} and returns its value, or null if there was none (Go's
     * {@code LoadAndDelete} and {@code Delete}).
     *
     * @throws NullPointerException if {@code key} is null
     */
    @Override
    public V remove(Object key) {
        int h = hash(key);
        ReadOnly<K, V> r = read;
        Entry<K, V> e = Table.find(r.slots, key, h);
        if (e == null && r.amended) {
            lock.lock();
            try {
                r = read;
                e = Table.find(r.slots, key, h);
                if (e == null && r.amended) {
                    // Only in dirty: unlink it there so the key becomes garbage now (golang/go#40999).
                    Entry<K, V> removed = dirtyTable().find(key, h);
                    Object previous = removed == null ? null : unlinkFromDirtyLocked(removed);
                    missLocked();
                    return afterDelete(previous);
                }
            } finally {
                unlockAfterCopyStep();
            }
        }
        if (e == null) {
            return null;
        }
        Object previous = e.delete();
        if (isLive(previous)) {
            noteReadTombstone();
        }
        return afterDelete(previous);
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
            Entry<K, V> e = lookup(key, h);
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
     * Replaces the value of {@code key} only if it is mapped; returns the previous value, or null.
     *
     * @throws NullPointerException if {@code key} or {@code value} is null
     */
    @Override
    public V replace(K key, V value) {
        Objects.requireNonNull(value, "value");
        Entry<K, V> e = lookup(key, hash(key));
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
        Entry<K, V> e = lookup(key, hash(key));
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
     * Copies every mapping of {@code m} into this map, one {@link #put} at a time (not atomic as a whole).
     *
     * @throws NullPointerException if {@code m} or any of its keys or values is null
     */
    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        for (Map.Entry<? extends K, ? extends V> e : m.entrySet()) {
            put(e.getKey(), e.getValue());
        }
    }

    /**
     * Removes every mapping (Go's {@code Clear}). Loads and stores that start after this call see an empty map at
     * once; O(n) in the entries it retires.
     */
    @Override
    public void clear() {
        lock.lock();
        try {
            ReadOnly<K, V> r = read;
            Table<K, V> d = dirty;
            @SuppressWarnings("unchecked")
            ReadOnly<K, V> empty = (ReadOnly<K, V>) EMPTY;
            read = empty;
            Table<K, V> p = pending;
            dirty = null;
            pending = null;
            misses = 0;
            copyCursor = -1;
            copySource = null;
            promoteWhenCopied = false;
            readTombstones.set(0);
            // Retire the old entries: a thread still holding one sees EXPUNGED and retries against the new tables,
            // so no store can land in an entry that is no longer reachable, and the live count stays exact.
            retireLocked(r.slots);
            if (d != null) {
                retireLocked(d.slots);
            }
            if (p != null) {
                retireLocked(p.slots);
            }
        } finally {
            lock.unlock();
        }
    }

    private void retireLocked(Entry<K, V>[] slots) {
        for (Entry<K, V> e : slots) {
            if (e != null && isLive(e.retire())) {
                liveCount.decrement();
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
        int h = hash(key);
        Entry<K, V> e = lookup(key, h);
        V existing = e == null ? null : e.load();
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
     * overwritten by a value computed from the older one.
     *
     * @throws NullPointerException if {@code function} is null or returns null
     */
    @Override
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
        Objects.requireNonNull(function, "function");
        range((key, value) -> {
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
     * expunged first (see {@link #EXPUNGED}).
     */
    private V remap(K key, BiFunction<? super K, ? super V, ? extends V> fn, Remap mode) {
        int h = hash(key);
        for (;;) {
            Entry<K, V> e = lookup(key, h);
            Object p = e == null ? EXPUNGED : e.value;
            if (isLive(p)) {
                if (mode == Remap.IF_ABSENT) {
                    return cast(p);
                }
                V current = cast(p);
                V next = fn.apply(key, current);
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
                    liveCount.increment();
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

    /**
     * Deletes {@code e} if its slot still holds exactly {@code expected}. An entry of the read table is only marked
     * deleted; an entry found only in the dirty table is unlinked from it under the lock, so the key does not leak.
     */
    private boolean deleteExact(Entry<K, V> e, Object key, int h, Object expected) {
        ReadOnly<K, V> r = read;
        if (Table.find(r.slots, key, h) != e) {
            lock.lock();
            try {
                r = read;
                if (Table.find(r.slots, key, h) != e) {
                    if (dirty == null || dirtyTable().find(key, h) != e || !e.compareAndSet(expected, EXPUNGED)) {
                        return false;
                    }
                    dirtyTable().remove(key, h);
                    liveCount.decrement();
                    return true;
                }
            } finally {
                unlockAfterCopyStep();
            }
        }
        if (e.compareAndSet(expected, null)) {
            liveCount.decrement();
            noteReadTombstone();
            return true;
        }
        return false;
    }

    /**
     * Counts a delete that left a deleted entry in the read table, and compacts once such entries could make up
     * half of it: rebuild dirty (which expunges them) and promote it as soon as the copy completes. Go leaves them
     * until some later new key rebuilds dirty and enough misses promote it, which may be never. Compaction is O(n)
     * but needs n/2 deletes to trigger, and its copy advances by a bounded step per delete (or other slow-path
     * operation), so deletes stay amortized O(1).
     */
    private void noteReadTombstone() {
        // While a compaction is copying, every such delete takes the lock to advance it, so it finishes even if no
        // other slow-path operation comes.
        if (readTombstones.incrementAndGet() >= compactionThreshold() || promoteWhenCopied) {
            lock.lock();
            try {
                if (readTombstones.get() >= compactionThreshold() && !promoteWhenCopied) {
                    if (dirty == null) {
                        compactLocked(read);
                    } else if (copyCursor < 0) {
                        // Promoting a complete dirty costs nothing, and the next new key then rebuilds dirty
                        // without the deleted entries (see dirtyLocked); if no new key comes, a later delete
                        // finds dirty null and compacts.
                        promoteLocked();
                    }
                    // Else a copy is in progress: a later delete looks again once it is complete.
                }
                // Until the promotion resets the count, each such delete takes the lock and advances the copy.
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
        for (int n; (n = readTombstones.get()) > 0;) {
            if (readTombstones.compareAndSet(n, n - 1)) {
                return;
            }
        }
    }

    private int compactionThreshold() {
        return Math.max(MIN_TOMBSTONES_TO_COMPACT, read.size / 2);
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
     * delete from the same end of the table, which would leave the survivors packed into one long probe run. When the read table is
     * amended, the dirty table is promoted first (the iteration is O(n) anyway, which pays for the next copy); after
     * that, iteration takes no lock and never blocks writers. The visitor may call any method of this map, including
     * {@code range}. No allocation is made per entry.
     *
     * @param visitor called with each key and its value at the time it is visited
     * @return true if every mapping was visited, false if {@code visitor} stopped the iteration
     * @throws NullPointerException if {@code visitor} is null
     */
    public boolean range(BiPredicate<? super K, ? super V> visitor) {
        Objects.requireNonNull(visitor, "visitor");
        Entry<K, V>[] slots = promotedSlots();
        return visit(slots, ThreadLocalRandom.current().nextInt(slots.length), visitor);
    }

    /** Range in slot order: the order of the views' iterators, which toString must follow (the Map contract). */
    private boolean rangeInSlotOrder(BiPredicate<? super K, ? super V> visitor) {
        return visit(promotedSlots(), 0, visitor);
    }

    /** Visits every live entry of {@code slots} once, from slot {@code start} round to the slot before it. */
    private static <K, V> boolean visit(Entry<K, V>[] slots, int start, BiPredicate<? super K, ? super V> visitor) {
        int n = slots.length;
        for (int j = 0, i = start; j < n; j++, i = i + 1 == n ? 0 : i + 1) {
            Entry<K, V> e = slots[i];
            if (e != null) {
                V v = e.load();
                if (v != null && !visitor.test(e.key, v)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Calls {@code action} for each mapping: {@link #range(BiPredicate)} that never stops, in the order of the
     * views' iterators rather than from a random place.
     *
     * @throws NullPointerException if {@code action} is null
     */
    @Override
    public void forEach(BiConsumer<? super K, ? super V> action) {
        Objects.requireNonNull(action, "action");
        rangeInSlotOrder((k, v) -> {
            action.accept(k, v);
            return true;
        });
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
        return Math.max(0L, liveCount.sum());
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
            return new Stats(totalMisses, promotions, dirtyRebuilds, entriesCopied);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Counters of SyncMap's slow paths, cumulative since the map was created.
     *
     * @param misses lookups that missed the read table while it was amended and took the lock to consult the dirty
     *     table
     * @param promotions times the dirty table became the read table (after enough misses, or before a range)
     * @param dirtyRebuilds times a new dirty table was built by copying the read table (the first new key after a
     *     promotion or a clear)
     * @param entriesCopied entries copied by those rebuilds
     */
    public record Stats(long misses, long promotions, long dirtyRebuilds, long entriesCopied) {
    }

    /**
     * Times a new key made the dirty table regrow in place, rehashing every entry under the lock: only tables
     * shorter than {@link #PROMOTE_INSTEAD_OF_GROW} slots do. For tests; not part of {@link Stats}, whose shape is
     * public.
     */
    long regrows() {
        lock.lock();
        try {
            return regrows;
        } finally {
            lock.unlock();
        }
    }

    /** The longest run of occupied slots in the read table, which bounds a lookup's probes. For tests. */
    int longestReadRun() {
        Entry<K, V>[] slots = read.slots;
        int longest = 0;
        int run = 0;
        for (int i = 0; i < 2 * slots.length && run < slots.length; i++) { // twice round: a run may wrap past the end
            run = slots[i % slots.length] == null ? 0 : run + 1;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Slow-path machinery, all under lock

    /** Adds a new key's entry to dirty, building dirty first if the read table is not amended. */
    private void addLocked(ReadOnly<K, V> r, Entry<K, V> e) {
        if (r.amended && copyCursor < 0 && dirty.slots.length >= PROMOTE_INSTEAD_OF_GROW && dirty.isFull()) {
            promoteLocked();
            r = read;
        }
        if (!r.amended) {
            // We are adding the first new key since the last promotion: build dirty and mark read amended.
            dirtyLocked(r);
            read = new ReadOnly<>(r.slots, r.size, true);
        }
        Table<K, V> t = dirtyTable();
        if (t == dirty && t.isFull()) {
            regrows++;
        }
        t.insert(e);
    }

    /**
     * The table to look in, add to and remove from for keys that read lacks: dirty itself, or while a clone of read
     * is being copied into dirty, the small table of keys added meanwhile.
     */
    private Table<K, V> dirtyTable() {
        return pending != null ? pending : dirty;
    }

    private void missLocked() {
        totalMisses++;
        // A half-built dirty table lacks part of read: it can be promoted only once the copy is complete.
        if (++misses < dirty.size() || copyCursor >= 0) {
            return;
        }
        promoteLocked();
    }

    private void promoteLocked() {
        read = new ReadOnly<>(dirty.slots, dirty.size(), false);
        dirty = null;
        misses = 0;
        promotions++;
        promoteWhenCopied = false;
    }

    /**
     * Starts building dirty from the read table, on the first new key after a promotion. Go copies every live entry
     * into a new map at once, so that one operation, and every writer and missing load waiting for the lock, pays
     * O(n) (golang/go#21032). Here the copy is incremental: a bounded step per slow-path operation (see
     * {@link #unlockAfterCopyStep()}). When deletes may have left deleted entries in the read table, the copy
     * expunges them as Go's does ({@link #expungingCopyLocked}); otherwise there is nothing to expunge, and dirty is
     * a <em>clone</em> of the read table's slots array, with the same layout, copied with {@link System#arraycopy}
     * {@link #CLONE_STEP} slots at a time without dereferencing a single entry.
     *
     * <p>While the clone is being copied, every key of the read table is found there first, and the keys added
     * meanwhile live in {@link #pending}; so every operation behaves as if dirty were complete, except promotion,
     * which waits for the copy. When the copy completes the pending keys are added to the clone.
     */
    private void dirtyLocked(ReadOnly<K, V> r) {
        if (dirty != null) {
            return;
        }
        if (readTombstones.get() > 0 || !Table.fits(r.size + r.slots.length / CLONE_STEP + 1, r.slots.length)) {
            // Go's copy: deleted entries are expunged, not copied, and the next promotion drops them. Also taken when
            // a clone, which keeps read's length, would have to regrow to take the keys added while it is copied.
            expungingCopyLocked(r);
            return;
        }
        dirty = Table.emptyClone(r.slots.length, r.size);
        pending = new Table<>(8);
        copySource = r.slots;
        copyCursor = 0;
        dirtyRebuilds++;
        copyStepLocked();
    }

    /**
     * Starts rebuilding dirty from the read table <em>without</em> its deleted entries, which are expunged instead
     * of copied, and asks for a promotion when done: the read table then holds no deleted entries. This copy
     * dereferences every entry, so it runs only when deletes make it worth it (see {@link #noteReadTombstone()}),
     * {@link #COPY_STEP} slots per slow-path operation.
     */
    private void compactLocked(ReadOnly<K, V> r) {
        promoteWhenCopied = true;
        expungingCopyLocked(r);
    }

    private void expungingCopyLocked(ReadOnly<K, V> r) {
        dirty = new Table<>(r.size + 1);
        pending = null;
        copySource = r.slots;
        copyCursor = 0;
        // Deleted entries behind the cursor are expunged now; only deletes from here on stay in the next read.
        readTombstones.set(0);
        dirtyRebuilds++;
        copyStepLocked();
    }

    /** Advances the copy in progress, if any, by one step. */
    private void copyStepLocked() {
        int from = copyCursor;
        if (from < 0) {
            return;
        }
        Entry<K, V>[] source = copySource;
        Table<K, V> d = dirty;
        int to;
        long copied = 0;
        if (pending != null) {
            to = Math.min(source.length, from + CLONE_STEP);
            System.arraycopy(source, from, d.slots, from, to - from);
            for (int i = from; i < to; i++) {
                if (source[i] != null) {
                    copied++;
                }
            }
        } else {
            to = Math.min(source.length, from + COPY_STEP);
            for (int i = from; i < to; i++) {
                Entry<K, V> e = source[i];
                if (e != null && !e.tryExpungeLocked()) {
                    d.insert(e);
                    copied++;
                }
            }
        }
        entriesCopied += copied;
        if (to < source.length) {
            copyCursor = to;
            return;
        }
        copyCursor = -1;
        copySource = null;
        if (pending != null) {
            Table<K, V> added = pending;
            pending = null;
            for (Entry<K, V> e : added.slots) {
                if (e != null) {
                    d.insert(e);
                }
            }
        }
    }

    private void finishCopyLocked() {
        while (copyCursor >= 0) {
            copyStepLocked();
        }
    }

    /**
     * Releases the lock after advancing a dirty rebuild in progress by one step: every slow-path operation pays a
     * bounded share of the copy. Promotes right away if a compaction asked for it and the copy is now complete.
     */
    private void unlockAfterCopyStep() {
        try {
            if (copyCursor >= 0) {
                copyStepLocked();
            }
            if (promoteWhenCopied && copyCursor < 0 && dirty != null) {
                promoteLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Unlinks a dirty-only entry: expunge it first, so no lock-free writer can store into it once unreachable. */
    private Object unlinkFromDirtyLocked(Entry<K, V> e) {
        Object previous = e.retire();
        dirtyTable().remove(e.key, e.hash);
        return previous;
    }

    private Entry<K, V>[] promotedSlots() {
        ReadOnly<K, V> r = read;
        if (r.amended) {
            lock.lock();
            try {
                r = read;
                if (r.amended) {
                    finishCopyLocked(); // iteration is O(n) anyway: it pays for the rest of the copy
                    promoteLocked();
                    r = read;
                }
            } finally {
                lock.unlock();
            }
        }
        return r.slots;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Helpers

    private V afterStore(Object previous) {
        if (previous == null) {
            liveCount.increment();
        }
        return cast(previous);
    }

    private V afterLoadOrStore(Object actual) {
        if (actual == null) {
            liveCount.increment();
        }
        return cast(actual);
    }

    private V afterDelete(Object previous) {
        if (isLive(previous)) {
            liveCount.decrement();
            return cast(previous);
        }
        return null;
    }

    static boolean isLive(Object p) {
        return p != null && p != EXPUNGED;
    }

    @SuppressWarnings("unchecked")
    private V cast(Object p) {
        return (V) p;
    }

    /**
     * Spreads the key's hash (Fibonacci hashing: every bit of {@code hashCode} reaches the high bits, which pick
     * the slot, see {@link Table#home}); throws the documented NullPointerException for a null key.
     */
    static int hash(Object key) {
        return Objects.requireNonNull(key, "key").hashCode() * 0x9E3779B9;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Object methods

    /**
     * Compares by the {@link Map} contract: equal if {@code o} is a map with the same mappings. Not atomic.
     */
    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof Map)) {
            return false;
        }
        Map<?, ?> m = (Map<?, ?>) o;
        boolean containedInOther = range((k, v) -> {
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
        range((k, v) -> {
            h[0] += k.hashCode() ^ v.hashCode();
            return true;
        });
        return h[0];
    }

    /** Renders {@code {k1=v1, k2=v2}}, as {@link AbstractMap#toString()} does. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        rangeInSlotOrder((k, v) -> {
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
        return ks != null ? ks : (keySetView = new KeySetView());
    }

    /**
     * A weakly consistent live view of the values; removal removes a mapping, adding is not supported.
     *
     * @return the values view
     */
    @Override
    public Collection<V> values() {
        Collection<V> vs = valuesView;
        return vs != null ? vs : (valuesView = new ValuesView());
    }

    /**
     * A weakly consistent live view of the mappings; removal removes the mapping and {@link Map.Entry#setValue}
     * writes through to this map.
     *
     * @return the entry set view
     */
    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        Set<Map.Entry<K, V>> es = entrySetView;
        return es != null ? es : (entrySetView = new EntrySetView());
    }

    private static final int VIEW_CHARACTERISTICS = Spliterator.CONCURRENT | Spliterator.DISTINCT
            | Spliterator.NONNULL;

    private final class KeySetView extends AbstractSet<K> {
        @Override
        public Iterator<K> iterator() {
            return new ViewIterator<>() {
                @Override
                K element(K key, V value) {
                    return key;
                }
            };
        }

        @Override
        public Spliterator<K> spliterator() {
            return Spliterators.spliterator(iterator(), mappingCount(), VIEW_CHARACTERISTICS);
        }

        @Override
        public int size() {
            return SyncMap.this.size();
        }

        @Override
        public boolean isEmpty() {
            return SyncMap.this.isEmpty();
        }

        @Override
        public boolean contains(Object o) {
            return containsKey(o);
        }

        @Override
        public boolean remove(Object o) {
            return SyncMap.this.remove(o) != null;
        }

        @Override
        public void clear() {
            SyncMap.this.clear();
        }
    }

    private final class ValuesView extends AbstractCollection<V> {
        @Override
        public Iterator<V> iterator() {
            return new ViewIterator<>() {
                @Override
                V element(K key, V value) {
                    return value;
                }
            };
        }

        @Override
        public Spliterator<V> spliterator() {
            return Spliterators.spliterator(iterator(), mappingCount(), Spliterator.CONCURRENT | Spliterator.NONNULL);
        }

        @Override
        public int size() {
            return SyncMap.this.size();
        }

        @Override
        public boolean isEmpty() {
            return SyncMap.this.isEmpty();
        }

        @Override
        public boolean contains(Object o) {
            return containsValue(o);
        }

        @Override
        public void clear() {
            SyncMap.this.clear();
        }
    }

    private final class EntrySetView extends AbstractSet<Map.Entry<K, V>> {
        @Override
        public Iterator<Map.Entry<K, V>> iterator() {
            return new ViewIterator<>() {
                @Override
                Map.Entry<K, V> element(K key, V value) {
                    return new WriteThroughEntry(key, value);
                }
            };
        }

        @Override
        public Spliterator<Map.Entry<K, V>> spliterator() {
            return Spliterators.spliterator(iterator(), mappingCount(), VIEW_CHARACTERISTICS);
        }

        @Override
        public int size() {
            return SyncMap.this.size();
        }

        @Override
        public boolean isEmpty() {
            return SyncMap.this.isEmpty();
        }

        @Override
        public boolean contains(Object o) {
            if (!(o instanceof Map.Entry)) {
                return false;
            }
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
            Object k = e.getKey();
            Object v = e.getValue();
            Object mine;
            return k != null && v != null && (mine = get(k)) != null && (v == mine || v.equals(mine));
        }

        @Override
        public boolean remove(Object o) {
            if (!(o instanceof Map.Entry)) {
                return false;
            }
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
            Object k = e.getKey();
            Object v = e.getValue();
            return k != null && v != null && SyncMap.this.remove(k, v);
        }

        @Override
        public void clear() {
            SyncMap.this.clear();
        }
    }

    /** An entry handed out by the entry set: a snapshot of one mapping whose {@code setValue} writes through. */
    private final class WriteThroughEntry extends AbstractMap.SimpleEntry<K, V> {
        private static final long serialVersionUID = 1L;

        WriteThroughEntry(K key, V value) {
            super(key, value);
        }

        /** Sets this entry's value and puts it into the map (even if the mapping was removed meanwhile). */
        @Override
        public V setValue(V value) {
            Objects.requireNonNull(value, "value");
            V old = super.setValue(value);
            put(getKey(), value);
            return old;
        }
    }

    /**
     * Walks one read table, as range does, loading each entry's value when it gets there. The table is fixed when
     * the iterator is created (after promoting dirty), so a key is never returned twice.
     */
    private abstract class ViewIterator<T> implements Iterator<T> {
        private final Entry<K, V>[] slots = promotedSlots();
        private int index;
        private K nextKey;
        private V nextValue;
        private K lastKey;

        ViewIterator() {
            advance();
        }

        abstract T element(K key, V value);

        private void advance() {
            while (index < slots.length) {
                Entry<K, V> e = slots[index++];
                if (e != null) {
                    V v = e.load();
                    if (v != null) {
                        nextKey = e.key;
                        nextValue = v;
                        return;
                    }
                }
            }
            nextKey = null;
            nextValue = null;
        }

        @Override
        public boolean hasNext() {
            return nextKey != null;
        }

        @Override
        public T next() {
            K k = nextKey;
            if (k == null) {
                throw new NoSuchElementException();
            }
            T element = element(k, nextValue);
            lastKey = k;
            advance();
            return element;
        }

        @Override
        public void remove() {
            K k = lastKey;
            if (k == null) {
                throw new IllegalStateException("next() has not been called, or remove() was already called");
            }
            lastKey = null;
            SyncMap.this.remove(k);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Internal types

    /** The published read state: a table that is never modified again, and whether dirty holds keys it lacks. */
    private static final class ReadOnly<K, V> {
        final Entry<K, V>[] slots;
        /** Entries in {@code slots}, whatever their state; sizes the next dirty table. */
        final int size;
        final boolean amended;

        ReadOnly(Entry<K, V>[] slots, int size, boolean amended) {
            this.slots = slots;
            this.size = size;
            this.amended = amended;
        }
    }

    /**
     * One key's value slot, shared by the read and dirty tables. The slot holds a live value, null (deleted; dirty
     * is null or still holds this entry) or {@link #EXPUNGED} (deleted, and dirty is non-null and does not hold this
     * entry; or the entry is in no table at all). Only lock holders move a slot to or from EXPUNGED.
     */
    static final class Entry<K, V> {
        private static final VarHandle VALUE;

        static {
            try {
                VALUE = MethodHandles.lookup().findVarHandle(Entry.class, "value", Object.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final K key;
        final int hash;
        volatile Object value;

        Entry(K key, int hash, Object value) {
            this.key = key;
            this.hash = hash;
            this.value = value;
        }

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
                if (p == EXPUNGED || p != null) {
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

        /** Moves an expunged slot back to deleted; returns whether it was expunged. Lock held. */
        boolean unexpungeLocked() {
            return VALUE.compareAndSet(this, EXPUNGED, null);
        }

        /** Expunges the slot for good, returning what it held; for entries leaving every table. Lock held. */
        Object retire() {
            return VALUE.getAndSet(this, EXPUNGED);
        }
    }

    /**
     * An open-addressing hash table of entries with linear probing, kept between {@link #MIN_LOAD} and
     * {@link #MAX_LOAD} full. Mutated only as the dirty table under the lock; once promoted its slots array is
     * published in a {@link ReadOnly} and never written again.
     *
     * <p>The length is not a power of two: a slot index is the hash's high bits scaled to the length
     * ({@link #home}), so the load factor can be held in a narrow band instead of halving on every doubling. The band
     * trades the two things a lookup pays for: each probe past the first dereferences another entry (a likely cache
     * miss), and each empty slot costs 4 bytes, twice while a dirty copy of the read table exists. At a load of 1/3
     * a successful lookup probes 1.25 slots on average, as many nodes as a ConcurrentHashMap bin holds at its
     * typical load; at 0.45, 1.41. See BENCHMARKS.md for what other bands measured.
     */
    static final class Table<K, V> {
        /** The load a table is built or regrown to. */
        static final double MIN_LOAD = 0.3;
        /** The load past which an insert regrows the table. */
        static final double MAX_LOAD = 0.45;
        private static final int MIN_CAPACITY = 8;
        private static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

        Entry<K, V>[] slots;
        private int size;

        Table(int expectedEntries) {
            slots = newSlots(capacityFor(expectedEntries));
        }

        private Table(Entry<K, V>[] slots, int size) {
            this.slots = slots;
            this.size = size;
        }

        /** A table to be filled by copying a slots array of the same length, already counting its entries. */
        static <K, V> Table<K, V> emptyClone(int capacity, int size) {
            return new Table<>(newSlots(capacity), size);
        }

        @SuppressWarnings("unchecked")
        static <K, V> Entry<K, V>[] newSlots(int capacity) {
            return (Entry<K, V>[]) new Entry<?, ?>[capacity];
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

        static <K, V> Entry<K, V> find(Entry<K, V>[] slots, Object key, int h) {
            int n = slots.length;
            for (int i = home(h, n);;) {
                Entry<K, V> e = slots[i];
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

        Entry<K, V> find(Object key, int h) {
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
        void insert(Entry<K, V> e) {
            if (isFull()) {
                grow();
            }
            place(slots, e);
            size++;
        }

        private static <K, V> void place(Entry<K, V>[] slots, Entry<K, V> e) {
            int n = slots.length;
            int i = home(e.hash, n);
            while (slots[i] != null) {
                if (++i == n) {
                    i = 0;
                }
            }
            slots[i] = e;
        }

        private void grow() {
            Entry<K, V>[] bigger = newSlots(capacityFor(size + 1));
            for (Entry<K, V> e : slots) {
                if (e != null) {
                    place(bigger, e);
                }
            }
            slots = bigger;
        }

        /** Removes the key's entry, shifting later entries of its probe run back so lookups stay correct. */
        Entry<K, V> remove(Object key, int h) {
            int n = slots.length;
            int i = home(h, n);
            Entry<K, V> e;
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
}
