/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.session.SessionCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.syncsession.jetty.cache.SyncMapSessionCacheFactory;
import dev.syncsession.jetty.cache.SyncMapSessionCache;

/** What {@link SyncMapSessionCache#shutdown()} does with the cached sessions when the context stops. */
class ShutdownTest {

    private static final int SESSIONS = 20;

    @TempDir
    Path storeDir;

    @Test
    void cachedSessionsAreSavedAtShutdownAndSurviveARestart() throws Exception {
        String id;
        try (SessionTestServer server = SessionTestServer.withFileStore(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT), storeDir)) {
            server.get("increment");
            server.get("increment");
            id = server.get("id");

            server.server().stop();

            assertEquals(0, ((SyncMapSessionCache) server.sessionCache()).getSessionsCurrent(),
                    "sessions left in the cache after shutdown");
            assertTrue(server.destroyedSessionIds.isEmpty(), "shutdown destroyed a session it should have saved");
        }
        try (SessionTestServer restarted = SessionTestServer.withFileStore(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT), storeDir)) {
            assertEquals("3", restarted.getInSession("increment", id));
        }
    }

    @Test
    void invalidateOnShutdownDestroysEveryCachedSession() throws Exception {
        SyncMapSessionCacheFactory factory = SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT);
        factory.setInvalidateOnShutdown(true);
        try (SessionTestServer server = SessionTestServer.withNullStore(factory)) {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < SESSIONS; i++) {
                server.client().getHttpCookieStore().clear();
                server.get("increment");
                ids.add(server.get("id"));
            }

            server.server().stop();

            Set<String> destroyed = new HashSet<>();
            for (int i = 0; i < SESSIONS; i++) {
                String destroyedId = server.destroyedSessionIds.poll(5, TimeUnit.SECONDS);
                assertNotNull(destroyedId, "only " + destroyed.size() + " of " + SESSIONS + " destroyed");
                destroyed.add(destroyedId);
            }
            assertEquals(ids, destroyed);
            assertEquals(List.of(), List.copyOf(server.destroyedSessionIds), "a session was destroyed twice");
            assertEquals(0, ((SyncMapSessionCache) server.sessionCache()).getSessionsCurrent());
        }
    }
}
