/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.map;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;

/**
 * {@link SyncMap#entrySet()}: removal removes a mapping only while it holds the entry's value;
 * {@link Map.Entry#setValue} writes through; adding is not supported.
 */
final class EntrySetView<K, V> extends AbstractSet<Map.Entry<K, V>> {
    private final SyncMap<K, V> map;

    EntrySetView(SyncMap<K, V> map) {
        this.map = map;
    }

    @Override
    public Iterator<Map.Entry<K, V>> iterator() {
        return new ViewIterator<K, V, Map.Entry<K, V>>(map) {
            @Override
            Map.Entry<K, V> element(K key, V value) {
                return new WriteThroughEntry<>(map, key, value);
            }

            @Override
            void remove(K key, V value, Map.Entry<K, V> element) {
                map.remove(key, element.getValue()); // the value setValue wrote, if it was called
            }
        };
    }

    @Override
    public Spliterator<Map.Entry<K, V>> spliterator() {
        return Spliterators.spliterator(iterator(), map.mappingCount(), KeySetView.CHARACTERISTICS);
    }

    @Override
    public int size() {
        return map.size();
    }

    @Override
    public boolean isEmpty() {
        return map.isEmpty();
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
        return k != null && v != null && (mine = map.get(k)) != null && (v == mine || v.equals(mine));
    }

    @Override
    public boolean remove(Object o) {
        if (!(o instanceof Map.Entry)) {
            return false;
        }
        Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
        Object k = e.getKey();
        Object v = e.getValue();
        return k != null && v != null && map.remove(k, v);
    }

    @Override
    public void clear() {
        map.clear();
    }

    /** An entry handed out by the entry set: a snapshot of one mapping whose {@code setValue} writes through. */
    private static final class WriteThroughEntry<K, V> extends AbstractMap.SimpleEntry<K, V> {
        private static final long serialVersionUID = 1L;

        private final transient SyncMap<K, V> map;

        WriteThroughEntry(SyncMap<K, V> map, K key, V value) {
            super(key, value);
            this.map = map;
        }

        /** Sets this entry's value and puts it into the map (even if the mapping was removed meanwhile). */
        @Override
        public V setValue(V value) {
            Objects.requireNonNull(value, "value");
            V old = super.setValue(value);
            map.put(getKey(), value);
            return old;
        }
    }
}
