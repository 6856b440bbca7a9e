/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.syncsession.session.ExpirySweeper;
import dev.syncsession.session.SessionRecord;
import dev.syncsession.session.SessionScope;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import dev.syncsession.jetty.cache.SessionCacheKind;

/**
 * A backend that throws or stalls ({@link FaultInjectingSessionStore}) under the syncsession store, with each
 * cache. What Jetty intends, and these tests pin down: a failing load is "no session" for that request (Jetty logs
 * it); a failing save still answers the request, the caching caches keep the change in memory and save it later,
 * the {@code NULL} cache loses it; a failing delete leaves the record in the backend until it expires. In every case
 * the other sessions are served normally, no thread stays blocked, and the sweeper keeps running.
 *
 * <p>The caching caches evict on session exit here, so that every request goes to the backend.
 */
class FailingStorageTest {

    private static HardenedServer start(SessionCacheKind cache, FaultInjectingSessionStore backend)
            throws Exception {
        return new HardenedServer(SyncSessions.builder().backend(backend).cache(cache)
                .evictOnSessionExit().sessionCap(1_000));
    }

    /** Creates a session whose counter is {@code count}; returns its cookie value. */
    private static String sessionAt(HardenedServer server, int count) throws Exception {
        String cookie = HardenedServer.sessionIdSetBy(server.get("increment", null));
        for (int i = 1; i < count; i++) {
            assertEquals(Integer.toString(i + 1), server.get("increment", cookie).getContentAsString());
        }
        return cookie;
    }

    /** The id part of a cookie value, as the backend keys it (Jetty appends ".node0"). */
    private static String idOf(String cookie) {
        int dot = cookie.indexOf('.');
        return dot < 0 ? cookie : cookie.substring(0, dot);
    }

    @ParameterizedTest(name = "{0} cache")
    @EnumSource(SessionCacheKind.class)
    void aFailingLoadIsNoSessionForThatRequestAndLosesNothing(SessionCacheKind cache) throws Exception {
        FaultInjectingSessionStore backend = new FaultInjectingSessionStore();
        try (HardenedServer server = start(cache, backend)) {
            String a = sessionAt(server, 5);
            String b = sessionAt(server, 1);
            backend.failLoad = idOf(a)::equals;

            ContentResponse failed = server.get("read", a);
            assertEquals(200, failed.getStatus());
            assertEquals("none", failed.getContentAsString(), "Jetty treats an unloadable session as absent");
            assertTrue(backend.faults.sum() > 0, "the fault was not hit");
            assertEquals("2", server.get("increment", b).getContentAsString(), "another session was affected");

            backend.healAll();
            assertEquals("5", server.get("read", a).getContentAsString(), "the failed load lost the session");
        }
    }

    @ParameterizedTest(name = "{0} cache")
    @EnumSource(SessionCacheKind.class)
    void aFailingSaveAnswersTheRequestAndOnlyTheNullCacheLosesTheChange(SessionCacheKind cache) throws Exception {
        FaultInjectingSessionStore backend = new FaultInjectingSessionStore();
        try (HardenedServer server = start(cache, backend)) {
            String a = sessionAt(server, 5);
            String b = sessionAt(server, 1);
            backend.failSave = idOf(a)::equals;

            assertEquals("6", server.get("increment", a).getContentAsString());
            // Jetty saves when the request completes, which may be after the client has the response.
            await("the failing save", () -> backend.faults.sum() > 0);
            assertEquals("2", server.get("increment", b).getContentAsString(), "another session was affected");

            backend.healAll();
            String expected = cache == SessionCacheKind.NULL ? "5" : "6";
            assertEquals(expected, server.get("read", a).getContentAsString());
        }
    }

    @ParameterizedTest(name = "{0} cache")
    @EnumSource(SessionCacheKind.class)
    void aFailingDeleteStillAnswersAndLeavesTheRecordToExpire(SessionCacheKind cache) throws Exception {
        FaultInjectingSessionStore backend = new FaultInjectingSessionStore();
        try (HardenedServer server = start(cache, backend)) {
            String a = sessionAt(server, 5);
            String b = sessionAt(server, 1);
            backend.failDelete = idOf(a)::equals;

            assertEquals(200, server.post("invalidate", a).getStatus());
            await("the failing delete", () -> backend.faults.sum() > 0);
            assertEquals("2", server.get("increment", b).getContentAsString(), "another session was affected");
            backend.healAll();

            String idA = idOf(a);
            assertFalse(backend.range(record -> !record.id().equals(idA)),
                    "the record whose delete failed should still be in the backend");
            // With a cache, the invalidated session object stays invalid; the NULL cache reloads the record
            // (Jetty's NullSessionCache semantics): documented in SECURITY.md.
            String expected = cache == SessionCacheKind.NULL ? "5" : "none";
            assertEquals(expected, server.get("read", a).getContentAsString());
        }
    }

    @Test
    void aStalledLoadHoldsOnlyItsOwnRequestAndLeavesNoThreadBehind() throws Exception {
        FaultInjectingSessionStore backend = new FaultInjectingSessionStore();
        try (HardenedServer server = start(SessionCacheKind.NULL, backend)) {
            QueuedThreadPool pool = (QueuedThreadPool) server.server().getThreadPool();
            String a = sessionAt(server, 5);
            String b = sessionAt(server, 1);
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount() - pool.getThreads();
            // The acceptor and selector count as busy for as long as the server runs.
            int busyBefore = pool.getBusyThreads();

            backend.stallRelease = new CountDownLatch(1);
            backend.stallLoad = idOf(a)::equals;
            CompletableFuture<ContentResponse> stalled = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.get("read", a);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await("the stalled load", () -> backend.stalled.sum() > 0);
            for (int i = 2; i <= 21; i++) {
                assertEquals(Integer.toString(i), server.get("increment", b).getContentAsString());
            }
            assertFalse(stalled.isDone(), "the stalled request finished early");

            backend.healAll();
            ContentResponse released = stalled.get(10, TimeUnit.SECONDS);
            assertEquals("5", released.getContentAsString());

            await("the pool's busy threads back to " + busyBefore, () -> pool.getBusyThreads() <= busyBefore);
            int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount() - pool.getThreads();
            assertTrue(threadsAfter <= threadsBefore + 1, "threads outside Jetty's pool: " + threadsBefore + " before, "
                    + threadsAfter + " after");
        }
    }

    @Test
    void theSweeperKeepsRunningWhileScansFailAndSweepsAgainOnceTheyWork() throws Exception {
        FaultInjectingSessionStore backend = new FaultInjectingSessionStore();
        try (HardenedServer server = new HardenedServer(SyncSessions.builder().backend(backend)
                .sweepInterval(Duration.ofSeconds(1)).retainExpired(Duration.ZERO))) {
            backend.failRange = true;
            await("two failed sweeps", () -> stats(server).failures() >= 2);

            backend.healAll();
            backend.save(SessionRecord.builder(new SessionScope("/elsewhere", "").key("expiredLongAgo"))
                    .created(1).accessed(1).lastAccessed(1).maxInactiveMs(1).expiry(2).build());
            long failures = stats(server).failures();
            await("a successful sweep", () -> stats(server).removed() >= 1);
            assertEquals(failures, stats(server).failures(), "sweeps failed after the backend healed");
            assertEquals(0, backend.size());
        }
    }

    private static ExpirySweeper.Stats stats(HardenedServer server) {
        return server.store().getBackendLifecycle().sweeperStats();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
