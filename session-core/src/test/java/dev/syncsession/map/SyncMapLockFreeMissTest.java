/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Past Go: a key that the read table lacks is looked up in the dirty table without the lock (golang/go#21032), and
 * the misses still promote. The race the design has to handle is a lookup probing the dirty table while the lock
 * holder unlinks a key there, shifting the entries after it back past the lookup's position.
 */
class SyncMapLockFreeMissTest {

    /** A map whose keys are all in the read table, plus {@code extra} keys only in the dirty table. */
    private static SyncMap<Integer, String> promotedPlus(int keys, int extra) {
        SyncMap<Integer, String> map = new SyncMap<>();
        for (int k = 0; k < keys; k++) {
            map.put(k, "v" + k);
        }
        map.range((k, v) -> true); // promotes
        for (int k = keys; k < keys + extra; k++) {
            map.put(k, "v" + k);
        }
        assertTrue(map.read.amended(), "the extra keys are only in dirty");
        return map;
    }

    @Test
    void lookupsAndUpdatesOfKeysOnlyInDirtyProceedWhileAnotherThreadHoldsTheLock() throws Exception {
        SyncMap<Integer, String> map = promotedPlus(1_000, 1);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            map.dirty.lock.lock();
            try {
                held.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                map.dirty.lock.unlock();
            }
        });
        holder.start();
        held.await();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                assertEquals("v1000", map.get(1_000), "a key only in dirty, found without the lock");
                assertTrue(map.containsKey(1_000));
                assertNull(map.get(5_000), "an absent key, known absent without the lock");
                assertEquals("v1000", map.put(1_000, "w"), "an update of a key only in dirty");
                assertTrue(map.replace(1_000, "w", "x"));
                assertEquals("x", map.get(1_000));
            }, "a lookup in the dirty table waited for the lock");
        } finally {
            release.countDown();
            holder.join();
        }
        assertEquals(1_001, map.size());
    }

    @Test
    void lockFreeMissesAreCountedAndPromoteWhenTheyReachTheDirtyTablesSize() {
        SyncMap<Integer, String> map = promotedPlus(100, 1); // dirty: 101 entries, cloned at once (no copy running)
        SyncMap.Stats before = map.stats();
        for (int i = 0; i < 100; i++) {
            assertEquals("v100", map.get(100));
        }
        assertEquals(before.misses() + 100, map.stats().misses(), "every lookup of a key only in dirty is a miss");
        assertEquals(before.promotions(), map.stats().promotions(), "100 misses do not pay for 101 entries");
        assertTrue(map.read.amended());
        map.put(100, "w"); // an update of a key only in dirty counts one too, the 101st
        assertEquals(before.promotions() + 1, map.stats().promotions(), "the 101st miss promotes");
        assertFalse(map.read.amended(), "the key is in the read table now");
        assertEquals("w", map.get(100));
    }

    /** A key whose hash code every instance shares, so that all of them make one probe run. */
    private record Collider(int id) {
        @Override
        public int hashCode() {
            return 42;
        }
    }

    /**
     * A reader looks up keys present throughout, in one probe run of the dirty table, while a writer unlinks and
     * re-adds other keys of that run: each unlink shifts the entries behind it back by one slot, so a lookup that
     * did not notice would pass its key as it moves and answer that a present key is absent. The run is short, so
     * that a good share of each lookup is spent where a shift can pass it, and each round's dirty table also holds
     * {@code filler} other keys, so that the reader's misses take that many lookups to promote it.
     */
    @Test
    void aLookupRacingTheBackwardShiftOfAnUnlinkNeverMissesAPresentKey() throws Exception {
        int stable = 3;
        int moving = 3;
        int filler = 20_000; // below a dirty table of 65,536 slots, which promotes rather than regrow
        int rounds = 40;
        AtomicLong lookups = new AtomicLong();
        AtomicLong interleaved = new AtomicLong(); // lookups during which the writer unlinked at least once
        AtomicBoolean failed = new AtomicBoolean();
        CyclicBarrier start = new CyclicBarrier(2);
        AtomicLong unlinks = new AtomicLong();
        // The writer stops when the reader has finished the round, not when it sees read unamended: its own deletes
        // can leave tombstones that a compaction expunges, and its next store of such a key amends read again.
        AtomicInteger roundsDone = new AtomicInteger();
        @SuppressWarnings("unchecked")
        SyncMap<Object, Integer>[] current = new SyncMap[1];
        Thread writer = new Thread(() -> {
            try {
                for (int round = 0; round < rounds; round++) {
                    start.await();
                    SyncMap<Object, Integer> map = current[0];
                    for (int i = 0; roundsDone.get() == round && !failed.get(); i = (i + 1) % moving) {
                        Collider c = new Collider(-1 - i);
                        map.remove(c);
                        map.put(c, i);
                        unlinks.incrementAndGet();
                    }
                }
            } catch (Exception e) {
                failed.set(true);
            }
        });
        writer.setDaemon(true);
        writer.start();
        for (int round = 0; round < rounds; round++) {
            SyncMap<Object, Integer> map = newMap(stable, moving, filler);
            current[0] = map;
            start.await();
            for (int i = 0; map.read.amended(); i = (i + 1) % stable) {
                long unlinksBefore = unlinks.get();
                Integer v = map.get(new Collider(i));
                lookups.incrementAndGet();
                if (unlinks.get() != unlinksBefore) {
                    interleaved.incrementAndGet();
                }
                if (v == null || v != i) {
                    failed.set(true);
                    throw new AssertionError("key " + i + ", present throughout, looked up as " + v + " after "
                            + lookups + " lookups, " + interleaved + " of them overlapping an unlink");
                }
            }
            roundsDone.incrementAndGet();
        }
        writer.join();
        assertFalse(failed.get(), "the writer failed");
        assertTrue(interleaved.get() > 0, "no lookup overlapped an unlink in " + lookups + " lookups");
    }

    /** A fresh map, every key in its dirty table: colliding keys, moving and stable in turn, and distinct fillers. */
    private static SyncMap<Object, Integer> newMap(int stable, int moving, int filler) {
        SyncMap<Object, Integer> map = new SyncMap<>();
        for (int i = 0; i < Math.max(stable, moving); i++) {
            if (i < moving) {
                map.put(new Collider(-1 - i), i);
            }
            if (i < stable) {
                map.put(new Collider(i), i);
            }
        }
        for (int i = 0; i < filler; i++) {
            map.put(i, i);
        }
        assertTrue(map.read.amended() && map.read.size == 0, "every key is in the dirty table");
        return map;
    }
}
