package dev.syncsession.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** compute, computeIfAbsent, computeIfPresent and merge, including removal by returning null. */
class SyncMapComputeTest {

    private static SyncMap<String, String> mapOf(String k, String v) {
        SyncMap<String, String> map = new SyncMap<>();
        map.put(k, v);
        return map;
    }

    @Test
    void computeOnAbsentKeyInsertsResult() {
        SyncMap<String, String> map = new SyncMap<>();
        assertEquals("new", map.compute("a", (k, old) -> {
            assertEquals("a", k);
            assertNull(old);
            return "new";
        }));
        assertEquals("new", map.get("a"));
        assertEquals(1, map.size());
    }

    @Test
    void computeOnPresentKeySeesOldValueAndReplacesIt() {
        SyncMap<String, String> map = mapOf("a", "1");
        assertEquals("12", map.compute("a", (k, old) -> old + "2"));
        assertEquals("12", map.get("a"));
        assertEquals(1, map.size());
    }

    @Test
    void computeReturningNullRemovesPresentKey() {
        SyncMap<String, String> map = mapOf("a", "1");
        assertNull(map.compute("a", (k, old) -> null));
        assertFalse(map.containsKey("a"));
        assertEquals(0, map.size());
        assertTrue(map.isEmpty());
    }

    @Test
    void computeReturningNullOnAbsentKeyLeavesItAbsent() {
        SyncMap<String, String> map = new SyncMap<>();
        assertNull(map.compute("a", (k, old) -> null));
        assertFalse(map.containsKey("a"));
        assertEquals(0, map.size());
    }

    @Test
    void computeSeesDeletedKeyAsAbsent() {
        SyncMap<String, String> map = mapOf("a", "1");
        map.range((k, v) -> true);
        map.remove("a");
        assertEquals("fresh", map.compute("a", (k, old) -> old == null ? "fresh" : "stale:" + old));
        assertEquals(1, map.size());
    }

    @Test
    void computeIfAbsentCallsFunctionOnceOnlyWhenAbsent() {
        SyncMap<String, String> map = new SyncMap<>();
        AtomicInteger calls = new AtomicInteger();
        assertEquals("v", map.computeIfAbsent("a", k -> {
            calls.incrementAndGet();
            return "v";
        }));
        assertEquals(1, calls.get());
        assertEquals("v", map.computeIfAbsent("a", k -> {
            calls.incrementAndGet();
            return "other";
        }));
        assertEquals(1, calls.get(), "function must not run for a present key");
        assertEquals("v", map.get("a"));
        assertEquals(1, map.size());
    }

    @Test
    void computeIfAbsentReturnsTheExistingInstance() {
        SyncMap<String, Object> map = new SyncMap<>();
        Object value = new Object();
        map.put("a", value);
        assertSame(value, map.computeIfAbsent("a", k -> new Object()));
    }

    @Test
    void computeIfAbsentReturningNullStoresNothing() {
        SyncMap<String, String> map = new SyncMap<>();
        assertNull(map.computeIfAbsent("a", k -> null));
        assertFalse(map.containsKey("a"));
        assertEquals(0, map.size());
    }

    @Test
    void computeIfPresentSkipsAbsentKey() {
        SyncMap<String, String> map = new SyncMap<>();
        assertNull(map.computeIfPresent("a", (k, v) -> {
            throw new AssertionError("must not be called for an absent key");
        }));
        assertFalse(map.containsKey("a"));
        map.put("a", "1");
        map.remove("a");
        assertNull(map.computeIfPresent("a", (k, v) -> {
            throw new AssertionError("must not be called for a deleted key");
        }));
        assertEquals(0, map.size());
    }

    @Test
    void computeIfPresentReplacesOrRemoves() {
        SyncMap<String, String> map = mapOf("a", "1");
        assertEquals("1x", map.computeIfPresent("a", (k, v) -> v + "x"));
        assertEquals("1x", map.get("a"));
        assertNull(map.computeIfPresent("a", (k, v) -> null));
        assertFalse(map.containsKey("a"));
        assertEquals(0, map.size());
    }

    @Test
    void mergeOnAbsentKeyStoresValueWithoutCallingFunction() {
        SyncMap<String, String> map = new SyncMap<>();
        assertEquals("1", map.merge("a", "1", (a, b) -> {
            throw new AssertionError("must not be called for an absent key");
        }));
        assertEquals("1", map.get("a"));
        assertEquals(1, map.size());
    }

    @Test
    void mergeOnPresentKeyCombinesOldAndGivenValue() {
        SyncMap<String, String> map = mapOf("a", "old");
        assertEquals("old+given", map.merge("a", "given", (old, given) -> old + "+" + given));
        assertEquals("old+given", map.get("a"));
    }

    @Test
    void mergeReturningNullRemoves() {
        SyncMap<String, String> map = mapOf("a", "1");
        assertNull(map.merge("a", "2", (old, given) -> null));
        assertFalse(map.containsKey("a"));
        assertEquals(0, map.size());
    }

    @Test
    void mergeCountsLikeACounter() {
        SyncMap<String, Long> map = new SyncMap<>();
        for (int i = 0; i < 1000; i++) {
            map.merge("k" + (i % 10), 1L, Long::sum);
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(100L, map.get("k" + i));
        }
        assertEquals(10, map.size());
    }

    @Test
    void exceptionFromFunctionPropagatesAndLeavesMapUnchanged() {
        SyncMap<String, String> map = mapOf("a", "1");
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> map.compute("a", (k, v) -> {
            throw boom;
        })));
        assertSame(boom, assertThrows(IllegalStateException.class, () -> map.computeIfAbsent("b", k -> {
            throw boom;
        })));
        assertSame(boom, assertThrows(IllegalStateException.class, () -> map.computeIfPresent("a", (k, v) -> {
            throw boom;
        })));
        assertSame(boom, assertThrows(IllegalStateException.class, () -> map.merge("a", "2", (x, y) -> {
            throw boom;
        })));
        assertEquals("1", map.get("a"));
        assertFalse(map.containsKey("b"));
        assertEquals(1, map.size());
    }

    @Test
    void computeOnEveryInternalStateMatchesSimpleSemantics() {
        // A key in the read table, one only in dirty, and one expunged by a rebuild.
        SyncMap<String, Long> map = new SyncMap<>();
        map.put("read", 1L);
        map.put("gone", 1L);
        map.range((k, v) -> true);
        map.remove("gone");
        map.put("dirty", 1L); // rebuild: "gone" is expunged, "dirty" lives only in dirty
        for (String k : new String[] {"read", "dirty", "gone"}) {
            map.compute(k, (key, v) -> v == null ? 10L : v + 1);
        }
        assertEquals(2L, map.get("read"));
        assertEquals(2L, map.get("dirty"));
        assertEquals(10L, map.get("gone"));
        assertEquals(3, map.size());
        map.range((k, v) -> true);
        assertEquals(10L, map.get("gone"), "value stored into an expunged entry survives promotion");
        assertEquals(3, map.size());
    }
}
