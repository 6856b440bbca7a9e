/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import dev.syncsession.jetty.cache.SessionCacheKind;
import dev.syncsession.jetty.nodes.SessionDatabase;
import dev.syncsession.jetty.nodes.SharedSessions;

/**
 * The many-nodes tier's counterpart of {@link InstalledLogLineTest}: as each context starts, one info line says
 * that syncsession serves its sessions, with which cache, database (its URL without credentials, or the data
 * source), worker name and session cap. Against an embedded PostgreSQL.
 */
class SharedInstalledLogLineIT {

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
            Server server = newServer("/shop", "/admin");
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
            Server server = newServer("/");
            SharedSessions.builder(SessionDatabase.dataSource(dataSource)).workerName("web2")
                    .cache(SessionCacheKind.NULL).install(server);
            try {
                server.start();
            } finally {
                server.stop();
            }
            assertEquals(List.of(INSTALLED + "/: cache NullSessionCache, database data source "
                    + PGSimpleDataSource.class.getName() + ", worker web2, no session cap"),
                    log.linesContaining(INSTALLED).stream()
                            .map(line -> line.substring(line.indexOf(INSTALLED))).toList(), log.text());
        }
    }

    /** A server on a free port with a session context at each path. */
    private static Server newServer(String... contextPaths) {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        Handler.Sequence contexts = new Handler.Sequence();
        for (String path : contextPaths) {
            ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
            context.setContextPath(path);
            contexts.addHandler(context);
        }
        server.setHandler(contexts);
        return server;
    }
}
