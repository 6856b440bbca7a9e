/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.syncsession.jetty.store.SyncSessionDataStore;
import org.eclipse.jetty.session.SessionCache;
import org.junit.jupiter.api.Test;

/** The store's JMX counters count what their names say. */
class SessionCountersTest {

    @Test
    void changingTheSessionIdIsNotCountedAsACreatedSession() throws Exception {
        try (SessionTestServer server = SessionTestServer.withSyncMapStore(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT))) {
            SyncSessionDataStore store = (SyncSessionDataStore) server.sessionCache().getSessionDataStore();
            server.get("increment");
            String first = server.get("id");
            assertEquals(1, store.getSessionsCreated());

            String renewed = server.post("renew");
            String again = server.post("renew");

            assertNotEquals(first, renewed);
            assertNotEquals(renewed, again);
            assertEquals("2", server.get("increment"), "the same session, under its third id");
            assertEquals(1, store.getSessionsCreated(), "two id changes counted as new sessions");
            assertEquals(1, store.getBackendLifecycle().getRecords(), "the old ids' records are gone");
        }
    }
}
