package dev.syncsession.session;

import java.util.Map;

/**
 * How session attributes are held in memory; see {@link SessionAttributes} for the trade-offs. A
 * {@link SessionService} and a {@link SessionSnapshot} are each configured with one representation.
 *
 * <p>Thread-safe.
 */
public enum AttributeStorage {

    /** An immutable copy of the attribute map holding the values by reference (not copied). The default. */
    BY_REFERENCE {
        @Override
        public SessionAttributes of(Map<String, ?> attributes) {
            return ReferenceAttributes.copyOf(attributes);
        }
    },

    /** Java-serialized bytes; values must be {@link java.io.Serializable}. */
    SERIALIZED {
        @Override
        public SessionAttributes of(Map<String, ?> attributes) {
            return SerializedAttributes.serialize(attributes);
        }
    };

    /**
     * Converts an attribute map into this representation. The map is copied, never retained.
     *
     * @param attributes the attributes, not null, with no null names or values
     * @return the attributes in this representation; O(number of attributes) for {@code BY_REFERENCE}, O(serialized size)
     *     for {@code SERIALIZED}
     * @throws NullPointerException if the map, a name or a value is null
     * @throws IllegalArgumentException for {@code SERIALIZED}, if a value cannot be serialized; the message names the
     *     attribute and its class
     */
    public abstract SessionAttributes of(Map<String, ?> attributes);

}
