/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.map;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Walks one slots array of a map ({@link SyncMap#iterationSlots()}, fixed when the iterator is created, so a key is
 * never returned twice), loading each entry's value when it gets there: weakly consistent, never blocking a writer.
 * Not thread-safe, as iterators are not.
 */
abstract class ViewIterator<K, V, T> implements Iterator<T> {
    final SyncMap<K, V> map;
    private final Cell<K, V>[] slots;
    private int index;
    private K nextKey;
    private V nextValue;
    private K lastKey;
    private V lastValue;
    private T lastElement;

    ViewIterator(SyncMap<K, V> map) {
        this.map = map;
        this.slots = map.iterationSlots();
        advance();
    }

    /** The element handed out for a mapping. */
    abstract T element(K key, V value);

    /** Removes the mapping {@code element} was made from, which held {@code value} when it was returned. */
    abstract void remove(K key, V value, T element);

    private void advance() {
        while (index < slots.length) {
            Cell<K, V> e = slots[index++];
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
        lastValue = nextValue;
        lastElement = element;
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
        remove(k, lastValue, lastElement);
        lastValue = null;
        lastElement = null;
    }
}
