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
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.util.ClassLoadingObjectInputStream;
import org.eclipse.jetty.util.ClassVisibilityChecker;

/**
 * The form of one attribute's value in a row of the {@link AttributeRows attribute table}: Java serialization of the
 * value alone, after one boolean that says which class loader reads it back (the server's or the context's), as
 * Jetty's store writes each value in its map column ({@code SessionData.serializeAttributes}), so a value reads back
 * exactly as it would from Jetty's map.
 *
 * <p>Reads go through the store's own stream, which carries the tier's allow-list ({@link RowAttributeFilter}).
 * Stateless apart from the store's stream factory; thread-safe.
 */
final class AttributeValues {

    /** Makes the stream a value is read with: Jetty's {@link ClassLoadingObjectInputStream} behind the allow-list. */
    interface StreamFactory {
        ObjectInputStream open(InputStream in) throws IOException;
    }

    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    private final StreamFactory streams;

    AttributeValues(StreamFactory streams) {
        this.streams = streams;
    }

    /**
     * The value's bytes for its row.
     *
     * @throws IOException if the value cannot be serialized ({@link java.io.NotSerializableException}), as Jetty's save
     *     fails on it
     */
    static byte[] write(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeBoolean(readByServerLoader(value.getClass()));
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    /**
     * A value read back from its row's bytes, by the class loader its first byte names, through the allow-list.
     *
     * @throws Exception if it cannot be read: a class off the allow-list, a class not found, corrupt bytes
     */
    Object read(byte[] bytes) throws Exception {
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
