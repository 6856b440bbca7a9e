/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncsession.jetty.store.SyncSessionDataStoreFactory;
import jakarta.servlet.http.HttpSession;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionData;
import org.junit.jupiter.api.Test;

/**
 * Servlet 6.1's {@code HttpSession.Accessor} with the SyncMap cache and store: what a scheduled task or a WebSocket
 * changes through it is saved to the store as a request's changes are, a session evicted from the cache since the
 * accessor was made is put back (or, if a request has loaded it again, the accessor fails and nothing is lost), and
 * an expired or invalidated session is reported invalid with {@link IllegalStateException}.
 */
class SessionAccessorTest {

    private static SessionTestServer server(int evictionPolicy) throws Exception {
        SyncSessionDataStoreFactory store = new SyncSessionDataStoreFactory();
        store.setGracePeriodSec(1);
        return SessionTestServer.with(SessionTestServer.syncMapCache(evictionPolicy), store);
    }

    private static HttpSession.Accessor accessor(SessionTestServer server) throws Exception {
        String id = server.get("accessor");
        return SessionTestServer.SessionServlet.ACCESSORS.remove(id);
    }

    /** The attribute as the store holds it, read from the store, not the cache. */
    private static Object stored(SessionTestServer server, String id, String name) throws Exception {
        SessionData data = server.sessionCache().getSessionDataStore().load(id);
        return data == null ? null : data.getAttribute(name);
    }

    private static void awaitEvicted(SessionTestServer server, String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (server.sessionCache().contains(id)) {
            assertTrue(System.nanoTime() < deadline, "session " + id + " was not evicted within 15 s");
            Thread.sleep(100);
        }
    }

    @Test
    void changesMadeThroughTheAccessorAreSaved() throws Exception {
        try (SessionTestServer server = server(SessionCache.NEVER_EVICT)) {
            HttpSession.Accessor accessor = accessor(server);
            String id = server.get("id");

            accessor.access(session -> session.setAttribute("count", 41));

            awaitStored(server, id, 41); // the accessor's own save, or the save of a request still leaving

            assertEquals("42", server.get("increment"), "and requests see it");
            accessor.access(session -> session.setAttribute("count", 50));
            awaitStored(server, id, 50);

            // Counted in and out like a request: the session still idles out afterwards, once.
            server.post("max-inactive?seconds=1");
            accessor.access(session -> session.setAttribute("other", "x"));
            assertEquals(id, server.destroyedSessionIds.poll(15, TimeUnit.SECONDS), "sessionDestroyed not called");
            server.awaitScavenges(2); // two more expiry searches and checks of the cache
            assertNull(server.destroyedSessionIds.poll(), "sessionDestroyed called twice");
        }
    }

    /** An access while a request is in the session is saved whichever of the two leaves last. */
    @Test
    void anAccessWhileARequestIsInTheSessionIsSavedWhicheverLeavesLast() throws Exception {
        try (SessionTestServer server = server(SessionCache.NEVER_EVICT)) {
            HttpSession.Accessor accessor = accessor(server);
            String id = server.get("id");

            // The request leaves last.
            SessionTestServer.SessionServlet.HELD = new CountDownLatch(1);
            SessionTestServer.SessionServlet.HOLD = new CountDownLatch(1);
            CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> call(server, "hold"));
            assertTrue(SessionTestServer.SessionServlet.HELD.await(10, TimeUnit.SECONDS));
            accessor.access(session -> session.setAttribute("count", 41));
            SessionTestServer.SessionServlet.HOLD.countDown();
            assertEquals("released", held.get(10, TimeUnit.SECONDS));
            awaitStored(server, id, 41);

            // The accessor leaves last.
            SessionTestServer.SessionServlet.HELD = new CountDownLatch(1);
            SessionTestServer.SessionServlet.HOLD = new CountDownLatch(1);
            held = CompletableFuture.supplyAsync(() -> call(server, "hold"));
            assertTrue(SessionTestServer.SessionServlet.HELD.await(10, TimeUnit.SECONDS));
            CountDownLatch requestLeft = new CountDownLatch(1);
            CompletableFuture<Void> access = CompletableFuture.runAsync(() -> accessor.access(session -> {
                try {
                    assertTrue(requestLeft.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                session.setAttribute("count", 42);
            }));
            SessionTestServer.SessionServlet.HOLD.countDown();
            assertEquals("released", held.get(10, TimeUnit.SECONDS));
            requestLeft.countDown();
            access.get(10, TimeUnit.SECONDS);
            awaitStored(server, id, 42);
            assertEquals("43", server.get("increment"));
        }
    }

    private static String call(SessionTestServer server, String action) {
        try {
            return server.get(action);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The store has the value: a request's save follows its response, so it may take a moment. */
    private static void awaitStored(SessionTestServer server, String id, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Integer.valueOf(count).equals(stored(server, id, "count"))) {
            assertTrue(System.nanoTime() < deadline, "the store never had count=" + count + ", only "
                    + stored(server, id, "count"));
            Thread.sleep(20);
        }
    }

    @Test
    void anAccessorOfAnEvictedSessionPutsItBack() throws Exception {
        try (SessionTestServer server = server(1)) {
            HttpSession.Accessor accessor = accessor(server);
            String id = server.get("id");
            assertEquals("1", server.get("increment"));
            awaitEvicted(server, id);

            accessor.access(session -> session.setAttribute("count", 10));

            assertEquals(10, stored(server, id, "count"));
            assertEquals("11", server.get("increment"));
        }
    }

    @Test
    void anAccessorOfASessionLoadedAgainFailsAndLosesNothing() throws Exception {
        try (SessionTestServer server = server(1)) {
            HttpSession.Accessor accessor = accessor(server);
            String id = server.get("id");
            assertEquals("1", server.get("increment"));
            awaitEvicted(server, id);
            assertEquals("2", server.get("increment")); // loads another object for the session

            AtomicBoolean ran = new AtomicBoolean();
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> accessor.access(session -> {
                        ran.set(true);
                        session.setAttribute("count", 99);
                    }));

            assertTrue(refused.getMessage().contains("evicted from the cache since this accessor was made"),
                    refused.getMessage());
            assertFalse(ran.get(), "the consumer ran on an old copy");
            assertEquals("2", server.get("read"));
            awaitStored(server, id, 2); // the last request's save follows its response
        }
    }

    @Test
    void anExpiredSessionIsReportedInvalid() throws Exception {
        try (SessionTestServer server = server(SessionCache.NEVER_EVICT)) {
            HttpSession.Accessor accessor = accessor(server);
            String id = server.get("id");
            server.post("max-inactive?seconds=1");
            Thread.sleep(1_100);

            AtomicBoolean ran = new AtomicBoolean();
            assertThrows(IllegalStateException.class, () -> accessor.access(session -> ran.set(true)));

            assertFalse(ran.get(), "the consumer ran on an expired session");
            assertEquals(id, server.destroyedSessionIds.poll(15, TimeUnit.SECONDS), "sessionDestroyed not called");
            server.awaitScavenges(2); // two more expiry searches and checks of the cache
            assertNull(server.destroyedSessionIds.poll(), "sessionDestroyed called twice");
            assertEquals("none", server.get("read"));
        }
    }

    @Test
    void anInvalidatedSessionIsReportedInvalid() throws Exception {
        try (SessionTestServer server = server(SessionCache.NEVER_EVICT)) {
            HttpSession.Accessor accessor = accessor(server);
            server.post("invalidate");

            assertThrows(IllegalStateException.class, () -> accessor.access(session -> session.getAttribute("x")));
        }
    }
}
