package dev.syncsession.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** keySet(), values() and entrySet(): live, weakly consistent views like ConcurrentHashMap's. */
class SyncMapViewsTest {

    private static SyncMap<String, String> filled(int n) {
        SyncMap<String, String> map = new SyncMap<>();
        for (int i = 0; i < n; i++) {
            map.put("k" + i, "v" + i);
        }
        return map;
    }

    @Test
    void viewsReflectLaterChanges() {
        SyncMap<String, String> map = filled(3);
        Set<String> keys = map.keySet();
        Collection<String> values = map.values();
        Set<Map.Entry<String, String>> entries = map.entrySet();
        map.put("k9", "v9");
        map.remove("k0");
        assertEquals(Set.of("k1", "k2", "k9"), new HashSet<>(keys));
        assertEquals(Set.of("v1", "v2", "v9"), new HashSet<>(values));
        assertEquals(3, keys.size());
        assertEquals(3, values.size());
        assertEquals(3, entries.size());
        assertTrue(keys.contains("k9"));
        assertFalse(keys.contains("k0"));
        assertTrue(values.contains("v9"));
        assertTrue(entries.contains(new SimpleEntry<>("k9", "v9")));
        assertFalse(entries.contains(new SimpleEntry<>("k9", "other")));
        assertFalse(entries.contains(new SimpleEntry<>("k0", "v0")));
    }

    @Test
    void entrySetEqualsHashMapEntrySet() {
        SyncMap<String, String> map = filled(10);
        Map<String, String> expected = new HashMap<>(map);
        assertEquals(10, expected.size());
        assertEquals(expected.entrySet(), map.entrySet());
        assertEquals(map.entrySet(), expected.entrySet());
        assertEquals(expected.keySet(), map.keySet());
        assertEquals(expected.entrySet().hashCode(), map.entrySet().hashCode());
        assertEquals(expected.keySet().hashCode(), map.keySet().hashCode());
    }

    @Test
    void keySetIteratorRemoveRemovesFromMap() {
        SyncMap<String, String> map = filled(10);
        for (Iterator<String> it = map.keySet().iterator(); it.hasNext(); ) {
            String k = it.next();
            if (Integer.parseInt(k.substring(1)) % 2 == 0) {
                it.remove();
            }
        }
        assertEquals(Set.of("k1", "k3", "k5", "k7", "k9"), new HashSet<>(map.keySet()));
        assertEquals(5, map.size());
        assertNull(map.get("k0"));
    }

    @Test
    void valuesIteratorRemoveRemovesFromMap() {
        SyncMap<String, String> map = filled(4);
        for (Iterator<String> it = map.values().iterator(); it.hasNext(); ) {
            if (it.next().equals("v2")) {
                it.remove();
            }
        }
        assertFalse(map.containsKey("k2"));
        assertEquals(3, map.size());
    }

    @Test
    void entrySetIteratorRemoveRemovesFromMap() {
        SyncMap<String, String> map = filled(4);
        for (Iterator<Map.Entry<String, String>> it = map.entrySet().iterator(); it.hasNext(); ) {
            it.next();
            it.remove();
        }
        assertTrue(map.isEmpty());
        assertEquals(0, map.size());
        assertNull(map.get("k1"));
    }

    @Test
    void iteratorRemoveWithoutNextThrowsIllegalState() {
        SyncMap<String, String> map = filled(2);
        Iterator<String> it = map.keySet().iterator();
        assertThrows(IllegalStateException.class, it::remove);
        it.next();
        it.remove();
        assertThrows(IllegalStateException.class, it::remove, "remove twice for one next()");
        assertEquals(1, map.size());
    }

    @Test
    void exhaustedIteratorThrowsNoSuchElement() {
        SyncMap<String, String> map = filled(1);
        Iterator<Map.Entry<String, String>> it = map.entrySet().iterator();
        it.next();
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
        assertThrows(NoSuchElementException.class, () -> new SyncMap<String, String>().values().iterator().next());
    }

    @Test
    void entrySetValueWritesThroughToMap() {
        SyncMap<String, String> map = filled(3);
        for (Map.Entry<String, String> e : map.entrySet()) {
            String old = e.getValue();
            assertEquals(old, e.setValue(old + "!"), "setValue returns the previous value");
            assertEquals(old + "!", e.getValue());
        }
        assertEquals(Map.of("k0", "v0!", "k1", "v1!", "k2", "v2!"), new HashMap<>(map));
        assertEquals(3, map.size());
    }

    @Test
    void iteratedEntriesFollowTheMapEntryContract() {
        SyncMap<String, String> map = filled(1);
        Map.Entry<String, String> e = map.entrySet().iterator().next();
        SimpleEntry<String, String> same = new SimpleEntry<>("k0", "v0");
        assertEquals(same, e);
        assertEquals(e, same);
        assertEquals(same.hashCode(), e.hashCode());
        assertEquals("k0=v0", e.toString());
    }

    @Test
    void viewRemovalMethodsRemoveFromMap() {
        SyncMap<String, String> map = filled(6);
        assertTrue(map.keySet().remove("k0"));
        assertFalse(map.keySet().remove("k0"));
        assertTrue(map.values().remove("v1"));
        assertFalse(map.values().remove("v1"));
        assertTrue(map.entrySet().remove(new SimpleEntry<>("k2", "v2")));
        assertFalse(map.entrySet().remove(new SimpleEntry<>("k3", "wrong")), "entry removal needs the value to match");
        assertTrue(map.containsKey("k3"));
        assertTrue(map.keySet().removeAll(List.of("k3", "absent")));
        assertTrue(map.keySet().retainAll(List.of("k5")));
        assertEquals(Map.of("k5", "v5"), new HashMap<>(map));
        assertEquals(1, map.size());
        map.keySet().clear();
        assertTrue(map.isEmpty());
        assertEquals(0, map.values().size());
    }

    @Test
    void valuesRemoveRemovesOnlyOneMappingForDuplicateValues() {
        SyncMap<String, String> map = new SyncMap<>();
        map.put("a", "same");
        map.put("b", "same");
        assertTrue(map.values().remove("same"));
        assertEquals(1, map.size());
        assertTrue(map.containsValue("same"));
    }

    @Test
    void viewsToArrayAndStreamsSeeAllEntries() {
        SyncMap<String, String> map = filled(100);
        assertEquals(100, map.keySet().toArray().length);
        assertEquals(100, map.values().toArray(new String[0]).length);
        Map<String, String> collected = map.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertEquals(new HashMap<>(map), collected);
        assertEquals(100, collected.size());
        assertEquals(100, map.keySet().parallelStream().map(Function.identity()).distinct().count());
    }

    @Test
    void spliteratorsReportConcurrentDistinctNonNull() {
        SyncMap<String, String> map = filled(10);
        int required = Spliterator.CONCURRENT | Spliterator.DISTINCT | Spliterator.NONNULL;
        Spliterator<String> keys = map.keySet().spliterator();
        assertEquals(required, keys.characteristics() & required, "keySet spliterator");
        Spliterator<Map.Entry<String, String>> entries = map.entrySet().spliterator();
        assertEquals(required, entries.characteristics() & required, "entrySet spliterator");
        int valueFlags = Spliterator.CONCURRENT | Spliterator.NONNULL;
        assertEquals(valueFlags, map.values().spliterator().characteristics() & valueFlags, "values spliterator");
    }

    @Test
    void valuesSpliteratorDoesNotClaimDistinct() {
        // Values may repeat; a DISTINCT flag would let Stream.distinct() be skipped and give a wrong count.
        SyncMap<String, String> map = new SyncMap<>();
        for (int i = 0; i < 10; i++) {
            map.put("k" + i, i % 2 == 0 ? "even" : "odd");
        }
        assertFalse(map.values().spliterator().hasCharacteristics(Spliterator.DISTINCT));
        assertEquals(2, map.values().stream().distinct().count());
    }

    @Test
    void spliteratorsVisitEveryEntryOnce() {
        SyncMap<String, String> map = filled(1000);
        List<String> seen = new ArrayList<>();
        Spliterator<String> s = map.keySet().spliterator();
        Spliterator<String> other = s.trySplit();
        s.forEachRemaining(seen::add);
        if (other != null) {
            other.forEachRemaining(seen::add);
        }
        assertEquals(1000, seen.size());
        assertEquals(map.keySet(), new HashSet<>(seen));
    }

    @Test
    void iterationNeverThrowsConcurrentModificationAndSeesStableKeysOnce() {
        SyncMap<String, String> map = new SyncMap<>();
        for (int i = 0; i < 500; i++) {
            map.put("stable" + i, "v");
            map.put("volatile" + i, "v");
        }
        Map<String, Integer> seen = new HashMap<>();
        int added = 0;
        for (String k : map.keySet()) {
            seen.merge(k, 1, Integer::sum);
            map.remove("volatile" + added % 500);
            map.put("added" + added, "v");
            map.put("volatile" + added % 500, "back");
            added++;
        }
        for (int i = 0; i < 500; i++) {
            assertEquals(1, seen.getOrDefault("stable" + i, 0), "stable" + i);
        }
        seen.forEach((k, n) -> assertEquals(1, n, "visited twice: " + k));
        assertEquals(1000 + added, map.size());
    }

    @Test
    void iteratorCreatedOnAmendedMapSeesDirtyOnlyKeys() {
        SyncMap<String, String> map = filled(5);
        map.range((k, v) -> true);
        map.put("fresh", "x"); // only in dirty now
        assertTrue(map.keySet().contains("fresh"));
        assertEquals(Set.of("k0", "k1", "k2", "k3", "k4", "fresh"), new HashSet<>(map.keySet()));
        int n = 0;
        for (Iterator<String> it = map.values().iterator(); it.hasNext(); it.next()) {
            n++;
        }
        assertEquals(6, n);
    }
}
