/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded PostgreSQL for a test class, and a fresh database in it for each test that asks:
 * {@code @RegisterExtension static final TestDatabases DATABASES = new TestDatabases("o");}, then
 * {@link #newDatabase()} in a {@code @BeforeEach}. The server starts before the class's first test and stops after
 * its last.
 */
public final class TestDatabases implements BeforeAllCallback, AfterAllCallback {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private final String prefix;
    private volatile EmbeddedPostgres postgres;

    /** @param prefix the start of each database's name (a letter, then digits follow) */
    public TestDatabases(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        EmbeddedPostgres started = postgres;
        postgres = null;
        if (started != null) {
            started.close();
        }
    }

    /**
     * Creates an empty database.
     *
     * @return its JDBC URL, as user {@code postgres}, with short connect, socket and login timeouts
     */
    public String newDatabase() throws SQLException {
        String name = prefix + NAMES.incrementAndGet();
        try (Connection c = postgres().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return "jdbc:postgresql://127.0.0.1:" + postgres().getPort() + "/" + name
                + "?user=postgres&connectTimeout=3&socketTimeout=10&loginTimeout=5";
    }

    /** The running server, for what a test needs beyond a fresh database. */
    public EmbeddedPostgres postgres() {
        EmbeddedPostgres started = postgres;
        if (started == null) {
            throw new IllegalStateException("the embedded PostgreSQL runs only between the class's first and last test");
        }
        return started;
    }
}
