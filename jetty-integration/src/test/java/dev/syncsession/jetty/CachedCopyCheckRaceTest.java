/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncsession.jetty.cache.CachedCopyCheck;
import dev.syncsession.jetty.cache.SessionFreshness;
import dev.syncsession.jetty.cache.SyncMapSessionCache;
import dev.syncsession.jetty.store.SyncSessionDataStore;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.session.AbstractSessionDataStoreFactory;
import org.eclipse.jetty.session.ManagedSession;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionDataStore;
import org.eclipse.jetty.session.SessionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The race the cached-copy check must handle when a session's requests overlap on one node while another node
 * changed it: request A checks the cached copy (one read of the store), and request B enters the same copy while A's
 * read is under way. If A's verdict drops the copy, B must not be left holding it (Jetty then fails every read of a
 * non-resident session with "Invalid for read: not resident", a 500): B waits for A's verdict and takes the fresh
 * copy. Seen in the two-node benchmark without stickiness before the fix. The store here answers the check from the
 * test, which holds A's read until B has entered.
 */
class CachedCopyCheckRaceTest {

    /** A SyncMap store that answers the cached-copy check as the test says, holding the first check it is armed for. */
    static final class ScriptedFreshnessStore extends SyncSessionDataStore implements SessionFreshness {
        volatile CountDownLatch checking;
        volatile CountDownLatch answer;
        volatile Verdict verdict = Verdict.CURRENT;

        ScriptedFreshnessStore() {
            super(TestStores.lifecycle(), TestStores.defaults());
        }

        @Override
        public Verdict verify(String id, long lastSaved, long version) throws Exception {
            Verdict answered = verdict; // as armed when this check began
            CountDownLatch entered = checking;
            if (entered != null) {
                checking = null;
                entered.countDown();
                assertTrue(answer.await(10, TimeUnit.SECONDS), "the test never answered the check");
            }
            return answered;
        }
    }

    @Test
    void aRequestEnteringACopyUnderCheckTakesTheFreshCopyWhenTheCheckDropsIt() throws Exception {
        ScriptedFreshnessStore store = new ScriptedFreshnessStore();
        try (SessionTestServer server = server(store)) {
            assertEquals("1", server.get("increment"));
            String id = server.get("id");
            SessionCache cache = server.sessionCache();
            awaitNoRequestIn(cache, id);

            store.checking = new CountDownLatch(1);
            store.answer = new CountDownLatch(1);
            store.verdict = SessionFreshness.Verdict.CHANGED; // as if another node saved the session meanwhile
            CountDownLatch checkStarted = store.checking;
            CompletableFuture<ManagedSession> a = CompletableFuture.supplyAsync(() -> get(cache, id), requests);
            assertTrue(checkStarted.await(10, TimeUnit.SECONDS), "request A did not check its copy");
            ManagedSession stale = ((SyncMapSessionCache) cache).cached(id);
            AtomicReference<Thread> requestB = new AtomicReference<>();
            CompletableFuture<ManagedSession> b = CompletableFuture.supplyAsync(() -> {
                requestB.set(Thread.currentThread());
                return get(cache, id);
            }, requests);
            awaitWaitingForTheVerdict(requestB, b); // B has entered the copy A is checking
            assertFalse(b.isDone(), "B used the copy under check without waiting for its verdict");
            store.verdict = SessionFreshness.Verdict.CURRENT; // the fresh copy is what the store holds
            store.answer.countDown();

            ManagedSession fromA = a.get(10, TimeUnit.SECONDS);
            ManagedSession fromB = b.get(10, TimeUnit.SECONDS);
            assertNotSame(stale, fromA, "A reloaded");
            assertSame(fromA, fromB, "B took the copy A loaded, one object per id");
            assertTrue(fromB.isResident() && fromB.isValid());
            assertEquals(1, fromB.getAttribute("count"), "and can read it");
            assertFalse(stale.isResident(), "the stale copy was dropped");
            cache.release(fromA);
            cache.release(fromB);
            assertEquals("2", server.get("increment"));
        }
    }

    @Test
    void aRequestEnteringACopyUnderCheckHasNoSessionWhenTheCheckFindsItGone() throws Exception {
        ScriptedFreshnessStore store = new ScriptedFreshnessStore();
        try (SessionTestServer server = server(store)) {
            server.get("increment");
            String id = server.get("id");
            SessionCache cache = server.sessionCache();
            awaitNoRequestIn(cache, id);

            store.checking = new CountDownLatch(1);
            store.answer = new CountDownLatch(1);
            store.verdict = SessionFreshness.Verdict.GONE;
            CountDownLatch checkStarted = store.checking;
            CompletableFuture<ManagedSession> a = CompletableFuture.supplyAsync(() -> get(cache, id), requests);
            assertTrue(checkStarted.await(10, TimeUnit.SECONDS));
            AtomicReference<Thread> requestB = new AtomicReference<>();
            CompletableFuture<ManagedSession> b = CompletableFuture.supplyAsync(() -> {
                requestB.set(Thread.currentThread());
                return get(cache, id);
            }, requests);
            awaitWaitingForTheVerdict(requestB, b);
            assertFalse(b.isDone(), "B used the copy under check without waiting for its verdict");
            store.answer.countDown();

            assertNull(a.get(10, TimeUnit.SECONDS));
            assertNull(b.get(10, TimeUnit.SECONDS), "invalidated elsewhere: no session for B either");
        }
    }

    /** Two request threads of the test's own, so that a test that fails with a check still held harms no other. */
    private final ExecutorService requests = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopRequests() {
        requests.shutdownNow();
    }

    /** A server whose only context uses the SyncMap cache over {@code store}. */
    private static SessionTestServer server(ScriptedFreshnessStore store) throws Exception {
        AbstractSessionDataStoreFactory factory = new AbstractSessionDataStoreFactory() {
            @Override
            public SessionDataStore getSessionDataStore(SessionManager manager) {
                return store;
            }
        };
        return SessionTestServer.with(SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT), factory);
    }

    /**
     * Waits until request B is parked inside the cached-copy check (waiting for A's verdict), or has finished without
     * waiting, which the caller's next assertion reports: a signal read off B's thread, not a fixed pause.
     */
    private static void awaitWaitingForTheVerdict(AtomicReference<Thread> request, CompletableFuture<?> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.isDone()) {
            Thread t = request.get();
            if (t != null && t.getState() == Thread.State.WAITING && Arrays.stream(t.getStackTrace())
                    .anyMatch(frame -> frame.getClassName().equals(CachedCopyCheck.class.getName()))) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "request B never reached the copy under check");
            Thread.sleep(1);
        }
    }

    /** Jetty lets a request out of its session after the response has gone: wait for the last one to leave. */
    private static void awaitNoRequestIn(SessionCache cache, String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (((SyncMapSessionCache) cache).cached(id).getRequests() > 0) {
            assertTrue(System.nanoTime() < deadline, "a request never left the session");
            Thread.sleep(10);
        }
    }

    private static ManagedSession get(SessionCache cache, String id) {
        try {
            return cache.get(id);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
