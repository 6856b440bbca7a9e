/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.eclipse.jetty.session.SessionCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import dev.syncsession.jetty.cache.SyncMapSessionCache;

/**
 * The servlet session contract, through an embedded ee11 server whose SessionHandler uses
 * {@link SyncMapSessionCache}, under each of Jetty's eviction policies with a file store (eviction needs a store to
 * reload from), and without eviction over the null store.
 */
class SessionLifecycleTest {

    /** Jetty's eviction policies: never, when the last request leaves, after one idle second. */
    static Stream<Arguments> evictionPolicies() {
        return Stream.of(
                Arguments.of(SessionCache.NEVER_EVICT, "NEVER_EVICT"),
                Arguments.of(SessionCache.EVICT_ON_SESSION_EXIT, "EVICT_ON_SESSION_EXIT"),
                Arguments.of(1, "evict after 1 s idle"));
    }

    @TempDir
    Path storeDir;

    @ParameterizedTest(name = "{1}")
    @MethodSource("evictionPolicies")
    void sessionSurvivesAcrossRequests(int evictionPolicy, String policyName) throws Exception {
        try (SessionTestServer server = SessionTestServer.withFileStore(
                SessionTestServer.syncMapCache(evictionPolicy), storeDir)) {
            assertEquals("1", server.get("increment"));
            String id = server.get("id");
            assertEquals("2", server.get("increment"));
            assertEquals("3", server.get("increment"));
            assertEquals(id, server.get("id"));
        }
    }

    @Test
    void sessionSurvivesAcrossRequestsWithoutAStore() throws Exception {
        try (SessionTestServer server = SessionTestServer.withNullStore(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT))) {
            assertEquals("1", server.get("increment"));
            assertEquals("2", server.get("increment"));
            assertEquals("2", server.get("read"));
        }
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("evictionPolicies")
    void invalidatedSessionIsDestroyedAndGone(int evictionPolicy, String policyName) throws Exception {
        try (SessionTestServer server = SessionTestServer.withFileStore(
                SessionTestServer.syncMapCache(evictionPolicy), storeDir)) {
            server.get("increment");
            String id = server.get("id");

            server.post("invalidate");

            assertEquals(id, server.destroyedSessionIds.poll(5, TimeUnit.SECONDS));
            assertEquals("none", server.get("read"));
            assertFalse(server.sessionCache().contains(id), "invalidated session still cached");
        }
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("evictionPolicies")
    void sessionExpiresAfterMaxInactiveInterval(int evictionPolicy, String policyName) throws Exception {
        try (SessionTestServer server = SessionTestServer.withFileStore(
                SessionTestServer.syncMapCache(evictionPolicy), storeDir)) {
            server.get("increment");
            String id = server.get("id");

            server.post("max-inactive?seconds=1");

            // Expiry is detected by the housekeeper (every second) and, for evicted sessions, the store's scan.
            assertEquals(id, server.destroyedSessionIds.poll(15, TimeUnit.SECONDS), "sessionDestroyed not called");
            assertEquals("none", server.get("read"));
        }
    }

    @Test
    void sessionExpiresWithoutAStore() throws Exception {
        try (SessionTestServer server = SessionTestServer.withNullStore(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT))) {
            server.get("increment");
            String id = server.get("id");

            server.post("max-inactive?seconds=1");

            assertEquals(id, server.destroyedSessionIds.poll(15, TimeUnit.SECONDS), "sessionDestroyed not called");
            assertEquals("none", server.get("read"));
            assertFalse(server.sessionCache().contains(id), "expired session still cached");
        }
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("evictionPolicies")
    void changeSessionIdKeepsAttributes(int evictionPolicy, String policyName) throws Exception {
        try (SessionTestServer server = SessionTestServer.withFileStore(
                SessionTestServer.syncMapCache(evictionPolicy), storeDir)) {
            server.get("increment");
            server.get("increment?attr=other");
            String oldId = server.get("id");

            String newId = server.post("renew");

            assertNotEquals(oldId, newId);
            assertEquals(newId, server.get("id"), "client did not receive the new session id");
            assertEquals("1", server.get("read"));
            assertEquals("1", server.get("read?attr=other"));
            assertEquals("2", server.get("increment"));
            assertFalse(server.sessionCache().contains(oldId), "old id still cached");
            assertFalse(server.sessionCache().exists(oldId), "old id still in the store");
            assertTrue(server.destroyedSessionIds.isEmpty(), "changing the id destroyed a session");
        }
    }
}
