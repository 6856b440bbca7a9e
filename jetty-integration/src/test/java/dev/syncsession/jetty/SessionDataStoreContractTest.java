/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncsession.jetty.store.BundledBackend;
import dev.syncsession.jetty.store.SyncSessionDataStore;
import dev.syncsession.session.AttributeStorage;
import dev.syncsession.session.CaffeineSessionStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.session.SessionData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code SessionDataStore} contract as Jetty's own stores ({@code FileSessionDataStore},
 * {@code JDBCSessionDataStore}) honour it, run over every backend a documented path builds (the SyncMap; Caffeine
 * bounded by {@code maximumSessions}; and a Caffeine store the application builds itself and passes to {@code backend})
 * with every attribute storage: absent ids, every field round-tripping, one id in two contexts, expired records
 * staying loadable and reported until {@code cleanOrphans} (also hours after expiry and across a restart, as Jetty's
 * own {@code AbstractSessionDataStoreTest} has it), never-expiring sessions, deletion and passivation. Each store
 * runs in a real context of a started server, as Jetty calls it.
 */
class SessionDataStoreContractTest {

    private static final long HOUR = 3_600_000L;

    private Server server;

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    /** Each way a documented path builds the backend. */
    enum Backend {
        SYNCMAP {
            @Override
            void choose(SyncSessions.Builder builder) {
                builder.backend(BundledBackend.SYNCMAP);
            }
        },
        CAFFEINE_BOUNDED_BY_MAXIMUM_SESSIONS {
            @Override
            void choose(SyncSessions.Builder builder) {
                builder.backend(BundledBackend.CAFFEINE).maximumSessions(1_000);
            }
        },
        CAFFEINE_BUILT_BY_THE_APPLICATION {
            @Override
            void choose(SyncSessions.Builder builder) {
                builder.backend(CaffeineSessionStore.builder().maximumSessions(1_000).build());
            }
        };

        abstract void choose(SyncSessions.Builder builder);
    }

    static Stream<Arguments> stores() {
        List<Arguments> arguments = new ArrayList<>();
        for (Backend backend : Backend.values()) {
            for (AttributeStorage storage : AttributeStorage.values()) {
                arguments.add(Arguments.of(backend, storage));
            }
        }
        return arguments.stream();
    }

    /** One store per context path, all over one backend of the given kind, with a one-second grace period. */
    private List<SyncSessionDataStore> start(Backend backend, AttributeStorage storage,
            String... paths) throws Exception {
        return start(backend, storage, Duration.ofSeconds(1), paths);
    }

    private List<SyncSessionDataStore> start(Backend backend, AttributeStorage storage, Duration gracePeriod,
            String... paths) throws Exception {
        SyncSessions.Builder builder = SyncSessions.builder().attributeStorage(storage).gracePeriod(gracePeriod);
        backend.choose(builder);
        server = new Server();
        builder.install(server);
        List<ServletContextHandler> contexts = new ArrayList<>();
        for (String path : paths) {
            ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
            context.setContextPath(path);
            contexts.add(context);
        }
        server.setHandler(new ContextHandlerCollection(contexts.toArray(new ServletContextHandler[0])));
        server.start();
        return storesOf(contexts);
    }

    private static List<SyncSessionDataStore> storesOf(List<ServletContextHandler> contexts) {
        List<SyncSessionDataStore> stores = new ArrayList<>();
        for (ServletContextHandler context : contexts) {
            stores.add((SyncSessionDataStore) context.getSessionHandler().getSessionCache().getSessionDataStore());
        }
        return stores;
    }

    private List<SyncSessionDataStore> restart(String... paths) throws Exception {
        server.stop();
        server.start();
        List<ServletContextHandler> contexts = new ArrayList<>();
        for (String path : paths) {
            contexts.add((ServletContextHandler) server.getDescendants(ServletContextHandler.class).stream()
                    .filter(c -> c.getContextPath().equals(path)).findFirst().orElseThrow());
        }
        return storesOf(contexts);
    }

    private SyncSessionDataStore startOne(Backend backend, AttributeStorage storage) throws Exception {
        return start(backend, storage, "/app").get(0);
    }

    /** Saved session data with one attribute, expiring at {@code expiry} (0: never). */
    private static SessionData stored(SyncSessionDataStore store, String id, long expiry) throws Exception {
        long now = System.currentTimeMillis();
        SessionData data = store.newSessionData(id, now - 10_000, now - 5_000, now - 6_000, expiry == 0 ? -1 : HOUR);
        data.setExpiry(expiry);
        data.setAttribute("user", "alice");
        store.store(id, data);
        return data;
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("stores")
    void anAbsentIdLoadsAsNullAndDoesNotExist(Backend backend, AttributeStorage storage)
            throws Exception {
        SyncSessionDataStore store = startOne(backend, storage);
        assertNull(store.load("absent"));
        assertFalse(store.exists("absent"));
        assertFalse(store.delete("absent"));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("stores")
    void everyFieldAndAttributeRoundTrips(Backend backend, AttributeStorage storage) throws Exception {
        SyncSessionDataStore store = startOne(backend, storage);
        long now = System.currentTimeMillis();
        SessionData data = store.newSessionData("abc", now - 1000, now, now - 500, 30 * 60_000L);
        data.setExpiry(now + 12_345);
        data.setCookieSet(now - 250);
        data.setLastNode("node7");
        data.setAttribute("user", "alice");
        data.setAttribute("cart", new ArrayList<>(List.of("apple", "pear")));
        data.setAttribute("visits", 42);
        store.store("abc", data);

        SessionData loaded = store.load("abc");
        assertNotNull(loaded);
        assertEquals(List.of("abc", data.getContextPath(), data.getVhost(), data.getCreated(), data.getAccessed(),
                        data.getLastAccessed(), data.getCookieSet(), data.getMaxInactiveMs(), now + 12_345, "node7",
                        data.getLastSaved()),
                List.of(loaded.getId(), loaded.getContextPath(), loaded.getVhost(), loaded.getCreated(),
                        loaded.getAccessed(), loaded.getLastAccessed(), loaded.getCookieSet(),
                        loaded.getMaxInactiveMs(), loaded.getExpiry(), loaded.getLastNode(), loaded.getLastSaved()));
        assertEquals(Map.of("user", "alice", "cart", List.of("apple", "pear"), "visits", 42),
                loaded.getAllAttributes());
        assertTrue(store.exists("abc"));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("stores")
    void theSameIdInAnotherContextIsAnotherSession(Backend backend, AttributeStorage storage)
            throws Exception {
        List<SyncSessionDataStore> stores = start(backend, storage, "/a", "/b");
        stored(stores.get(0), "same", System.currentTimeMillis() + HOUR);
        assertNull(stores.get(1).load("same"));
        assertFalse(stores.get(1).exists("same"));
        assertFalse(stores.get(1).delete("same"));
        assertNotNull(stores.get(0).load("same"));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("stores")
    void anExpiredRecordStaysLoadableAndIsReportedUntilCleanOrphansRemovesIt(Backend backend,
            AttributeStorage storage) throws Exception {
        List<SyncSessionDataStore> stores = start(backend, storage, "/app", "/other");
        SyncSessionDataStore store = stores.get(0);
        long now = System.currentTimeMillis();
        stored(store, "candidate", now - 2_000);
        // Expired longer ago than Jetty's search horizon (three grace periods, 3 s) and sooner than the expired-record retention
        // (ten grace periods), within which every backend keeps expired records for Jetty to find.
        stored(store, "long-ago", now - 5_000);
        stored(store, "live", now + HOUR);
        stored(stores.get(1), "elsewhere", now - 5_000);

        SessionData expired = store.load("long-ago");
        assertNotNull(expired, "an expired record is still loadable, as in Jetty's stores");
        assertTrue(expired.isExpiredAt(now));
        assertEquals("alice", expired.getAttribute("user"));
        assertFalse(store.exists("long-ago"), "exists is false for an expired record");

        // The first call also searches the store for records of this context that expired three grace periods ago.
        Set<String> reported = store.getExpired(Set.of("candidate", "live"));
        assertEquals(Set.of("candidate", "long-ago"), reported);

        store.cleanOrphans(now - 4_000);
        assertNull(store.load("long-ago"), "expired before the time limit: removed");
        assertNull(stores.get(1).load("elsewhere"), "cleanOrphans removes the orphans of every context");
        assertNotNull(store.load("candidate"), "expired after the time limit: kept");
        assertNotNull(store.load("live"));
    }

    /**
     * Jetty's own store test, {@code AbstractSessionDataStoreTest}, with its two-hour grace period: a record that
     * expired three grace periods ago, last used on this node or another, is still loadable after a restart and is
     * found by {@code getExpired} without being a candidate; {@code cleanOrphans} at ten grace periods removes only
     * what expired before it, in every context.
     */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("stores")
    void recordsExpiredHoursAgoSurviveARestartAndAreFoundUntilOrphaned(Backend backend, AttributeStorage storage)
            throws Exception {
        long grace = 2 * HOUR;
        List<SyncSessionDataStore> stores = start(backend, storage, Duration.ofMillis(grace), "/app", "/other");
        long now = System.currentTimeMillis();
        long recent = now - 3 * grace;
        SessionData mine = stored(stores.get(0), "recent-here", recent);
        SessionData theirs = stores.get(0).newSessionData("recent-there", 100, 101, 100, HOUR);
        theirs.setExpiry(recent);
        theirs.setLastNode("other");
        stores.get(0).store("recent-there", theirs);
        stored(stores.get(0), "ancient", 200);
        stored(stores.get(1), "ancient-elsewhere", 200);
        stored(stores.get(1), "recent-elsewhere", recent);

        stores = restart("/app", "/other");
        SyncSessionDataStore store = stores.get(0);
        SessionData loaded = store.load("recent-here");
        assertNotNull(loaded, "Jetty's testLoadSessionExpired: an expired record is loadable");
        assertEquals(List.of(mine.getCreated(), mine.getAccessed(), mine.getLastAccessed(), recent),
                List.of(loaded.getCreated(), loaded.getAccessed(), loaded.getLastAccessed(), loaded.getExpiry()));
        assertFalse(store.exists("recent-here"));
        assertEquals(Set.of("recent-here", "recent-there", "ancient"), store.getExpired(Set.of()),
                "Jetty's testGetExpiredPersistedAndExpiredOnly and testGetExpiredDifferentNode");

        store.cleanOrphans(now - 10 * grace);
        assertNull(store.load("ancient"), "Jetty's testCleanOrphans: long expired, removed");
        assertNull(stores.get(1).load("ancient-elsewhere"), "in every context");
        assertNotNull(store.load("recent-here"), "recently expired, kept");
        assertNotNull(store.load("recent-there"));
        assertNotNull(stores.get(1).load("recent-elsewhere"));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("stores")
    void aSessionWithExpiryZeroNeverExpires(Backend backend, AttributeStorage storage)
            throws Exception {
        SyncSessionDataStore store = startOne(backend, storage);
        stored(store, "forever", 0);
        assertTrue(store.exists("forever"));
        assertEquals(Set.of(), store.getExpired(Set.of("forever")));
        store.cleanOrphans(System.currentTimeMillis());
        assertNotNull(store.load("forever"));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("stores")
    void deleteRemovesOnceAndPassivationFollowsTheStorage(Backend backend, AttributeStorage storage)
            throws Exception {
        SyncSessionDataStore store = startOne(backend, storage);
        stored(store, "gone", System.currentTimeMillis() + HOUR);
        assertTrue(store.delete("gone"));
        assertFalse(store.delete("gone"));
        assertNull(store.load("gone"));
        assertEquals(storage == AttributeStorage.SERIALIZED, store.isPassivating());
    }
}
