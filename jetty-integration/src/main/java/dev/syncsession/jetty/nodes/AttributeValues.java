/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.util.ClassLoadingObjectInputStream;
import org.eclipse.jetty.util.ClassVisibilityChecker;

/**
 * The form of one attribute's value in a row of the {@link AttributeRows attribute table}. The JDK value types most
 * attributes are ({@code String}, {@code Integer}, {@code Long}, {@code Boolean}, {@code Double}) are written inline:
 * a one-byte tag, then the value (a string as UTF-8, a number big-endian). Every other value is Java serialization of
 * the value alone, after one boolean that says which class loader reads it back (the server's or the context's), as
 * Jetty's store writes each value in its map column ({@code SessionData.serializeAttributes}), so it reads back
 * exactly as it would from Jetty's map. A serialization stream starts with 0xAC, never with a tag.
 *
 * <pre>
 * 0x01 | UTF-8 bytes        a String (one with an unpaired surrogate, which UTF-8 cannot carry, is serialized)
 * 0x02 | int (4)            an Integer
 * 0x03 | long (8)           a Long
 * 0x04 | 0x00 or 0x01       a Boolean
 * 0x05 | double's bits (8)  a Double
 * 0xAC 0xED ...             Java serialization: a boolean (the server's loader), then the value
 * </pre>
 *
 * <p>Inline values involve no class and no stream: a load of ten string attributes creates no
 * {@code ObjectInputStream}. Serialized values are read through the store's own stream, which carries the tier's
 * allow-list ({@link RowAttributeFilter}). Stateless apart from the store's stream factory; thread-safe.
 */
final class AttributeValues {

    /** Makes the stream a value is read with: Jetty's {@link ClassLoadingObjectInputStream} behind the allow-list. */
    interface StreamFactory {
        ObjectInputStream open(InputStream in) throws IOException;
    }

    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    private static final byte STRING = 1;
    private static final byte INTEGER = 2;
    private static final byte LONG = 3;
    private static final byte BOOLEAN = 4;
    private static final byte DOUBLE = 5;

    private final StreamFactory streams;

    AttributeValues(StreamFactory streams) {
        this.streams = streams;
    }

    /**
     * The value's bytes for its row: inline for the JDK value types, else serialized.
     *
     * @throws IOException if the value cannot be serialized ({@link java.io.NotSerializableException}), as Jetty's save
     *     fails on it
     */
    static byte[] write(Object value) throws IOException {
        Class<?> type = value.getClass();
        if (type == String.class) {
            String string = (String) value;
            if (!hasUnpairedSurrogate(string)) {
                byte[] utf8 = string.getBytes(StandardCharsets.UTF_8);
                byte[] bytes = new byte[1 + utf8.length];
                bytes[0] = STRING;
                System.arraycopy(utf8, 0, bytes, 1, utf8.length);
                return bytes;
            }
        } else if (type == Integer.class) {
            return ByteBuffer.allocate(5).put(INTEGER).putInt((Integer) value).array();
        } else if (type == Long.class) {
            return ByteBuffer.allocate(9).put(LONG).putLong((Long) value).array();
        } else if (type == Boolean.class) {
            return new byte[] {BOOLEAN, (byte) ((Boolean) value ? 1 : 0)};
        } else if (type == Double.class) {
            return ByteBuffer.allocate(9).put(DOUBLE).putLong(Double.doubleToRawLongBits((Double) value)).array();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeBoolean(readByServerLoader(type));
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    /** Whether a high surrogate without its low one, or a low one without its high one, is in the string. */
    private static boolean hasUnpairedSurrogate(String string) {
        for (int i = 0; i < string.length(); i++) {
            char c = string.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < string.length()
                        && Character.isLowSurrogate(string.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A value read back from its row's bytes: an inline value from its tag; a serialized one by the class loader its
     * first boolean names, through the allow-list.
     *
     * @throws Exception if it cannot be read: a class off the allow-list, a class not found, corrupt bytes
     */
    Object read(byte[] bytes) throws Exception {
        if (bytes.length == 0) {
            throw new StreamCorruptedException("an attribute row of no bytes");
        }
        switch (bytes[0]) {
            case STRING:
                return new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8);
            case INTEGER:
                return inline(bytes, 5, "an Integer").getInt();
            case LONG:
                return inline(bytes, 9, "a Long").getLong();
            case BOOLEAN:
                if (bytes.length != 2 || (bytes[1] & 0xFE) != 0) {
                    throw new StreamCorruptedException("not a Boolean's row: " + bytes.length + " bytes");
                }
                return bytes[1] == 1;
            case DOUBLE:
                return Double.longBitsToDouble(inline(bytes, 9, "a Double").getLong());
            default:
                return readSerialized(bytes);
        }
    }

    /** The bytes after an inline value's tag, which must be {@code length} in all. */
    private static ByteBuffer inline(byte[] bytes, int length, String what) throws StreamCorruptedException {
        if (bytes.length != length) {
            throw new StreamCorruptedException(what + "'s row has " + bytes.length + " bytes, not " + length);
        }
        return ByteBuffer.wrap(bytes, 1, length - 1);
    }

    private Object readSerialized(byte[] bytes) throws Exception {
        try (ObjectInputStream in = streams.open(new ByteArrayInputStream(bytes))) {
            boolean serverLoader = in.readBoolean();
            ClassLoader loader = serverLoader ? SessionData.class.getClassLoader()
                    : Thread.currentThread().getContextClassLoader();
            if (in instanceof ClassLoadingObjectInputStream classLoading) {
                return classLoading.readObject(loader);
            }
            return in.readObject();
        }
    }

    /**
     * Whether the server's class loader, not the context's, reads this class back: Jetty's rule for its map column.
     * The context's when it loaded the class or can load the same class (preferred, for deep structures); else the
     * server's.
     */
    private static boolean readByServerLoader(Class<?> type) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = type.getClassLoader();
        if (loader == context || loader == null || loader == PLATFORM) {
            // Also the JDK's classes (String, Integer, the collections), which every context loader sees as they
            // are: Jetty's rule gives the same answer, and asking the loader takes its per-name lock at each value.
            return false;
        }
        if (context == null) {
            return true;
        }
        if (context instanceof ClassVisibilityChecker checker) {
            return !(checker.isProtectedClass(type) && !checker.isHiddenClass(type));
        }
        try {
            return context.loadClass(type.getName()) != type;
        } catch (Throwable e) {
            return true; // the context cannot see the class
        }
    }
}
