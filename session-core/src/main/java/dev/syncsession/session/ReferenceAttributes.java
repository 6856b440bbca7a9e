package dev.syncsession.session;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * {@link AttributeStorage#BY_REFERENCE}: an immutable map whose values are shared with the caller. A session has a
 * handful of attributes and the store keeps one of these per live session, so up to {@value #MAX_PAIRS} attributes
 * are kept as one array of names and values (a view over it is the map), 48 bytes less per session than a
 * {@code Map.copyOf} in its own wrapper; more go into a {@code Map.copyOf}.
 */
final class ReferenceAttributes implements SessionAttributes {

    static final ReferenceAttributes EMPTY = new ReferenceAttributes(new Object[0], null);

    /** Attributes kept as name/value pairs in one array; more go into a map, whose lookups do not scan. */
    static final int MAX_PAIRS = 8;

    /** A rough per-entry cost for the weight estimate: map node, name reference and an average small value. */
    private static final int ESTIMATED_ENTRY_BYTES = 64;

    /** Names and values, alternating, in the source map's order; null when {@link #large} holds them. */
    private final Object[] pairs;
    /** The attributes when there are more than {@link #MAX_PAIRS}; otherwise null. */
    private final Map<String, Object> large;
    /** Computed once: a weigher may ask on every write. */
    private final long weightBytes;

    private ReferenceAttributes(Object[] pairs, Map<String, Object> large) {
        this.pairs = pairs;
        this.large = large;
        long bytes = 0;
        if (large != null) {
            for (String name : large.keySet()) {
                bytes += ESTIMATED_ENTRY_BYTES + 2L * name.length();
            }
        } else {
            for (int i = 0; i < pairs.length; i += 2) {
                bytes += ESTIMATED_ENTRY_BYTES + 2L * ((String) pairs[i]).length();
            }
        }
        this.weightBytes = bytes;
    }

    static ReferenceAttributes copyOf(Map<String, ?> attributes) {
        if (attributes.isEmpty()) {
            return EMPTY;
        }
        if (attributes.size() > MAX_PAIRS) {
            return new ReferenceAttributes(null, Map.copyOf(attributes));
        }
        Object[] pairs = new Object[2 * attributes.size()];
        int i = 0;
        for (Map.Entry<String, ?> e : attributes.entrySet()) {
            if (i == pairs.length) {
                // The source grew while we copied it (a concurrent map): take it as a map instead.
                return new ReferenceAttributes(null, Map.copyOf(attributes));
            }
            pairs[i++] = Objects.requireNonNull(e.getKey(), "attribute name");
            pairs[i++] = Objects.requireNonNull(e.getValue(), "attribute value");
        }
        return new ReferenceAttributes(i == pairs.length ? pairs : Arrays.copyOf(pairs, i), null);
    }

    @Override
    public int size() {
        return large != null ? large.size() : pairs.length / 2;
    }

    /** The value of an attribute, or null; scans at most {@value #MAX_PAIRS} names. */
    Object get(Object name) {
        if (large != null) {
            return large.get(name);
        }
        int i = indexOf(pairs, name);
        return i < 0 ? null : pairs[i + 1];
    }

    /**
     * These attributes with one set: a value replaced in place keeps its position, a new name goes last.
     * O(attributes): the pairs (or the map) are copied.
     */
    ReferenceAttributes with(String name, Object value) {
        Objects.requireNonNull(name, "attribute name");
        Objects.requireNonNull(value, "attribute value");
        if (large != null) {
            Map<String, Object> copy = new HashMap<>(large);
            copy.put(name, value);
            return new ReferenceAttributes(null, Map.copyOf(copy));
        }
        int i = indexOf(pairs, name);
        if (i >= 0) {
            Object[] copy = pairs.clone();
            copy[i + 1] = value;
            return new ReferenceAttributes(copy, null);
        }
        if (pairs.length / 2 == MAX_PAIRS) {
            Map<String, Object> copy = new HashMap<>(new PairsView(this));
            copy.put(name, value);
            return new ReferenceAttributes(null, Map.copyOf(copy));
        }
        Object[] copy = Arrays.copyOf(pairs, pairs.length + 2);
        copy[pairs.length] = name;
        copy[pairs.length + 1] = value;
        return new ReferenceAttributes(copy, null);
    }

    /**
     * These attributes with every mapping of {@code more} set, as if by {@link #with} for each in turn (replaced
     * values keep their position, new names go last), but copied once: O(attributes + more).
     *
     * @throws NullPointerException if a name or value of {@code more} is null; then nothing is set
     */
    @SuppressWarnings("unchecked") // read only: a map of String subtypes is a map of Strings
    ReferenceAttributes withAll(Map<? extends String, ?> more) {
        if (size() == 0) {
            return copyOf((Map<String, ?>) more);
        }
        Map<String, Object> merged = new LinkedHashMap<>(Math.max(16, (int) ((size() + more.size()) / 0.75f) + 1));
        merged.putAll(toMap(null));
        for (Map.Entry<? extends String, ?> e : more.entrySet()) {
            merged.put(Objects.requireNonNull(e.getKey(), "attribute name"),
                    Objects.requireNonNull(e.getValue(), "attribute value"));
        }
        return copyOf(merged);
    }

    /** These attributes without one; this object if it is absent. O(attributes). */
    ReferenceAttributes without(Object name) {
        if (large != null) {
            if (!large.containsKey(name)) {
                return this;
            }
            Map<String, Object> copy = new HashMap<>(large);
            copy.remove(name);
            return copyOf(copy);
        }
        int i = indexOf(pairs, name);
        if (i < 0) {
            return this;
        }
        if (pairs.length == 2) {
            return EMPTY;
        }
        Object[] copy = new Object[pairs.length - 2];
        System.arraycopy(pairs, 0, copy, 0, i);
        System.arraycopy(pairs, i + 2, copy, i, pairs.length - i - 2);
        return new ReferenceAttributes(copy, null);
    }

    /** The attributes whose {@link #toMap} is this map, or null if it is another map. */
    static ReferenceAttributes ofView(Map<?, ?> map) {
        return map instanceof PairsView view ? view.owner : null;
    }

    private static int indexOf(Object[] pairs, Object name) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Map<String, Object> toMap(ClassLoader loader) {
        return large != null ? large : new PairsView(this);
    }

    @Override
    public SessionAttributes serialized() {
        return SerializedAttributes.serialize(toMap(null));
    }

    @Override
    public AttributeStorage storage() {
        return AttributeStorage.BY_REFERENCE;
    }

    @Override
    public long weightBytes() {
        return weightBytes;
    }

    @Override
    public String toString() {
        return "ReferenceAttributes" + toMap(null).keySet();
    }

    /** An immutable map over name/value pairs; lookups scan, which for a few pairs is faster than hashing. */
    private static final class PairsView extends AbstractMap<String, Object> {
        private final ReferenceAttributes owner;
        private final Object[] pairs;

        PairsView(ReferenceAttributes owner) {
            this.owner = owner;
            this.pairs = owner.pairs;
        }

        @Override
        public int size() {
            return pairs.length / 2;
        }

        @Override
        public Object get(Object key) {
            return owner.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return get(key) != null; // values are never null
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < pairs.length;
                        }

                        @Override
                        public Entry<String, Object> next() {
                            if (next >= pairs.length) {
                                throw new NoSuchElementException();
                            }
                            Entry<String, Object> e = new SimpleImmutableEntry<>((String) pairs[next], pairs[next + 1]);
                            next += 2;
                            return e;
                        }
                    };
                }

                @Override
                public int size() {
                    return pairs.length / 2;
                }
            };
        }
    }
}
