package dev.syncsession.session;

import java.util.Map;

/** {@link AttributeStorage#SHARED}: an immutable map whose values are shared with the caller. */
final class SharedAttributes implements SessionAttributes {

    static final SharedAttributes EMPTY = new SharedAttributes(Map.of());

    /** A rough per-entry cost for the weight estimate: map node, name reference and an average small value. */
    private static final int ESTIMATED_ENTRY_BYTES = 64;

    private final Map<String, Object> map;
    /** Computed once: a weigher may ask on every write. */
    private final long weightBytes;

    private SharedAttributes(Map<String, Object> map) {
        this.map = map;
        long bytes = 0;
        for (String name : map.keySet()) {
            bytes += ESTIMATED_ENTRY_BYTES + 2L * name.length();
        }
        this.weightBytes = bytes;
    }

    static SharedAttributes copyOf(Map<String, ?> attributes) {
        return attributes.isEmpty() ? EMPTY : new SharedAttributes(Map.copyOf(attributes));
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
        return AttributeStorage.SHARED;
    }

    @Override
    public long weightBytes() {
        return weightBytes;
    }

    @Override
    public String toString() {
        return "SharedAttributes" + map.keySet();
    }
}
