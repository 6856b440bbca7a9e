/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncsession.jetty.store.SyncSessionDataStore;
import dev.syncsession.jetty.store.SyncSessionDataStoreFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jetty.session.AbstractSessionCacheFactory;
import org.eclipse.jetty.session.FileSessionDataStoreFactory;
import org.eclipse.jetty.session.NullSessionCacheFactory;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionDataStoreFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A session that expires while it is not in the cache ends as it does with Jetty's own {@code FileSessionDataStore}:
 * found by the store's search for expired sessions, which runs once per grace period (Jetty 12.1.12's
 * {@code getExpired} alone searches once per process), and not removed by the expiry sweeper or by Caffeine's
 * expiry before Jetty had its chances to find it (ten grace periods, Jetty's orphan horizon).
 */
class UncachedExpiryTest {

    private static final int GRACE_SECONDS = 3;

    @TempDir
    Path fileStoreDir;

    /**
     * The store under test: Jetty's file store (the reference), or ours over a SyncMap or a Caffeine backend. The
     * grace period (3 s) is longer than the scavenge interval (1 s), as with Jetty's defaults (1 hour, 10 minutes).
     */
    private SessionDataStoreFactory store(String backend) throws Exception {
        if (backend.equals("file")) {
            FileSessionDataStoreFactory file = new FileSessionDataStoreFactory();
            file.setStoreDir(Files.createDirectories(fileStoreDir.resolve("sessions")).toFile());
            file.setGracePeriodSec(GRACE_SECONDS);
            return file;
        }
        SyncSessionDataStoreFactory ours = new SyncSessionDataStoreFactory();
        ours.setGracePeriodSec(GRACE_SECONDS);
        ours.setSweepIntervalSec(1);
        if (backend.equals("caffeine")) {
            ours.setMaximumSessions(1_000); // the Caffeine backend, which used to drop a record at its expiry time
        }
        return ours;
    }

    /**
     * Evicted when its request ends, then expired: sessionDestroyed fires once. (Jetty's own file store misses it
     * here: the search that would find it never runs again after the first scavenge, Jetty 12.1.12's bug.)
     */
    @ParameterizedTest(name = "{0} store")
    @ValueSource(strings = {"syncmap", "caffeine"})
    void anEvictedSessionThatExpiresIsDestroyedOnce(String backend) throws Exception {
        AbstractSessionCacheFactory cache = SessionTestServer.syncMapCache(SessionCache.EVICT_ON_SESSION_EXIT);
        try (SessionTestServer server = SessionTestServer.with(cache, store(backend))) {
            server.get("increment");
            String id = server.get("id");
            server.post("max-inactive?seconds=1");
            // The scavenger runs every second, the search for expired sessions once per grace period.
            assertEquals(id, server.destroyedSessionIds.poll(20, TimeUnit.SECONDS),
                    backend + ": sessionDestroyed never fired for a session that expired outside the cache");
            assertNull(server.destroyedSessionIds.poll(4, TimeUnit.SECONDS), backend + ": fired twice");
            assertEquals("none", server.get("read"));
        }
    }

    /**
     * Restored from a snapshot and never requested again, then expired: sessionDestroyed fires once, over the whole
     * life of the session (the server that made it, stopped with a snapshot, and the one restarted from it). The
     * session is in no cache after the restart, so only the store's search for expired sessions can end it.
     */
    @Test
    void aSessionRestoredFromASnapshotThatExpiresIsDestroyedExactlyOnce() throws Exception {
        Path snapshot = fileStoreDir.resolve("sessions.snapshot");
        List<String> destroyed = new ArrayList<>();
        String id;
        // Long enough to outlive the restart (an expired record is not restored), short enough for a quick test.
        int timeoutSeconds = 5;
        try (SessionTestServer first = SessionTestServer.with(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT), snapshotStore(snapshot))) {
            first.get("increment");
            id = first.get("id");
            first.post("max-inactive?seconds=" + timeoutSeconds);
            first.close();
            first.destroyedSessionIds.drainTo(destroyed);
        }
        RecordingSessionStore backend = new RecordingSessionStore();
        SyncSessionDataStoreFactory restartedStore = snapshotStore(snapshot);
        restartedStore.setBackend(backend);
        try (SessionTestServer second = SessionTestServer.with(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT), restartedStore)) {
            SyncSessionDataStore restarted = (SyncSessionDataStore) second.sessionCache().getSessionDataStore();
            assertEquals(1, restarted.getSnapshotRestored(), "the session outlived the restart");
            assertFalse(second.sessionCache().contains(id), "the restored session is in the cache");
            // The listener's queue is the latch: it releases this thread when sessionDestroyed fires.
            String first = second.destroyedSessionIds.poll(30, TimeUnit.SECONDS);
            assertEquals(id, first, "sessionDestroyed never fired for the restored session");
            destroyed.add(first);
            // Once its record is gone from the store, nothing is left that could end the session a second time.
            assertTrue(backend.deletionOf(id).await(10, TimeUnit.SECONDS), "the expired record stayed in the store");
            second.close();
            second.destroyedSessionIds.drainTo(destroyed);
        }
        assertEquals(List.of(id), destroyed, "every sessionDestroyed of the test");
    }

    private static SyncSessionDataStoreFactory snapshotStore(Path snapshot) {
        SyncSessionDataStoreFactory store = new SyncSessionDataStoreFactory();
        store.setGracePeriodSec(GRACE_SECONDS);
        store.setSnapshotFile(snapshot.toString());
        return store;
    }

    /**
     * Under Jetty's Null cache no listener fires for a session that expires between requests, whatever the store:
     * Jetty's scavenger invalidates it through {@code NullSessionCache.doDelete}, which returns no session to call
     * listeners on (Jetty's file store behaves the same, checked here). The record is removed all the same.
     */
    @ParameterizedTest(name = "{0} store")
    @ValueSource(strings = {"file", "syncmap", "caffeine"})
    void underTheNullCacheAnExpiredSessionIsRemovedWithoutListenersAsWithJettysFileStore(String backend)
            throws Exception {
        try (SessionTestServer server = SessionTestServer.with(new NullSessionCacheFactory(), store(backend))) {
            server.get("increment");
            server.post("max-inactive?seconds=1");
            assertNull(server.destroyedSessionIds.poll(12, TimeUnit.SECONDS), backend + ": a listener fired");
            assertEquals("none", server.get("read"));
            if (!backend.equals("file")) {
                SyncSessionDataStore ours = (SyncSessionDataStore) server.sessionCache().getSessionDataStore();
                assertEquals(0, ours.getBackendLifecycle().getRecords(), backend + ": the expired record is still in the store");
            } else {
                try (Stream<Path> files = Files.list(fileStoreDir.resolve("sessions"))) {
                    assertTrue(files.findAny().isEmpty(), "the file store kept the expired session's file");
                }
            }
        }
    }
}
