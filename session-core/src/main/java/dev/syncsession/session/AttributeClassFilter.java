package dev.syncsession.session;

import java.io.ObjectInputFilter;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An allow-list of the classes that session attributes read from outside this process (a snapshot file) may
 * contain. By default: strings, boxed primitives, {@code java.math} numbers, {@code java.time} values, common
 * {@code java.util} collections and arrays of any of these; more by exact class name or package prefix. Everything
 * else, including dynamic proxies, is rejected. Immutable and thread-safe; {@link #newCheck()} creates the per-stream
 * filter that remembers what it rejected.
 */
final class AttributeClassFilter {

    /** Deeper object graphs than this are rejected outright: session attributes are small values. */
    static final long MAX_DEPTH = 64;

    static final Set<String> DEFAULT_CLASSES = Set.of(
            "java.lang.Object", "java.lang.Number", "java.lang.Enum",
            "java.lang.String", "java.lang.Boolean", "java.lang.Character", "java.lang.Byte", "java.lang.Short",
            "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double",
            "java.math.BigInteger", "java.math.BigDecimal",
            "java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque",
            "java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap",
            "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet",
            "java.util.Date", "java.util.UUID", "java.util.Locale", "java.util.Currency",
            "java.util.Arrays$ArrayList",
            // HashMap and HashSet check the size of their Map.Entry[] table before allocating it.
            "java.util.Map$Entry",
            // List.of, Set.of, Map.of: serialized as CollSer, whose readResolve result is checked as well.
            "java.util.CollSer", "java.util.ImmutableCollections$List12", "java.util.ImmutableCollections$ListN",
            "java.util.ImmutableCollections$Set12", "java.util.ImmutableCollections$SetN",
            "java.util.ImmutableCollections$Map1", "java.util.ImmutableCollections$MapN",
            "java.util.Collections$UnmodifiableCollection", "java.util.Collections$UnmodifiableList",
            "java.util.Collections$UnmodifiableRandomAccessList", "java.util.Collections$UnmodifiableSet",
            "java.util.Collections$UnmodifiableMap", "java.util.Collections$EmptyList",
            "java.util.Collections$EmptySet", "java.util.Collections$EmptyMap", "java.util.Collections$SingletonList",
            "java.util.Collections$SingletonSet", "java.util.Collections$SingletonMap",
            "java.util.concurrent.ConcurrentHashMap", "java.util.concurrent.ConcurrentHashMap$Segment",
            "java.util.concurrent.CopyOnWriteArrayList");

    static final List<String> DEFAULT_PACKAGES = List.of("java.time.");

    private final Set<String> classes;
    private final List<String> packagePrefixes;

    AttributeClassFilter(Set<String> extraClasses, List<String> extraPackagePrefixes) {
        Set<String> allClasses = new HashSet<>(DEFAULT_CLASSES);
        allClasses.addAll(extraClasses);
        this.classes = Set.copyOf(allClasses);
        this.packagePrefixes = List.copyOf(concat(DEFAULT_PACKAGES, extraPackagePrefixes));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    boolean allows(Class<?> type) {
        Class<?> element = type;
        while (element.isArray()) {
            element = element.getComponentType();
        }
        if (element.isPrimitive()) {
            return true;
        }
        if (Proxy.isProxyClass(element)) {
            return false;
        }
        String name = element.getName();
        if (classes.contains(name)) {
            return true;
        }
        for (String prefix : packagePrefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    String howToAllow() {
        return "allow it with SessionSnapshot.Builder.allowClass or allowPackage";
    }

    Check newCheck() {
        return new Check(this);
    }

    /** The filter for one stream; remembers the first rejected class so that the error can name it. */
    static final class Check implements ObjectInputFilter {

        private final AttributeClassFilter allowList;
        private String rejectedClass;

        private Check(AttributeClassFilter allowList) {
            this.allowList = allowList;
        }

        String rejectedClass() {
            return rejectedClass;
        }

        @Override
        public Status checkInput(FilterInfo info) {
            if (info.depth() > MAX_DEPTH) {
                if (rejectedClass == null) {
                    rejectedClass = "(object graph deeper than " + MAX_DEPTH + ")";
                }
                return Status.REJECTED;
            }
            Class<?> type = info.serialClass();
            if (type == null || allowList.allows(type)) {
                return Status.ALLOWED;
            }
            if (rejectedClass == null) {
                rejectedClass = type.getTypeName();
            }
            return Status.REJECTED;
        }
    }
}
