/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncsession.jetty.metrics.SessionStoreMetrics;
import dev.syncsession.jetty.store.BackendLifecycle;
import dev.syncsession.jetty.store.SyncSessionDataStore;
import dev.syncsession.jetty.store.SyncSessionDataStoreFactory;
import dev.syncsession.session.SessionKey;
import dev.syncsession.session.SessionRecord;
import dev.syncsession.session.SessionScope;
import dev.syncsession.session.SessionSnapshot;
import dev.syncsession.session.SessionStore;
import dev.syncsession.session.SyncMapSessionStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee11.servlet.SessionHandler;
import org.eclipse.jetty.session.SessionCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SessionStoreMetrics} reads what the store counts: each meter moves with the event it names, over a real
 * server with the SyncMap store; each value asserted is the one the test's own actions must cause.
 */
class SessionStoreMetricsTest {

    @Test
    void theMetersFollowTheStore() throws Exception {
        SyncSessionDataStoreFactory store = new SyncSessionDataStoreFactory();
        store.setSessionCap(1);
        store.setGracePeriodSec(1);
        try (SessionTestServer server = SessionTestServer.with(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT), store)) {
            MeterRegistry registry = new SimpleMeterRegistry();
            new SessionStoreMetrics(server.sessionHandler(), Tags.of("app", "test")).bindTo(registry);

            assertEquals(0, counter(registry, "syncsession.sessions.creations"));
            assertEquals(0, gauge(registry, "syncsession.sessions.active.current"));

            server.get("increment");
            assertEquals(1, counter(registry, "syncsession.sessions.creations"));
            assertEquals(1, gauge(registry, "syncsession.sessions.active.current"));

            assertEquals(503, server.statusInSession("increment", "unknown"), "past the cap of one");
            assertEquals(1, counter(registry, "syncsession.sessions.refused"));

            assertEquals(200, server.statusInSession("read", "x".repeat(600)), "a hostile id is no session");
            assertEquals(1, counter(registry, "syncsession.sessions.ids.refused"));

            String id = server.get("id");
            server.post("max-inactive?seconds=1");
            assertEquals(id, server.destroyedSessionIds.poll(15, TimeUnit.SECONDS));
            waitFor(() -> counter(registry, "syncsession.sessions.expired") == 1, "the expiry counted");
            assertEquals(0, gauge(registry, "syncsession.sessions.active.current"));

            server.get("increment");
            server.post("invalidate");
            assertEquals(1, counter(registry, "syncsession.sessions.expired"), "an invalidation is no expiry");
            assertEquals(2, counter(registry, "syncsession.sessions.creations"));

            SyncSessionDataStore dataStore = (SyncSessionDataStore) server.sessionHandler().getSessionCache()
                    .getSessionDataStore();
            double sweeps = counter(registry, "syncsession.sweeps");
            dataStore.getBackendLifecycle().sweepNow();
            assertEquals(sweeps + 1, counter(registry, "syncsession.sweeps"));
            assertTrue(Double.isNaN(registry.get("syncsession.snapshot.age").timeGauge().value()),
                    "no snapshot, no age");
            assertEquals("test", registry.get("syncsession.sweeps").functionCounter().getId().getTag("app"));
        }
    }

    /**
     * Records of a context that is gone (no Jetty expires them, and no scavenger runs here) expired a minute ago:
     * one sweep removes each of them and nothing else, and the meters show that sweep.
     */
    @Test
    void sweepRemovedCountsWhatTheSweepsDeletedAndTheDurationIsTheLastSweeps() throws Exception {
        SyncSessionDataStoreFactory store = new SyncSessionDataStoreFactory();
        store.setRetainExpiredSec(0);
        store.setSweepIntervalSec(3600); // no scheduled sweep during the test: sweepNow is the only one
        try (SessionTestServer server = SessionTestServer.withoutScavenging(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT), store)) {
            MeterRegistry registry = new SimpleMeterRegistry();
            new SessionStoreMetrics(server.sessionHandler()).bindTo(registry);
            SyncSessionDataStore dataStore = dataStore(server);
            SessionStore backend = dataStore.getBackend();
            SessionScope gone = new SessionScope("/gone", "");
            long now = System.currentTimeMillis();
            int expired = 7;
            for (int i = 0; i < expired; i++) {
                backend.save(record(gone.key("expired-" + i), now - 60_000));
            }
            backend.save(record(gone.key("live"), now + 3_600_000));
            backend.save(record(gone.key("immortal"), 0));
            assertEquals(0, counter(registry, "syncsession.sweep.removed"));
            assertEquals(0, nanos(registry, "syncsession.sweep.duration"), "no sweep yet");

            assertEquals(expired, dataStore.getBackendLifecycle().sweepNow());
            assertEquals(expired, counter(registry, "syncsession.sweep.removed"));
            assertEquals(1, counter(registry, "syncsession.sweeps"));
            double duration = nanos(registry, "syncsession.sweep.duration");
            assertTrue(duration > 0, "the sweep's duration: " + duration + " ns");
            assertEquals(dataStore.getBackendLifecycle().sweeperStats().lastDuration().toNanos(), duration, 1, "not the last sweep's"); // ns, through seconds

            assertEquals(0, dataStore.getBackendLifecycle().sweepNow(), "nothing left to remove");
            assertEquals(expired, counter(registry, "syncsession.sweep.removed"), "a sweep that removed nothing");
            assertEquals(2, counter(registry, "syncsession.sweeps"));
            assertEquals(2, backend.size(), "the live and the immortal record are kept");
        }
    }

    /**
     * SyncMap's counters, driven through the backend with no other traffic (no requests, no scavenger, no scheduled
     * sweep): new keys are in the dirty table only, so each lookup misses the read table, and the miss that brings
     * the misses up to the dirty table's size promotes it; after that, lookups are answered by the read table.
     */
    @Test
    void mapMissesAndPromotionsMoveByWhatASequenceOfLookupsMustCause() throws Exception {
        SyncSessionDataStoreFactory store = new SyncSessionDataStoreFactory();
        store.setSweepIntervalSec(3600);
        try (SessionTestServer server = SessionTestServer.withoutScavenging(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT), store)) {
            MeterRegistry registry = new SimpleMeterRegistry();
            new SessionStoreMetrics(server.sessionHandler()).bindTo(registry);
            SessionStore backend = dataStore(server).getBackend();
            backend.range(record -> true); // a scan promotes whatever the dirty table holds: the read table is complete

            SessionScope scope = new SessionScope("/elsewhere", "");
            List<SessionKey> keys = List.of(scope.key("a"), scope.key("b"), scope.key("c"));
            long expiry = System.currentTimeMillis() + 3_600_000;
            for (SessionKey key : keys) {
                backend.save(record(key, expiry));
            }
            double misses = counter(registry, "syncsession.map.misses");
            double promotions = counter(registry, "syncsession.map.promotions");

            assertNotNull(backend.load(keys.get(0)));
            assertNotNull(backend.load(keys.get(1)));
            assertEquals(misses + 2, counter(registry, "syncsession.map.misses"), "two lookups of dirty-only keys");
            assertEquals(promotions, counter(registry, "syncsession.map.promotions"), "2 misses of a dirty table of 3");
            assertNotNull(backend.load(keys.get(2)));
            assertEquals(misses + 3, counter(registry, "syncsession.map.misses"));
            assertEquals(promotions + 1, counter(registry, "syncsession.map.promotions"), "the third miss promotes");

            for (SessionKey key : keys) {
                assertNotNull(backend.load(key));
            }
            assertNull(backend.load(scope.key("absent")));
            assertEquals(misses + 3, counter(registry, "syncsession.map.misses"), "the read table answered");
            assertEquals(promotions + 1, counter(registry, "syncsession.map.promotions"));
        }
    }

    /** The snapshot's age, read through a clock the test moves: 0 right after a write, then the time since it. */
    @Test
    void snapshotAgeIsZeroRightAfterAWriteAndGrowsWithTheClock(@TempDir Path dir) throws Exception {
        MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
        BackendLifecycle backend = new BackendLifecycle(new SyncMapSessionStore(), Duration.ofHours(1),
                Duration.ZERO, SessionSnapshot.builder(dir.resolve("sessions.snapshot")).build(), Duration.ZERO,
                clock);
        try (SessionTestServer server = SessionTestServer.withoutScavenging(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT),
                manager -> new SyncSessionDataStore(backend, TestStores.defaults()))) {
            MeterRegistry registry = new SimpleMeterRegistry();
            new SessionStoreMetrics(server.sessionHandler()).bindTo(registry);
            assertTrue(Double.isNaN(millis(registry, "syncsession.snapshot.age")), "no write yet, no age");

            backend.writePeriodicSnapshot();
            assertEquals(0, dataStore(server).getBackendLifecycle().getSnapshotWritten(), "the write failed");
            assertEquals(0, millis(registry, "syncsession.snapshot.age"), "right after a write");
            clock.advance(Duration.ofMillis(1_500));
            assertEquals(1_500, millis(registry, "syncsession.snapshot.age"));
            clock.advance(Duration.ofSeconds(30));
            assertEquals(31_500, millis(registry, "syncsession.snapshot.age"));

            backend.writePeriodicSnapshot();
            assertEquals(0, millis(registry, "syncsession.snapshot.age"), "right after the next write");
        }
    }

    @Test
    void bindingBeforeTheContextStartedIsRefused() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new SessionStoreMetrics(new SessionHandler()).bindTo(new SimpleMeterRegistry()));
        assertTrue(refused.getMessage().contains("once the context has started"), refused.getMessage());
    }

    @Test
    void aStoreOfAnotherKindReadsNaN() throws Exception {
        try (SessionTestServer server = SessionTestServer.withNullStore(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT))) {
            MeterRegistry registry = new SimpleMeterRegistry();
            new SessionStoreMetrics(server.sessionHandler()).bindTo(registry);
            server.get("increment");
            assertTrue(Double.isNaN(gauge(registry, "syncsession.sessions.active.current")));
        }
    }

    private static SyncSessionDataStore dataStore(SessionTestServer server) {
        return (SyncSessionDataStore) server.sessionCache().getSessionDataStore();
    }

    /** A record of {@code key} whose expiry is {@code expiry} (0: never). */
    private static SessionRecord record(SessionKey key, long expiry) {
        long created = System.currentTimeMillis() - 120_000;
        return SessionRecord.builder(key).created(created).accessed(created).lastAccessed(created)
                .maxInactiveMs(expiry == 0 ? -1 : 60_000).expiry(expiry).build();
    }

    private static double nanos(MeterRegistry registry, String name) {
        return registry.get(name).tag("context", "/").timeGauge().value(TimeUnit.NANOSECONDS);
    }

    private static double millis(MeterRegistry registry, String name) {
        return registry.get(name).tag("context", "/").timeGauge().value(TimeUnit.MILLISECONDS);
    }

    /** A clock that stands still until the test moves it. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("a test clock in UTC");
        }
    }

    private static double counter(MeterRegistry registry, String name) {
        return registry.get(name).tag("context", "/").functionCounter().count();
    }

    private static double gauge(MeterRegistry registry, String name) {
        return registry.get(name).tag("context", "/").gauge().value();
    }

    private static void waitFor(java.util.function.BooleanSupplier check, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!check.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " within 15 s");
            Thread.sleep(50);
        }
    }
}
