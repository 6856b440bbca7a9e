package dev.syncsession.session;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
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
import java.util.concurrent.ConcurrentHashMap;

/**
 * The serialized form of an attribute map. Values of the JDK types most attributes are ({@code String},
 * {@code Integer}, {@code Long}, {@code Boolean}, {@code Double}) are written inline with a one-byte tag; every other
 * value goes into one Java serialization stream after them, so a session of only such values needs no
 * {@code ObjectOutputStream} at all and one that has other values needs one:
 *
 * <pre>
 * 0x01 | count (4) | per attribute: name (writeUTF) | tag (1) | inline value for the JDK tags
 *      | [a Java serialization stream: the values tagged OBJECT, in order]
 * </pre>
 *
 * The previous form, a Java serialization stream holding the count and then each name ({@code writeUTF}) and value
 * ({@code writeObject}), is still read: it starts with serialization's magic 0xACED, never with 0x01. Every failure
 * names the attribute at fault. Stateless and thread-safe.
 */
final class AttributeCodec {

    /** The first byte of the tagged form; a Java serialization stream starts with 0xAC. */
    static final byte TAGGED = 0x01;

    private static final byte STRING = 1;
    private static final byte INTEGER = 2;
    private static final byte LONG = 3;
    private static final byte BOOLEAN = 4;
    private static final byte DOUBLE = 5;
    private static final byte OBJECT = 9;

    /** Attribute names kept canonical, at most this many: an application has a few dozen. */
    private static final int MAX_CANONICAL_NAMES = 4096;

    /**
     * The attribute names read so far, each kept once: a restore of a million sessions then holds one copy of each
     * name instead of a million (about 40 bytes each). Bounded, so that bytes full of random names cannot grow it.
     */
    private static final ConcurrentHashMap<String, String> NAMES = new ConcurrentHashMap<>();

    /** writeUTF takes at most 65,535 bytes, and a char takes at most 3: strings up to this length always fit. */
    private static final int MAX_INLINE_STRING = 65_535 / 3;

    private AttributeCodec() {
    }

    /**
     * Serializes the attributes.
     *
     * @throws IllegalArgumentException if a value is not serializable, naming the attribute and the class
     */
    static byte[] write(Map<String, ?> attributes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 32 * attributes.size());
        DataOutputStream out = new DataOutputStream(bytes);
        String current = null;
        try {
            out.writeByte(TAGGED);
            out.writeInt(attributes.size());
            int objects = 0;
            for (Map.Entry<String, ?> attribute : attributes.entrySet()) {
                current = Objects.requireNonNull(attribute.getKey(), "attribute name");
                Object value = attribute.getValue();
                if (value == null) {
                    throw new NullPointerException("value of attribute '" + current + "' is null; leave it out instead");
                }
                out.writeUTF(current);
                byte tag = tagOf(value);
                out.writeByte(tag);
                switch (tag) {
                    case STRING -> out.writeUTF((String) value);
                    case INTEGER -> out.writeInt((Integer) value);
                    case LONG -> out.writeLong((Long) value);
                    case BOOLEAN -> out.writeBoolean((Boolean) value);
                    case DOUBLE -> out.writeDouble((Double) value);
                    default -> objects++;
                }
            }
            current = null;
            if (objects > 0) {
                try (ObjectOutputStream objectOut = new ObjectOutputStream(bytes)) {
                    for (Map.Entry<String, ?> attribute : attributes.entrySet()) {
                        if (tagOf(attribute.getValue()) == OBJECT) {
                            current = attribute.getKey();
                            objectOut.writeObject(attribute.getValue());
                        }
                    }
                }
            }
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("attribute '" + current + "' contains a " + e.getMessage()
                    + ", which is not Serializable; store Serializable values or use AttributeStorage.BY_REFERENCE", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize attribute '" + current + "': " + e, e);
        }
        return bytes.toByteArray();
    }

    /** How {@link #write} writes a value: inline with its JDK type's tag, or {@code OBJECT}. */
    private static byte tagOf(Object value) {
        Class<?> type = value.getClass();
        if (type == String.class) {
            return ((String) value).length() <= MAX_INLINE_STRING ? STRING : OBJECT;
        }
        if (type == Integer.class) {
            return INTEGER;
        }
        if (type == Long.class) {
            return LONG;
        }
        if (type == Boolean.class) {
            return BOOLEAN;
        }
        return type == Double.class ? DOUBLE : OBJECT;
    }

    /**
     * Deserializes attributes written by {@link #write}, in either form.
     *
     * @param loader resolves attribute classes; null means the bootstrap loader
     * @param filter restricts the classes that may be read, or null for no restriction beyond the JVM-wide filter;
     *     values of the inline JDK types involve no class and are not filtered
     * @return an unmodifiable map in serialization order
     * @throws UnreadableSessionException if the bytes cannot be read, naming the attribute and the cause
     */
    static Map<String, Object> read(byte[] bytes, ClassLoader loader, AttributeClassFilter filter) {
        if (bytes.length > 0 && bytes[0] == TAGGED) {
            return readTagged(bytes, loader, filter);
        }
        return readSerialized(bytes, loader, filter);
    }

    private static Map<String, Object> readTagged(byte[] bytes, ClassLoader loader, AttributeClassFilter filter) {
        ByteArrayInputStream source = new ByteArrayInputStream(bytes);
        DataInputStream in = new DataInputStream(source);
        String current = null;
        AttributeClassFilter.Check check = null;
        try {
            in.readByte();
            int count = in.readInt();
            if (count < 0 || count > bytes.length) {
                throw new StreamCorruptedException("serialized attributes declare " + count + " entries");
            }
            String[] names = new String[count];
            Object[] values = new Object[count];
            int objects = 0;
            for (int i = 0; i < count; i++) {
                current = null; // a failure while reading the name belongs to no attribute
                current = canonicalName(in.readUTF());
                names[i] = current;
                byte tag = in.readByte();
                values[i] = switch (tag) {
                    case STRING -> in.readUTF();
                    case INTEGER -> in.readInt();
                    case LONG -> in.readLong();
                    case BOOLEAN -> in.readBoolean();
                    case DOUBLE -> in.readDouble();
                    case OBJECT -> {
                        objects++;
                        yield null;
                    }
                    default -> throw new StreamCorruptedException("unknown value tag " + tag);
                };
            }
            if (objects > 0) {
                current = null;
                try (LoaderObjectInputStream objectIn = new LoaderObjectInputStream(source, loader)) {
                    if (filter != null) {
                        check = filter.newCheck();
                        objectIn.setObjectInputFilter(check);
                    }
                    for (int i = 0; i < count; i++) {
                        if (values[i] == null) {
                            current = names[i];
                            values[i] = objectIn.readObject();
                            if (values[i] == null) {
                                throw new StreamCorruptedException("a null value");
                            }
                        }
                    }
                }
            }
            Map<String, Object> attributes = new LinkedHashMap<>(Math.max(4, (int) (count / 0.75f) + 1));
            for (int i = 0; i < count; i++) {
                attributes.put(names[i], values[i]);
            }
            return Collections.unmodifiableMap(attributes);
        } catch (InvalidClassException e) {
            throw unreadable(current, filter, check, e);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw new UnreadableSessionException(current, "cannot read " + describe(current) + ": " + e, e);
        }
    }

    /** The previous form: one Java serialization stream for the count, the names and the values. */
    private static Map<String, Object> readSerialized(byte[] bytes, ClassLoader loader, AttributeClassFilter filter) {
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
                current = canonicalName(in.readUTF());
                attributes.put(current, in.readObject());
            }
            return Collections.unmodifiableMap(attributes);
        } catch (InvalidClassException e) {
            throw unreadable(current, filter, check, e);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw new UnreadableSessionException(current, "cannot read " + describe(current) + ": " + e, e);
        }
    }

    /** The one copy of an attribute name, while there is room for it among the canonical names. */
    static String canonicalName(String name) {
        String known = NAMES.get(name);
        if (known != null) {
            return known;
        }
        if (NAMES.size() >= MAX_CANONICAL_NAMES) {
            return name;
        }
        String raced = NAMES.putIfAbsent(name, name);
        return raced != null ? raced : name;
    }

    private static UnreadableSessionException unreadable(String current, AttributeClassFilter filter,
            AttributeClassFilter.Check check, InvalidClassException e) {
        if (check != null && check.refusedClass() != null) {
            return new UnreadableSessionException(current, describe(current) + " refused: class "
                    + check.refusedClass() + " is not on the allow-list; " + filter.howToAllow(), e);
        }
        return new UnreadableSessionException(current, "cannot read " + describe(current) + ": " + e, e);
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
