package dev.syncsession.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import org.junit.jupiter.api.Test;

/** The {@link java.util.Map} and {@link ConcurrentMap} contract, single-threaded, checked against HashMap. */
class SyncMapMapContractTest {

    /** A value equal to {@code s} but never the same instance, so identity comparisons are caught. */
    private static String copy(String s) {
        return new StringBuilder(s).toString();
    }

    private static SyncMap<String, String> mapOf(String... keysAndValues) {
        SyncMap<String, String> map = new SyncMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static Map<String, String> hashMapOf(String... keysAndValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void newMapIsEmpty() {
        SyncMap<String, String> map = new SyncMap<>();
        assertTrue(map.isEmpty());
        assertEquals(0, map.size());
        assertEquals(0L, map.mappingCount());
        assertNull(map.get("a"));
        assertFalse(map.containsKey("a"));
        assertEquals(new SyncMap.Stats(0, 0, 0, 0), map.stats());
    }

    @Test
    void putReturnsPreviousValueAndGetSeesLatest() {
        SyncMap<String, String> map = new SyncMap<>();
        assertNull(map.put("a", "1"));
        assertEquals("1", map.get("a"));
        assertEquals("1", map.put("a", "2"));
        assertEquals("2", map.get("a"));
        assertEquals(1, map.size());
    }

    @Test
    void lookupsUseEqualsNotIdentityForKeys() {
        SyncMap<String, String> map = new SyncMap<>();
        map.put(copy("key"), "1");
        assertEquals("1", map.get(copy("key")));
        assertTrue(map.containsKey(copy("key")));
        assertEquals("1", map.put(copy("key"), "2"));
        assertEquals(1, map.size());
    }

    @Test
    void putIfAbsentStoresOnlyWhenAbsentAndReturnsExisting() {
        SyncMap<String, String> map = new SyncMap<>();
        assertNull(map.putIfAbsent("a", "1"));
        assertEquals("1", map.putIfAbsent("a", "2"));
        assertEquals("1", map.get("a"));
        map.remove("a");
        assertNull(map.putIfAbsent("a", "3"));
        assertEquals("3", map.get("a"));
        assertEquals(1, map.size());
    }

    @Test
    void removeReturnsRemovedValueAndShrinks() {
        SyncMap<String, String> map = mapOf("a", "1", "b", "2");
        assertEquals("1", map.remove("a"));
        assertNull(map.remove("a"));
        assertNull(map.get("a"));
        assertFalse(map.containsKey("a"));
        assertEquals(1, map.size());
        assertNull(map.remove("never"));
        assertEquals(1, map.size());
    }

    @Test
    void conditionalRemoveComparesValuesWithEquals() {
        SyncMap<String, String> map = mapOf("a", copy("value"));
        assertFalse(map.remove("a", "other"));
        assertEquals("value", map.get("a"));
        assertTrue(map.remove("a", copy("value")), "remove(k, v) must use equals, not identity");
        assertFalse(map.containsKey("a"));
        assertFalse(map.remove("a", "value"));
        assertFalse(map.remove("absent", "value"));
        assertEquals(0, map.size());
    }

    @Test
    void replaceOnlyReplacesPresentKeys() {
        SyncMap<String, String> map = mapOf("a", "1");
        assertEquals("1", map.replace("a", "2"));
        assertEquals("2", map.get("a"));
        assertNull(map.replace("b", "1"));
        assertFalse(map.containsKey("b"));
        map.remove("a");
        assertNull(map.replace("a", "3"));
        assertFalse(map.containsKey("a"));
        assertEquals(0, map.size());
    }

    @Test
    void compareAndReplaceComparesValuesWithEquals() {
        SyncMap<String, String> map = mapOf("a", copy("old"));
        assertFalse(map.replace("a", "wrong", "new"));
        assertEquals("old", map.get("a"));
        assertTrue(map.replace("a", copy("old"), "new"), "replace(k, old, new) must use equals, not identity");
        assertEquals("new", map.get("a"));
        assertFalse(map.replace("absent", "old", "new"));
        assertFalse(map.containsKey("absent"));
        assertEquals(1, map.size());
    }

    @Test
    void containsValueFindsOnlyLiveValues() {
        SyncMap<String, String> map = mapOf("a", "1", "b", "2");
        assertTrue(map.containsValue(copy("2")));
        assertFalse(map.containsValue("3"));
        map.remove("b");
        assertFalse(map.containsValue("2"));
        map.put("c", "3");
        assertTrue(map.containsValue("3"));
    }

    @Test
    void getOrDefaultReturnsDefaultOnlyWhenAbsent() {
        SyncMap<String, String> map = mapOf("a", "1");
        assertEquals("1", map.getOrDefault("a", "d"));
        assertEquals("d", map.getOrDefault("b", "d"));
        map.remove("a");
        assertEquals("d", map.getOrDefault("a", "d"));
    }

    @Test
    void clearRemovesEverythingAndMapStaysUsable() {
        SyncMap<String, String> map = mapOf("a", "1", "b", "2", "c", "3");
        map.range((k, v) -> true);
        map.put("d", "4");
        map.clear();
        assertTrue(map.isEmpty());
        assertEquals(0, map.size());
        for (String k : new String[] {"a", "b", "c", "d"}) {
            assertNull(map.get(k), k);
            assertFalse(map.containsKey(k), k);
        }
        assertTrue(map.range((k, v) -> false), "range over a cleared map visits nothing");
        assertNull(map.put("a", "5"));
        assertEquals("5", map.get("a"));
        assertEquals(1, map.size());
    }

    @Test
    void sizeCountsPresentAbsentTransitionsOnly() {
        SyncMap<String, String> map = new SyncMap<>();
        map.put("a", "1");
        map.put("a", "2");
        map.putIfAbsent("a", "3");
        map.replace("a", "4");
        assertEquals(1, map.size());
        map.remove("a");
        map.remove("a");
        map.remove("a", "x");
        assertEquals(0, map.size());
        assertTrue(map.isEmpty());
        for (int i = 0; i < 100; i++) {
            map.put("k" + i, "v");
        }
        assertEquals(100, map.size());
        assertEquals(100L, map.mappingCount());
        assertFalse(map.isEmpty());
    }

    @Test
    void putAllCopiesEveryMappingAndOverwrites() {
        SyncMap<String, String> map = mapOf("a", "old", "z", "26");
        map.putAll(hashMapOf("a", "1", "b", "2", "c", "3"));
        assertEquals(hashMapOf("a", "1", "b", "2", "c", "3", "z", "26"), new HashMap<>(map));
        assertEquals(4, map.size());
    }

    @Test
    void forEachVisitsEveryMappingOnce() {
        Map<String, String> expected = hashMapOf("a", "1", "b", "2", "c", "3");
        SyncMap<String, String> map = new SyncMap<>();
        map.putAll(expected);
        Map<String, String> seen = new HashMap<>();
        map.forEach((k, v) -> assertNull(seen.put(k, v), "visited twice: " + k));
        assertEquals(expected, seen);
    }

    @Test
    void replaceAllAppliesFunctionToEveryValue() {
        SyncMap<String, String> map = mapOf("a", "1", "b", "2");
        map.replaceAll((k, v) -> k + v);
        assertEquals(hashMapOf("a", "a1", "b", "b2"), new HashMap<>(map));
        assertEquals(2, map.size());
    }

    @Test
    void equalsAndHashCodeMatchHashMapWithSameContent() {
        Map<String, String> expected = hashMapOf("a", "1", "b", "2", "c", "3");
        SyncMap<String, String> map = new SyncMap<>();
        map.putAll(expected);
        assertEquals(expected, map);
        assertEquals(map, expected);
        assertEquals(expected.hashCode(), map.hashCode());
        assertEquals(map, map);
        SyncMap<String, String> other = new SyncMap<>();
        other.putAll(expected);
        assertEquals(map, other);

        assertNotEquals(map, hashMapOf("a", "1", "b", "2"));
        assertNotEquals(map, hashMapOf("a", "1", "b", "2", "c", "4"));
        assertNotEquals(map, hashMapOf("a", "1", "b", "2", "d", "3"));
        assertNotEquals(hashMapOf("a", "1", "b", "2", "c", "4"), map);
        assertFalse(map.equals("not a map"));
        assertEquals(new HashMap<>().hashCode(), new SyncMap<>().hashCode());
        assertEquals(new HashMap<>(), new SyncMap<>());
    }

    @Test
    void equalsIgnoresDeletedEntries() {
        SyncMap<String, String> map = mapOf("a", "1", "b", "2");
        map.range((k, v) -> true);
        map.remove("b");
        assertEquals(hashMapOf("a", "1"), map);
        assertEquals(hashMapOf("a", "1").hashCode(), map.hashCode());
    }

    @Test
    void toStringListsTheSameEntriesAsHashMap() {
        assertEquals("{}", new SyncMap<>().toString());
        assertEquals("{a=1}", mapOf("a", "1").toString());
        Map<String, String> expected = hashMapOf("a", "1", "b", "2", "c", "3");
        SyncMap<String, String> map = new SyncMap<>();
        map.putAll(expected);
        String s = map.toString();
        assertTrue(s.startsWith("{") && s.endsWith("}"), s);
        Set<String> parts = new HashSet<>(Arrays.asList(s.substring(1, s.length() - 1).split(", ")));
        String h = expected.toString();
        assertEquals(new HashSet<>(Arrays.asList(h.substring(1, h.length() - 1).split(", "))), parts);
    }

    @Test
    void toStringShowsSelfReferenceLikeAbstractMap() {
        SyncMap<String, Object> map = new SyncMap<>();
        map.put("me", map);
        assertEquals("{me=(this Map)}", map.toString());
    }

    @Test
    void keySetDoesNotSupportAdd() {
        SyncMap<String, String> map = new SyncMap<>();
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
                () -> map.keySet().add("a"));
        assertTrue(map.isEmpty());
    }

    @Test
    void rangeReturnsTrueAfterVisitingEverything() {
        SyncMap<String, String> map = mapOf("a", "1", "b", "2", "c", "3");
        Map<String, String> seen = new HashMap<>();
        assertTrue(map.range((k, v) -> {
            assertNull(seen.put(k, v), "visited twice: " + k);
            return true;
        }));
        assertEquals(hashMapOf("a", "1", "b", "2", "c", "3"), seen);
        assertTrue(new SyncMap<String, String>().range((k, v) -> {
            throw new AssertionError("empty map must not call the visitor");
        }));
    }

    @Test
    void rangeStopsAtFirstFalseAndReturnsFalse() {
        SyncMap<String, String> map = new SyncMap<>();
        for (int i = 0; i < 50; i++) {
            map.put("k" + i, "v" + i);
        }
        int[] visits = {0};
        assertFalse(map.range((k, v) -> ++visits[0] < 7));
        assertEquals(7, visits[0]);
        visits[0] = 0;
        assertFalse(map.range((k, v) -> ++visits[0] < 50), "stopping on the last entry still reports a stop");
        assertEquals(50, visits[0]);
    }

    @Test
    void rangeSkipsDeletedEntries() {
        SyncMap<String, String> map = mapOf("a", "1", "b", "2", "c", "3");
        map.range((k, v) -> true);
        map.remove("b");
        Set<String> seen = new HashSet<>();
        map.range((k, v) -> seen.add(k));
        assertEquals(Set.of("a", "c"), seen);
    }

    @Test
    void rangeMayModifyTheMapFromTheVisitor() {
        SyncMap<String, String> map = new SyncMap<>();
        for (int i = 0; i < 20; i++) {
            map.put("k" + i, "v" + i);
        }
        assertTrue(map.range((k, v) -> {
            map.remove(k);
            map.put("new-" + k, v);
            return true;
        }));
        for (int i = 0; i < 20; i++) {
            assertFalse(map.containsKey("k" + i));
            assertEquals("v" + i, map.get("new-k" + i));
        }
        assertEquals(20, map.size());
    }

    @Test
    void valuesAreTheSameInstancesThatWereStored() {
        SyncMap<String, Object> map = new SyncMap<>();
        Object value = new Object();
        map.put("a", value);
        assertSame(value, map.get("a"));
        map.range((k, v) -> true);
        assertSame(value, map.get("a"));
        assertSame(value, map.remove("a"));
    }
}
