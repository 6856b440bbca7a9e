package dev.syncsession.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/** Ports of the behaviours Go's src/sync/map_test.go checks, plus the Go-to-Java operation table. */
class SyncMapGoPortsTest {

    private static final BiPredicate<Object, Object> VISIT_ALL = (k, v) -> true;
    private static final int GC_TRIES = 50;

    /** A key with identity equality, so nothing but the map can keep it reachable. */
    private static final class Key {
        private final int id;

        Key(int id) {
            this.id = id;
        }

        @Override
        public String toString() {
            return "Key" + id;
        }
    }

    /** Stores and deletes a fresh key; returns only a weak reference to it, so no local keeps it alive. */
    private static WeakReference<Key> storeThenDelete(SyncMap<Object, String> map, int id) {
        Key key = new Key(id);
        map.put(key, "value");
        assertEquals("value", map.remove(key));
        return new WeakReference<>(key);
    }

    /** Stores a fresh key, reads it until it is promoted into the read table, then deletes it. */
    private static WeakReference<Key> promoteThenDelete(SyncMap<Object, String> map, int id) {
        Key key = new Key(id);
        map.put(key, "value");
        long promotions = map.stats().promotions();
        for (int i = 0; i < 1_000 && map.stats().promotions() == promotions; i++) {
            assertEquals("value", map.get(key));
        }
        assertTrue(map.stats().promotions() > promotions, "key was never promoted: " + map.stats());
        long misses = map.stats().misses();
        map.get(key);
        assertEquals(misses, map.stats().misses(), "key must now be in the read table");
        assertEquals("value", map.remove(key));
        return new WeakReference<>(key);
    }

    /** Port of Go's TestIssue40999: a deleted key must not be kept reachable by the map. */
    @Test
    void deletedKeyBecomesUnreachable() {
        SyncMap<Object, String> map = new SyncMap<>();
        // As in Go: an initial entry biases the dirty size above the miss count.
        map.put("initial", "x");
        WeakReference<Key> ref = storeThenDelete(map, 1);
        for (int i = 0; i < GC_TRIES && ref.get() != null; i++) {
            map.put("other" + i, "x");
            map.remove("other" + i);
            System.gc();
        }
        assertNull(ref.get(), "deleted key still reachable after " + GC_TRIES + " GCs; " + map.stats());
    }

    @Test
    void deletedKeysStoredInALoopAreCollected() {
        SyncMap<Object, String> map = new SyncMap<>();
        map.put("initial", "x");
        WeakReference<?>[] refs = new WeakReference<?>[100];
        for (int i = 0; i < refs.length; i++) {
            refs[i] = storeThenDelete(map, i);
        }
        int alive = refs.length;
        for (int tries = 0; tries < GC_TRIES && alive > 0; tries++) {
            System.gc();
            alive = 0;
            for (WeakReference<?> ref : refs) {
                alive += ref.get() == null ? 0 : 1;
            }
        }
        assertEquals(0, alive, "deleted keys still reachable; " + map.stats());
        assertEquals(1, map.size());
    }

    /** The read-table variant: the deleted key is dropped once a rebuild expunges it and a promotion follows. */
    @Test
    void deletedKeyFromReadTableBecomesUnreachableAfterTheMapMovesOn() {
        SyncMap<Object, String> map = new SyncMap<>();
        for (int i = 0; i < 4; i++) {
            map.put("base" + i, "x");
        }
        WeakReference<Key> ref = promoteThenDelete(map, 1);
        long promotionsAfterDelete = map.stats().promotions();
        for (int round = 0; round < GC_TRIES && ref.get() != null; round++) {
            String fresh = "fresh" + round;
            map.put(fresh, "x");
            long promotions = map.stats().promotions();
            for (int i = 0; i < 1_000 && map.stats().promotions() == promotions; i++) {
                map.get(fresh);
            }
            System.gc();
        }
        assertTrue(map.stats().promotions() > promotionsAfterDelete, map.stats().toString());
        assertNull(ref.get(), "key deleted from the read table still reachable after " + GC_TRIES
                + " rounds of rebuild + promotion + GC; " + map.stats());
    }

    private static com.sun.management.ThreadMXBean allocationCounter() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter on this JVM");
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(counter.isThreadAllocatedMemorySupported() && counter.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation counting disabled");
        return counter;
    }

    /** What one pair of getCurrentThreadAllocatedBytes() calls reports with nothing in between. */
    private static long measurementOverhead(com.sun.management.ThreadMXBean counter) {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            long a = counter.getCurrentThreadAllocatedBytes();
            long b = counter.getCurrentThreadAllocatedBytes();
            min = Math.min(min, b - a);
        }
        return min;
    }

    /** Port of Go's TestMapRangeNoAllocations (golang/go#62404). */
    @Test
    void rangeOnEmptyMapAllocatesNothing() {
        com.sun.management.ThreadMXBean counter = allocationCounter();
        SyncMap<Object, Object> map = new SyncMap<>();
        for (int i = 0; i < 50_000; i++) {
            assertTrue(map.range(VISIT_ALL));
        }
        long overhead = measurementOverhead(counter);
        boolean all = true;
        long before = counter.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            all &= map.range(VISIT_ALL);
        }
        long allocated = counter.getCurrentThreadAllocatedBytes() - before - overhead;
        assertTrue(all);
        assertTrue(allocated < 1024, "10,000 ranges over an empty map allocated " + allocated + " bytes");
    }

    @Test
    void rangeOverPopulatedReadTableAllocatesNothingPerEntry() {
        com.sun.management.ThreadMXBean counter = allocationCounter();
        SyncMap<Object, Object> map = new SyncMap<>();
        for (int i = 0; i < 10_000; i++) {
            map.put(i, i);
        }
        map.range(VISIT_ALL); // promote: the read table is no longer amended
        for (int i = 0; i < 300; i++) {
            map.range(VISIT_ALL);
        }
        long promotions = map.stats().promotions();
        long overhead = measurementOverhead(counter);
        boolean all = true;
        long before = counter.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100; i++) {
            all &= map.range(VISIT_ALL);
        }
        long allocated = counter.getCurrentThreadAllocatedBytes() - before - overhead;
        assertTrue(all);
        assertEquals(promotions, map.stats().promotions());
        assertTrue(allocated < 10_000, "100 ranges over 10,000 entries allocated " + allocated + " bytes");
    }

    /** Port of Go's TestMapRangeNestedCall (golang/go#46399). */
    @Test
    void nestedRangeCanLoadStoreAndDelete() {
        SyncMap<Integer, String> map = new SyncMap<>();
        List<String> words = List.of("hello", "world", "Go");
        for (int i = 0; i < words.size(); i++) {
            map.put(i, words.get(i));
        }
        map.range((key, value) -> {
            map.range((k, v) -> {
                assertEquals(v, map.get(k), "nested range loads the value it was offered");
                assertNull(map.putIfAbsent(42, "dummy"), "42 must not be present inside the nested range");
                String val = "sync.Map";
                map.put(42, val);
                assertEquals(val, map.remove(42));
                return true;
            });
            map.remove(key);
            return true;
        });
        int[] length = {0};
        map.range((k, v) -> {
            length[0]++;
            return true;
        });
        assertEquals(0, length[0]);
        assertEquals(0, map.size());
    }

    /** Port of Go's TestCompareAndSwap_NonExistingKey. */
    @Test
    void compareAndSwapOnMissingKeyFailsAndStoresNothing() {
        SyncMap<String, Integer> map = new SyncMap<>();
        assertFalse(map.replace("m", 0, 1));
        assertNull(map.get("m"));
        assertEquals(0, map.size());
    }

    /** The Go sync.Map operations and the Java methods that stand for them, as documented on SyncMap. */
    @Test
    void goOperationsMapToJavaMethods() {
        SyncMap<String, Integer> m = new SyncMap<>();
        // Store / Load
        m.put("a", 1);
        assertEquals(1, m.get("a"));
        assertNull(m.get("missing"));
        // Swap: returns the previous value, loaded = previous != null
        assertEquals(1, m.put("a", 2));
        assertNull(m.put("b", 3));
        // LoadOrStore: returns the actual value if loaded, null if stored
        assertEquals(2, m.putIfAbsent("a", 9));
        assertNull(m.putIfAbsent("c", 4));
        // LoadAndDelete / Delete
        assertEquals(4, m.remove("c"));
        assertNull(m.remove("c"));
        // CompareAndSwap
        assertTrue(m.replace("a", 2, 5));
        assertFalse(m.replace("a", 2, 6));
        assertEquals(5, m.get("a"));
        // CompareAndDelete
        assertFalse(m.remove("a", 2));
        assertTrue(m.remove("a", 5));
        assertNull(m.get("a"));
        // Range
        int[] visited = {0};
        assertTrue(m.range((k, v) -> ++visited[0] > 0));
        assertEquals(1, visited[0]);
        // Clear
        m.clear();
        assertEquals(0, m.size());
        assertNull(m.get("b"));
    }
}
