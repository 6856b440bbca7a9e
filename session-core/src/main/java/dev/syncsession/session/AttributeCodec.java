package dev.syncsession.session;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.StreamCorruptedException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The serialized form of an attribute map: a Java serialization stream holding the attribute count, then for each
 * attribute its name ({@code writeUTF}) and value ({@code writeObject}). Writing name by name lets every failure name
 * the attribute at fault. Stateless and thread-safe.
 */
final class AttributeCodec {

    private AttributeCodec() {
    }

    /**
     * Serializes the attributes.
     *
     * @throws IllegalArgumentException if a value is not serializable, naming the attribute and the class
     */
    static byte[] write(Map<String, ?> attributes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 32 * attributes.size());
        String current = null;
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeInt(attributes.size());
            for (Map.Entry<String, ?> attribute : attributes.entrySet()) {
                current = Objects.requireNonNull(attribute.getKey(), "attribute name");
                Object value = attribute.getValue();
                if (value == null) {
                    throw new NullPointerException("value of attribute '" + current + "' is null; leave it out instead");
                }
                out.writeUTF(current);
                out.writeObject(value);
            }
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("attribute '" + current + "' contains a " + e.getMessage()
                    + ", which is not Serializable; store Serializable values or use AttributeStorage.BY_REFERENCE", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize attribute '" + current + "': " + e, e);
        }
        return bytes.toByteArray();
    }

    /**
     * Deserializes attributes written by {@link #write}.
     *
     * @param loader resolves attribute classes; null means the bootstrap loader
     * @param filter restricts the classes that may be read, or null for no restriction beyond the JVM-wide filter
     * @return an unmodifiable map in serialization order
     * @throws UnreadableSessionException if the bytes cannot be read, naming the attribute and the cause
     */
    static Map<String, Object> read(byte[] bytes, ClassLoader loader, AttributeClassFilter filter) {
        AttributeClassFilter.Check check = filter == null ? null : filter.newCheck();
        String current = null;
        try (LoaderObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
            if (check != null) {
                in.setObjectInputFilter(check);
            }
            int count = in.readInt();
            if (count < 0) {
                throw new StreamCorruptedException("serialized attributes declare " + count + " entries");
            }
            Map<String, Object> attributes = new LinkedHashMap<>(Math.max(4, (int) (count / 0.75f) + 1));
            for (int i = 0; i < count; i++) {
                current = null; // a failure while reading the name belongs to no attribute
                current = in.readUTF();
                attributes.put(current, in.readObject());
            }
            return Collections.unmodifiableMap(attributes);
        } catch (InvalidClassException e) {
            if (check != null && check.rejectedClass() != null) {
                throw new UnreadableSessionException(current, describe(current) + " refused: class "
                        + check.rejectedClass() + " is not on the allow-list; " + filter.howToAllow(), e);
            }
            throw new UnreadableSessionException(current, "cannot read " + describe(current) + ": " + e, e);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw new UnreadableSessionException(current, "cannot read " + describe(current) + ": " + e, e);
        }
    }

    /** The loader used when the caller names none: the thread's context class loader, else this library's. */
    static ClassLoader defaultLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : AttributeCodec.class.getClassLoader();
    }

    private static String describe(String attributeName) {
        return attributeName == null ? "serialized attributes" : "attribute '" + attributeName + "'";
    }

    /** Resolves classes through a given loader, as a container must for web application classes. */
    private static final class LoaderObjectInputStream extends ObjectInputStream {

        private static final Map<String, Class<?>> PRIMITIVES = Map.of(
                "boolean", boolean.class, "byte", byte.class, "char", char.class, "short", short.class,
                "int", int.class, "long", long.class, "float", float.class, "double", double.class,
                "void", void.class);

        private final ClassLoader loader;

        LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                // A serialized Class object may name a primitive type ("int"), which no loader can load by name.
                Class<?> primitive = PRIMITIVES.get(desc.getName());
                if (primitive == null) {
                    throw e;
                }
                return primitive;
            }
        }

        /**
         * Resolves a serialized {@link Proxy}'s interfaces through the same loader as every other class, as Jetty's
         * {@code ClassLoadingObjectInputStream} does: the default resolves them through the nearest user class loader
         * on the stack (this library's), which does not see interfaces known only to a web application, such as
         * those of CDI or Spring scoped proxies. A non-public interface must be defined by the proxy's own loader.
         */
        @Override
        protected Class<?> resolveProxyClass(String[] interfaces) throws IOException, ClassNotFoundException {
            ClassLoader proxyLoader = loader;
            ClassLoader nonPublicLoader = null;
            Class<?>[] resolved = new Class<?>[interfaces.length];
            for (int i = 0; i < interfaces.length; i++) {
                Class<?> type = Class.forName(interfaces[i], false, loader);
                if (!Modifier.isPublic(type.getModifiers())) {
                    if (nonPublicLoader != null && nonPublicLoader != type.getClassLoader()) {
                        throw new InvalidClassException(type.getName(), "a serialized proxy's non-public "
                                + "interfaces come from different class loaders");
                    }
                    nonPublicLoader = type.getClassLoader();
                    proxyLoader = nonPublicLoader;
                }
                resolved[i] = type;
            }
            try {
                return Proxy.newProxyInstance(proxyLoader, resolved, (proxy, method, args) -> {
                    throw new UnsupportedOperationException("only the proxy's class is needed");
                }).getClass();
            } catch (IllegalArgumentException e) {
                throw new ClassNotFoundException("cannot define a proxy class for " + String.join(", ", interfaces)
                        + ": " + e.getMessage(), e);
            }
        }
    }
}
