package dev.syncsession.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.AbstractMap.SimpleEntry;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Null handling mirrors ConcurrentHashMap exactly: every case runs against a ConcurrentHashMap and a SyncMap with the
 * same content, and both must throw the same exception type or return the same value and end with the same content.
 */
class SyncMapNullsTest {

    private static final Map<String, String> WITH_NULL_KEY = Collections.singletonMap(null, "1");
    private static final Map<String, String> WITH_NULL_VALUE = Collections.singletonMap("a", null);

    private record NullCase(String name, Function<ConcurrentMap<String, String>, Object> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static NullCase of(String name, Function<ConcurrentMap<String, String>, Object> call) {
        return new NullCase(name, call);
    }

    private static Stream<NullCase> cases() {
        return Stream.of(
                of("get(null)", m -> m.get(null)),
                of("put(null, v)", m -> m.put(null, "1")),
                of("put(k, null)", m -> m.put("a", null)),
                of("put(absent, null)", m -> m.put("z", null)),
                of("putIfAbsent(null, v)", m -> m.putIfAbsent(null, "1")),
                of("putIfAbsent(k, null)", m -> m.putIfAbsent("a", null)),
                of("putIfAbsent(absent, null)", m -> m.putIfAbsent("z", null)),
                of("remove(null)", m -> m.remove(null)),
                of("remove(null, v)", m -> m.remove(null, "1")),
                of("remove(k, null)", m -> m.remove("a", null)),
                of("remove(null, null)", m -> m.remove(null, null)),
                of("replace(null, v)", m -> m.replace(null, "1")),
                of("replace(k, null)", m -> m.replace("a", null)),
                of("replace(absent, null)", m -> m.replace("z", null)),
                of("replace(null, old, new)", m -> m.replace(null, "1", "2")),
                of("replace(k, null, new)", m -> m.replace("a", null, "2")),
                of("replace(k, old, null)", m -> m.replace("a", "1", null)),
                of("replace(absent, old, null)", m -> m.replace("z", "1", null)),
                of("containsKey(null)", m -> m.containsKey(null)),
                of("containsValue(null)", m -> m.containsValue(null)),
                of("getOrDefault(null, d)", m -> m.getOrDefault(null, "d")),
                of("getOrDefault(absent, null)", m -> m.getOrDefault("z", null)),
                of("getOrDefault(k, null)", m -> m.getOrDefault("a", null)),
                of("compute(null, f)", m -> m.compute(null, (k, v) -> "x")),
                of("compute(k, null)", m -> m.compute("a", null)),
                of("compute(absent, null)", m -> m.compute("z", null)),
                of("compute(absent, f->null)", m -> m.compute("z", (k, v) -> null)),
                of("compute(k, f->null)", m -> m.compute("a", (k, v) -> null)),
                of("computeIfAbsent(null, f)", m -> m.computeIfAbsent(null, k -> "x")),
                of("computeIfAbsent(k, null)", m -> m.computeIfAbsent("a", null)),
                of("computeIfAbsent(absent, null)", m -> m.computeIfAbsent("z", null)),
                of("computeIfAbsent(absent, f->null)", m -> m.computeIfAbsent("z", k -> null)),
                of("computeIfPresent(null, f)", m -> m.computeIfPresent(null, (k, v) -> "x")),
                of("computeIfPresent(k, null)", m -> m.computeIfPresent("a", null)),
                of("computeIfPresent(absent, null)", m -> m.computeIfPresent("z", null)),
                of("computeIfPresent(k, f->null)", m -> m.computeIfPresent("a", (k, v) -> null)),
                of("merge(null, v, f)", m -> m.merge(null, "1", (a, b) -> a + b)),
                of("merge(k, null, f)", m -> m.merge("a", null, (a, b) -> a + b)),
                of("merge(absent, null, f)", m -> m.merge("z", null, (a, b) -> a + b)),
                of("merge(k, v, null)", m -> m.merge("a", "1", null)),
                of("merge(absent, v, null)", m -> m.merge("z", "1", null)),
                of("merge(k, v, f->null)", m -> m.merge("a", "1", (a, b) -> null)),
                of("putAll(null)", m -> {
                    m.putAll(null);
                    return null;
                }),
                of("putAll(map with null key)", m -> {
                    m.putAll(WITH_NULL_KEY);
                    return null;
                }),
                of("putAll(map with null value)", m -> {
                    m.putAll(WITH_NULL_VALUE);
                    return null;
                }),
                of("forEach(null)", m -> {
                    m.forEach(null);
                    return null;
                }),
                of("replaceAll(null)", m -> {
                    m.replaceAll(null);
                    return null;
                }),
                of("replaceAll(f->null)", m -> {
                    m.replaceAll((k, v) -> null);
                    return null;
                }),
                of("equals(null)", m -> m.equals(null)),
                of("equals(map with null key)", m -> m.equals(WITH_NULL_KEY)),
                of("equals(map with null value)", m -> m.equals(WITH_NULL_VALUE)),
                of("keySet().contains(null)", m -> m.keySet().contains(null)),
                of("keySet().remove(null)", m -> m.keySet().remove(null)),
                of("values().contains(null)", m -> m.values().contains(null)),
                of("values().remove(null)", m -> m.values().remove(null)),
                of("entrySet().contains(null)", m -> m.entrySet().contains(null)),
                of("entrySet().remove(null)", m -> m.entrySet().remove(null)),
                of("entrySet().contains(null key entry)", m -> m.entrySet().contains(new SimpleEntry<>(null, "1"))),
                of("entrySet().contains(null value entry)", m -> m.entrySet().contains(new SimpleEntry<>("a", null))),
                of("entrySet().remove(null key entry)", m -> m.entrySet().remove(new SimpleEntry<>(null, "1"))),
                of("entrySet().remove(null value entry)", m -> m.entrySet().remove(new SimpleEntry<>("a", null))),
                of("entry.setValue(null)", m -> m.entrySet().iterator().next().setValue(null)));
    }

    private static Stream<Arguments> casesOnEmptyAndPopulatedMaps() {
        return cases().flatMap(c -> Stream.of(Arguments.of(c, false), Arguments.of(c, true)))
                .filter(a -> (boolean) a.get()[1] || !a.get()[0].toString().startsWith("entry.setValue"));
    }

    /** What one call did: the returned value or the type of exception thrown. */
    private static String outcome(NullCase c, ConcurrentMap<String, String> map) {
        try {
            return "returned " + c.call().apply(map);
        } catch (RuntimeException e) {
            return "threw " + e.getClass().getName();
        }
    }

    @ParameterizedTest(name = "{0} populated={1}")
    @MethodSource("casesOnEmptyAndPopulatedMaps")
    void nullHandlingMatchesConcurrentHashMap(NullCase c, boolean populated) {
        ConcurrentMap<String, String> reference = new ConcurrentHashMap<>();
        SyncMap<String, String> map = new SyncMap<>();
        if (populated) {
            reference.put("a", "1");
            map.put("a", "1");
        }
        String expected = outcome(c, reference);
        assertEquals(expected, outcome(c, map), c.name());
        assertEquals(new HashMap<>(reference), new HashMap<>(map), "content after " + c.name());
        assertEquals(reference.size(), map.size(), "size after " + c.name());
    }

    @Test
    void rangeRejectsNullVisitor() {
        SyncMap<String, String> map = new SyncMap<>();
        map.put("a", "1");
        assertThrows(NullPointerException.class, () -> map.range(null));
        assertEquals("1", map.get("a"));
    }

    @Test
    void nullCasesIncludeTheDocumentedConcurrentHashMapQuirks() {
        // Guards the premise of the parameterised test: these are the CHM behaviours SyncMap must copy.
        ConcurrentMap<String, String> chm = new ConcurrentHashMap<>(Map.of("a", "1"));
        assertEquals(false, chm.remove("a", null));
        assertEquals(null, chm.getOrDefault("z", null));
        assertThrows(NullPointerException.class, () -> chm.get(null));
        SyncMap<String, String> map = new SyncMap<>();
        map.put("a", "1");
        assertEquals(false, map.remove("a", null));
        assertEquals(null, map.getOrDefault("z", null));
        assertEquals("1", Objects.requireNonNull(map.getOrDefault("a", null)));
    }
}
