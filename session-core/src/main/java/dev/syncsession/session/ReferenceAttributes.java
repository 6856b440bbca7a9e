package dev.syncsession.session;

import java.util.Map;

/** {@link AttributeStorage#BY_REFERENCE}: an immutable map whose values are shared with the caller. */
final class ReferenceAttributes implements SessionAttributes {

    static final ReferenceAttributes EMPTY = new ReferenceAttributes(Map.of());

    /** A rough per-entry cost for the weight estimate: map node, name reference and an average small value. */
    private static final int ESTIMATED_ENTRY_BYTES = 64;

    private final Map<String, Object> map;
    /** Computed once: a weigher may ask on every write. */
    private final long weightBytes;

    private ReferenceAttributes(Map<String, Object> map) {
        this.map = map;
        long bytes = 0;
        for (String name : map.keySet()) {
            bytes += ESTIMATED_ENTRY_BYTES + 2L * name.length();
        }
        this.weightBytes = bytes;
    }

    static ReferenceAttributes copyOf(Map<String, ?> attributes) {
        return attributes.isEmpty() ? EMPTY : new ReferenceAttributes(Map.copyOf(attributes));
    }

    @Override
    public int size() {
        return map.size();
    }

    @Override
    public Map<String, Object> toMap(ClassLoader loader) {
        return map;
    }

    @Override
    public SessionAttributes serialized() {
        return SerializedAttributes.serialize(map);
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
        return "ReferenceAttributes" + map.keySet();
    }
}
