/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import dev.syncsession.jetty.protection.SessionCapHandler;
import dev.syncsession.jetty.cache.SessionCacheKind;

/**
 * {@link SyncSessions.Builder#sessionCap}: past the cap, a request that would create a session gets 503 with
 * Retry-After, requests of existing sessions keep working, and concurrent creations never overshoot the cap.
 * The full-size flood (100,000 sessions, 1,000,000 attempts) with heap and latency measurements is
 * {@code SessionFloodIT} in the examples, run by the {@code soak} profile.
 */
class SessionCapTest {

    private static final int CAP = 50;

    @ParameterizedTest(name = "{0} cache")
    @EnumSource(SessionCacheKind.class)
    void pastTheCapNewSessionsGet503WithRetryAfterAndExistingSessionsKeepWorking(SessionCacheKind cache)
            throws Exception {
        try (HardenedServer server = new HardenedServer(SyncSessions.builder().cache(cache).sessionCap(CAP))) {
            List<String> existing = new ArrayList<>();
            for (int i = 0; i < CAP; i++) {
                ContentResponse created = server.get("increment", null);
                assertEquals(200, created.getStatus(), created.getContentAsString());
                existing.add(HardenedServer.sessionIdSetBy(created));
            }

            for (int i = 0; i < 500; i++) {
                ContentResponse refused = server.get("increment", null);
                assertEquals(503, refused.getStatus(), "attempt " + i + ": " + refused.getContentAsString());
                assertNotNull(refused.getHeaders().get(HttpHeader.RETRY_AFTER), "attempt " + i + " has no Retry-After");
                assertEquals(null, HardenedServer.sessionIdSetBy(refused), "a refused request got a session cookie");
            }
            for (String id : existing) {
                ContentResponse again = server.get("increment", id);
                assertEquals(200, again.getStatus());
                assertEquals("2", again.getContentAsString(), "session " + id + " lost its state");
            }
            // Requests that need no session are not refused.
            assertEquals("none", server.get("id", null).getContentAsString());

            assertEquals(CAP, server.store().getBackend().size());
            assertEquals(500, server.store().getBackendLifecycle().getSessionsRefused());
            assertEquals(CAP, server.store().getBackendLifecycle().getSessionCap());
        }
    }

    /**
     * The handler completes only the 503s its refusals caused, and the refusal tells the client nothing about the
     * server's configuration or API.
     */
    @ParameterizedTest(name = "{0} cache")
    @EnumSource(SessionCacheKind.class)
    void onlyRefusalsGetRetryAfterAndTheirTextNamesNoSetting(SessionCacheKind cache) throws Exception {
        try (HardenedServer server = new HardenedServer(SyncSessions.builder().cache(cache).sessionCap(1))) {
            ContentResponse own = server.get("unavailable", null);
            assertEquals(503, own.getStatus());
            assertNull(own.getHeaders().get(HttpHeader.RETRY_AFTER), "the application's own 503 got Retry-After");
            // (Jetty's error page has its own Cache-Control; ours, "no-store", must not replace it.)
            assertFalse("no-store".equals(own.getHeaders().get(HttpHeader.CACHE_CONTROL)), "our no-store was added");

            assertEquals(200, server.get("increment", null).getStatus());
            ContentResponse refused = server.get("increment", null);
            assertEquals(503, refused.getStatus());
            assertNotNull(refused.getHeaders().get(HttpHeader.RETRY_AFTER));
            String body = refused.getContentAsString();
            for (String internal : List.of("SyncSessions", "sessionCap", "Builder", "live sessions")) {
                assertFalse(body.contains(internal), "the refusal's page names '" + internal + "':\n" + body);
            }

            // After a refusal, the application's own 503 on the next request is still left alone.
            ContentResponse ownAgain = server.get("unavailable", null);
            assertNull(ownAgain.getHeaders().get(HttpHeader.RETRY_AFTER));
        }
    }

    @Test
    void theStandaloneModuleInsertsTheHandlerOnlyWhenACapIsSet() {
        Server uncapped = new Server();
        Handler app = new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                    org.eclipse.jetty.util.Callback callback) {
                return false;
            }
        };
        uncapped.setHandler(app);
        assertFalse(SessionCapHandler.insertWhenCapped(uncapped, 0, 30));
        assertSame(app, uncapped.getHandler());

        Server capped = new Server();
        capped.setHandler(app);
        assertTrue(SessionCapHandler.insertWhenCapped(capped, 10, 30));
        assertInstanceOf(SessionCapHandler.class, capped.getHandler());
        assertSame(app, ((SessionCapHandler) capped.getHandler()).getHandler());
    }

    @Test
    void invalidatingASessionFreesItsPlace() throws Exception {
        try (HardenedServer server = new HardenedServer(SyncSessions.builder().sessionCap(2))) {
            String first = HardenedServer.sessionIdSetBy(server.get("increment", null));
            assertNotNull(HardenedServer.sessionIdSetBy(server.get("increment", null)));
            assertEquals(503, server.get("increment", null).getStatus());

            assertEquals(200, server.post("invalidate", first).getStatus());

            assertEquals(200, server.get("increment", null).getStatus());
            assertEquals(503, server.get("increment", null).getStatus());
        }
    }

    /**
     * 16 clients create sessions at once against a cap of 100: exactly 100 are made. The backend answers its count
     * 2 ms after making it, so that a count overlaps other creations unless the cap's lock keeps them apart, and
     * overlaps the saves that move sessions from the cap's own count of unsaved sessions into the backend.
     */
    @Test
    void concurrentCreationsNeverOvershootTheCap() throws Exception {
        int cap = 100;
        int threads = 16;
        int attemptsPerThread = 50;
        RecordingSessionStore backend = new RecordingSessionStore();
        backend.sizeParkNanos = 2_000_000;
        try (HardenedServer server = new HardenedServer(SyncSessions.builder().backend(backend)
                .sessionCap(cap))) {
            AtomicInteger created = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    workers.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < attemptsPerThread; i++) {
                            int status = server.get("increment", null).getStatus();
                            if (status == 200) {
                                created.incrementAndGet();
                            } else if (status == 503) {
                                refused.incrementAndGet();
                            } else {
                                throw new AssertionError("unexpected status " + status);
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> worker : workers) {
                    worker.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(cap, created.get(), "sessions created");
            assertEquals(threads * attemptsPerThread - cap, refused.get(), "creations refused");
            assertEquals(cap, backend.size());
        }
    }

    @Test
    void refusalsAreLoggedAtMostOncePerInterval() throws Exception {
        try (HardenedServer server = new HardenedServer(SyncSessions.builder().sessionCap(1))) {
            server.get("increment", null);
            List<String> warnings;
            try (CapturedLog log = new CapturedLog()) {
                for (int i = 0; i < 200; i++) {
                    assertEquals(503, server.get("increment", null).getStatus());
                }
                warnings = log.linesContaining("refused to create a session");
            }
            assertEquals(200, server.store().sessionCap().refused());
            assertEquals(1, warnings.size(), "200 refusals within the log interval: " + warnings);
        }
    }

    @Test
    void aRetryAfterBelowOneSecondIsRejectedByEveryConstructor() {
        for (Executable construction : List.<Executable>of(
                () -> new SessionCapHandler(0),
                () -> new SessionCapHandler(null, -5))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction);
            assertTrue(e.getMessage().contains("retryAfterSeconds"), e.getMessage());
        }
    }
}
