/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import dev.syncsession.jetty.cache.SessionCacheKind;
import dev.syncsession.jetty.nodes.PooledSessionDatabase;
import dev.syncsession.jetty.nodes.SessionDatabase;
import dev.syncsession.jetty.nodes.SharedSessions;

/**
 * What the many-nodes tier logs, against an embedded PostgreSQL. As each context starts, one info line says that
 * syncsession serves its sessions, with which cache, database (its URL without credentials, or the data source),
 * worker name and session cap: the counterpart of {@link InstalledLogLineTest}. A connection of the tier's pool
 * ({@link PooledSessionDatabase}) that the database ends under it is replaced, and the pool prints no stack trace for
 * it (HikariCP's own handling logs the driver's whole trace at WARN for each broken connection; during an outage the
 * outage is logged once, by the availability record): the database ends it as an administrator's
 * {@code pg_terminate_backend} does.
 */
class SharedSessionsLogIT {

    private static final String INSTALLED = "syncsession installed on context ";

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @Test
    void eachContextLogsOneLineNamingCacheDatabaseWorkerAndCapButNoCredentials() throws Exception {
        String database = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
        try (CapturedLog log = new CapturedLog()) {
            Server server = InstalledLogLineTest.newServer("/shop", "/admin");
            SharedSessions.builder(SessionDatabase.jdbcUrl(database + "?user=postgres&password=s3cret&connectTimeout=3",
                    null, null)).workerName("web1").sessionCap(500).install(server);
            try {
                server.start();
            } finally {
                server.stop();
            }
            List<String> lines = log.linesContaining(INSTALLED);
            assertEquals(2, lines.size(), log.text());
            for (String context : List.of("/shop", "/admin")) {
                Pattern expected = Pattern.compile(".* INFO .*" + Pattern.quote(INSTALLED + context
                        + ": cache SyncMapSessionCache, database " + database + " (pool syncsession-sessions-")
                        + "\\d+" + Pattern.quote(", at most 10 connections), worker web1, sessions capped at 500"));
                assertTrue(lines.stream().anyMatch(line -> expected.matcher(line).matches()), log.text());
            }
            assertFalse(log.text().contains("s3cret"), "the password is never logged:\n" + log.text());
        }
    }

    @Test
    void anApplicationsDataSourceIsNamedByItsClassNotItsSettings() throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres");
        dataSource.setUser("postgres");
        try (CapturedLog log = new CapturedLog()) {
            Server server = InstalledLogLineTest.newServer("/");
            SharedSessions.builder(SessionDatabase.dataSource(dataSource)).workerName("web2")
                    .cache(SessionCacheKind.NULL).install(server);
            try {
                server.start();
            } finally {
                server.stop();
            }
            assertEquals(List.of(INSTALLED + "/: cache FlushingNullSessionCache, database data source "
                    + PGSimpleDataSource.class.getName() + ", worker web2, no session cap"),
                    log.linesContaining(INSTALLED).stream()
                            .map(line -> line.substring(line.indexOf(INSTALLED))).toList(), log.text());
        }
    }

    @Test
    void aConnectionEndedByTheDatabaseIsReplacedWithoutAStackTrace() throws Exception {
        PooledSessionDatabase pool = new PooledSessionDatabase("jdbc:postgresql://127.0.0.1:" + postgres.getPort()
                + "/postgres?connectTimeout=3&socketTimeout=10", "postgres", null, 2, 3);
        try (CapturedLog log = new CapturedLog()) {
            int ended;
            try (Connection connection = pool.getConnection()) {
                ended = backendPid(connection);
                terminate(ended);
                assertThrows(SQLException.class, () -> backendPid(connection));
            }
            for (int i = 0; i < 3; i++) {
                try (Connection connection = pool.getConnection()) {
                    assertNotEquals(ended, backendPid(connection), "the ended connection went back into use");
                }
            }
            assertTrue(log.text().lines().noneMatch(line -> line.startsWith("\tat ")),
                    "a stack trace was printed:\n" + log.text());
        } finally {
            pool.close();
        }
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
            pid.next();
            return pid.getInt(1);
        }
    }

    /** Ends a backend as an administrator would, and waits until it is gone. */
    private static void terminate(int pid) throws Exception {
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
                PreparedStatement end = admin.prepareStatement("SELECT pg_terminate_backend(?)");
                PreparedStatement alive = admin.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE pid = ?")) {
            end.setInt(1, pid);
            end.execute();
            alive.setInt(1, pid);
            for (int i = 0; i < 500; i++) {
                try (ResultSet count = alive.executeQuery()) {
                    count.next();
                    if (count.getInt(1) == 0) {
                        return;
                    }
                }
                Thread.sleep(10);
            }
            throw new AssertionError("backend " + pid + " still runs 5 s after pg_terminate_backend");
        }
    }
}
