package dev.syncsession.session;

import java.util.Map;

/**
 * {@link AttributeStorage#SERIALIZED}: the attributes in {@link AttributeCodec} form. The byte array is never exposed
 * to callers outside this package and never modified after construction.
 *
 * <p>Bytes that came from outside this process (a snapshot restored with
 * {@link SessionSnapshot.Builder#deferAttributeReading()}) carry the snapshot's {@link AttributeClassFilter}: they are
 * unchecked until read, and every read applies it.
 */
final class SerializedAttributes implements SessionAttributes {

    private final byte[] bytes;
    private final int size;

    /** The allow-list of not yet checked bytes from outside the process; null for bytes this process wrote. */
    private final AttributeClassFilter unchecked;

    SerializedAttributes(byte[] bytes, int size) {
        this(bytes, size, null);
    }

    SerializedAttributes(byte[] bytes, int size, AttributeClassFilter unchecked) {
        this.bytes = bytes;
        this.size = size;
        this.unchecked = unchecked;
    }

    /** The allow-list these bytes must still pass, or null if this process wrote them. */
    AttributeClassFilter unchecked() {
        return unchecked;
    }

    static SerializedAttributes serialize(Map<String, ?> attributes) {
        return new SerializedAttributes(AttributeCodec.write(attributes), attributes.size());
    }

    /** Returns the serialized form itself, not a copy: callers in this package must not modify it. */
    byte[] bytes() {
        return bytes;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Map<String, Object> toMap(ClassLoader loader) {
        return AttributeCodec.read(bytes, loader, unchecked);
    }

    @Override
    public SessionAttributes serialized() {
        return this;
    }

    @Override
    public AttributeStorage storage() {
        return AttributeStorage.SERIALIZED;
    }

    @Override
    public long weightBytes() {
        return bytes.length;
    }

    @Override
    public String toString() {
        return "SerializedAttributes[" + size + " attributes, " + bytes.length + " bytes"
                + (unchecked == null ? "]" : ", unchecked]");
    }
}
