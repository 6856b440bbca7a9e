/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncsession.jetty.TestDatabases;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.syncsession.jetty.SignInContexts;
import java.io.IOException;
import java.util.List;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the handle {@link SharedSessions} returns from an install answers, against PostgreSQL, for the right context
 * when two are installed (on the server, or each on its own), and how it refuses a handler that has none of its
 * sessions. Each test has a database of its own.
 */
class SharedSessionsHandleIT {

    @RegisterExtension
    static final TestDatabases DATABASES = new TestDatabases("handle");

    private final SignInContexts client = new SignInContexts();
    private final Server server = new Server();
    private final ServletContextHandler shop = SignInContexts.context("/shop");
    private final ServletContextHandler admin = SignInContexts.context("/admin");
    private SessionDatabase database;

    @BeforeEach
    void newDatabaseAndServer() throws Exception {
        database = SessionDatabase.jdbcUrl(DATABASES.newDatabase(), null, null);
        server.addConnector(new ServerConnector(server));
        server.setHandler(new Handler.Sequence(shop, admin));
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void aServerInstallAnswersForEachContextApart() throws Exception {
        SharedSessions sessions = SharedSessions.builder(database).userAttribute("user").install(server);
        server.start();

        get("/shop/signin?name=ada", null);
        get("/shop/signin?name=ada", null);
        get("/admin/signin?name=bob", "a".repeat(600)); // too long to be any id manager's: refused, counted

        assertSame(database, sessions.database());
        assertEquals(2, sessions.users(shop).list("ada").size());
        assertEquals(List.of(), sessions.users(admin).list("ada"));
        assertEquals(1, sessions.users(admin.getSessionHandler()).list("bob").size(), "its session handler too");
        assertEquals(0, sessions.stats(shop).sessionIdsRefused());
        assertEquals(1, sessions.stats(admin).sessionIdsRefused());
        assertEquals(0, sessions.stats(admin).sessionsRefused(), "no cap");
        assertInstanceOf(DatabaseOutageGuard.class, sessions.guard(shop));
    }

    @Test
    void twoContextInstallsEachAnswerForTheirOwnContextOnly() throws Exception {
        SharedSessions shopSessions = SharedSessions.builder(database).userAttribute("user")
                .install(shop.getSessionHandler());
        SharedSessions adminSessions = SharedSessions.builder(database).sessionCap(1)
                .install(admin.getSessionHandler());
        server.setHandler(new Handler.Sequence(shopSessions.guard(shop), adminSessions.guard(admin)));
        server.start();

        get("/admin/signin?name=bob", null);
        assertEquals(503, get("/admin/signin?name=eve", null), "past the admin installation's cap of 1");
        get("/shop/signin?name=ada", null);

        assertEquals(1, shopSessions.users(shop).list("ada").size());
        assertEquals(0, shopSessions.stats(shop).sessionsRefused());
        assertEquals(1, adminSessions.stats(admin).sessionsRefused());
        IllegalArgumentException notOurs = assertThrows(IllegalArgumentException.class,
                () -> shopSessions.users(admin));
        assertTrue(notOurs.getMessage().startsWith("the sessions of context /admin are not this SharedSessions"
                + " installation's"), notOurs.getMessage());
        IllegalArgumentException noIndex = assertThrows(IllegalArgumentException.class,
                () -> adminSessions.users(admin));
        assertTrue(noIndex.getMessage().contains("keeps no index of sessions by user"), noIndex.getMessage());
    }

    @Test
    void aHandlerWithoutOneSessionHandlerOfOursIsRefusedNamingTheProblem() throws Exception {
        SharedSessions sessions = SharedSessions.builder(database).install(server);
        IllegalStateException notStarted = assertThrows(IllegalStateException.class, () -> sessions.stats(shop));
        assertTrue(notStarted.getMessage().contains("has no session store yet"), notStarted.getMessage());
        server.start();

        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> sessions.stats(new ContextHandler("/plain")));
        assertTrue(none.getMessage().startsWith("no session handler at or under "), none.getMessage());
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class,
                () -> sessions.users(server.getHandler()));
        assertTrue(two.getMessage().startsWith("2 session handlers under "), two.getMessage());
    }

    @Test
    void aContextInstallNeedsTheContextInAServerForTheWorkerName() {
        ServletContextHandler alone = SignInContexts.context("/alone");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SharedSessions.builder(database).install(alone.getSessionHandler()));
        assertTrue(e.getMessage().contains("belongs to no server yet"), e.getMessage());
    }

    private int get(String path, String sessionId) throws IOException, InterruptedException {
        return client.get(server, path, sessionId);
    }
}
