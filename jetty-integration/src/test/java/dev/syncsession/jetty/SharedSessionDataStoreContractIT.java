/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.session.JDBCSessionDataStore;
import dev.syncsession.jetty.cache.SessionFreshness;
import org.junit.jupiter.params.provider.EnumSource;
import java.util.Set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
