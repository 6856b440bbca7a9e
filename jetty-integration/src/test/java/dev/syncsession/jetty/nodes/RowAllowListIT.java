/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncsession.jetty.TestDatabases;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.syncsession.jetty.CapturedLog;
import dev.syncsession.jetty.cache.SessionCacheKind;
import dev.syncsession.jetty.nodes.shop.Basket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.jmx.MBeanContainer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The many-nodes tier reads a row's attributes only through its allow-list: a row that whoever can write the session
 * table filled with a class off the list is no session for its client, and the class's {@code readObject} never runs,
 * on a load and on a save's re-read of a row another node saved meanwhile; a class of an allowed package loads. The
 * rows are written with plain JDBC, in the form Jetty's store writes them. One node, with the null cache (every
 * request loads the row), on an embedded PostgreSQL; the overlap is held as in {@link OverlappingRequestsIT}, whose
 * servlet this uses.
 */
class RowAllowListIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    @RegisterExtension
    static final TestDatabases DATABASES = new TestDatabases("a");


    private final ExecutorService held = Executors.newSingleThreadExecutor();
    private String jdbcUrl;
    private Server server;
    private ServletContextHandler context;
    private ServerConnector connector;
    private final MBeanServer mbeans = MBeanServerFactory.newMBeanServer();

    @BeforeEach
    void startNode() throws Exception {
        Tripwire.READ.set(false);
        jdbcUrl = DATABASES.newDatabase();
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        SharedSessions sessions = SharedSessions.builder(SessionDatabase.jdbcUrl(jdbcUrl, null, null))
                .workerName("one").cache(SessionCacheKind.NULL).allowPackage("dev.syncsession.jetty.nodes.shop")
                .install(server);
        context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        context.addServlet(OverlappingRequestsIT.OverlapServlet.class, "/s/*");
        server.setHandler(sessions.guard(context));
        server.addBean(new MBeanContainer(mbeans));
        server.start();
    }

    @AfterEach
    void stopNode() throws Exception {
        held.shutdownNow();
        if (server != null) {
            server.stop();
        }
    }

    /** {@code inMap}: the row as Jetty's own store writes it (the map column), else in the tier's attribute table. */
    @ParameterizedTest(name = "inMap={0}")
    @ValueSource(booleans = {true, false})
    void aRowHoldingAClassOffTheAllowListIsNoSessionAndTheClassIsNeverRead(boolean inMap) throws Exception {
        String session = newSession(inMap);
        writeRow(session, "trap", new Tripwire(), false, inMap);
        try (CapturedLog log = new CapturedLog()) {
            assertEquals("none", request(session, "names"), "the hostile row was loaded as a session");
            assertEquals("none", request(session, "names"));
            List<String> warnings = log.linesContaining(RowAttributeFilter.class.getName());
            assertEquals(1, warnings.size(), "one warning for two refused loads: " + warnings);
            assertTrue(warnings.get(0).contains(Tripwire.class.getName()), warnings.get(0));
        }
        assertFalse(Tripwire.READ.get(), "the refused class's readObject ran");
        assertTrue(rowExists(session), "removeUnloadableSessions is off: Jetty keeps an unloadable row");
    }

    @Test
    void withRemoveUnloadableSessionsTheRefusedRowIsDeleted() throws Exception {
        context.getSessionHandler().getSessionCache().setRemoveUnloadableSessions(true);
        String session = request(null, "put?name=colour&value=red");
        writeRow(session, "trap", new Tripwire(), false, true);
        assertEquals("none", request(session, "names"));
        assertFalse(Tripwire.READ.get(), "the refused class's readObject ran");
        assertFalse(rowExists(session), "the unloadable row is still there");
    }

    @ParameterizedTest(name = "inMap={0}")
    @ValueSource(booleans = {true, false})
    void aClassOfAnAllowedPackageLoads(boolean inMap) throws Exception {
        String session = newSession(inMap);
        writeRow(session, "basket", new Basket("pears"), false, inMap);
        assertEquals("basket of pears", request(session, "get?name=basket"));
    }

    @ParameterizedTest(name = "inMap={0}")
    @ValueSource(booleans = {true, false})
    void aSavesReReadOfARowHoldingAClassOffTheAllowListNeverReadsTheClass(boolean inMap) throws Exception {
        String session = newSession(inMap);
        OverlappingRequestsIT.Hold hold = OverlappingRequestsIT.Hold.open();
        Future<String> first = held.submit(() -> request(session, "put?name=size&value=large&hold=" + hold.key));
        assertTrue(hold.reached.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the request did not arrive");
        // As another node's save would: the row changes and its version moves on, so the held save re-reads it.
        writeRow(session, "trap", new Tripwire(), true, inMap);
        hold.release.countDown();
        first.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        // At least once: Jetty saves again at the request's end what it failed to save at the response's commit.
        assertTrue(counted("saveConflicts") >= 1, "the held save did not find the row changed");
        assertFalse(Tripwire.READ.get(), "the save's re-read ran the refused class's readObject");
        assertEquals("none", request(session, "names"));
        assertFalse(Tripwire.READ.get(), "the load ran the refused class's readObject");
    }

    /**
     * A new session with one attribute: small, so that its row keeps it in the map column; or, unless {@code inMap},
     * past {@link AttributeRows#IN_ROW_LIMIT}, so that it is in the attribute table.
     */
    private String newSession(boolean inMap) throws Exception {
        return request(null, "put?name=colour&value=" + (inMap ? "red" : "r".repeat(AttributeRows.IN_ROW_LIMIT)));
    }

    /**
     * With {@code inMap}, replaces the row's attributes with one attribute, serialized as Jetty's store writes the map
     * column (a count, then each name, whether the server's class loader loads it, and the value); else adds the
     * attribute to the tier's attribute table, in its form there. With {@code bumpVersion}, as a save by another node
     * leaves the row.
     */
    private void writeRow(String session, String name, Serializable value, boolean bumpVersion, boolean inMap)
            throws Exception {
        if (!inMap) {
            try (Connection c = DriverManager.getConnection(jdbcUrl); PreparedStatement s = c.prepareStatement(
                    "INSERT INTO jettysessions_attributes SELECT sessionid, contextpath, virtualhost, ?, ?"
                            + " FROM jettysessions WHERE sessionid = ? AND map IS NULL")) {
                s.setString(1, name);
                s.setBytes(2, AttributeValues.write(value));
                s.setString(3, session);
                assertEquals(1, s.executeUpdate(), "no row for session " + session + " in the attribute table");
                if (bumpVersion) {
                    c.createStatement().executeUpdate("UPDATE jettysessions SET " + VersionedRows.VERSION_COLUMN
                            + " = " + VersionedRows.VERSION_COLUMN + " + 1 WHERE sessionid = '" + session + "'");
                }
            }
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(1);
            out.writeUTF(name);
            out.writeBoolean(false);
            out.writeObject(value);
        }
        String sql = "UPDATE jettysessions SET map = ?"
                + (bumpVersion ? ", " + VersionedRows.VERSION_COLUMN + " = " + VersionedRows.VERSION_COLUMN + " + 1"
                        : "") + " WHERE sessionid = ?";
        try (Connection c = DriverManager.getConnection(jdbcUrl); PreparedStatement s = c.prepareStatement(sql)) {
            s.setBytes(1, bytes.toByteArray());
            s.setString(2, session);
            assertEquals(1, s.executeUpdate(), "no row for session " + session);
        }
    }

    private boolean rowExists(String session) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM jettysessions WHERE sessionid = ?")) {
            s.setString(1, session);
            try (ResultSet row = s.executeQuery()) {
                row.next();
                return row.getLong(1) == 1;
            }
        }
    }

    /** A count of the node's {@link VersionedSave}, through JMX. */
    private long counted(String attribute) throws Exception {
        ObjectName name = mbeans.queryNames(
                ObjectName.getInstance("dev.syncsession.jetty.nodes:type=versionedsave,*"), null).iterator().next();
        return (Long) mbeans.getAttribute(name, attribute);
    }

    /** Sends an action with the session's cookie, if any; its answer, which for a change is the session's id. */
    private String request(String session, String action) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/s/" + action)).timeout(TIMEOUT);
        if (session != null) {
            request.header("Cookie", "JSESSIONID=" + session + ".one");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), action + ": " + response.body());
        return response.body();
    }

    /** An attribute class off the allow-list whose {@code readObject} records that it ran. */
    static final class Tripwire implements Serializable {
        private static final long serialVersionUID = 1L;
        static final AtomicBoolean READ = new AtomicBoolean();

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            READ.set(true);
            in.defaultReadObject();
        }
    }
}
