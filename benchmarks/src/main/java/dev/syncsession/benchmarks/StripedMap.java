/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.benchmarks;

import java.util.AbstractMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiPredicate;

/**
 * The lock-striped design of Go's {@code concurrent-map} (orcaman): a fixed number of shards, each a HashMap under
 * its own read-write lock ({@link RWLockedMap}); a key's shard is chosen from its spread hash code. Writers of
 * different shards do not contend; a read still writes the shard lock's reader count.
 *
 * <p>Thread-safe; rejects null keys and values. {@link #size()} and {@link #range} visit the shards one at a time,
 * so neither is atomic as a whole.
 *
 * @param <K> key type
 * @param <V> value type
 */
final class StripedMap<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V> {

    /** concurrent-map's SHARD_COUNT. */
    static final int DEFAULT_SHARDS = 32;

    private final RWLockedMap<K, V>[] shards;
    private final int mask;

    @SuppressWarnings("unchecked")
    StripedMap(int shardCount) {
        if (shardCount <= 0 || Integer.bitCount(shardCount) != 1) {
            throw new IllegalArgumentException("shard count is " + shardCount + "; it must be a positive power of 2");
        }
        shards = new RWLockedMap[shardCount];
        for (int i = 0; i < shardCount; i++) {
            shards[i] = new RWLockedMap<>();
        }
        mask = shardCount - 1;
    }

    private RWLockedMap<K, V> shard(Object key) {
        int h = Objects.requireNonNull(key, "key").hashCode();
        h ^= h >>> 16;
        h *= 0x9E3779B1;
        return shards[(h >>> 16) & mask];
    }

    @Override
    public V get(Object key) {
        return shard(key).get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return shard(key).containsKey(key);
    }

    @Override
    public V put(K key, V value) {
        return shard(key).put(key, value);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return shard(key).putIfAbsent(key, value);
    }

    @Override
    public V remove(Object key) {
        return shard(key).remove(key);
    }

    @Override
    public boolean remove(Object key, Object value) {
        return shard(key).remove(key, value);
    }

    @Override
    public V replace(K key, V value) {
        return shard(key).replace(key, value);
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        return shard(key).replace(key, oldValue, newValue);
    }

    @Override
    public void clear() {
        for (RWLockedMap<K, V> shard : shards) {
            shard.clear();
        }
    }

    @Override
    public int size() {
        long n = 0;
        for (RWLockedMap<K, V> shard : shards) {
            n += shard.size();
        }
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    boolean range(BiPredicate<? super K, ? super V> visitor) {
        for (RWLockedMap<K, V> shard : shards) {
            if (!shard.range(visitor)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        Set<Map.Entry<K, V>> snapshot = new LinkedHashSet<>();
        for (RWLockedMap<K, V> shard : shards) {
            snapshot.addAll(shard.entrySet());
        }
        return snapshot;
    }
}
