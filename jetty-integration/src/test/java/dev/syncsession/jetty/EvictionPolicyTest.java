/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.session.SessionCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.syncsession.jetty.cache.SyncMapSessionCacheFactory;
import dev.syncsession.jetty.cache.SyncMapSessionCache;

/** Each of Jetty's eviction policies removes sessions from the SyncMap exactly when DefaultSessionCache would. */
class EvictionPolicyTest {

    @TempDir
    Path storeDir;

    @Test
    void factoryConfiguresTheCacheOfEachContext() throws Exception {
        SyncMapSessionCacheFactory factory = SessionTestServer.syncMapCache(7);
        factory.setSaveOnCreate(true);
        factory.setSaveOnInactiveEviction(true);
        factory.setRemoveUnloadableSessions(true);
        factory.setFlushOnResponseCommit(false);
        factory.setInvalidateOnShutdown(true);
        try (SessionTestServer server = SessionTestServer.withFileStore(factory, storeDir)) {
            SyncMapSessionCache cache = assertInstanceOf(SyncMapSessionCache.class, server.sessionCache());
            assertEquals(7, cache.getEvictionPolicy());
            assertTrue(cache.isSaveOnCreate());
            assertTrue(cache.isSaveOnInactiveEviction());
            assertTrue(cache.isRemoveUnloadableSessions());
            assertFalse(cache.isFlushOnResponseCommit());
            assertTrue(cache.isInvalidateOnShutdown());
        }
    }

    @Test
    void neverEvictKeepsTheSessionCachedBetweenRequests() throws Exception {
        try (SessionTestServer server = SessionTestServer.withFileStore(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT), storeDir)) {
            server.get("increment");
            String id = server.get("id");
            SyncMapSessionCache cache = (SyncMapSessionCache) server.sessionCache();
            // Jetty lets the request out of the session after the response: wait for that, then make the check an
            // idle-eviction timer would make (NEVER_EVICT schedules none), instead of waiting for a timer that
            // never comes.
            awaitTrue(() -> cache.cached(id) != null && cache.cached(id).getRequests() == 0, Duration.ofSeconds(5),
                    "the request never left the session");
            cache.checkInactiveSession(cache.cached(id));

            assertTrue(cache.contains(id), "a NEVER_EVICT session was evicted");
            assertEquals(1, cache.getSessionsCurrent());
        }
    }

    @Test
    void evictOnSessionExitRemovesTheSessionWhenTheLastRequestLeaves() throws Exception {
        try (SessionTestServer server = SessionTestServer.withFileStore(
                SessionTestServer.syncMapCache(SessionCache.EVICT_ON_SESSION_EXIT), storeDir)) {
            server.get("increment");
            String id = server.get("id");
            SyncMapSessionCache cache = (SyncMapSessionCache) server.sessionCache();

            // The response is sent before the request releases the session, so allow for the release to finish.
            awaitTrue(() -> !cache.contains(id), Duration.ofSeconds(5), "session still cached after its request");
            assertEquals(0, cache.getSessionsCurrent());

            assertEquals("2", server.get("increment"), "evicted session was not reloaded from the store");
        }
    }

    @Test
    void idleEvictionRemovesTheSessionAfterTheIdleTimeAndReloadsIt() throws Exception {
        try (SessionTestServer server = SessionTestServer.withFileStore(
                SessionTestServer.syncMapCache(1), storeDir)) {
            server.get("increment");
            long lastRequest = System.nanoTime(); // the session's last access comes after this
            String id = server.get("id");
            SyncMapSessionCache cache = (SyncMapSessionCache) server.sessionCache();
            // Evicted already is an error only if less than the idle time has passed: a loaded machine may take a
            // second to get here.
            assertTrue(cache.contains(id) || System.nanoTime() - lastRequest >= TimeUnit.SECONDS.toNanos(1),
                    "session evicted before it was idle");

            awaitTrue(() -> !cache.contains(id), Duration.ofSeconds(10), "idle session not evicted");
            assertEquals(0, cache.getSessionsCurrent());

            assertEquals("2", server.get("increment"), "evicted session was not reloaded from the store");
            assertTrue(cache.contains(id));
            assertEquals(2, cache.getSessionsTotal(), "expected one add at creation and one at reload");
        }
    }

    private static void awaitTrue(Callable<Boolean> condition, Duration timeout, String message) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(message + " within " + timeout);
            }
            Thread.sleep(20);
        }
    }
}
