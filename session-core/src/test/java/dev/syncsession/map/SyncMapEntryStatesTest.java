package dev.syncsession.map;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operation on a key "x" in every internal state an entry can be in (read live / read deleted / expunged /
 * dirty only / absent with and without an amended read view ...), checked against HashMap, then checked again after
 * the state is pushed on by a promotion and a rebuild.
 */
class SyncMapEntryStatesTest {

    /** Builds one internal state for key "x", applying the same logical operations to a reference HashMap. */
    enum State {
        ABSENT_FRESH_MAP((m, r) -> { }),
        ABSENT_NOT_AMENDED((m, r) -> {
            put(m, r, "a");
            put(m, r, "b");
            promote(m);
        }),
        ABSENT_AMENDED((m, r) -> {
            ABSENT_NOT_AMENDED.build(m, r);
            put(m, r, "c");
        }),
        DIRTY_ONLY_FRESH_MAP((m, r) -> put(m, r, "x")),
        DIRTY_ONLY((m, r) -> {
            ABSENT_NOT_AMENDED.build(m, r);
            put(m, r, "x");
        }),
        DIRTY_ONLY_DELETED((m, r) -> {
            DIRTY_ONLY.build(m, r);
            remove(m, r, "x");
        }),
        READ_LIVE((m, r) -> {
            put(m, r, "a");
            put(m, r, "x");
            put(m, r, "b");
            promote(m);
        }),
        READ_LIVE_AMENDED((m, r) -> {
            READ_LIVE.build(m, r);
            put(m, r, "c");
        }),
        READ_DELETED((m, r) -> {
            READ_LIVE.build(m, r);
            remove(m, r, "x");
        }),
        READ_DELETED_AMENDED((m, r) -> {
            READ_LIVE_AMENDED.build(m, r);
            remove(m, r, "x");
        }),
        EXPUNGED((m, r) -> {
            READ_DELETED.build(m, r);
            put(m, r, "c");
        }),
        UNEXPUNGED((m, r) -> {
            EXPUNGED.build(m, r);
            put(m, r, "x");
        }),
        EXPUNGED_THEN_PROMOTED((m, r) -> {
            EXPUNGED.build(m, r);
            promote(m);
        }),
        AFTER_CLEAR((m, r) -> {
            READ_LIVE_AMENDED.build(m, r);
            m.clear();
            r.clear();
            put(m, r, "a");
        });

        private final BiConsumer<SyncMap<String, String>, Map<String, String>> builder;

        State(BiConsumer<SyncMap<String, String>, Map<String, String>> builder) {
            this.builder = builder;
        }

        void build(SyncMap<String, String> map, Map<String, String> reference) {
            builder.accept(map, reference);
        }
    }

    private record Op(String name, Function<Map<String, String>, Object> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Values are fresh String instances each time so that identity comparison in the map would be caught. */
    private static String value(String key) {
        return new StringBuilder("v").append(key).toString();
    }

    private static void put(SyncMap<String, String> map, Map<String, String> reference, String key) {
        map.put(key, value(key));
        reference.put(key, value(key));
    }

    private static void remove(SyncMap<String, String> map, Map<String, String> reference, String key) {
        map.remove(key);
        reference.remove(key);
    }

    /** Range promotes an amended dirty map first. */
    private static void promote(SyncMap<String, String> map) {
        map.range((k, v) -> true);
    }

    private static Op op(String name, Function<Map<String, String>, Object> call) {
        return new Op(name, call);
    }

    private static Stream<Op> ops() {
        return Stream.of(
                op("get", m -> m.get("x")),
                op("containsKey", m -> m.containsKey("x")),
                op("getOrDefault", m -> m.getOrDefault("x", "default")),
                op("put", m -> m.put("x", "new")),
                op("putIfAbsent", m -> m.putIfAbsent("x", "new")),
                op("remove", m -> m.remove("x")),
                op("removeMatching", m -> m.remove("x", value("x"))),
                op("removeNotMatching", m -> m.remove("x", "other")),
                op("replace", m -> m.replace("x", "new")),
                op("replaceMatching", m -> m.replace("x", value("x"), "new")),
                op("replaceNotMatching", m -> m.replace("x", "other", "new")),
                op("compute", m -> m.compute("x", (k, v) -> v == null ? "computed" : v + "+")),
                op("computeToNull", m -> m.compute("x", (k, v) -> null)),
                op("computeIfAbsent", m -> m.computeIfAbsent("x", k -> "computed")),
                op("computeIfAbsentNull", m -> m.computeIfAbsent("x", k -> null)),
                op("computeIfPresent", m -> m.computeIfPresent("x", (k, v) -> v + "+")),
                op("computeIfPresentToNull", m -> m.computeIfPresent("x", (k, v) -> null)),
                op("merge", m -> m.merge("x", "m", (a, b) -> a + b)),
                op("mergeToNull", m -> m.merge("x", "m", (a, b) -> null)),
                op("containsValue", m -> m.containsValue(value("x"))),
                op("keySetContains", m -> m.keySet().contains("x")),
                op("keySetRemove", m -> m.keySet().remove("x")),
                op("iteratorRemove", m -> {
                    int removed = 0;
                    for (Iterator<String> it = m.keySet().iterator(); it.hasNext(); ) {
                        if (it.next().equals("x")) {
                            it.remove();
                            removed++;
                        }
                    }
                    return removed;
                }),
                op("setValue", m -> {
                    for (Map.Entry<String, String> e : m.entrySet()) {
                        if (e.getKey().equals("x")) {
                            return e.setValue("set");
                        }
                    }
                    return "not found";
                }),
                op("replaceAll", m -> {
                    m.replaceAll((k, v) -> k + "!");
                    return null;
                }),
                op("putAll", m -> {
                    m.putAll(Map.of("x", "all", "y", "all"));
                    return null;
                }),
                op("clear", m -> {
                    m.clear();
                    return null;
                }),
                op("putNewKey", m -> m.put("y", "new")),
                op("size", Map::size),
                op("isEmpty", Map::isEmpty));
    }

    private static Stream<Arguments> statesAndOps() {
        return Stream.of(State.values()).flatMap(s -> ops().map(o -> Arguments.of(s, o)));
    }

    private static void assertSameContent(Map<String, String> reference, SyncMap<String, String> map, String when) {
        assertEquals(new TreeMap<>(reference), new TreeMap<>(map), "content " + when);
        assertEquals(reference.size(), map.size(), "size " + when);
        assertEquals(reference.isEmpty(), map.isEmpty(), "isEmpty " + when);
        for (String k : new String[] {"a", "b", "c", "x", "y"}) {
            assertEquals(reference.get(k), map.get(k), "get(" + k + ") " + when);
            assertEquals(reference.containsKey(k), map.containsKey(k), "containsKey(" + k + ") " + when);
        }
        Map<String, String> ranged = new HashMap<>();
        map.range((k, v) -> ranged.put(k, v) == null);
        assertEquals(reference, ranged, "range " + when);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("statesAndOps")
    void operationOnStateMatchesHashMap(State state, Op op) {
        SyncMap<String, String> map = new SyncMap<>();
        Map<String, String> reference = new HashMap<>();
        state.build(map, reference);
        // Only size() here: reads and iteration may count misses or promote, which would change the state.
        assertEquals(reference.size(), map.size(), "size after building " + state);

        assertEquals(op.call().apply(reference), op.call().apply(map), op + " result in state " + state);
        assertSameContent(reference, map, "after " + op + " in state " + state);

        // Push the entry through the next transitions: a promotion, a rebuild, a miss-driven promotion.
        promote(map);
        assertSameContent(reference, map, "after promotion following " + op + " in state " + state);
        put(map, reference, "z");
        remove(map, reference, "a");
        assertSameContent(reference, map, "after rebuild following " + op + " in state " + state);
        long promotions = map.stats().promotions();
        for (int i = 0; i < 10 && map.stats().promotions() == promotions; i++) {
            map.get("z");
        }
        assertSameContent(reference, map, "after miss-driven promotion following " + op + " in state " + state);
        assertEquals(op.call().apply(reference), op.call().apply(map), op + " repeated after transitions, " + state);
        assertSameContent(reference, map, "after repeating " + op + " in state " + state);
    }
}
