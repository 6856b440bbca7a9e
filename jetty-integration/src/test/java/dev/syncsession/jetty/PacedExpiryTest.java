/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PacedExpiryTest {

    private final List<String> expired = new CopyOnWriteArrayList<>();
    private final List<Long> expiredAt = new CopyOnWriteArrayList<>();
    private final Set<String> threads = ConcurrentHashMap.newKeySet();
    private final PacedExpiry paced = new PacedExpiry(id -> {
        expiredAt.add(System.nanoTime());
        expired.add(id);
        threads.add(Thread.currentThread().getName());
    }, () -> "/app");

    @AfterEach
    void stop() {
        paced.stop();
    }

    private static Set<String> ids(String prefix, int n) {
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    private void awaitExpired(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (expired.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(n, expired.size(), "sessions expired by the paced thread");
    }

    @Test
    void aScavengeOfAtMostTheLimitIsExpiredByTheScavengeItself() {
        paced.start();
        Set<String> found = ids("s", PacedExpiry.AT_ONCE);
        assertSame(found, paced.admit(found));
        assertEquals(0, paced.pending());
        assertTrue(expired.isEmpty());
    }

    @Test
    void beyondTheLimitTheRestIsExpiredOnceEachOnThePacedThread() throws Exception {
        paced.start();
        paced.pace(10, 7);
        Set<String> found = ids("s", 95);
        Set<String> now = paced.admit(found);
        assertEquals(10, now.size());
        awaitExpired(85);
        Set<String> all = new HashSet<>(now);
        all.addAll(expired);
        assertEquals(found, all, "every session is expired, by the scavenge or the thread");
        assertEquals(85, new HashSet<>(expired).size(), "none twice");
        assertTrue(expired.stream().noneMatch(now::contains), "none by both");
        assertEquals(Set.of("syncsession-expiry-/app"), threads);
        assertEquals(0, paced.pending());
    }

    @Test
    void anIdFoundAgainWhileQueuedIsNeitherReturnedNorQueuedTwice() throws Exception {
        ConcurrentHashMap<String, Integer> calls = new ConcurrentHashMap<>();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        String[] inProgress = new String[1];
        PacedExpiry blocked = new PacedExpiry(id -> {
            calls.merge(id, 1, Integer::sum);
            if (inProgress[0] == null) {
                inProgress[0] = id;
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, () -> "/blocked");
        blocked.start();
        try {
            blocked.pace(2, 100);
            Set<String> found = ids("s", 10);
            Set<String> first = blocked.admit(found);
            assertEquals(2, first.size());
            assertTrue(entered.await(30, TimeUnit.SECONDS));
            // The store's expiry search finds the same sessions again while they wait.
            Set<String> again = blocked.admit(found);
            Set<String> notQueued = new HashSet<>(first);
            notQueued.add(inProgress[0]);
            assertTrue(notQueued.containsAll(again), "returned again only what was not waiting: " + again);
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (blocked.pending() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, blocked.pending());
            for (String id : found) {
                if (!id.equals(inProgress[0])) {
                    // Returned to the scavenge both times: never queued; otherwise queued once.
                    int expected = first.contains(id) && again.contains(id) ? 0 : 1;
                    assertEquals(expected, calls.getOrDefault(id, 0), id + " expired by the thread");
                }
            }
        } finally {
            release.countDown();
            blocked.stop();
        }
    }

    /** After each slice the thread rests at least three times as long as the slice took: about a quarter of a core. */
    @Test
    void theThreadRestsThreeTimesAsLongAsEachSliceTook() throws Exception {
        PacedExpiry slow = new PacedExpiry(id -> {
            expiredAt.add(System.nanoTime());
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
            while (System.nanoTime() < until) {
                Thread.onSpinWait(); // a session that takes 1 ms of CPU to end
            }
            expired.add(id);
        }, () -> "/slow");
        slow.start();
        try {
            slow.pace(0, 5);
            slow.admit(ids("s", 30));
            awaitExpired(30);
            for (int slice = 0; slice + 1 < 6; slice++) {
                long first = expiredAt.get(slice * 5);
                long last = expiredAt.get(slice * 5 + 4);
                long next = expiredAt.get(slice * 5 + 5);
                assertTrue(next - last >= 3 * (last - first),
                        "slice " + slice + " took " + (last - first) + " ns, rest " + (next - last) + " ns");
            }
        } finally {
            slow.stop();
        }
    }

    @Test
    void unstartedOrStoppedTheScavengeExpiresThemAllAsJettyWould() {
        paced.pace(10, 5);
        Set<String> found = ids("s", 40);
        assertEquals(found, paced.admit(found), "not started");
        paced.start();
        paced.stop();
        assertEquals(found, paced.admit(found), "stopped");
        assertEquals(0, paced.pending());
        paced.start();
        assertEquals(10, new ArrayList<>(paced.admit(ids("t", 40))).size(), "started again: paced again");
    }
}
