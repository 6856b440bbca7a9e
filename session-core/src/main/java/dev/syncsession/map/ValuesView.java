/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.map;

import java.util.AbstractCollection;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;

/**
 * {@link SyncMap#values()}: removal through the iterator (and so {@code remove}, {@code removeIf},
 * {@code removeAll}, {@code retainAll}) removes a mapping only while it holds the value returned; adding is not
 * supported.
 */
final class ValuesView<K, V> extends AbstractCollection<V> {
    private final SyncMap<K, V> map;

    ValuesView(SyncMap<K, V> map) {
        this.map = map;
    }

    @Override
    public Iterator<V> iterator() {
        return new ViewIterator<K, V, V>(map) {
            @Override
            V element(K key, V value) {
                return value;
            }

            @Override
            void remove(K key, V value, V element) {
                map.remove(key, value);
            }
        };
    }

    @Override
    public Spliterator<V> spliterator() {
        return Spliterators.spliterator(iterator(), map.mappingCount(), Spliterator.CONCURRENT | Spliterator.NONNULL);
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
        return map.containsValue(o);
    }

    @Override
    public void clear() {
        map.clear();
    }
}
