/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncsession.jetty.store.SyncSessionDataStore;
import java.util.stream.Stream;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.AbstractSessionCacheFactory;
import org.eclipse.jetty.session.DefaultSessionIdManager;
import org.eclipse.jetty.session.NullSessionCacheFactory;
import org.eclipse.jetty.session.SessionCache;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ids the server issued are always accepted by the store, whatever the id manager's alphabet and length: a
 * session that is not in the cache (the Null cache, or evicted when its request ends) is loaded from the store by
 * an id longer than 128 characters and made of characters other than {@code A-Z a-z 0-9 - _ .}.
 */
class CustomSessionIdsTest {

    /** An id manager with another alphabet and longer ids, as some deployments configure. */
    static DefaultSessionIdManager longIdsWithSymbols(Server server) {
        return new DefaultSessionIdManager(server) {
            @Override
            public String newSessionId(long seedTerm) {
                // No '.': Jetty reads what follows the last '.' of a cookie's id as the worker name.
                return "tenant~7!" + super.newSessionId(seedTerm) + "*" + "x".repeat(140);
            }
        };
    }

    static Stream<Arguments> cachesThatReloadFromTheStore() {
        return Stream.of(
                Arguments.of(new NullSessionCacheFactory(), "Null cache"),
                Arguments.of(SessionTestServer.syncMapCache(SessionCache.EVICT_ON_SESSION_EXIT),
                        "SyncMap cache, evicted at exit"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("cachesThatReloadFromTheStore")
    void aSessionWithACustomIdIsLoadedFromTheStore(AbstractSessionCacheFactory cache, String name) throws Exception {
        try (SessionTestServer server = SessionTestServer.withSyncMapStore(cache,
                CustomSessionIdsTest::longIdsWithSymbols)) {
            assertEquals("1", server.get("increment"));
            String id = server.get("id");
            assertTrue(id.startsWith("tenant~7!") && id.length() > 128, id);

            assertEquals("2", server.get("increment"), name + ": the session was not found by its id");
            assertEquals("3", server.get("increment"));
            assertEquals(id, server.get("id"));
            SyncSessionDataStore store = (SyncSessionDataStore) server.sessionCache().getSessionDataStore();
            assertEquals(0, store.getRefusedSessionIds(), "an id the server issued was rejected");
        }
    }
}
