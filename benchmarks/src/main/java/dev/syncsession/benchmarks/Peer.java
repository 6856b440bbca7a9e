/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.benchmarks;

import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiPredicate;

/**
 * The maps every benchmark compares. Each makes an empty {@link ConcurrentMap}; {@link #range} walks one the way
 * its design would ({@code SyncMap.range}, a weakly consistent iteration for the lock-free maps, a snapshot
 * under the read lock for the locked ones, as Go's {@code RWMutexMap} does).
 *
 * <p>The constant names are the JMH {@code @Param} values, so they are spelled as the tables print them.
 */
public enum Peer {
    /** {@link dev.syncsession.map.SyncMap}: the map under test. */
    SyncMap {
        @Override
        public <K, V> ConcurrentMap<K, V> create() {
            return new dev.syncsession.map.SyncMap<>();
        }
    },
    /** The JDK's {@link java.util.concurrent.ConcurrentHashMap}. */
    ConcurrentHashMap {
        @Override
        public <K, V> ConcurrentMap<K, V> create() {
            return new java.util.concurrent.ConcurrentHashMap<>();
        }
    },
    /** An unbounded Caffeine cache seen through {@code Cache.asMap()}. */
    Caffeine {
        @Override
        public <K, V> ConcurrentMap<K, V> create() {
            return com.github.benmanes.caffeine.cache.Caffeine.newBuilder().<K, V>build().asMap();
        }
    },
    /** A HashMap under one read-write lock: the reference implementation of Go's map_reference_test.go. */
    RWLockedMap {
        @Override
        public <K, V> ConcurrentMap<K, V> create() {
            return new dev.syncsession.benchmarks.RWLockedMap<>();
        }
    },
    /**
     * {@link dev.syncsession.benchmarks.StripedMap}: concurrent-map's design, 32 HashMap shards each under its own
     * read-write lock.
     */
    StripedMap {
        @Override
        public <K, V> ConcurrentMap<K, V> create() {
            return new dev.syncsession.benchmarks.StripedMap<>(
                    dev.syncsession.benchmarks.StripedMap.DEFAULT_SHARDS);
        }
    };

    /**
     * Makes an empty map of this kind.
     *
     * @param <K> key type
     * @param <V> value type
     * @return a new, empty map
     */
    public abstract <K, V> ConcurrentMap<K, V> create();

    /**
     * Calls {@code visitor} for each mapping of {@code map} until it returns false (Go's {@code Range}).
     *
     * @param map a map made by one of the peers
     * @param visitor called with each key and value
     * @param <K> key type
     * @param <V> value type
     * @return true if every mapping was visited
     */
    public static <K, V> boolean range(ConcurrentMap<K, V> map, BiPredicate<? super K, ? super V> visitor) {
        if (map instanceof dev.syncsession.map.SyncMap<K, V> syncMap) {
            return syncMap.range(visitor);
        }
        if (map instanceof dev.syncsession.benchmarks.RWLockedMap<K, V> locked) {
            return locked.range(visitor);
        }
        if (map instanceof dev.syncsession.benchmarks.StripedMap<K, V> striped) {
            return striped.range(visitor);
        }
        // ConcurrentHashMap and Caffeine's view: weakly consistent iteration, no lock, one Map.Entry per mapping.
        for (Map.Entry<K, V> e : map.entrySet()) {
            if (!visitor.test(e.getKey(), e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses a comma-separated list of peer names.
     *
     * @param names for example {@code "SyncMap,ConcurrentHashMap"}
     * @return the peers, in the given order
     * @throws IllegalArgumentException naming the unknown peer and the known ones
     */
    public static Peer[] parse(String names) {
        String[] parts = names.split(",");
        Peer[] peers = new Peer[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String name = parts[i].trim();
            try {
                peers[i] = Peer.valueOf(name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown peer map '" + name + "'; known: "
                        + java.util.Arrays.toString(values()), e);
            }
        }
        return peers;
    }
}
