/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

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
