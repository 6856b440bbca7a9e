package dev.syncsession.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * White-box tests of the read/dirty machinery, driven and observed through {@link SyncMap#stats()}: misses,
 * promotions of dirty to read, and rebuilds of dirty from read.
 */
class SyncMapStatsTest {

    /** A map whose keys k0..k(n-1) were all promoted into the read table, which is not amended. */
    private static SyncMap<String, String> promoted(int n) {
        SyncMap<String, String> map = new SyncMap<>();
        for (int i = 0; i < n; i++) {
            map.put("k" + i, "v" + i);
        }
        long before = map.stats().promotions();
        map.range((k, v) -> true);
        assertEquals(before + 1, map.stats().promotions(), "range on an amended map promotes first");
        return map;
    }

    @Test
    void promotionHappensExactlyWhenMissesReachDirtySize() {
        SyncMap<String, String> map = new SyncMap<>();
        for (int i = 0; i < 10; i++) {
            map.put("k" + i, "v" + i);
        }
        assertEquals(0, map.stats().promotions());
        for (int i = 0; i < 9; i++) {
            assertEquals("v" + i, map.get("k" + i));
            assertEquals(0, map.stats().promotions(), "promoted after only " + (i + 1) + " misses of 10");
        }
        long missesBefore = map.stats().misses();
        assertEquals("v9", map.get("k9"));
        SyncMap.Stats s = map.stats();
        assertEquals(1, s.promotions(), "the 10th miss on a 10-key dirty map promotes it");
        assertEquals(missesBefore + 1, s.misses());
    }

    @Test
    void loadsOfPromotedKeysAreNotMisses() {
        SyncMap<String, String> map = promoted(10);
        long misses = map.stats().misses();
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 10; i++) {
                assertEquals("v" + i, map.get("k" + i));
                assertTrue(map.containsKey("k" + i));
            }
        }
        assertEquals(misses, map.stats().misses());
    }

    @Test
    void lookupOfAbsentKeyCountsAMissOnlyWhenReadIsAmended() {
        SyncMap<String, String> map = promoted(10);
        long misses = map.stats().misses();
        assertNull(map.get("absent"));
        assertEquals(misses, map.stats().misses(), "read not amended: an absent key is known absent without the lock");
        map.put("new", "x");
        misses = map.stats().misses();
        assertNull(map.get("absent"));
        assertEquals(misses + 1, map.stats().misses(), "read amended: the dirty map had to be consulted");
    }

    @Test
    void firstNewKeyAfterPromotionRebuildsDirtyCopyingOnlyLiveEntries() {
        SyncMap<String, String> map = promoted(10);
        map.remove("k0");
        map.remove("k1");
        map.remove("k2");
        SyncMap.Stats before = map.stats();
        map.put("new1", "x");
        SyncMap.Stats after = map.stats();
        assertEquals(before.dirtyRebuilds() + 1, after.dirtyRebuilds());
        assertEquals(before.entriesCopied() + 7, after.entriesCopied(), "3 deleted entries are expunged, not copied");
        map.put("new2", "x");
        assertEquals(after.dirtyRebuilds(), map.stats().dirtyRebuilds(), "only the first new key rebuilds");
        assertEquals(9, map.size());
    }

    @Test
    void updatingExistingKeysNeverRebuilds() {
        SyncMap<String, String> map = promoted(10);
        SyncMap.Stats before = map.stats();
        for (int i = 0; i < 10; i++) {
            map.put("k" + i, "w" + i);
            map.replace("k" + i, "w" + i, "x" + i);
            map.putIfAbsent("k" + i, "ignored");
        }
        assertEquals(before, map.stats(), "updates of read-table keys take no slow path");
        assertEquals("x3", map.get("k3"));
    }

    @Test
    void newKeyIsReadFromDirtyUntilPromotedThenFromRead() {
        SyncMap<String, String> map = promoted(4);
        map.put("new", "x");
        long promotions = map.stats().promotions();
        int gets = 0;
        while (map.stats().promotions() == promotions) {
            assertEquals("x", map.get("new"));
            assertTrue(++gets <= 5, "dirty of 5 keys must be promoted within 5 misses");
        }
        long misses = map.stats().misses();
        assertEquals("x", map.get("new"));
        assertEquals(misses, map.stats().misses(), "after promotion the new key is in the read table");
    }

    @Test
    void storeIntoExpungedEntryPutsItBackIntoDirty() {
        SyncMap<String, String> map = promoted(4);
        map.remove("k0");
        map.put("new", "x"); // rebuild: k0 expunged
        long rebuilds = map.stats().dirtyRebuilds();
        assertNull(map.put("k0", "again"));
        assertEquals(rebuilds, map.stats().dirtyRebuilds());
        assertEquals("again", map.get("k0"));
        map.range((k, v) -> true); // promote dirty: k0 must have been put back into it
        assertEquals("again", map.get("k0"));
        assertEquals(5, map.size());
    }

    /**
     * Go counts a delete that reaches dirty as a miss; here it unlinks the key (golang/go#40999) and counts none, so a
     * store-then-delete loop (Go's SwapMostlyMisses) does not promote and rebuild dirty on every round.
     */
    @Test
    void deleteOfDirtyOnlyKeyUnlinksItWithoutCountingAMiss() {
        SyncMap<String, String> map = promoted(4);
        map.put("a", "1");
        map.put("b", "2");
        SyncMap.Stats before = map.stats();
        for (int i = 0; i < 1_000; i++) {
            map.put("fresh" + i, "x");
            assertEquals("x", map.remove("fresh" + i));
        }
        assertEquals("1", map.remove("a"));
        SyncMap.Stats after = map.stats();
        assertEquals(before.misses(), after.misses());
        assertEquals(before.promotions(), after.promotions(), "store-then-delete rounds promoted");
        assertEquals(before.dirtyRebuilds(), after.dirtyRebuilds());
        assertNull(map.get("a"));
        assertEquals(5, map.size());
    }

    /** Go's DeleteCollision: once its key is gone, deletes of it count misses, promote, and then take no lock. */
    @Test
    void deletesOfAKeyThatIsNowhereCountMissesAndPromote() {
        SyncMap<String, String> map = new SyncMap<>();
        map.putIfAbsent("zero", "0");
        assertEquals("0", map.remove("zero"));
        SyncMap.Stats before = map.stats();
        for (int i = 0; i < 100; i++) {
            assertNull(map.remove("zero"));
        }
        SyncMap.Stats after = map.stats();
        assertEquals(before.promotions() + 1, after.promotions(), "the empty dirty table was not promoted");
        assertEquals(before.misses() + 1, after.misses(), "deletes after the promotion still took the lock");
    }

    @Test
    void clearThenStoreReusesASmallDirtyTableAndLeavesTheMapExact() {
        SyncMap<String, String> map = promoted(4);
        for (int i = 0; i < 100; i++) {
            map.clear();
            assertNull(map.get("k0"));
            assertNull(map.put("round", String.valueOf(i)));
            assertEquals(1, map.size());
            assertEquals(String.valueOf(i), map.get("round"));
        }
        assertEquals("{round=99}", map.toString());
        map.range((k, v) -> true);
        assertEquals("99", map.get("round"));
    }

    @Test
    void putIfAbsentHittingDirtyCountsAMiss() {
        SyncMap<String, String> map = promoted(4);
        map.put("a", "1");
        map.put("b", "2");
        long misses = map.stats().misses();
        assertEquals("1", map.putIfAbsent("a", "other"));
        assertEquals(misses + 1, map.stats().misses());
    }

    /**
     * A key written again and again but never read (a session store behind a cache) is promoted by its writes, as
     * lookups promote: otherwise every write of it would take the lock until a read or a range promoted dirty.
     */
    @Test
    void putsOfADirtyOnlyKeyCountMissesAndPromoteIt() {
        SyncMap<String, String> map = promoted(4);
        map.put("a", "1");
        map.put("b", "2");
        long misses = map.stats().misses();
        long promotions = map.stats().promotions();
        assertEquals("1", map.put("a", "3"));
        assertEquals(misses + 1, map.stats().misses(), "a locked write of a dirty-only key is a miss");
        for (int i = 0; i < 10 && map.stats().promotions() == promotions; i++) {
            map.put("b", "w" + i);
        }
        assertEquals(promotions + 1, map.stats().promotions(), "writes alone promoted dirty");
        long after = map.stats().misses();
        map.put("a", "4");
        map.put("b", "5");
        assertEquals(after, map.stats().misses(), "once promoted, writes of those keys take no lock");
        assertEquals("4", map.get("a"));
    }

    @Test
    void rangeOnNonAmendedMapDoesNotPromote() {
        SyncMap<String, String> map = promoted(4);
        long promotions = map.stats().promotions();
        map.range((k, v) -> true);
        map.keySet().iterator();
        assertEquals(promotions, map.stats().promotions());
    }

    @Test
    void iterationHelpersOnAnAmendedMapSeeNewKeysWithoutPromoting() {
        SyncMap<String, String> map = promoted(4);
        map.put("new", "x");
        SyncMap.Stats before = map.stats();
        assertTrue(map.keySet().contains("new"));
        java.util.Set<String> keys = new java.util.HashSet<>();
        map.entrySet().iterator().forEachRemaining(e -> keys.add(e.getKey()));
        assertEquals(5, keys.size());
        assertTrue(keys.contains("new"));
        assertTrue(map.toString().contains("new=x"), map.toString());
        assertTrue(map.containsValue("x"));
        assertEquals(new java.util.HashMap<>(map).hashCode(), map.hashCode());
        assertEquals(new java.util.HashMap<>(map), map);
        map.replaceAll((k, v) -> v);
        // One log line's toString() costs no promotion, and so no rebuild at the next new key.
        assertEquals(before.promotions(), map.stats().promotions());
        map.put("newer", "y");
        assertEquals(before.dirtyRebuilds(), map.stats().dirtyRebuilds());
    }

    @Test
    void rangeAndForEachOnAnAmendedMapPromoteFirstAsGoesRangeDoes() {
        SyncMap<String, String> map = promoted(4);
        map.put("new", "x");
        long promotions = map.stats().promotions();
        map.range((k, v) -> true);
        assertEquals(promotions + 1, map.stats().promotions());
        map.put("newer", "y");
        map.forEach((k, v) -> { });
        assertEquals(promotions + 2, map.stats().promotions());
    }

    @Test
    void clearLeavesStatsCumulativeAndNextNewKeyStartsAFreshDirty() {
        SyncMap<String, String> map = promoted(10);
        map.put("new", "x");
        SyncMap.Stats before = map.stats();
        map.clear();
        assertEquals(before, map.stats(), "stats are cumulative since creation");
        map.put("after", "y");
        SyncMap.Stats after = map.stats();
        assertEquals(before.entriesCopied(), after.entriesCopied(), "nothing left to copy after clear");
        assertEquals(1, map.size());
        assertEquals("y", map.get("after"));
        assertFalse(map.containsKey("k1"));
    }

    @Test
    void statsAreMonotonicAcrossAMixedWorkload() {
        SyncMap<String, String> map = new SyncMap<>();
        SyncMap.Stats last = map.stats();
        for (int i = 0; i < 2000; i++) {
            String k = "k" + (i % 37);
            switch (i % 5) {
                case 0 -> map.put(k, "v");
                case 1 -> map.get(k + "x");
                case 2 -> map.remove(k);
                case 3 -> map.putIfAbsent("n" + i, "v");
                default -> map.get(k);
            }
            SyncMap.Stats s = map.stats();
            assertTrue(s.misses() >= last.misses() && s.promotions() >= last.promotions()
                    && s.dirtyRebuilds() >= last.dirtyRebuilds() && s.entriesCopied() >= last.entriesCopied(),
                    last + " -> " + s + " at step " + i);
            last = s;
        }
        assertTrue(last.promotions() > 0 && last.dirtyRebuilds() > 0, last.toString());
    }
}
