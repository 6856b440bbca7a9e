/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncsession.jetty.store.SyncSessionDataStoreFactory;
import dev.syncsession.jetty.users.WhenUserLimitReached;
import dev.syncsession.session.ExpirySweeper;
import dev.syncsession.session.SessionRecord;
import dev.syncsession.session.SessionSnapshot;
import dev.syncsession.session.SyncMapSessionStore;
import dev.syncsession.session.contract.ForwardingSessionStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The single-node store starts no thread of its own (#24): its sweeps, periodic snapshot writes and invalidations
 * past the per-user limit run on the server's {@code Scheduler} and {@code ThreadPool}, so no thread named
 * {@code syncsession...} exists while the server runs, nor after it stopped, and nothing can keep a JVM alive.
 */
class NoThreadsOfOurOwnTest {

    @TempDir
    Path dir;

    @Test
    void sweepsSnapshotWritesAndInvalidationsRunOnTheServersThreadsAndNoneIsLeftAfterStop() throws Exception {
        ScanWatchingStore backend = new ScanWatchingStore();
        SyncSessionDataStoreFactory store = new SyncSessionDataStoreFactory();
        store.setBackend(backend);
        store.setSweepIntervalSec(1);
        store.setSnapshotFile(dir.resolve("sessions.snapshot").toString());
        store.setSnapshotIntervalSec(1);
        store.setUserAttribute("user");
        store.setMaxSessionsPerUser(1);
        store.setWhenUserLimitReached(WhenUserLimitReached.INVALIDATE_OLDEST);
        try (SessionTestServer server = SessionTestServer.with(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT), store)) {
            server.get("signin?name=ada");
            String first = server.get("id");
            server.client().getHttpCookieStore().clear();
            server.get("signin?name=ada"); // past the limit: the first session is invalidated on the thread pool
            assertEquals(first, server.destroyedSessionIds.poll(10, TimeUnit.SECONDS),
                    "the oldest session past the limit was not invalidated");
            assertTrue(backend.sweeps.await(10, TimeUnit.SECONDS), "no scheduled sweep ran");
            assertTrue(backend.snapshotWrites.await(10, TimeUnit.SECONDS), "no periodic snapshot write ran");

            assertEquals(List.of(), ourThreads(), "threads of syncsession's own while the server runs");
            String pool = ((QueuedThreadPool) server.server().getThreadPool()).getName();
            assertTrue(backend.scanThreads.stream().allMatch(name -> name.startsWith(pool + "-")),
                    "a sweep or a snapshot write ran off the server's thread pool " + pool + ": "
                            + backend.scanThreads);

            server.server().stop();
        }
        assertEquals(List.of(), ourThreads(), "threads of syncsession's own left after the server stopped");
    }

    private static List<String> ourThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("syncsession")).sorted().toList();
    }

    /**
     * A SyncMap backend that notes the thread of each scan made by the sweeper or a snapshot write (told apart by the
     * class of their visitor; Jetty's own expiry scan runs on its scheduler and is not ours to place).
     */
    private static final class ScanWatchingStore extends ForwardingSessionStore {
        final CountDownLatch sweeps = new CountDownLatch(2);
        final CountDownLatch snapshotWrites = new CountDownLatch(2);
        final Queue<String> scanThreads = new ConcurrentLinkedQueue<>();

        ScanWatchingStore() {
            super(new SyncMapSessionStore());
        }

        @Override
        public boolean range(Predicate<? super SessionRecord> visitor) {
            Class<?> scanner = visitor.getClass().getEnclosingClass();
            if (!visitor.getClass().isHidden()
                    && (scanner == ExpirySweeper.class || scanner == SessionSnapshot.class)) {
                scanThreads.add(Thread.currentThread().getName());
                (scanner == ExpirySweeper.class ? sweeps : snapshotWrites).countDown();
            }
            return super.range(visitor);
        }
    }
}
