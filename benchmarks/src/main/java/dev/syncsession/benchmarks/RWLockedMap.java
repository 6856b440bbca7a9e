/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.benchmarks;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiPredicate;

/**
 * A {@link HashMap} under one {@link ReentrantReadWriteLock}: the Java counterpart of {@code RWMutexMap} in Go's
 * {@code map_reference_test.go}, the baseline sync.Map was designed to beat. Reads take the read lock, writes the
 * write lock; {@link #range} copies the mappings under the read lock and visits the copy unlocked, as Go's does.
 *
 * <p>Thread-safe; rejects null keys and values like the other peers. {@link #entrySet()} is a snapshot.
 *
 * @param <K> key type
 * @param <V> value type
 */
final class RWLockedMap<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V> {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /** Guarded by {@link #lock}. */
    private final HashMap<K, V> map = new HashMap<>();

    @Override
    public V get(Object key) {
        Objects.requireNonNull(key, "key");
        lock.readLock().lock();
        try {
            return map.get(key);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public V put(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        lock.writeLock().lock();
        try {
            return map.put(key, value);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public V putIfAbsent(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        // Go's RWMutexMap.LoadOrStore also looks under the read lock first, so hits never take the write lock.
        V existing = get(key);
        if (existing != null) {
            return existing;
        }
        lock.writeLock().lock();
        try {
            return map.putIfAbsent(key, value);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public V remove(Object key) {
        Objects.requireNonNull(key, "key");
        lock.writeLock().lock();
        try {
            return map.remove(key);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public boolean remove(Object key, Object value) {
        Objects.requireNonNull(key, "key");
        if (value == null) {
            return false;
        }
        lock.writeLock().lock();
        try {
            return map.remove(key, value);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public V replace(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        lock.writeLock().lock();
        try {
            return map.replace(key, value);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(oldValue, "oldValue");
        Objects.requireNonNull(newValue, "newValue");
        lock.writeLock().lock();
        try {
            return map.replace(key, oldValue, newValue);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void clear() {
        lock.writeLock().lock();
        try {
            map.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public int size() {
        lock.readLock().lock();
        try {
            return map.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Go's RWMutexMap.Range: copy under the read lock, then visit the copy without it. */
    boolean range(BiPredicate<? super K, ? super V> visitor) {
        List<Map.Entry<K, V>> snapshot = snapshot();
        for (Map.Entry<K, V> e : snapshot) {
            if (!visitor.test(e.getKey(), e.getValue())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return new LinkedHashSet<>(snapshot());
    }

    private List<Map.Entry<K, V>> snapshot() {
        lock.readLock().lock();
        try {
            List<Map.Entry<K, V>> copy = new ArrayList<>(map.size());
            for (Map.Entry<K, V> e : map.entrySet()) {
                copy.add(new SimpleImmutableEntry<>(e));
            }
            return copy;
        } finally {
            lock.readLock().unlock();
        }
    }
}
