/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * A session's attribute map that a {@link AttributeStorage#BY_REFERENCE} store can keep without copying: every change
 * replaces an immutable {@link SessionAttributes} (copy on write), and {@link #snapshot()} hands out the current one
 * in O(1). A container that keeps the live session in memory and saves it to a store on every request then holds one
 * set of attributes per session, shared by the live session and the store's record, instead of a map and a copy.
 *
 * <p>Thread-safe: reads are lock-free (one volatile read); a change is a compare-and-set of the current attributes,
 * retried if another change won. Iterators and views are weakly consistent: an iterator walks the attributes as they
 * were when it was made, and its {@code remove} removes from the live map. Null names and values are refused with
 * {@link NullPointerException}, as {@link java.util.concurrent.ConcurrentHashMap} refuses them.
 *
 * <p>Costs: {@code get} and {@code containsKey} scan up to 8 names, or probe an index of them beyond; {@code put}
 * copies the name/value references (and the index when it adds a name), {@code remove} copies them and makes the index
 * again, which is what a store that copies on save would pay once per request; {@code snapshot} and {@code size} are
 * O(1); the key and entry sets walk the references as they were when the walk began.
 */
public final class CopyOnWriteAttributes extends AbstractMap<String, Object> {

    private static final VarHandle CURRENT;

    static {
        try {
            CURRENT = MethodHandles.lookup().findVarHandle(CopyOnWriteAttributes.class, "current", ReferenceAttributes.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The attributes now; replaced whole, never changed in place. */
    private volatile ReferenceAttributes current = ReferenceAttributes.EMPTY;

    /** Made on first use; views, so a race that makes two is harmless. */
    private Set<Entry<String, Object>> entrySet;
    private Set<String> keySet;

    /** Makes an empty map. */
    public CopyOnWriteAttributes() {
    }

    /**
     * Returns the attributes as they are now, immutable; later changes to this map do not show in them. A
     * {@link AttributeStorage#BY_REFERENCE} store keeps them as they are.
     *
     * @return the current attributes, whose {@link SessionAttributes#storage()} is {@code BY_REFERENCE}; O(1)
     */
    public SessionAttributes snapshot() {
        return current;
    }

    @Override
    public int size() {
        return current.size();
    }

    @Override
    public boolean isEmpty() {
        return current.size() == 0;
    }

    @Override
    public Object get(Object name) {
        return current.get(Objects.requireNonNull(name, "attribute name"));
    }

    @Override
    public boolean containsKey(Object name) {
        return get(name) != null; // values are never null
    }

    @Override
    public Object put(String name, Object value) {
        Objects.requireNonNull(name, "attribute name");
        Objects.requireNonNull(value, "attribute value");
        while (true) {
            ReferenceAttributes before = current;
            if (CURRENT.compareAndSet(this, before, before.with(name, value))) {
                return before.get(name);
            }
        }
    }

    @Override
    public Object remove(Object name) {
        Objects.requireNonNull(name, "attribute name");
        while (true) {
            ReferenceAttributes before = current;
            ReferenceAttributes after = before.without(name);
            if (after == before || CURRENT.compareAndSet(this, before, after)) {
                return before.get(name);
            }
        }
    }

    /**
     * Copies in every mapping of {@code attributes}, in one change: the attributes are copied once, not once per
     * mapping (a load puts a session's every attribute at once). Into an empty map, the immutable map of a
     * {@link AttributeStorage#BY_REFERENCE} {@link SessionAttributes#toMap} (what a store's load returns) is taken
     * as it is, without a copy.
     *
     * @throws NullPointerException if a name or value is null; then no mapping is copied in
     */
    @Override
    public void putAll(Map<? extends String, ?> attributes) {
        ReferenceAttributes whole = ReferenceAttributes.ofView(attributes);
        if (whole != null && CURRENT.compareAndSet(this, ReferenceAttributes.EMPTY, whole)) {
            return;
        }
        if (attributes.isEmpty()) {
            return;
        }
        while (true) {
            ReferenceAttributes before = current;
            if (CURRENT.compareAndSet(this, before, before.withAll(attributes))) {
                return;
            }
        }
    }

    @Override
    public void clear() {
        current = ReferenceAttributes.EMPTY;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        Set<Entry<String, Object>> view = entrySet;
        if (view == null) {
            view = new EntryView();
            entrySet = view;
        }
        return view;
    }

    /**
     * The names of the live map: size and membership now, iteration over the attributes when it began, straight over
     * their names (Jetty walks a session's names, then gets each value, around every save of the many-nodes store).
     */
    @Override
    public Set<String> keySet() {
        Set<String> view = keySet;
        if (view == null) {
            view = new AbstractSet<>() {
                @Override
                public int size() {
                    return CopyOnWriteAttributes.this.size();
                }

                @Override
                public boolean contains(Object name) {
                    return containsKey(name);
                }

                @Override
                public boolean remove(Object name) {
                    return CopyOnWriteAttributes.this.remove(name) != null;
                }

                @Override
                public void clear() {
                    CopyOnWriteAttributes.this.clear();
                }

                @Override
                public Iterator<String> iterator() {
                    return new Walk<>() {
                        @Override
                        String item(String name, Object value) {
                            return name;
                        }
                    };
                }
            };
            keySet = view;
        }
        return view;
    }

    /**
     * Walks the attributes as they were when it was made, over their pairs; its {@code remove} removes the last name
     * it returned from the live map.
     */
    private abstract class Walk<T> implements Iterator<T> {
        private final Object[] pairs = current.pairs();
        private int next;
        private String last;

        /** What the walk returns for an attribute. */
        abstract T item(String name, Object value);

        @Override
        public boolean hasNext() {
            return next < pairs.length;
        }

        @Override
        public T next() {
            if (next >= pairs.length) {
                throw new NoSuchElementException();
            }
            last = (String) pairs[next];
            T item = item(last, pairs[next + 1]);
            next += 2;
            return item;
        }

        @Override
        public void remove() {
            if (last == null) {
                throw new IllegalStateException("next() has not been called, or remove() already was");
            }
            CopyOnWriteAttributes.this.remove(last);
            last = null;
        }
    }

    /** The entries of the live map: size and membership now, iteration over the attributes when it began. */
    private final class EntryView extends AbstractSet<Entry<String, Object>> {
        @Override
        public int size() {
            return CopyOnWriteAttributes.this.size();
        }

        @Override
        public boolean contains(Object o) {
            return o instanceof Entry<?, ?> e && e.getKey() != null && Objects.equals(current.get(e.getKey()),
                    e.getValue());
        }

        @Override
        public boolean remove(Object o) {
            return o instanceof Entry<?, ?> e && e.getKey() != null
                    && CopyOnWriteAttributes.this.remove(e.getKey(), e.getValue());
        }

        @Override
        public void clear() {
            CopyOnWriteAttributes.this.clear();
        }

        @Override
        public Iterator<Entry<String, Object>> iterator() {
            return new Walk<>() {
                @Override
                Entry<String, Object> item(String name, Object value) {
                    return new SimpleImmutableEntry<>(name, value);
                }
            };
        }
    }
}
