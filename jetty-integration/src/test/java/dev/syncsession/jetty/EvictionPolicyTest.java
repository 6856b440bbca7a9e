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

import org.eclipse.jetty.session.SessionCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

            Thread.sleep(1500); // longer than any idle eviction would wait

            assertTrue(server.sessionCache().contains(id));
            assertEquals(1, ((SyncMapSessionCache) server.sessionCache()).getSessionsCurrent());
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
            String id = server.get("id");
            SyncMapSessionCache cache = (SyncMapSessionCache) server.sessionCache();
            assertTrue(cache.contains(id), "session evicted before it was idle");

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
