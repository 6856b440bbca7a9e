/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncsession.jetty.internal.SyncSessionData;
import dev.syncsession.jetty.store.SyncSessionDataStoreFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jetty.session.AbstractSessionCacheFactory;
import org.eclipse.jetty.session.DefaultSessionCacheFactory;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The absolute timeout ({@link SyncSessions.Builder#absoluteTimeout}, {@code setAbsoluteTimeoutSec}): a session ends
 * its absolute timeout after its creation however active it is, as an idle one ends: {@code sessionDestroyed} once,
 * and the request that presents it gets a new session. Over the SyncMap cache (never evicting, and evicting after a
 * second idle, so the expired session is no longer cached) and Jetty's DefaultSessionCache.
 */
class AbsoluteTimeoutTest {

    private static final int ABSOLUTE_TIMEOUT_SECONDS = 2;

    static Stream<Arguments> caches() {
        DefaultSessionCacheFactory jettys = new DefaultSessionCacheFactory();
        return Stream.of(
                Arguments.of(SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT), "SyncMap cache"),
                Arguments.of(SessionTestServer.syncMapCache(1), "SyncMap cache, evicting after 1 s idle"),
                Arguments.of(jettys, "Jetty's DefaultSessionCache"));
    }

    private static SessionTestServer server(AbstractSessionCacheFactory cache) throws Exception {
        SyncSessionDataStoreFactory store = new SyncSessionDataStoreFactory();
        store.setAbsoluteTimeoutSec(ABSOLUTE_TIMEOUT_SECONDS);
        store.setGracePeriodSec(1);
        return SessionTestServer.with(cache, store);
    }

    /** A session in use all the time, which never idles out, still ends at its absolute timeout. */
    @ParameterizedTest(name = "{1}")
    @MethodSource("caches")
    void anActiveSessionEndsAtItsAbsoluteTimeout(AbstractSessionCacheFactory cache, String name) throws Exception {
        try (SessionTestServer server = server(cache)) {
            long sent = System.nanoTime();
            assertEquals("1", server.get("increment"));
            String id = server.get("id");
            server.post("max-inactive?seconds=-1"); // never idles out
            String count = "1";
            int requests = 0;
            while (!(count = server.get("increment")).equals("1")) {
                requests++;
                assertTrue(System.nanoTime() - sent < TimeUnit.SECONDS.toNanos(15),
                        "the session is still in use after 15 s: " + count + " requests");
                Thread.sleep(100);
            }
            long lived = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            assertTrue(lived >= ABSOLUTE_TIMEOUT_SECONDS * 1000L, "ended after " + lived + " ms, before its timeout");
            assertTrue(requests > 3, "the session was used " + requests + " times while it lived");
            assertNotEquals(id, server.get("id"), "the request got a new session");
            assertEquals(id, server.destroyedSessionIds.poll(5, TimeUnit.SECONDS), "sessionDestroyed not called");
            server.awaitScavenges(2); // two more expiry searches and checks of the cache
            assertFalse(server.destroyedSessionIds.contains(id), "sessionDestroyed called twice");
        }
    }

    /** An idle session ends at its absolute timeout, long before its idle timeout, without a request. */
    @ParameterizedTest(name = "{1}")
    @MethodSource("caches")
    void anIdleSessionEndsAtItsAbsoluteTimeout(AbstractSessionCacheFactory cache, String name) throws Exception {
        try (SessionTestServer server = server(cache)) {
            server.get("increment");
            String id = server.get("id");
            server.post("max-inactive?seconds=600");

            assertEquals(id, server.destroyedSessionIds.poll(15, TimeUnit.SECONDS), "sessionDestroyed not called");
            assertEquals("none", server.get("read"));
            server.awaitScavenges(2);
            assertNull(server.destroyedSessionIds.poll(), "sessionDestroyed called twice");
        }
    }

    @Test
    void withoutAnAbsoluteTimeoutAnActiveSessionLives() throws Exception {
        try (SessionTestServer server = SessionTestServer.withSyncMapStore(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT))) {
            server.get("increment");
            String id = server.get("id");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(ABSOLUTE_TIMEOUT_SECONDS + 1);
            int count = 1;
            while (System.nanoTime() < until) {
                assertEquals(Integer.toString(++count), server.get("increment"));
                Thread.sleep(200);
            }
            assertEquals(id, server.get("id"));
            assertNull(server.destroyedSessionIds.poll());
        }
    }

    @Test
    void theExpiryIsTheEarlierOfIdleAndAbsolute() {
        long created = 1_000_000;
        SessionData data = new SyncSessionData("id", "/", "0.0.0.0", created, created, created, 60_000,
                10_000);
        assertEquals(created + 10_000, data.calcExpiry(created + 5_000), "absolute first");
        assertEquals(created + 10_000, data.calcExpiry(created + 60_000));
        assertFalse(data.isExpiredAt(created + 9_999));
        assertTrue(data.isExpiredAt(created + 10_000));

        SessionData longer = new SyncSessionData("id", "/", "0.0.0.0", created, created, created, 60_000,
                3_600_000);
        assertEquals(created + 65_000, longer.calcExpiry(created + 5_000), "idle first");
        assertFalse(longer.isExpiredAt(created + 65_000), "its expiry is the absolute one: it was made long after");

        SessionData immortal = new SyncSessionData("id", "/", "0.0.0.0", created, created, created, -1,
                10_000);
        assertEquals(created + 10_000, immortal.getExpiry(), "a session that never idles out still ends");
        assertTrue(immortal.isExpiredAt(created + 10_000));

        SessionData overflow = new SyncSessionData("id", "/", "0.0.0.0", Long.MAX_VALUE - 5, 0, 0, -1,
                10_000);
        assertFalse(overflow.isExpiredAt(Long.MAX_VALUE - 1), "no overflow into the past");
    }

    @Test
    void aTimeoutUnderOneSecondOrNegativeIsRefused() {
        IllegalArgumentException shortOne = assertThrows(IllegalArgumentException.class,
                () -> SyncSessions.builder().absoluteTimeout(Duration.ofMillis(500)).config());
        assertEquals("absoluteTimeout is PT0.5S; at least 1 s is needed", shortOne.getMessage());
        SyncSessionDataStoreFactory negative = new SyncSessionDataStoreFactory();
        negative.setAbsoluteTimeoutSec(-1);
        IllegalArgumentException fromXml = assertThrows(IllegalArgumentException.class, negative::config);
        assertEquals("absoluteTimeout is PT-1S; at least 1 s is needed", fromXml.getMessage());
        assertEquals(Duration.ofHours(2), new SyncSessionDataStoreFactory(
                SyncSessions.builder().absoluteTimeout(Duration.ofHours(2)).config()).config().absoluteTimeout());
    }
}
