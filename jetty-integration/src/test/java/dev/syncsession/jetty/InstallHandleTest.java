/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncsession.jetty.protection.SessionCapHandler;
import dev.syncsession.session.SessionStore;
import dev.syncsession.session.SyncMapSessionStore;
import java.io.IOException;
import java.util.List;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the handle {@link SyncSessions} returns from an install answers, for the right context when two are installed
 * (on the server, or each on its own), and how it refuses a handler that has none of its sessions.
 */
class InstallHandleTest {

    private final SignInContexts client = new SignInContexts();
    private final Server server = new Server();
    private final ServletContextHandler shop = SignInContexts.context("/shop");
    private final ServletContextHandler admin = SignInContexts.context("/admin");

    InstallHandleTest() {
        server.addConnector(new ServerConnector(server));
        server.setHandler(new Handler.Sequence(shop, admin));
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void aServerInstallAnswersForEachContextApart() throws Exception {
        SessionStore backend = new SyncMapSessionStore();
        SyncSessions sessions = SyncSessions.builder().backend(backend).userAttribute("user").install(server);
        server.start();

        get("/shop/signin?name=ada", null);
        get("/shop/signin?name=ada", null);
        get("/admin/signin?name=bob", "a".repeat(600)); // too long to be any id manager's: refused, counted

        assertSame(backend, sessions.store());
        assertEquals(3, sessions.store().size(), "both contexts' records are in the installation's backend");
        assertEquals(2, sessions.users(shop).list("ada").size());
        assertEquals(List.of(), sessions.users(admin).list("ada"));
        assertEquals(1, sessions.users(admin).list("bob").size());
        assertEquals(1, sessions.users(admin.getSessionHandler()).list("bob").size(), "its session handler too");
        assertEquals(0, sessions.stats(shop).sessionIdsRefused());
        assertEquals(1, sessions.stats(admin).sessionIdsRefused());
        assertEquals(0, sessions.stats(admin).sessionsRefused(), "no cap");
    }

    @Test
    void twoContextInstallsEachAnswerForTheirOwnContextOnly() throws Exception {
        SyncSessions shopSessions = SyncSessions.builder().userAttribute("user").install(shop.getSessionHandler());
        SyncSessions adminSessions = SyncSessions.builder().sessionCap(1).install(admin.getSessionHandler());
        server.start();

        get("/shop/signin?name=ada", null);
        get("/admin/signin?name=bob", null);
        assertEquals(503, get("/admin/signin?name=eve", null), "past the admin context's cap of 1");

        assertNotSame(shopSessions.store(), adminSessions.store());
        assertEquals(1, shopSessions.store().size());
        assertEquals(1, shopSessions.users(shop).list("ada").size());
        assertEquals(0, shopSessions.stats(shop).sessionsRefused());
        assertEquals(1, adminSessions.stats(admin).sessionsRefused());
        IllegalArgumentException notOurs = assertThrows(IllegalArgumentException.class,
                () -> shopSessions.users(admin));
        assertTrue(notOurs.getMessage().startsWith("the sessions of context /admin are not this SyncSessions"
                + " installation's"), notOurs.getMessage());
        assertThrows(IllegalArgumentException.class, () -> adminSessions.stats(shop));
    }

    @Test
    void theStoreIsThereBeforeAnyContextStarts() {
        SyncSessions sessions = SyncSessions.install(server);

        assertInstanceOf(SyncMapSessionStore.class, sessions.store());
        assertSame(sessions.store(), sessions.store());
    }

    @Test
    void aHandlerWithoutOneSessionHandlerOfOursIsRefusedNamingTheProblem() throws Exception {
        SyncSessions sessions = SyncSessions.install(server);
        IllegalStateException notStarted = assertThrows(IllegalStateException.class, () -> sessions.stats(shop));
        assertTrue(notStarted.getMessage().contains("has no session store yet"), notStarted.getMessage());
        server.start();

        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> sessions.users(new ContextHandler("/plain")));
        assertTrue(none.getMessage().startsWith("no session handler at or under "), none.getMessage());
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class,
                () -> sessions.stats(server.getHandler()));
        assertTrue(two.getMessage().startsWith("2 session handlers under "), two.getMessage());
        assertTrue(two.getMessage().contains("context /shop") && two.getMessage().contains("context /admin"),
                two.getMessage());
    }

    @Test
    void theGuardAnswersRefusalsOnlyWhenThereIsACap() {
        assertSame(shop, SyncSessions.install(new Server()).guard(shop), "nothing is refused without a cap");
        Handler guarded = SyncSessions.builder().sessionCap(10).install(new Server()).guard(shop);
        assertSame(shop, assertInstanceOf(SessionCapHandler.class, guarded).getHandler());
    }

    private int get(String path, String sessionId) throws IOException, InterruptedException {
        return client.get(server, path, sessionId);
    }
}
