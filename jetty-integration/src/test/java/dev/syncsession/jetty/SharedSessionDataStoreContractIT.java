/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.util.ClassLoadingObjectInputStream;
import org.eclipse.jetty.session.JDBCSessionDataStore;
import dev.syncsession.jetty.cache.SessionFreshness;
import org.junit.jupiter.params.provider.EnumSource;
import java.util.Set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.RegisterExtension;
import dev.syncsession.jetty.nodes.SessionDatabase;
import dev.syncsession.jetty.nodes.SharedSessions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.AbstractSessionDataStore;
import org.eclipse.jetty.session.DatabaseAdaptor;
import org.eclipse.jetty.session.JDBCSessionDataStoreFactory;
import org.eclipse.jetty.session.UnreadableSessionDataException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link SessionDataStoreContract} over the many-nodes tier's store ({@code SharedJdbcSessionDataStore}, as
 * {@link SharedSessions} installs it), with and without sessions by user, on PostgreSQL; and over Jetty's own
 * {@link org.eclipse.jetty.session.JDBCSessionDataStore} on the same database, the reference: a case Jetty's store
 * passes and the tier's fails is a bug of the tier's. Here too, what only a database store can do: fail the load of
 * a row it cannot read. One embedded PostgreSQL for the class, a database of its own for each test.
 */
class SharedSessionDataStoreContractIT extends SessionDataStoreContract<SharedSessionDataStoreContractIT.OnDatabase> {

    @RegisterExtension
    static final TestDatabases DATABASES = new TestDatabases("contract");

    /** The JDBC URL of this test's database. */
    private String url;

    /** The stores on the shared database. */
    enum OnDatabase {
        JETTY_JDBC_REFERENCE,
        SHARED,
        SHARED_WITH_SESSIONS_BY_USER
    }

    @BeforeEach
    void newDatabase() throws Exception {
        url = DATABASES.newDatabase();
    }

    /**
     * Jetty's {@code testLoadSessionFails}: a row whose attributes cannot be read fails its load with
     * {@link UnreadableSessionDataException} (which Jetty's cache answers by deleting the row), rather than loading
     * as no session or as a session without attributes.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aRowWhoseAttributesCannotBeReadFailsItsLoad(OnDatabase kind) throws Exception {
        AbstractSessionDataStore store = startOne(kind);
        stored(store, "damaged", System.currentTimeMillis() + HOUR);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            assertEquals(1, s.executeUpdate("update JettySessions set map = 'not a serialized map'::bytea"
                    + " where sessionId = 'damaged'"));
        }
        assertThrows(UnreadableSessionDataException.class, () -> store.load("damaged"));
    }

    /**
     * Two saves of one session that fall in the same millisecond are told apart by the row's version: node B's merged
     * save, stamped with the millisecond of node A's save, is neither undone by A's later save of access times
     * (conditional on the row being as A last saved it) nor judged current in a check of A's cached copy. With the
     * last save time alone, both took A's stale copy for the row. (Not a case of Jetty's store, which has no version.)
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = OnDatabase.class, names = {"SHARED", "SHARED_WITH_SESSIONS_BY_USER"})
    void twoSavesInOneMillisecondAreToldApartByTheVersion(OnDatabase kind) throws Exception {
        JDBCSessionDataStore store = (JDBCSessionDataStore) startOne(kind);
        SessionData created = stored(store, "same-ms", System.currentTimeMillis() + HOUR);
        SessionData onA = store.load("same-ms");
        SessionData onB = store.load("same-ms");
        long millisecond = created.getLastSaved() + 1_000;

        onA.setAttribute("fromA", "1");
        saveAt(store, onA, millisecond);
        onB.setAttribute("fromB", "1");
        saveAt(store, onB, millisecond); // finds A's save: merged onto it, in the same millisecond
        assertEquals(Set.of("user", "fromA", "fromB"), store.load("same-ms").getKeys());

        SessionFreshness freshness = (SessionFreshness) store;
        assertEquals(SessionFreshness.Verdict.CHANGED, freshness.verify("same-ms", millisecond,
                freshness.versionOf(onA)), "A's copy is not the row B saved in the same millisecond");
        saveAt(store, onA, millisecond + 1); // A's end-of-request save of its access time only
        assertEquals(Set.of("user", "fromA", "fromB"), store.load("same-ms").getKeys(),
                "A's save of its access time put its older attributes over B's");
    }

    /**
     * The attribute table: a save writes the rows of the attributes its request set, deletes those it removed, and
     * leaves the other attributes' rows as they were (the same row versions, by PostgreSQL's {@code xmin}); the
     * session row's map column stays empty.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = OnDatabase.class, names = {"SHARED", "SHARED_WITH_SESSIONS_BY_USER"})
    void aSaveWritesOnlyTheAttributesItsRequestChanged(OnDatabase kind) throws Exception {
        JDBCSessionDataStore store = (JDBCSessionDataStore) startOne(kind);
        SessionData first = stored(store, "few", System.currentTimeMillis() + HOUR);
        SessionData copy = store.load("few");
        copy.setAttribute("notes", PAST_THE_ROW); // the session outgrows its row: every attribute to the table
        copy.setAttribute("colour", "red");
        copy.setAttribute("size", "large");
        copy.setAttribute("cart", new ArrayList<>(List.of("apple")));
        saveAt(store, copy, first.getLastSaved() + 1_000);
        Map<String, String> before = attributeRowVersions("few");
        assertEquals(Set.of("user", "notes", "colour", "size", "cart"), before.keySet());

        SessionData next = store.load("few");
        next.setAttribute("size", "small");
        next.setAttribute("cart", null); // as Session.removeAttribute does
        saveAt(store, next, first.getLastSaved() + 2_000);
        Map<String, String> after = attributeRowVersions("few");
        assertEquals(Set.of("user", "notes", "colour", "size"), after.keySet(), "the removed attribute's row is left");
        assertEquals(before.get("user"), after.get("user"), "an attribute the save did not change was written");
        assertEquals(before.get("notes"), after.get("notes"), "an attribute the save did not change was written");
        assertEquals(before.get("colour"), after.get("colour"), "an attribute the save did not change was written");
        assertNotEquals(before.get("size"), after.get("size"), "the changed attribute was not written");
        SessionData loaded = store.load("few");
        assertEquals("small", loaded.getAttribute("size"));
        assertEquals("red", loaded.getAttribute("colour"));
        assertNull(loaded.getAttribute("cart"));
        assertEquals(0, count("select count(*) from JettySessions where map is not null"));
    }

    /**
     * A small session keeps its attributes in its row's map column, in Jetty's form: a new session, and a row that
     * Jetty's own store wrote, which loads as Jetty's store loads it; saves that keep it within
     * {@code AttributeRows.IN_ROW_LIMIT} write the map again, and the first that takes it past moves every attribute
     * into the attribute table and empties the map, losing nothing on the way. It stays there when it shrinks.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = OnDatabase.class, names = {"SHARED", "SHARED_WITH_SESSIONS_BY_USER"})
    void aSmallSessionKeepsItsAttributesInItsRowUntilItOutgrowsIt(OnDatabase kind) throws Exception {
        JDBCSessionDataStore store = (JDBCSessionDataStore) startOne(kind);
        SessionData first = stored(store, "old", System.currentTimeMillis() + HOUR);
        assertEquals(Map.of("user", "alice"), mapColumn("old"), "a new small session's map");
        assertEquals(Set.of(), attributeRowVersions("old").keySet());

        SessionData jettys = new SessionData("old", "/app", "0.0.0.0", 0, 0, 0, 0);
        jettys.setAttribute("user", "alice");
        jettys.setAttribute("cart", new ArrayList<>(List.of("apple", "pear")));
        ByteArrayOutputStream map = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(map)) {
            SessionData.serializeAttributes(jettys, out); // Jetty's store writes its map column so
        }
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement s = c.prepareStatement("update JettySessions set map = ? where sessionId = 'old'")) {
            s.setBytes(1, map.toByteArray());
            assertEquals(1, s.executeUpdate());
        }
        SessionData loaded = store.load("old");
        assertEquals(List.of("apple", "pear"), loaded.getAttribute("cart"));

        loaded.setAttribute("colour", "red");
        saveAt(store, loaded, first.getLastSaved() + 1_000);
        assertEquals(Map.of("user", "alice", "cart", List.of("apple", "pear"), "colour", "red"), mapColumn("old"),
                "a save within the row's limit writes the map, as Jetty's store reads it");
        assertEquals(Set.of(), attributeRowVersions("old").keySet());

        SessionData growing = store.load("old");
        growing.setAttribute("notes", PAST_THE_ROW);
        saveAt(store, growing, first.getLastSaved() + 2_000);
        assertEquals(Set.of("user", "cart", "colour", "notes"), attributeRowVersions("old").keySet());
        assertEquals(0, count("select count(*) from JettySessions where map is not null"));
        SessionData moved = store.load("old");
        assertEquals(Set.of("user", "cart", "colour", "notes"), moved.getKeys());
        assertEquals(List.of("apple", "pear"), moved.getAttribute("cart"));

        moved.setAttribute("notes", null);
        saveAt(store, moved, first.getLastSaved() + 3_000);
        assertEquals(Set.of("user", "cart", "colour"), attributeRowVersions("old").keySet());
        assertEquals(0, count("select count(*) from JettySessions where map is not null"));
    }

    /** A session past the row's limit at its first save is inserted with its attributes in the attribute table. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = OnDatabase.class, names = {"SHARED", "SHARED_WITH_SESSIONS_BY_USER"})
    void aSessionPastTheRowsLimitAtItsFirstSaveIsInsertedIntoTheAttributeTable(OnDatabase kind) throws Exception {
        JDBCSessionDataStore store = (JDBCSessionDataStore) startOne(kind);
        storedLarge(store, "large");
        assertEquals(Set.of("user", "notes"), attributeRowVersions("large").keySet());
        assertEquals(0, count("select count(*) from JettySessions where map is not null"));
        assertEquals(PAST_THE_ROW, store.load("large").getAttribute("notes"));
    }

    /** Deleting a session's row deletes its attribute rows (the table's foreign key cascades), whoever deletes it. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = OnDatabase.class, names = {"SHARED", "SHARED_WITH_SESSIONS_BY_USER"})
    void deletingASessionDeletesItsAttributeRows(OnDatabase kind) throws Exception {
        JDBCSessionDataStore store = (JDBCSessionDataStore) startOne(kind);
        storedLarge(store, "gone");
        storedLarge(store, "kept");
        assertEquals(4, count("select count(*) from JettySessions_attributes"));
        assertTrue(store.delete("gone"));
        assertEquals(Set.of(), attributeRowVersions("gone").keySet());
        assertEquals(Set.of("user", "notes"), attributeRowVersions("kept").keySet());
    }

    /**
     * The expiry index covers the minute a session expires in, not its expiry time: saves that keep the session in its
     * minute, of changed attributes or of access times alone, update the row in place (PostgreSQL's heap-only update,
     * without new index entries; read from the row's tuple header with pageinspect), and a save into the next minute
     * does not. With the index over the exact expiry time, as Jetty makes it, no save is heap-only.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = OnDatabase.class, names = {"SHARED", "SHARED_WITH_SESSIONS_BY_USER"})
    void savesWithinTheExpiryMinuteUpdateTheSessionRowInPlace(OnDatabase kind) throws Exception {
        JDBCSessionDataStore store = (JDBCSessionDataStore) startOne(kind);
        long minute = (System.currentTimeMillis() / 60_000 + 60) * 60_000; // a minute's start, an hour ahead
        stored(store, "in-place", minute + 1);
        SessionData copy = store.load("in-place");
        copy.setExpiry(minute + 2_000);
        copy.setAttribute("colour", "red");
        saveAt(store, copy, copy.getLastSaved() + 1_000);
        assertTrue(heapOnly("in-place"), "a save of a changed attribute within the expiry's minute");
        copy.setExpiry(minute + 3_000);
        saveAt(store, copy, copy.getLastSaved() + 1_000);
        assertTrue(heapOnly("in-place"), "a save of access times within the expiry's minute");
        copy.setExpiry(minute + 61_000);
        saveAt(store, copy, copy.getLastSaved() + 1_000);
        assertFalse(heapOnly("in-place"), "a save into the next minute writes the index");
        assertEquals(Set.of(), store.getExpired(Set.of("in-place")), "expiring in an hour: not expired");
    }

    /**
     * A table made by Jetty's own store gets its expiry index moved onto the minute column at the tier's first start,
     * the column filled for the rows already there: a session Jetty's store saved, expired, is then found by the
     * tier's expiry searches, and one still live is not.
     */
    @Test
    void aTableJettysStoreMadeHasItsExpiryIndexMovedToMinutesAndItsExpiredRowsAreFound() throws Exception {
        AbstractSessionDataStore jetty = startOne(OnDatabase.JETTY_JDBC_REFERENCE);
        long now = System.currentTimeMillis();
        stored(jetty, "expired-in-jetty", now - 10_000);
        stored(jetty, "live-in-jetty", now + HOUR);
        stopServer();
        assertEquals("expirytime", expiryIndexColumn());

        AbstractSessionDataStore tier = startOne(OnDatabase.SHARED);
        assertEquals("syncsession_expiry_minute", expiryIndexColumn());
        assertEquals(Set.of("expired-in-jetty"), tier.getExpired(Set.of()));
        tier.cleanOrphans(now);
        assertNull(tier.load("expired-in-jetty"), "cleanOrphans finds it by its minute too");
        assertNotNull(tier.load("live-in-jetty"));
    }

    /**
     * One store saves changes of every shape in turn, each loaded back as saved: one attribute set, two, one removed,
     * one removed with one set, three set, two removed, on a session past the row's limit (attribute rows) and on a
     * small one (its map in the row). The tier makes each statement's text once per shape and keeps it; a shape that
     * left out what tells two saves apart would hand a save another one's statement, and the save would fail or write
     * the wrong attributes.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void saveAfterSaveOfEveryShapeLoadsAsSaved(OnDatabase kind) throws Exception {
        JDBCSessionDataStore store = (JDBCSessionDataStore) startOne(kind);
        storedLarge(store, "large");
        stored(store, "small", System.currentTimeMillis() + HOUR);
        List<List<String>> steps = List.of(List.of("+a1"), List.of("+a1", "+a2"), List.of("-a1"),
                List.of("-a2", "+a3"), List.of("+a4", "+a5", "+a6"), List.of("-a3", "-a4"), List.of("+a1"));
        for (String id : List.of("large", "small")) {
            Map<String, Object> expected = new HashMap<>(store.load(id).getAllAttributes());
            int step = 0;
            for (List<String> changes : steps) {
                step++;
                SessionData copy = store.load(id);
                for (String change : changes) {
                    String name = change.substring(1);
                    Object value = change.startsWith("+") ? name + " at step " + step : null;
                    copy.setAttribute(name, value);
                    if (value == null) {
                        expected.remove(name);
                    } else {
                        expected.put(name, value);
                    }
                }
                saveAt(store, copy, copy.getLastSaved() + 1_000);
                assertEquals(expected, store.load(id).getAllAttributes(), id + " after step " + step + " " + changes);
            }
        }
    }

    /**
     * A save of one attribute the session already had, made outside a response's commit (as at a request's end, or by
     * a caller of the store), writes the session's times too: only a save at the commit leaves the session row to the
     * request's last save.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(OnDatabase.class)
    void aSaveOfOneAttributeOutsideACommitWritesTheTimesToo(OnDatabase kind) throws Exception {
        JDBCSessionDataStore store = (JDBCSessionDataStore) startOne(kind);
        storedLarge(store, "times");
        SessionData copy = store.load("times");
        copy.setAttribute("notes", PAST_THE_ROW + " changed");
        long accessed = copy.getAccessed() + 60_000;
        copy.setLastAccessed(copy.getAccessed());
        copy.setAccessed(accessed);
        copy.setExpiry(accessed + HOUR);
        saveAt(store, copy, copy.getLastSaved() + 1_000);
        SessionData loaded = store.load("times");
        assertEquals(PAST_THE_ROW + " changed", loaded.getAttribute("notes"));
        assertEquals(accessed, loaded.getAccessed());
        assertEquals(accessed + HOUR, loaded.getExpiry());
        assertEquals(copy.getLastSaved(), loaded.getLastSaved());
    }

    /**
     * A row of the tier's whose attributes are in the attribute table, then saved by Jetty's own store (which writes
     * its map and leaves the attribute rows): it loads with the map's attributes alone, and a save of a copy loaded
     * before meets it and applies its change onto the map's attributes, not onto the rows left under it.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = OnDatabase.class, names = {"SHARED", "SHARED_WITH_SESSIONS_BY_USER"})
    void aRowJettysStoreSavedOverLoadsWithItsMapAloneNotTheAttributeRowsLeftUnderIt(OnDatabase kind)
            throws Exception {
        JDBCSessionDataStore store = (JDBCSessionDataStore) startOne(kind);
        storedLarge(store, "saved-over");
        SessionData copy = store.load("saved-over");
        assertEquals(2, attributeRowVersions("saved-over").size(), "user and notes in the attribute table");
        SessionData jettys = new SessionData("saved-over", "/app", "0.0.0.0", 0, 0, 0, 0);
        jettys.setAttribute("user", "bob");
        jettys.setAttribute("cart", "3 items");
        ByteArrayOutputStream map = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(map)) {
            SessionData.serializeAttributes(jettys, out);
        }
        try (Connection c = DriverManager.getConnection(url); PreparedStatement s = c.prepareStatement(
                "update JettySessions set map = ? where sessionId = 'saved-over'")) {
            s.setBytes(1, map.toByteArray()); // as Jetty's update writes it: the version is not bumped
            assertEquals(1, s.executeUpdate());
        }
        assertEquals(2, attributeRowVersions("saved-over").size(), "the rows left under the map");
        assertEquals(Map.of("user", "bob", "cart", "3 items"), store.load("saved-over").getAllAttributes());
        copy.setAttribute("colour", "red");
        saveAt(store, copy, copy.getLastSaved() + 1_000);
        assertEquals(Map.of("user", "bob", "cart", "3 items", "colour", "red"),
                store.load("saved-over").getAllAttributes());
    }

    /** Whether the session's row is a heap-only tuple: the new version of a heap-only update. */
    private boolean heapOnly(String id) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("create extension if not exists pageinspect");
            try (ResultSet row = s.executeQuery("with r as (select ((ctid::text)::point) as at from JettySessions"
                    + " where sessionId = '" + id + "') select (h.t_infomask2 & 32768) <> 0 from r,"
                    + " heap_page_items(get_raw_page('jettysessions', r.at[0]::int)) h where h.lp = r.at[1]::int")) {
                assertTrue(row.next(), id + " has no row");
                return row.getBoolean(1);
            }
        }
    }

    /** The first column of Jetty's expiry index of the session table. */
    private String expiryIndexColumn() throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("select a.attname from pg_index i join pg_class x on x.oid ="
                        + " i.indexrelid join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]"
                        + " where x.relname = 'idx_jettysessions_expiry'")) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    /** An attribute that takes a session past the tier's row limit ({@code AttributeRows.IN_ROW_LIMIT}, 256 bytes). */
    private static final String PAST_THE_ROW = "n".repeat(1_100);

    /** A session stored as {@link #stored} stores it, with an attribute that puts it past the row's limit. */
    private SessionData storedLarge(JDBCSessionDataStore store, String id) throws Exception {
        long now = System.currentTimeMillis();
        SessionData data = store.newSessionData(id, now - 10_000, now - 5_000, now - 6_000, HOUR);
        data.setExpiry(now + HOUR);
        data.setAttribute("user", "alice");
        data.setAttribute("notes", PAST_THE_ROW);
        store.store(id, data);
        return data;
    }

    /** The session row's map column, read as Jetty's store reads it. */
    private Map<String, Object> mapColumn(String id) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement s = c.prepareStatement("select map from JettySessions where sessionId = ?")) {
            s.setString(1, id);
            try (ResultSet row = s.executeQuery()) {
                assertTrue(row.next(), "no row " + id);
                byte[] map = row.getBytes(1);
                assertNotNull(map, "the row's map column is empty");
                SessionData read = new SessionData(id, "/app", "0.0.0.0", 0, 0, 0, 0);
                try (ClassLoadingObjectInputStream in = new ClassLoadingObjectInputStream(
                        new ByteArrayInputStream(map))) {
                    SessionData.deserializeAttributes(read, in);
                }
                return read.getAllAttributes();
            }
        }
    }

    /** Each attribute row of the session, by name: its row version ({@code xmin}), which changes when it is written. */
    private Map<String, String> attributeRowVersions(String id) throws Exception {
        Map<String, String> versions = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url); PreparedStatement s = c.prepareStatement(
                "select attribute_name, xmin::text from JettySessions_attributes where sessionId = ?")) {
            s.setString(1, id);
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    versions.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return versions;
    }

    private long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** A save as Jetty's {@code AbstractSessionDataStore.store} makes it, stamped with this last save time. */
    private static void saveAt(JDBCSessionDataStore store, SessionData data, long lastSaved) throws Exception {
        long previous = data.getLastSaved();
        data.setLastSaved(lastSaved);
        store.doStore(data.getId(), data, previous);
        data.clean();
    }

    @Override
    Stream<OnDatabase> stores() {
        return Arrays.stream(OnDatabase.values());
    }

    @Override
    void install(OnDatabase kind, Server server, Duration gracePeriod) {
        switch (kind) {
            case JETTY_JDBC_REFERENCE -> {
                DatabaseAdaptor adaptor = new DatabaseAdaptor();
                adaptor.setDriverInfo("org.postgresql.Driver", url);
                JDBCSessionDataStoreFactory factory = new JDBCSessionDataStoreFactory();
                factory.setDatabaseAdaptor(adaptor);
                factory.setGracePeriodSec((int) gracePeriod.toSeconds());
                server.addBean(factory);
            }
            case SHARED -> SharedSessions.builder(SessionDatabase.jdbcUrl(url, null, null)).gracePeriod(gracePeriod)
                    .install(server);
            case SHARED_WITH_SESSIONS_BY_USER -> SharedSessions.builder(SessionDatabase.jdbcUrl(url, null, null))
                    .gracePeriod(gracePeriod).sessionsByUser().install(server);
        }
    }

    @Override
    boolean passivates(OnDatabase kind) {
        return true;
    }
}
