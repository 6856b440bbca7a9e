/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

import org.eclipse.jetty.jmx.MBeanContainer;
import org.eclipse.jetty.session.ManagedSession;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionData;
import org.junit.jupiter.api.Test;
import dev.syncsession.jetty.cache.SyncMapSessionCache;

/** The SyncMap-specific parts of {@link SyncMapSessionCache}: loading a missing session, statistics, JMX. */
class SyncMapSessionCacheTest {

    private static final int LOADERS = 16;

    @Test
    void concurrentMissesForOneIdLoadItOnceAndShareTheSession() throws Exception {
        try (SessionTestServer server = SessionTestServer.withNullStore(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT))) {
            SyncMapSessionCache cache = (SyncMapSessionCache) server.sessionCache();
            AtomicInteger loads = new AtomicInteger();
            Function<String, ManagedSession> slowLoad = id -> {
                loads.incrementAndGet();
                sleep(100); // long enough that every other thread misses while this load runs
                return newSession(cache, id);
            };

            List<ManagedSession> results = computeConcurrently(cache, "loaded-once", slowLoad);

            assertEquals(1, loads.get(), "the store was asked more than once for one id");
            for (ManagedSession session : results) {
                assertSame(results.get(0), session, "two session objects for one id");
            }
            assertSame(results.get(0), cache.cached("loaded-once"));
            assertEquals(1, cache.getSessionsCurrent());
        }
    }

    @Test
    void aLoadThatFindsNothingCachesNothing() throws Exception {
        try (SessionTestServer server = SessionTestServer.withNullStore(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT))) {
            SyncMapSessionCache cache = (SyncMapSessionCache) server.sessionCache();

            List<ManagedSession> results = computeConcurrently(cache, "absent", id -> {
                sleep(20);
                return null;
            });

            for (ManagedSession session : results) {
                assertNull(session);
            }
            assertFalse(cache.contains("absent"));
            assertEquals(0, cache.getSessionsCurrent());
        }
    }

    @Test
    void aFailedLoadPropagatesAndTheNextLoadRunsAgain() throws Exception {
        try (SessionTestServer server = SessionTestServer.withNullStore(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT))) {
            SyncMapSessionCache cache = (SyncMapSessionCache) server.sessionCache();

            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> cache.doComputeIfAbsent("flaky", id -> {
                        throw new IllegalStateException("store unavailable");
                    }));
            assertEquals("store unavailable", failure.getMessage());
            assertFalse(cache.contains("flaky"));

            ManagedSession loaded = cache.doComputeIfAbsent("flaky", id -> newSession(cache, id));
            assertSame(loaded, cache.cached("flaky"));
        }
    }

    @Test
    void statisticsCountSessionsAddedAndRemoved() throws Exception {
        try (SessionTestServer server = SessionTestServer.withNullStore(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT))) {
            SyncMapSessionCache cache = (SyncMapSessionCache) server.sessionCache();
            for (int i = 0; i < 3; i++) {
                server.client().getHttpCookieStore().clear(); // start a new session each time
                server.get("increment");
            }
            assertEquals(3, cache.getSessionsCurrent());

            server.post("invalidate");

            assertEquals(2, cache.getSessionsCurrent());
            assertEquals(3, cache.getSessionsMax());
            assertEquals(3, cache.getSessionsTotal());
            // Every new id is added under SyncMap's lock; each read back of a not-yet-promoted id is a miss.
            assertTrue(cache.getMapMisses() + cache.getMapPromotions() > 0, "SyncMap reported no slow-path work");
            assertTrue(cache.getMapDirtyRebuilds() >= 1);
        }
    }

    @Test
    void jmxExposesSessionCountsAndSyncMapStatistics() throws Exception {
        MBeanServer mbeanServer = MBeanServerFactory.newMBeanServer();
        try (SessionTestServer server = SessionTestServer.withNullStore(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT), new MBeanContainer(mbeanServer))) {
            server.get("increment");

            Set<ObjectName> names = mbeanServer.queryNames(
                    ObjectName.getInstance("dev.syncsession.jetty.cache:type=syncmapsessioncache,*"), null);
            assertEquals(1, names.size(), "expected one SyncMapSessionCache MBean, found " + names);
            ObjectName name = names.iterator().next();

            assertEquals(1L, mbeanServer.getAttribute(name, "sessionsCurrent"));
            assertEquals(1L, mbeanServer.getAttribute(name, "sessionsTotal"));
            assertEquals(SessionCache.NEVER_EVICT, mbeanServer.getAttribute(name, "evictionPolicy"));

            // What SyncMap promises, seen through JMX: the new id went to the dirty table, so its first lookups
            // missed the read table and a promotion followed; from then on every lookup is lock-free.
            server.get("increment");
            long misses = (Long) mbeanServer.getAttribute(name, "mapMisses");
            assertTrue(misses >= 1 && misses <= 3, "misses before the promotion: " + misses);
            assertTrue((Long) mbeanServer.getAttribute(name, "mapPromotions") >= 1);
            for (int i = 0; i < 50; i++) {
                server.get("increment");
            }
            assertEquals(misses, mbeanServer.getAttribute(name, "mapMisses"), "50 requests after the promotion");

            // A second session: a store after a promotion rebuilds the dirty table, copying the live entry.
            server.client().getHttpCookieStore().clear();
            server.get("increment");
            assertEquals(2L, mbeanServer.getAttribute(name, "sessionsCurrent"));
            assertTrue((Long) mbeanServer.getAttribute(name, "mapDirtyRebuilds") >= 1);
            assertTrue((Long) mbeanServer.getAttribute(name, "mapEntriesCopied") >= 1);
        }
    }

    /** Calls doComputeIfAbsent for one id from {@link #LOADERS} threads released at once. */
    private static List<ManagedSession> computeConcurrently(SyncMapSessionCache cache, String id,
            Function<String, ManagedSession> load) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(LOADERS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ManagedSession>> futures = new ArrayList<>();
            for (int i = 0; i < LOADERS; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return cache.doComputeIfAbsent(id, load);
                }));
            }
            start.countDown();
            List<ManagedSession> results = new ArrayList<>();
            for (Future<ManagedSession> future : futures) {
                results.add(future.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static ManagedSession newSession(SyncMapSessionCache cache, String id) {
        long now = System.currentTimeMillis();
        return cache.newSession(new SessionData(id, "", "0.0.0.0", now, now, now, 60_000));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while simulating a slow load", e);
        }
    }
}
