package dev.syncsession.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random sequences of every operation on a small key space, each step checked against a HashMap: return values on
 * every step, the whole content periodically. Replay a failure with {@code -Dsyncmap.seed=<seed>} (and optionally
 * {@code -Dsyncmap.steps=<n>}).
 */
class SyncMapRandomizedTest {

    private static final int KEYS = 16;
    private static final int STEPS = Integer.getInteger("syncmap.steps", 10_000);
    private static final int FULL_CHECK_EVERY = 40;

    enum Op {
        GET(6), GET_MISS(4), PUT(4), PUT_IF_ABSENT(2), REMOVE(3), REMOVE_IF_VALUE(2), REPLACE(2),
        REPLACE_IF_VALUE(2), CONTAINS_KEY(2), CONTAINS_VALUE(1), GET_OR_DEFAULT(1), COMPUTE(2),
        COMPUTE_IF_ABSENT(2), COMPUTE_IF_PRESENT(2), MERGE(2), FOR_EACH(1), REPLACE_ALL(1), PUT_ALL(1), SIZE(1),
        RANGE_EARLY_STOP(2), ITERATOR_REMOVE(1), SET_VALUE(1), KEY_SET_REMOVE(1), ENTRY_SET_REMOVE(1),
        EQUALS_HASH_CODE(1), CLEAR(0);

        final int weight;

        Op(int weight) {
            this.weight = weight;
        }
    }

    private static final List<Op> WEIGHTED = new ArrayList<>();

    static {
        for (Op op : Op.values()) {
            for (int i = 0; i < op.weight; i++) {
                WEIGHTED.add(op);
            }
        }
    }

    static LongStream seeds() {
        String replay = System.getProperty("syncmap.seed");
        if (replay != null && !replay.isBlank()) {
            return LongStream.of(Long.parseLong(replay.trim()));
        }
        return LongStream.of(1L, 2L, 3L, 42L, 0x5EED_5EEDL, 20260101L, -7L, 987654321L, 0xCAFEBABEL, 31337L);
    }

    /** Fresh String instances, so any identity comparison inside the map shows up as a wrong result. */
    private static String key(int i) {
        return new StringBuilder("k").append(i).toString();
    }

    private static String value(int i) {
        return new StringBuilder("v").append(i).toString();
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void randomOperationsMatchHashMap(long seed) {
        Random random = new Random(seed);
        SyncMap<String, String> map = new SyncMap<>();
        Map<String, String> reference = new HashMap<>();
        Op[] lastOps = new Op[8];
        for (int i = 0; i < STEPS; i++) {
            Op op = random.nextInt(300) == 0 ? Op.CLEAR : WEIGHTED.get(random.nextInt(WEIGHTED.size()));
            lastOps[i % lastOps.length] = op;
            String where = "seed=" + seed + " step=" + i + " op=" + op;
            try {
                step(op, random, map, reference, where);
                if (i % FULL_CHECK_EVERY == 0 || i == STEPS - 1) {
                    assertSameContent(reference, map, where);
                }
            } catch (AssertionError e) {
                throw e;
            } catch (RuntimeException e) {
                throw new AssertionError(where + " threw " + e, e);
            }
        }
        SyncMap.Stats stats = map.stats();
        assertTrue(stats.promotions() > 0, "seed=" + seed + " no promotion happened: " + stats);
        assertTrue(stats.dirtyRebuilds() > 0, "seed=" + seed + " no dirty rebuild happened: " + stats);
        assertTrue(stats.misses() > 0, "seed=" + seed + " no miss happened: " + stats);
    }

    /** A key whose hash code is shared with many other keys, so probe runs in the tables get long. */
    private record CollidingKey(int id) {
        @Override
        public int hashCode() {
            return id % 5;
        }
    }

    /**
     * Many keys in few hash classes: inserts, deletes of keys living only in the dirty table (which unlink them) and
     * re-inserts, so that the open-addressing tables' probing and deletion are exercised.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void collidingKeysMatchHashMap(long seed) {
        Random random = new Random(seed);
        SyncMap<CollidingKey, Integer> map = new SyncMap<>();
        Map<CollidingKey, Integer> reference = new HashMap<>();
        for (int i = 0; i < STEPS; i++) {
            String where = "seed=" + seed + " step=" + i;
            CollidingKey k = new CollidingKey(random.nextInt(200));
            int v = random.nextInt(1000);
            switch (random.nextInt(8)) {
                case 0, 1 -> assertEquals(reference.put(k, v), map.put(k, v), where + " put " + k);
                case 2, 3 -> assertEquals(reference.remove(k), map.remove(k), where + " remove " + k);
                case 4 -> assertEquals(reference.putIfAbsent(k, v), map.putIfAbsent(k, v), where + " putIfAbsent");
                case 5 -> assertEquals(reference.get(k), map.get(k), where + " get " + k);
                case 6 -> {
                    Integer old = reference.get(k);
                    if (old != null) {
                        assertEquals(reference.remove(k, old), map.remove(k, old), where + " remove(k, v) " + k);
                    }
                }
                default -> {
                    if (random.nextInt(50) == 0) {
                        map.range((key, value) -> true); // promote now and then, so deletes hit both tables
                    }
                    assertEquals(reference.containsKey(k), map.containsKey(k), where + " containsKey " + k);
                }
            }
            if (i % 200 == 0 || i == STEPS - 1) {
                assertEquals(reference.size(), map.size(), where + " size");
                for (int id = 0; id < 200; id++) {
                    CollidingKey key = new CollidingKey(id);
                    assertEquals(reference.get(key), map.get(key), where + " get " + key);
                }
                assertEquals(reference, new HashMap<>(map), where + " content");
            }
        }
    }

    private static void step(Op op, Random random, SyncMap<String, String> map, Map<String, String> ref,
            String where) {
        String k = key(random.nextInt(KEYS));
        String v = value(random.nextInt(6));
        switch (op) {
            case GET -> assertEquals(ref.get(k), map.get(k), where);
            case GET_MISS -> {
                String absent = "absent" + random.nextInt(4);
                assertEquals(null, map.get(absent), where);
            }
            case PUT -> assertEquals(ref.put(k, v), map.put(k, v), where);
            case PUT_IF_ABSENT -> assertEquals(ref.putIfAbsent(k, v), map.putIfAbsent(k, v), where);
            case REMOVE -> assertEquals(ref.remove(k), map.remove(k), where);
            case REMOVE_IF_VALUE -> assertEquals(ref.remove(k, v), map.remove(k, v), where);
            case REPLACE -> assertEquals(ref.replace(k, v), map.replace(k, v), where);
            case REPLACE_IF_VALUE -> {
                String old = random.nextBoolean() && ref.containsKey(k) ? new String(ref.get(k)) : value(random.nextInt(6));
                assertEquals(ref.replace(k, old, v), map.replace(k, old, v), where);
            }
            case CONTAINS_KEY -> assertEquals(ref.containsKey(k), map.containsKey(k), where);
            case CONTAINS_VALUE -> assertEquals(ref.containsValue(v), map.containsValue(v), where);
            case GET_OR_DEFAULT -> assertEquals(ref.getOrDefault(k, "d"), map.getOrDefault(k, "d"), where);
            case COMPUTE -> {
                int choice = random.nextInt(3);
                BiFunction<String, String, String> f = (key, old) -> choice == 0 ? null
                        : choice == 1 || old == null || old.length() > 6 ? v : old + "c";
                String before = ref.get(k);
                String expected = ref.compute(k, f);
                int[] calls = {0};
                String[] seenOld = {"unset"};
                String actual = map.compute(k, (key, old) -> {
                    calls[0]++;
                    seenOld[0] = old;
                    return f.apply(key, old);
                });
                assertEquals(expected, actual, where);
                assertEquals(1, calls[0], where + " function calls");
                assertEquals(before, seenOld[0], where + " old value passed to function");
            }
            case COMPUTE_IF_ABSENT -> {
                boolean returnNull = random.nextInt(4) == 0;
                boolean present = ref.containsKey(k);
                int[] calls = {0};
                String expected = ref.computeIfAbsent(k, key -> returnNull ? null : v);
                String actual = map.computeIfAbsent(k, key -> {
                    calls[0]++;
                    return returnNull ? null : v;
                });
                assertEquals(expected, actual, where);
                assertEquals(present ? 0 : 1, calls[0], where + " function calls");
            }
            case COMPUTE_IF_PRESENT -> {
                boolean returnNull = random.nextInt(3) == 0;
                String before = ref.get(k);
                String expected = ref.computeIfPresent(k, (key, old) -> returnNull ? null : v);
                int[] calls = {0};
                String actual = map.computeIfPresent(k, (key, old) -> {
                    calls[0]++;
                    assertEquals(before, old, where + " old value passed to function");
                    return returnNull ? null : v;
                });
                assertEquals(expected, actual, where);
                assertEquals(before == null ? 0 : 1, calls[0], where + " function calls");
            }
            case MERGE -> {
                boolean returnNull = random.nextInt(4) == 0;
                BiFunction<String, String, String> f = (a, b) -> returnNull ? null : a.length() > 6 ? b : a + b;
                assertEquals(ref.merge(k, v, f), map.merge(k, v, f), where);
            }
            case FOR_EACH -> {
                Map<String, String> seen = new HashMap<>();
                map.forEach((key, value) -> {
                    if (seen.put(key, value) != null) {
                        fail(where + " forEach visited " + key + " twice");
                    }
                });
                assertEquals(ref, seen, where);
            }
            case REPLACE_ALL -> {
                BiFunction<String, String, String> f = (key, value) -> value.length() > 5 ? "v0" : value + "r";
                ref.replaceAll(f);
                map.replaceAll(f);
                assertEquals(ref, new HashMap<>(map), where);
            }
            case PUT_ALL -> {
                Map<String, String> more = new HashMap<>();
                for (int n = random.nextInt(4); n > 0; n--) {
                    more.put(key(random.nextInt(KEYS)), value(random.nextInt(6)));
                }
                ref.putAll(more);
                map.putAll(more);
            }
            case SIZE -> {
                assertEquals(ref.size(), map.size(), where);
                assertEquals(ref.size(), map.mappingCount(), where);
                assertEquals(ref.isEmpty(), map.isEmpty(), where);
            }
            case RANGE_EARLY_STOP -> {
                int limit = 1 + random.nextInt(KEYS + 2);
                Map<String, String> seen = new HashMap<>();
                boolean completed = map.range((key, value) -> {
                    if (seen.put(key, value) != null) {
                        fail(where + " range visited " + key + " twice");
                    }
                    return seen.size() < limit;
                });
                assertEquals(Math.min(limit, ref.size()), seen.size(), where + " visits with limit " + limit);
                assertEquals(ref.size() < limit, completed, where + " range result with limit " + limit);
                seen.forEach((key, value) -> assertEquals(ref.get(key), value, where + " range value of " + key));
            }
            case ITERATOR_REMOVE -> iteratorRemove(random, map, ref, where);
            case SET_VALUE -> {
                int mask = random.nextInt(1 << 4);
                for (Map.Entry<String, String> e : map.entrySet()) {
                    if ((mask & (1 << (e.getKey().hashCode() & 3))) != 0) {
                        String old = e.setValue(v);
                        assertEquals(ref.put(e.getKey(), v), old, where + " setValue of " + e.getKey());
                    }
                }
            }
            case KEY_SET_REMOVE -> assertEquals(ref.keySet().remove(k), map.keySet().remove(k), where);
            case ENTRY_SET_REMOVE -> assertEquals(ref.entrySet().remove(new SimpleEntry<>(k, v)),
                    map.entrySet().remove(new SimpleEntry<>(k, v)), where);
            case EQUALS_HASH_CODE -> {
                assertTrue(map.equals(ref), where + " map.equals(reference)");
                assertTrue(ref.equals(map), where + " reference.equals(map)");
                assertEquals(ref.hashCode(), map.hashCode(), where);
            }
            case CLEAR -> {
                ref.clear();
                map.clear();
                assertEquals(0, map.size(), where);
            }
        }
    }

    private static void iteratorRemove(Random random, SyncMap<String, String> map, Map<String, String> ref,
            String where) {
        int mask = random.nextInt(1 << 4);
        switch (random.nextInt(3)) {
            case 0 -> {
                for (Iterator<String> it = map.keySet().iterator(); it.hasNext(); ) {
                    String key = it.next();
                    if ((mask & (1 << (key.hashCode() & 3))) != 0) {
                        it.remove();
                        assertTrue(ref.remove(key) != null, where + " keySet iterator returned absent " + key);
                    }
                }
            }
            case 1 -> {
                String doomed = value(random.nextInt(6));
                for (Iterator<String> it = map.values().iterator(); it.hasNext(); ) {
                    if (it.next().equals(doomed)) {
                        it.remove();
                    }
                }
                ref.values().removeIf(doomed::equals);
            }
            default -> {
                for (Iterator<Map.Entry<String, String>> it = map.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<String, String> e = it.next();
                    assertEquals(ref.get(e.getKey()), e.getValue(), where + " entry iterator value");
                    if ((mask & (1 << (e.getKey().hashCode() & 3))) != 0) {
                        it.remove();
                        ref.remove(e.getKey());
                    }
                }
            }
        }
        assertEquals(ref.size(), map.size(), where + " size after iterator removal");
    }

    private static void assertSameContent(Map<String, String> ref, SyncMap<String, String> map, String where) {
        assertEquals(ref.size(), map.size(), where + " size");
        assertEquals(ref.isEmpty(), map.isEmpty(), where + " isEmpty");
        for (int i = 0; i < KEYS; i++) {
            String k = key(i);
            assertEquals(ref.get(k), map.get(k), where + " get(" + k + ")");
            assertEquals(ref.containsKey(k), map.containsKey(k), where + " containsKey(" + k + ")");
        }
        TreeMap<String, String> iterated = new TreeMap<>();
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (iterated.put(e.getKey(), e.getValue()) != null) {
                fail(where + " entrySet iterated " + e.getKey() + " twice");
            }
        }
        assertEquals(new TreeMap<>(ref), iterated, where + " content");
        assertEquals(ref.size(), map.keySet().size(), where + " keySet size");
    }
}
