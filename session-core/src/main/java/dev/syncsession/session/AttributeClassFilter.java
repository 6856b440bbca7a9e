package dev.syncsession.session;

import java.io.ObjectInputFilter;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An allow-list of the classes that session attributes read from outside this process (a snapshot file, the
 * many-nodes tier's session table) may contain. By default: strings, boxed primitives, {@code java.math} numbers,
 * {@code java.time} values, common {@code java.util} collections and arrays of any of these; more by exact class name
 * or package prefix. Everything else, including dynamic proxies, is refused. Immutable and thread-safe;
 * {@link #newCheck()} creates the per-stream {@link java.io.ObjectInputFilter} that remembers what it refused.
 *
 * <p>{@link SessionSnapshot} builds its own; other readers of serialized attributes (the Jetty integration's
 * many-nodes tier) make one with {@link #allowingPackages}, so that both apply the same list.
 */
public final class AttributeClassFilter {

    /** Deeper object graphs than this are refused outright: session attributes are small values. */
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

    /**
     * The default allow-list and every class in the given packages and their sub-packages.
     *
     * @param packageNames for example {@code "com.shop"}; none blank
     * @return the allow-list
     * @throws IllegalArgumentException naming a blank package name
     */
    public static AttributeClassFilter allowingPackages(Collection<String> packageNames) {
        return new AttributeClassFilter(Set.of(), packageNames.stream().map(AttributeClassFilter::packagePrefix)
                .toList());
    }

    /** The prefix that allows a package and its sub-packages: the name with a trailing dot. */
    static String packagePrefix(String packageName) {
        if (packageName.isBlank()) {
            throw new IllegalArgumentException("package name is \"" + packageName
                    + "\"; allowing every class defeats the filter");
        }
        return packageName.endsWith(".") ? packageName : packageName + ".";
    }

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

    /**
     * The filter for one stream.
     *
     * @return a new filter, to be set on one stream only
     */
    public Check newCheck() {
        return new Check(this);
    }

    /**
     * The filter for one stream; remembers the first refused class so that the error can name it. Confined to the
     * thread reading its stream.
     */
    public static final class Check implements ObjectInputFilter {

        private final AttributeClassFilter allowList;
        private String refusedClass;

        private Check(AttributeClassFilter allowList) {
            this.allowList = allowList;
        }

        /**
         * The first class this filter refused.
         *
         * @return its name, a description of the graph if it was refused for its depth, or null if none was refused
         */
        public String refusedClass() {
            return refusedClass;
        }

        @Override
        public Status checkInput(FilterInfo info) {
            if (info.depth() > MAX_DEPTH) {
                if (refusedClass == null) {
                    refusedClass = "(object graph deeper than " + MAX_DEPTH + ")";
                }
                return Status.REJECTED;
            }
            Class<?> type = info.serialClass();
            if (type == null || allowList.allows(type)) {
                return Status.ALLOWED;
            }
            if (refusedClass == null) {
                refusedClass = type.getTypeName();
            }
            return Status.REJECTED;
        }
    }
}
