package dev.syncsession.session;

import java.util.Map;

/**
 * The attributes of a {@link SessionRecord}, held in one of two representations chosen by {@link AttributeStorage}:
 * <ul>
 *   <li>{@link AttributeStorage#BY_REFERENCE}: an immutable copy of the attribute map. The fastest: values are shared with
 *       the code that put them, so a value that is itself mutable can be changed behind the store's back.</li>
 *   <li>{@link AttributeStorage#SERIALIZED}: Java-serialized bytes. Every read yields fresh objects (isolation),
 *       {@link #weightBytes()} is exact, and snapshots write the bytes as they are.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe. Attribute names and values are never null; removing an attribute is expressed by
 * leaving it out.
 */
public sealed interface SessionAttributes permits ReferenceAttributes, SerializedAttributes {

    /**
     * Returns attributes with no entries, shared by every caller.
     *
     * @return the empty attributes; O(1)
     */
    static SessionAttributes empty() {
        return ReferenceAttributes.EMPTY;
    }

    /**
     * Returns the number of attributes; O(1) in both representations.
     *
     * @return the attribute count
     */
    int size();

    /**
     * Returns the attributes as an unmodifiable map, resolving classes with the given class loader. A container passes
     * the web application's class loader here. {@link AttributeStorage#BY_REFERENCE} attributes ignore the loader and return
     * the held map in O(1); {@link AttributeStorage#SERIALIZED} attributes deserialize, O(bytes), every call.
     *
     * @param loader the class loader for attribute classes; null means the bootstrap loader
     * @return an unmodifiable map, never null
     * @throws UnreadableSessionException if serialized attributes cannot be deserialized
     */
    Map<String, Object> toMap(ClassLoader loader);

    /**
     * Returns the attributes as an unmodifiable map, resolving classes with the calling thread's context class loader,
     * or with this library's class loader if the thread has none.
     *
     * @return an unmodifiable map, never null
     * @throws UnreadableSessionException if serialized attributes cannot be deserialized
     * @see #toMap(ClassLoader)
     */
    default Map<String, Object> toMap() {
        return toMap(AttributeCodec.defaultLoader());
    }

    /**
     * Returns these attributes serialized, so that they hold no object of any class loader: a container calls this
     * when the web application that owns a session stops, and the restarted application reads them with its own
     * loader. {@link AttributeStorage#SERIALIZED} attributes return themselves.
     *
     * @return attributes whose {@link #storage()} is {@link AttributeStorage#SERIALIZED}; O(serialized size)
     * @throws IllegalArgumentException if a value cannot be serialized; the message names the attribute and its class
     */
    SessionAttributes serialized();

    /**
     * Returns the representation of these attributes.
     *
     * @return the storage these attributes were created with
     */
    AttributeStorage storage();

    /**
     * Returns the memory these attributes occupy, in bytes: exact for {@link AttributeStorage#SERIALIZED}, a rough
     * estimate (names plus a fixed cost per value) for {@link AttributeStorage#BY_REFERENCE}. Used to bound a store by
     * weight. O(1).
     *
     * @return a non-negative number of bytes
     */
    long weightBytes();
}
