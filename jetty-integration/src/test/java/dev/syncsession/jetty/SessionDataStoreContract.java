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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.session.AbstractSessionDataStore;
import org.eclipse.jetty.session.SessionData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code SessionDataStore} contract as Jetty's own stores honour it, with Jetty's {@code JDBCSessionDataStore}
 * deciding where stores differ: absent ids, every field round-tripping, a loaded session changed and saved again
 * (attributes set and removed, max inactive interval, access times alone), a session saved at creation and again
 * after its request, an id renewed as Jetty's cache renews it, one id in two contexts, expired records staying
 * loadable and reported until {@code cleanOrphans} (also hours after expiry and across a restart, as Jetty's own
 * {@code AbstractSessionDataStoreTest} has it), candidates no longer stored reported expired, never-expiring
 * sessions, deletion and passivation. Each store runs in a real context of a started server, as Jetty calls it, and
 * each saved session names this node as its last node, as Jetty's session cache does before every save (Jetty's
 * JDBC store reports a candidate expired in the table only if this node saved it last).
 *
 * <p>A subclass names the kinds of store it runs the contract over ({@link #stores()}) and installs each
 * ({@link #install}): {@link SessionDataStoreContractTest} the single-node store over each backend, and
 * {@link SharedSessionDataStoreContractIT} the many-nodes tier's store, and Jetty's own JDBC store as the reference,
 * on PostgreSQL. A subclass may add cases of its own with {@link #startOne} and {@link #stored}.
 *
 * @param <K> the subclass's kind of store
 */
// One instance per class, so that every case's argument source is the subclass's own stores(), an instance method.
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SessionDataStoreContract<K> {

    static final long HOUR = 3_600_000L;

    private Server server;

    /** The worker name of the server's session id manager, which Jetty's cache writes as each session's last node. */
    private String workerName;

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    /** The kinds of store the contract runs over: every case's argument source. */
    abstract Stream<K> stores();

    /**
     * Makes {@code server} give its contexts a store of this kind, with this grace period.
     *
     * @param server a server not yet started, to which the contexts are then added
     */
    abstract void install(K kind, Server server, Duration gracePeriod) throws Exception;

    /** Whether stores of this kind serialize the sessions they keep ({@code isPassivating}). */
    abstract boolean passivates(K kind);

    /** One store per context path, all of the given kind, with a one-second grace period. */
    private List<AbstractSessionDataStore> start(K kind, String... paths) throws Exception {
        return start(kind, Duration.ofSeconds(1), paths);
    }

    private List<AbstractSessionDataStore> start(K kind, Duration gracePeriod, String... paths) throws Exception {
        server = new Server();
        install(kind, server, gracePeriod);
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

    private List<AbstractSessionDataStore> storesOf(List<ServletContextHandler> contexts) {
        workerName = contexts.get(0).getSessionHandler().getSessionIdManager().getWorkerName();
        List<AbstractSessionDataStore> stores = new ArrayList<>();
        for (ServletContextHandler context : contexts) {
            stores.add((AbstractSessionDataStore) context.getSessionHandler().getSessionCache().getSessionDataStore());
        }
        return stores;
    }

    private List<AbstractSessionDataStore> restart(String... paths) throws Exception {
        server.stop();
        server.start();
        List<ServletContextHandler> contexts = new ArrayList<>();
        for (String path : paths) {
            contexts.add((ServletContextHandler) server.getDescendants(ServletContextHandler.class).stream()
                    .filter(c -> c.getContextPath().equals(path)).findFirst().orElseThrow());
        }
        return storesOf(contexts);
    }

    AbstractSessionDataStore startOne(K kind) throws Exception {
        return start(kind, "/app").get(0);
    }

    /** Saved session data with one attribute, last saved by this node, expiring at {@code expiry} (0: never). */
    SessionData stored(AbstractSessionDataStore store, String id, long expiry) throws Exception {
        long now = System.currentTimeMillis();
        SessionData data = store.newSessionData(id, now - 10_000, now - 5_000, now - 6_000, expiry == 0 ? -1 : HOUR);
        data.setExpiry(expiry);
        data.setLastNode(workerName);
        data.setAttribute("user", "alice");
        store.store(id, data);
        return data;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void anAbsentIdLoadsAsNullAndDoesNotExist(K kind) throws Exception {
        AbstractSessionDataStore store = startOne(kind);
        assertNull(store.load("absent"));
        assertFalse(store.exists("absent"));
        assertFalse(store.delete("absent"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void everyFieldAndAttributeRoundTrips(K kind) throws Exception {
        AbstractSessionDataStore store = startOne(kind);
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

    /**
     * Jetty's {@code testUpdateSession} and {@code testModifyEmptyLoadSession}: a loaded copy whose request set an
     * attribute, added one, changed the max inactive interval and was accessed is saved whole; and one whose
     * attributes were all removed loads with none.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aLoadedSessionChangedAndSavedAgainLoadsWithEveryChange(K kind) throws Exception {
        AbstractSessionDataStore store = startOne(kind);
        long now = System.currentTimeMillis();
        stored(store, "changed", now + HOUR);

        SessionData copy = store.load("changed");
        copy.setAttribute("user", "bob");
        copy.setAttribute("cart", new ArrayList<>(List.of("apple")));
        copy.setMaxInactiveMs(2 * 60_000L);
        copy.setLastAccessed(copy.getAccessed());
        copy.setAccessed(now);
        copy.calcAndSetExpiry(now);
        store.store("changed", copy);

        SessionData loaded = store.load("changed");
        assertEquals(Map.of("user", "bob", "cart", List.of("apple")), loaded.getAllAttributes());
        assertEquals(List.of(now, copy.getLastAccessed(), 2 * 60_000L, now + 2 * 60_000L, copy.getLastSaved()),
                List.of(loaded.getAccessed(), loaded.getLastAccessed(), loaded.getMaxInactiveMs(),
                        loaded.getExpiry(), loaded.getLastSaved()));

        loaded.setAttribute("user", null);
        loaded.setAttribute("cart", null);
        store.store("changed", loaded);
        assertEquals(Map.of(), store.load("changed").getAllAttributes());
        assertTrue(store.exists("changed"));
    }

    /**
     * A value changed in place, without {@code setAttribute} ({@code cart.add(item)}), is saved with the next save of
     * the session, whether that save also sets an attribute or is one of access times alone: Jetty's stores write
     * the whole map at every save, and an application that relies on it must not lose the change.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aValueChangedInPlaceIsSavedWithTheNextSave(K kind) throws Exception {
        AbstractSessionDataStore store = startOne(kind);
        long now = System.currentTimeMillis();
        SessionData first = store.newSessionData("cart", now - 10_000, now - 5_000, now - 6_000, HOUR);
        first.setExpiry(now + HOUR);
        first.setAttribute("cart", new ArrayList<>(List.of("apple")));
        store.store("cart", first);

        SessionData copy = store.load("cart");
        @SuppressWarnings("unchecked")
        List<String> cart = (List<String>) copy.getAttribute("cart");
        cart.add("pear"); // in place: the data is not told
        copy.setAttribute("colour", "red");
        store.store("cart", copy);
        assertEquals(List.of("apple", "pear"), store.load("cart").getAttribute("cart"));

        SessionData next = store.load("cart");
        @SuppressWarnings("unchecked")
        List<String> again = (List<String>) next.getAttribute("cart");
        again.add("plum");
        next.setAccessed(now + 1_000);
        store.store("cart", next); // a save of access times: nothing was set
        assertEquals(List.of("apple", "pear", "plum"), store.load("cart").getAttribute("cart"));
    }

    /**
     * A request that changes no attribute is saved for its access time and expiry alone (Jetty saves them at the end
     * of every request, the save period aside).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aSaveOfTheAccessTimesAloneIsWritten(K kind) throws Exception {
        AbstractSessionDataStore store = startOne(kind);
        long now = System.currentTimeMillis();
        stored(store, "visited", now + 1_000);

        SessionData copy = store.load("visited");
        copy.setLastAccessed(copy.getAccessed());
        copy.setAccessed(now);
        copy.calcAndSetExpiry(now);
        store.store("visited", copy);

        SessionData loaded = store.load("visited");
        assertEquals(List.of(now, now + HOUR, Map.of("user", "alice")),
                List.of(loaded.getAccessed(), loaded.getExpiry(), loaded.getAllAttributes()));
    }

    /**
     * A new session as Jetty's cache saves it: once at creation, then again at the end of each request with the
     * request's changes, the same data each time.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aSessionSavedAtCreationKeepsEachRequestsChanges(K kind) throws Exception {
        AbstractSessionDataStore store = startOne(kind);
        long now = System.currentTimeMillis();
        SessionData data = store.newSessionData("fresh", now, now, now, HOUR);
        data.setLastNode(workerName);
        store.store("fresh", data);

        data.setAttribute("user", "alice");
        store.store("fresh", data);
        assertEquals(Map.of("user", "alice"), store.load("fresh").getAllAttributes());

        data.setAttribute("user", "bob");
        data.setAttribute("visits", 2);
        store.store("fresh", data);
        assertEquals(Map.of("user", "bob", "visits", 2), store.load("fresh").getAllAttributes());
    }

    /**
     * An id renewed as Jetty's cache renews it ({@code AbstractSessionCache.renewSessionId}): the old id's data
     * deleted, the same data saved under the new id as if never saved; later changes are saved under the new id.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aRenewedIdKeepsTheSessionUnderTheNewIdOnly(K kind) throws Exception {
        AbstractSessionDataStore store = startOne(kind);
        SessionData data = stored(store, "before", System.currentTimeMillis() + HOUR);
        data.setAttribute("cart", new ArrayList<>(List.of("apple")));
        store.store("before", data);

        data.setId("after");
        data.setLastSaved(0);
        data.setDirty(true);
        assertTrue(store.delete("before"));
        store.store("after", data);
        data.setAttribute("visits", 2);
        store.store("after", data);

        assertNull(store.load("before"));
        assertEquals(Map.of("user", "alice", "cart", List.of("apple"), "visits", 2),
                store.load("after").getAllAttributes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void theSameIdInAnotherContextIsAnotherSession(K kind) throws Exception {
        List<AbstractSessionDataStore> stores = start(kind, "/a", "/b");
        stored(stores.get(0), "same", System.currentTimeMillis() + HOUR);
        assertNull(stores.get(1).load("same"));
        assertFalse(stores.get(1).exists("same"));
        assertFalse(stores.get(1).delete("same"));
        assertNotNull(stores.get(0).load("same"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void anExpiredRecordStaysLoadableAndIsReportedUntilCleanOrphansRemovesIt(K kind) throws Exception {
        List<AbstractSessionDataStore> stores = start(kind, "/app", "/other");
        AbstractSessionDataStore store = stores.get(0);
        long now = System.currentTimeMillis();
        stored(store, "candidate", now - 2_000);
        // Expired longer ago than Jetty's search horizon (three grace periods, 3 s) and sooner than the expired-record
        // retention (ten grace periods), within which every backend keeps expired records for Jetty to find.
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
    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void recordsExpiredHoursAgoSurviveARestartAndAreFoundUntilOrphaned(K kind) throws Exception {
        long grace = 2 * HOUR;
        List<AbstractSessionDataStore> stores = start(kind, Duration.ofMillis(grace), "/app", "/other");
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
        AbstractSessionDataStore store = stores.get(0);
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

    /** Jetty's {@code testGetExpiredNotPersisted}: a candidate the store no longer holds is reported expired. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aCandidateNoLongerStoredIsReportedExpired(K kind) throws Exception {
        AbstractSessionDataStore store = startOne(kind);
        stored(store, "deleted", System.currentTimeMillis() + HOUR);
        store.delete("deleted");
        assertEquals(Set.of("deleted", "never-stored"), store.getExpired(Set.of("deleted", "never-stored")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aSessionWithExpiryZeroNeverExpires(K kind) throws Exception {
        AbstractSessionDataStore store = startOne(kind);
        stored(store, "forever", 0);
        assertTrue(store.exists("forever"));
        assertEquals(Set.of(), store.getExpired(Set.of("forever")));
        store.cleanOrphans(System.currentTimeMillis());
        assertNotNull(store.load("forever"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void deleteRemovesOnceAndTheStoreSaysWhetherItPassivates(K kind) throws Exception {
        AbstractSessionDataStore store = startOne(kind);
        stored(store, "gone", System.currentTimeMillis() + HOUR);
        assertTrue(store.delete("gone"));
        assertFalse(store.delete("gone"));
        assertNull(store.load("gone"));
        assertEquals(passivates(kind), store.isPassivating());
    }
}
