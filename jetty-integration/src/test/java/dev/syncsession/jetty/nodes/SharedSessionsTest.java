/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.NotSerializableException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.AbstractSessionCacheFactory;
import org.eclipse.jetty.session.DefaultSessionIdManager;
import org.eclipse.jetty.session.NullSessionCacheFactory;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionCacheFactory;
import org.eclipse.jetty.session.SessionDataStoreFactory;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import dev.syncsession.jetty.SyncMapSessionCacheFactory;
import dev.syncsession.jetty.SyncMapSessionDataStoreFactory;
import dev.syncsession.jetty.SyncSessions;

/** The shared-store installation's configuration contract; the behaviour against PostgreSQL is in ManyNodesIT. */
class SharedSessionsTest {

    private static final SharedStore STORE = SharedStore.jdbcUrl("jdbc:postgresql://127.0.0.1:1/none", null, null);

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
            SharedSessions.builder(STORE).cache(SyncSessions.Cache.NULL).install(server);
            AbstractSessionCacheFactory cache = (AbstractSessionCacheFactory) server.getBean(SessionCacheFactory.class);
            assertInstanceOf(NullSessionCacheFactory.class, cache);
            assertEquals(SessionCache.EVICT_ON_SESSION_EXIT, cache.getEvictionPolicy());
        }

        @Test
        void defaultWorkerNameIsHostAndProcessIdAndValid() {
            Server server = new Server();
            SharedSessions sessions = SharedSessions.builder(STORE).install(server);
            assertEquals(SharedSessions.defaultWorkerName(), sessions.workerName());
            assertTrue(sessions.workerName().matches("[a-z0-9-]+-" + ProcessHandle.current().pid()),
                    sessions.workerName());
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
            assertInstanceOf(SyncMapSessionDataStoreFactory.class, server.getBean(SessionDataStoreFactory.class));
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
                    () -> SharedStore.jdbcUrl("postgres://db/app", "u", "p"));
            assertTrue(e.getMessage().contains("jdbc:postgresql://"), e.getMessage());
        }

        @Test
        void descriptionNeverShowsThePassword() {
            String text = SharedStore.jdbcUrl("jdbc:postgresql://db/app?password=hunter2", "u", "hunter2").toString();
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
            StoreAvailability availability = new StoreAvailability(() -> false, Duration.ofHours(1));
            availability.failed(new RuntimeException("load failed", new SQLException("Connection refused")));
            assertFalse(availability.isAvailable());
            assertEquals("Connection refused", availability.getFailureMessage());
            assertEquals(1, availability.getOutages());

            availability.succeeded();
            assertTrue(availability.isAvailable());
            assertNull(availability.getFailureMessage());
            assertEquals(1, availability.getRecoveries());
        }

        @Test
        void nonDatabaseErrorLeavesTheStoreAvailable() {
            StoreAvailability availability = new StoreAvailability(() -> false, Duration.ofHours(1));
            availability.failed(new RuntimeException(new NotSerializableException("com.example.Cart")));
            assertTrue(availability.isAvailable());
        }

        @Test
        void probesAtMostOncePerIntervalAndRecoversWhenTheProbeSucceeds() throws Exception {
            AtomicInteger probes = new AtomicInteger();
            StoreAvailability availability = new StoreAvailability(() -> probes.incrementAndGet() >= 2,
                    Duration.ofMillis(200));
            availability.failed(new SQLException("down"));
            assertFalse(availability.tryRecover(), "the failure itself counts as the first probe");
            assertEquals(0, probes.get());

            Thread.sleep(250);
            assertFalse(availability.tryRecover());
            assertFalse(availability.tryRecover(), "a second call within the interval does not probe");
            assertEquals(1, probes.get());

            Thread.sleep(250);
            assertTrue(availability.tryRecover());
            assertEquals(2, probes.get());
            assertTrue(availability.isAvailable());
        }
    }
}
