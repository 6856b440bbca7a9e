package dev.syncsession.session;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * {@link AttributeStorage#BY_REFERENCE}: an immutable map whose values are shared with the caller. A session has a
 * handful of attributes and the store keeps one of these per live session, so they are kept as one array of names
 * and values in the source map's order (a view over it is the map). Up to {@value #MAX_PAIRS} attributes a lookup
 * scans the names; past that an open-addressing index of the pairs' positions by the names' hash codes finds them.
 * A value replaced in place changes neither the names nor their positions, so the copy it makes shares the index
 * and the weight and copies only the pairs: one array of references, where a {@code Map.copyOf} hashed every name
 * again.
 */
final class ReferenceAttributes implements SessionAttributes {

    static final ReferenceAttributes EMPTY = new ReferenceAttributes(new Object[0], null, 0);

    /** Attributes up to which a lookup scans the names; more are found through an index. */
    static final int MAX_PAIRS = 8;

    /** A rough per-entry cost for the weight estimate: map node, name reference and an average small value. */
    private static final int ESTIMATED_ENTRY_BYTES = 64;

    /** Names and values, alternating, in the source map's order (a replaced value keeps its place). */
    private final Object[] pairs;
    /**
     * With more than {@link #MAX_PAIRS} attributes: slots of an open-addressing table at most half full, each the
     * position of a name in {@link #pairs} plus one (0 for a free slot), at the slot of the name's spread hash code or
     * after it; otherwise null. Depends on the names and their positions only.
     */
    private final int[] index;
    /** Depends on the names only: a weigher may ask on every write. */
    private final long weightBytes;

    private ReferenceAttributes(Object[] pairs, int[] index, long weightBytes) {
        this.pairs = pairs;
        this.index = index;
        this.weightBytes = weightBytes;
    }

    /** Attributes over these pairs, with their index and weight made. */
    private static ReferenceAttributes of(Object[] pairs) {
        if (pairs.length == 0) {
            return EMPTY;
        }
        long bytes = 0;
        for (int i = 0; i < pairs.length; i += 2) {
            bytes += weightOf((String) pairs[i]);
        }
        return new ReferenceAttributes(pairs, indexOf(pairs), bytes);
    }

    private static long weightOf(String name) {
        return ESTIMATED_ENTRY_BYTES + 2L * name.length();
    }

    static ReferenceAttributes copyOf(Map<String, ?> attributes) {
        if (attributes.isEmpty()) {
            return EMPTY;
        }
        Object[] pairs = new Object[2 * attributes.size()];
        int i = 0;
        for (Map.Entry<String, ?> e : attributes.entrySet()) {
            if (i == pairs.length) {
                pairs = Arrays.copyOf(pairs, 2 * pairs.length); // the source grew while we copied it (a concurrent map)
            }
            pairs[i++] = Objects.requireNonNull(e.getKey(), "attribute name");
            pairs[i++] = Objects.requireNonNull(e.getValue(), "attribute value");
        }
        return of(i == pairs.length ? pairs : Arrays.copyOf(pairs, i));
    }

    @Override
    public int size() {
        return pairs.length / 2;
    }

    /** The value of an attribute, or null; scans at most {@value #MAX_PAIRS} names, or probes the index. */
    Object get(Object name) {
        int i = find(name);
        return i < 0 ? null : pairs[i + 1];
    }

    /**
     * These attributes with one set: a value replaced in place keeps its position, a new name goes last.
     * O(attributes): the pairs are copied, and the index too when a name is added.
     */
    ReferenceAttributes with(String name, Object value) {
        Objects.requireNonNull(name, "attribute name");
        Objects.requireNonNull(value, "attribute value");
        int i = find(name);
        if (i >= 0) {
            Object[] copy = pairs.clone();
            copy[i + 1] = value;
            return new ReferenceAttributes(copy, index, weightBytes);
        }
        Object[] copy = Arrays.copyOf(pairs, pairs.length + 2);
        copy[pairs.length] = name;
        copy[pairs.length + 1] = value;
        int[] grown;
        if (copy.length / 2 <= MAX_PAIRS) {
            grown = null;
        } else if (index != null && 2 * (copy.length / 2) <= index.length) {
            grown = index.clone();
            place(grown, name, pairs.length);
        } else {
            grown = indexOf(copy);
        }
        return new ReferenceAttributes(copy, grown, weightBytes + weightOf(name));
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

    /** These attributes without one; this object if it is absent. O(attributes): the pairs and index are made again. */
    ReferenceAttributes without(Object name) {
        int i = find(name);
        if (i < 0) {
            return this;
        }
        if (pairs.length == 2) {
            return EMPTY;
        }
        Object[] copy = new Object[pairs.length - 2];
        System.arraycopy(pairs, 0, copy, 0, i);
        System.arraycopy(pairs, i + 2, copy, i, pairs.length - i - 2);
        return new ReferenceAttributes(copy, indexOf(copy), weightBytes - weightOf((String) pairs[i]));
    }

    /** The names and values, alternating, in their order: for walking them, never to be changed. */
    Object[] pairs() {
        return pairs;
    }

    /** The attributes whose {@link #toMap} is this map, or null if it is another map. */
    static ReferenceAttributes ofView(Map<?, ?> map) {
        return map instanceof PairsView view ? view.owner : null;
    }

    /** The position of the name in {@link #pairs}, or -1. */
    private int find(Object name) {
        if (index == null) {
            for (int i = 0; i < pairs.length; i += 2) {
                if (pairs[i].equals(name)) {
                    return i;
                }
            }
            return -1;
        }
        int mask = index.length - 1;
        for (int slot = spread(name.hashCode()) & mask; ; slot = (slot + 1) & mask) {
            int at = index[slot] - 1;
            if (at < 0) {
                return -1;
            }
            if (pairs[at].equals(name)) {
                return at;
            }
        }
    }

    /** The index of these pairs: null up to {@link #MAX_PAIRS}, else a table at most half full. */
    private static int[] indexOf(Object[] pairs) {
        int names = pairs.length / 2;
        if (names <= MAX_PAIRS) {
            return null;
        }
        int[] index = new int[Integer.highestOneBit(names - 1) << 2]; // a power of two, at least twice the names
        for (int i = 0; i < pairs.length; i += 2) {
            place(index, (String) pairs[i], i);
        }
        return index;
    }

    /** Puts the position of a name not in the index into its first free slot. */
    private static void place(int[] index, String name, int at) {
        int mask = index.length - 1;
        int slot = spread(name.hashCode()) & mask;
        while (index[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        index[slot] = at + 1;
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }

    @Override
    public Map<String, Object> toMap(ClassLoader loader) {
        return new PairsView(this);
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

    /** An immutable map over name/value pairs, in their order. */
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
            return key == null ? null : owner.get(key);
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
