/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.NotSerializableException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.AbstractSessionCacheFactory;
import org.eclipse.jetty.session.DefaultSessionIdManager;
import org.eclipse.jetty.session.NullSessionCacheFactory;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionCacheFactory;
import org.eclipse.jetty.session.SessionDataStoreFactory;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import dev.syncsession.jetty.cache.SyncMapSessionCacheFactory;
import dev.syncsession.jetty.store.SyncSessionDataStoreFactory;
import dev.syncsession.jetty.SyncSessions;
import dev.syncsession.jetty.cache.SessionCacheKind;

/** The shared-store installation's configuration contract; the behaviour against PostgreSQL is in ManyNodesIT. */
class SharedSessionsTest {

    private static final SessionDatabase STORE = SessionDatabase.jdbcUrl("jdbc:postgresql://127.0.0.1:1/none", null, null);

    @Nested
    class Installation {

        @Test
        void registersJdbcStoreAndWriteThroughSyncMapCacheThatEvictsIdleSessions() {
            Server server = new Server();
            SharedSessions sessions = SharedSessions.builder(STORE).workerName("web1").install(server);

            assertSame(sessions.storeFactory(), server.getBean(SessionDataStoreFactory.class));
            AbstractSessionCacheFactory cache = (AbstractSessionCacheFactory) server.getBean(SessionCacheFactory.class);
            assertInstanceOf(SyncMapSessionCacheFactory.class, cache);
            assertTrue(cache.isSaveOnCreate(), "new sessions reach the database at once");
            assertTrue(cache.isFlushOnResponseCommit(), "changes reach the database before the response");
            assertEquals(SharedSessions.DEFAULT_EVICT_IDLE_AFTER.toSeconds(), cache.getEvictionPolicy());
            assertTrue(cache.isSaveOnInactiveEviction(), "an evicted session is saved first");
            assertEquals("web1", server.getBean(DefaultSessionIdManager.class).getWorkerName());
            assertEquals("web1", sessions.workerName());
        }

        @Test
        void nullCacheForNonStickyBalancersKeepsNothingBetweenRequests() {
            Server server = new Server();
            SharedSessions.builder(STORE).cache(SessionCacheKind.NULL).install(server);
            AbstractSessionCacheFactory cache = (AbstractSessionCacheFactory) server.getBean(SessionCacheFactory.class);
            assertInstanceOf(NullSessionCacheFactory.class, cache);
            assertEquals(SessionCache.EVICT_ON_SESSION_EXIT, cache.getEvictionPolicy());
        }

        @Test
        void theDefaultWorkerNameIsUniquePerProcessAndValidAsAJettyWorkerName() {
            Server server = new Server();
            SharedSessions sessions = SharedSessions.builder(STORE).install(server);
            assertEquals(SharedSessions.defaultWorkerName(), sessions.workerName());
            assertEquals(SharedSessions.defaultWorkerName(), SharedSessions.defaultWorkerName(), "one per process");
            String name = sessions.workerName();
            assertTrue(name.matches("[a-z0-9-]{1,16}-[0-9a-f]{8}-[0-9a-z]{8}") && name.length() <= 60, name);
            new DefaultSessionIdManager(server).setWorkerName(name); // Jetty refuses names it cannot use
        }

        @Test
        void hostsThatDifferOnlyPastTheirFirstCharactersOrOnlyInTheirProcessGetDifferentNames() {
            // Two containers: long host names equal in their first 24 characters, and pid 1 in both.
            String a = WorkerName.forHost("checkout-service-production-7d9f8-abcde", "00000001");
            String b = WorkerName.forHost("checkout-service-production-7d9f8-abcdf", "00000001");
            assertNotEquals(a, b);
            // The same host twice (two processes): the random part tells them apart.
            assertNotEquals(WorkerName.forHost("web", "k2j9x0qz"),
                    WorkerName.forHost("web", "0p1q2r3s"));
            assertEquals("web-eu-1", WorkerName.forHost("Web-EU-1.example.com", "x").substring(0, 8));
        }

        @Test
        void keepsTheIdManagersNameButRefusesASecondOne() {
            Server server = new Server();
            DefaultSessionIdManager ids = new DefaultSessionIdManager(server);
            ids.setWorkerName("web2");
            server.addBean(ids, true);
            assertEquals("web2", SharedSessions.builder(STORE).install(server).workerName());

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SharedSessions.builder(STORE).workerName("web3").install(server));
            assertTrue(e.getMessage().contains("\"web2\"") && e.getMessage().contains("\"web3\""), e.getMessage());
        }

        @Test
        void scavengeIntervalConfiguresTheHouseKeeper() {
            Server server = new Server();
            SharedSessions.builder(STORE).scavengeInterval(Duration.ofSeconds(7)).install(server);
            assertEquals(7, server.getBean(DefaultSessionIdManager.class).getSessionHouseKeeper().getIntervalSec());
        }
    }

    @Nested
    class Refusals {

        @Test
        void syncMapStoreRefusesAServerNamedAsAClusterNode() {
            Server server = new Server();
            DefaultSessionIdManager ids = new DefaultSessionIdManager(server);
            ids.setWorkerName("web1");
            server.addBean(ids, true);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SyncSessions.install(server));
            assertTrue(e.getMessage().contains("process-local"), e.getMessage());
            assertTrue(e.getMessage().contains("SharedSessions.builder"), e.getMessage());
        }

        @Test
        void syncMapStoreStillInstallsOnAnUnnamedServer() {
            Server server = new Server();
            server.addBean(new DefaultSessionIdManager(server), true);
            SyncSessions.install(server);
            assertInstanceOf(SyncSessionDataStoreFactory.class, server.getBean(SessionDataStoreFactory.class));
        }

        @Test
        void workerNameWithADotIsRefused() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SharedSessions.builder(STORE).workerName("web.1"));
            assertTrue(e.getMessage().contains("web.1"), e.getMessage());
        }

        @Test
        void evictionBelowOneSecondIsRefused() {
            assertThrows(IllegalArgumentException.class,
                    () -> SharedSessions.builder(STORE).evictIdleAfter(Duration.ofMillis(500)));
        }

        @Test
        void urlThatIsNotJdbcIsRefused() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SessionDatabase.jdbcUrl("postgres://db/app", "u", "p"));
            assertTrue(e.getMessage().contains("jdbc:postgresql://"), e.getMessage());
        }

        @Test
        void descriptionNeverShowsThePassword() {
            String text = SessionDatabase.jdbcUrl("jdbc:postgresql://db/app?password=hunter2", "u", "hunter2").toString();
            assertFalse(text.contains("hunter2"), text);
        }

        @Test
        void installingOnAStartedServerIsRefused() throws Exception {
            Server server = new Server();
            server.start();
            try {
                assertThrows(IllegalStateException.class, () -> SharedSessions.builder(STORE).install(server));
            } finally {
                server.stop();
            }
        }
    }

    @Nested
    class Availability {

        @Test
        void databaseErrorMakesTheStoreUnavailableAndSuccessRestoresIt() {
            DatabaseAvailability availability = new DatabaseAvailability(() -> false, Duration.ofHours(1));
            availability.failed(new RuntimeException("load failed", new SQLException("Connection refused", "08006")));
            assertFalse(availability.isAvailable());
            assertEquals("Connection refused", availability.getFailureMessage());
            assertEquals(1, availability.getOutages());

            availability.succeeded();
            assertTrue(availability.isAvailable());
            assertNull(availability.getFailureMessage());
            assertEquals(1, availability.getRecoveries());
        }

        /**
         * The counts JMX and Micrometer show add up over every outage; the line that ends an outage reports only
         * that outage's (checked on the log by ManyNodesIT's outage test).
         */
        @Test
        void refusalsAndFailedSavesAreCountedAcrossOutages() {
            DatabaseAvailability availability = new DatabaseAvailability(() -> false, Duration.ofHours(1));
            availability.failed(new SQLException("Connection refused", "08006"));
            availability.refused();
            availability.refused();
            availability.saveFailed();
            availability.succeeded();
            availability.failed(new SQLException("Connection refused", "08006"));
            availability.refused();
            availability.succeeded();
            assertEquals(3, availability.getRequestsRefused());
            assertEquals(1, availability.getSavesFailed());
            assertEquals(2, availability.getOutages());
            assertEquals(2, availability.getRecoveries());
            // A failure of one row is no outage.
            availability.failed(new SQLException("value too long", "22001"));
            assertEquals(2, availability.getOutages());
        }

        @Test
        void aStoreFailureBecauseTheDatabaseIsDownReachesJettyAsOneLine() {
            SessionDatabaseUnavailableException e = new SessionDatabaseUnavailableException("the session database"
                    + " is unavailable (Connection refused)");
            assertEquals(0, e.getStackTrace().length, "Jetty logs what the store throws with its trace");
            assertNull(e.getCause());
            assertTrue(DatabaseAvailability.isUnavailability(e), "still an outage for the guard and the availability");
            java.io.StringWriter printed = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(printed));
            assertEquals(1, printed.toString().lines().count(), printed.toString());
        }

        @Test
        void oneBadRowOrValueLeavesTheStoreAvailable() {
            DatabaseAvailability availability = new DatabaseAvailability(() -> false, Duration.ofHours(1));
            availability.failed(new RuntimeException(new NotSerializableException("com.example.Cart")));
            availability.failed(new SQLException("duplicate key value violates unique constraint", "23505"));
            availability.failed(new RuntimeException(new SQLException("value too long for type varchar(60)",
                    "22001")));
            availability.failed(new SQLException("syntax error", "42601"));
            assertTrue(availability.isAvailable());
            assertEquals(0, availability.getOutages());
        }

        @Test
        void failuresToReachAWorkingDatabaseAreOutages() {
            for (Throwable outage : new Throwable[] {
                    new SQLException("Connection to 127.0.0.1:5432 refused", "08001"),
                    new SQLException("terminating connection due to administrator command", "57P01"),
                    new SQLException("sorry, too many clients already", "53300"),
                    new SQLException("password authentication failed for user \"app\"", "28P01"),
                    new SQLTransientConnectionException("pool - Connection is not available, request timed out"),
                    new SQLRecoverableException("I/O error"),
                    new SQLTimeoutException("query timed out"),
                    new RuntimeException("load failed", new SQLException("An I/O error occurred", null,
                            new SocketTimeoutException("Read timed out")))}) {
                DatabaseAvailability availability = new DatabaseAvailability(() -> false, Duration.ofHours(1));
                availability.failed(outage);
                assertFalse(availability.isAvailable(), outage.toString());
            }
        }

        /** On a clock the test steps itself: no pause, and no loaded machine can stretch a step past the interval. */
        @Test
        void probesAtMostOncePerIntervalAndRecoversWhenTheProbeSucceeds() {
            AtomicInteger probes = new AtomicInteger();
            AtomicLong clock = new AtomicLong();
            long interval = Duration.ofMillis(200).toNanos();
            DatabaseAvailability availability = new DatabaseAvailability(() -> probes.incrementAndGet() >= 2,
                    Duration.ofNanos(interval), clock::get);
            clock.addAndGet(5 * interval);
            availability.failed(new SQLException("down", "08006"));
            assertFalse(availability.tryRecover(), "the failure itself counts as the first probe");
            clock.addAndGet(interval - 1);
            assertFalse(availability.tryRecover(), "probed before an interval had passed since the failure");
            assertEquals(0, probes.get(), "probed before an interval had passed since the failure");

            clock.addAndGet(1);
            assertFalse(availability.tryRecover());
            assertEquals(1, probes.get(), "no probe once an interval had passed since the failure");
            assertFalse(availability.tryRecover());
            clock.addAndGet(interval - 1);
            assertFalse(availability.tryRecover(), "probed twice within one interval");
            assertEquals(1, probes.get(), "probed twice within one interval");

            clock.addAndGet(1);
            assertTrue(availability.tryRecover());
            assertEquals(2, probes.get());
            assertTrue(availability.isAvailable());
            clock.addAndGet(10 * interval);
            assertTrue(availability.tryRecover());
            assertEquals(2, probes.get(), "probed while available");
        }
    }
}
