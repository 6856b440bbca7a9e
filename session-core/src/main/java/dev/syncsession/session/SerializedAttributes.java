package dev.syncsession.session;

import java.util.Map;

/**
 * {@link AttributeStorage#SERIALIZED}: the attributes in {@link AttributeCodec} form. The byte array is never exposed
 * to callers outside this package and never modified after construction.
 */
final class SerializedAttributes implements SessionAttributes {

    private final byte[] bytes;
    private final int size;

    SerializedAttributes(byte[] bytes, int size) {
        this.bytes = bytes;
        this.size = size;
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
        return AttributeCodec.read(bytes, loader, null);
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
        return "SerializedAttributes[" + size + " attributes, " + bytes.length + " bytes]";
    }
}
