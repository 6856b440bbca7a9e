/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.syncsession.jetty.cache.SyncMapSessionCache;

/**
 * The many-nodes module in the real Jetty 12.1 distribution, set up exactly as docs/many-nodes.md tells an operator:
 * {@code --add-modules=ext,session-store-jdbc-syncmap,session-cache-syncmap} (or {@code session-cache-null}), the
 * PostgreSQL driver in {@code lib/ext}, the driver
 * connection in {@code start.d/session-store-jdbc-syncmap.ini}, a worker name per node. Jetty processes share one
 * embedded PostgreSQL: a session created on one is served by another, is still there for a third node started after
 * the first was killed, and is a row in Jetty's session table. (PostgreSQL refuses to run as root; zonky then starts it through {@code unshare -U},
 * as for {@link ManyNodesIT}.)
 */
class StandaloneJdbcIT {

    private static final List<String> MODULES =
            List.of("http", "ee11-deploy", "ext", "session-store-jdbc-syncmap", "session-cache-syncmap");

    /** The same store with Jetty's null cache, for load balancers without stickiness. */
    private static final List<String> NULL_CACHE_MODULES =
            List.of("http", "ee11-deploy", "ext", "session-store-jdbc-syncmap", "session-cache-null");

    private static EmbeddedPostgres postgres;
    private static JettyBase base;
    private static JettyBase nullCacheBase;
    private static final List<JettyBase.Running> nodes = new ArrayList<>();
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
        base = jdbcBase("jetty-base-jdbc", MODULES, true);
        nullCacheBase = jdbcBase("jetty-base-jdbc-null", NULL_CACHE_MODULES, false);
        client = new HttpClient();
        client.start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (client != null) {
                client.stop();
            }
            for (JettyBase.Running node : nodes) {
                if (node.isAlive()) {
                    node.stop();
                }
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    /**
     * A jetty-base with the modules, the PostgreSQL driver in lib/ext, and in the ini either the module's default
     * pooled connection (the HikariCP jar in lib/syncsession, as the module says) or Jetty's driver connection.
     */
    private static JettyBase jdbcBase(String name, List<String> modules, boolean pooled) throws Exception {
        JettyBase jetty = JettyBase.create(name, modules);
        jetty.addToLibExt(jarOf(org.postgresql.Driver.class));
        Path ini = jetty.base().resolve("start.d/session-store-jdbc-syncmap.ini");
        String template = Files.readString(ini, StandardCharsets.UTF_8);
        assertTrue(template.contains("\ndb-connection-type=pooled\n"), "the module's ini template: " + template);
        if (pooled) {
            jetty.addToLibSyncsession(jarOf(com.zaxxer.hikari.HikariDataSource.class));
            Files.writeString(ini, template + "jetty.session.jdbc.pool.url=" + jdbcUrl() + "\n"
                    + "jetty.session.jdbc.pool.maxSize=4\n"
                    + "jetty.session.syncmap.sessionsByUser=true\n"
                    + "jetty.session.syncmap.detectInPlaceChanges=true\n", StandardCharsets.UTF_8);
        } else {
            Files.writeString(ini, template.replace("\ndb-connection-type=pooled\n", "\ndb-connection-type=driver\n")
                    + "jetty.session.jdbc.driverClass=org.postgresql.Driver\n"
                    + "jetty.session.jdbc.driverUrl=" + jdbcUrl() + "\n", StandardCharsets.UTF_8);
        }
        return jetty;
    }

    private static Path jarOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort()
                + "/postgres?user=postgres&connectTimeout=5&socketTimeout=30&loginTimeout=5";
    }

    private static JettyBase.Running startNode(String workerName) throws Exception {
        return startNode(base, workerName);
    }

    private static JettyBase.Running startNode(JettyBase jetty, String workerName) throws Exception {
        JettyBase.Running node = jetty.launch(List.of("jetty.sessionIdManager.workerName=" + workerName));
        nodes.add(node);
        return node;
    }

    @Test
    void withTheNullCacheTwoNodesServeOneSessionWithoutStickiness() throws Exception {
        JettyBase.Running a = startNode(nullCacheBase, "null1");
        JettyBase.Running b = startNode(nullCacheBase, "null2");
        assertTrue(a.logText().contains("NullSessionCache@"), "the null cache is not in the server dump; see "
                + a.log());
        assertFalse(a.logText().contains("SyncMapSessionCache@"), "the store pulled in the SyncMap cache anyway");
        client.getHttpCookieStore().clear();
        String id = sessionOf(visit(a));
        for (int visit = 2; visit <= 6; visit++) {
            // Every request to another node than the last: each loads the session from the database.
            assertEquals("visits=" + visit + " session=" + id, visit(visit % 2 == 0 ? b : a));
        }
    }

    @Test
    void theStoreModuleAloneAsksTheOperatorToChooseACache() throws Exception {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> JettyBase.create(
                "jetty-base-jdbc-nocache", List.of("http", "ext", "session-store-jdbc-syncmap")));
        assertTrue(refused.getMessage().contains("session-cache"), refused.getMessage());
    }

    @Test
    void aSessionCreatedOnOneNodeIsServedByAnotherAndOutlivesItsNode() throws Exception {
        client.getHttpCookieStore().clear();
        JettyBase.Running a = startNode("web1");
        JettyBase.Running b = startNode("web2");
        String dump = a.logText();
        assertTrue(dump.contains("SyncMapSessionCache@"), "the module's cache is not in the server dump; see "
                + a.log());
        assertTrue(dump.contains("SharedJdbcSessionDataStore@"), "the module's JDBC store is not in the server dump;"
                + " see " + a.log());
        assertTrue(dump.contains("PooledSessionDatabase[syncsession-sessions-"), "the pooled connection is not in"
                + " the server dump; see " + a.log());
        assertTrue(dump.contains("worker web1, no session cap, in-place changes detected"),
                "detectInPlaceChanges=true in the ini is not in the installed line; see " + a.log());

        String first = visit(a);
        assertTrue(first.startsWith("visits=1 "), first);
        String id = sessionOf(first);
        assertEquals(1, rowsFor(id), "the new session is a row in Jetty's session table (saveOnCreate)");
        assertEquals(List.of("(none)"), query("SELECT coalesce(syncsession_user, '(none)') FROM jettysessions"
                + " WHERE sessionid = '" + id + "'"), "sessionsByUser=true in the ini: the principal column, empty for"
                + " a session nobody signed into");
        assertEquals(List.of("0"), query("SELECT count(*) FROM jettysessions_revocations"),
                "sessionsByUser=true in the ini: the revocations table");

        assertEquals("visits=2 session=" + id, visit(b), "node web2 loads the session web1 created");

        a.kill(); // node death: no graceful shutdown, nothing saved on the way out
        JettyBase.Running c = startNode("web3");
        assertEquals("visits=3 session=" + id, visit(c),
                "a new node loads the session as web2 last wrote it, after the node that created it died");
        assertEquals(1, rowsFor(id));
    }

    private static String visit(JettyBase.Running node) throws Exception {
        ContentResponse response = client.GET(URI.create("http://127.0.0.1:" + node.port() + "/counter/"));
        assertEquals(200, response.getStatus(), response.getContentAsString());
        return response.getContentAsString();
    }

    private static String sessionOf(String body) {
        return body.substring(body.indexOf("session=") + "session=".length());
    }

    /** Rows of Jetty's session table (JettySessions, unquoted, so lower case in PostgreSQL) for a session id. */
    private static int rowsFor(String id) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM jettysessions WHERE sessionid = ?")) {
            s.setString(1, id);
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** The first column of each row of a query, as text. */
    private static List<String> query(String sql) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                PreparedStatement s = c.prepareStatement(sql);
                ResultSet rows = s.executeQuery()) {
            List<String> values = new java.util.ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }
}
