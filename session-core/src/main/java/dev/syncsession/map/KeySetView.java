/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.map;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;

/** {@link SyncMap#keySet()}: removal removes the mapping by key; adding is not supported. */
final class KeySetView<K, V> extends AbstractSet<K> {
    static final int CHARACTERISTICS = Spliterator.CONCURRENT | Spliterator.DISTINCT | Spliterator.NONNULL;

    private final SyncMap<K, V> map;

    KeySetView(SyncMap<K, V> map) {
        this.map = map;
    }

    @Override
    public Iterator<K> iterator() {
        return new ViewIterator<K, V, K>(map) {
            @Override
            K element(K key, V value) {
                return key;
            }

            @Override
            void remove(K key, V value, K element) {
                map.remove(key);
            }
        };
    }

    @Override
    public Spliterator<K> spliterator() {
        return Spliterators.spliterator(iterator(), map.mappingCount(), CHARACTERISTICS);
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
        return map.containsKey(o);
    }

    @Override
    public boolean remove(Object o) {
        return map.remove(o) != null;
    }

    @Override
    public void clear() {
        map.clear();
    }
}
