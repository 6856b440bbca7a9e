/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.syncsession.jetty.nodes.PooledSessionDatabase;

/**
 * A connection of the many-nodes tier's pool ({@link PooledSessionDatabase}) that the database ends under it is
 * replaced, and the pool prints no stack trace for it (HikariCP's own handling logs the driver's whole trace at WARN
 * for each broken connection; during an outage the outage is logged once, by the availability record). Against an
 * embedded PostgreSQL, which ends the connection as an administrator's {@code pg_terminate_backend} does.
 */
class BrokenPoolConnectionIT {

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
