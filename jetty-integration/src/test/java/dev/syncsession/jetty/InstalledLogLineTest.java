/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.syncsession.jetty.cache.SyncMapSessionCache;
import dev.syncsession.jetty.cache.SessionCacheKind;
import dev.syncsession.jetty.store.BundledBackend;

/**
 * As a context starts, one info line says that syncsession serves its sessions, with which cache, store, snapshot
 * file and session cap: one line per context, none per request.
 */
class InstalledLogLineTest {

    private static final String INSTALLED = "syncsession installed on context ";

    @TempDir
    Path dir;

    @Test
    void eachContextLogsOneLineNamingCacheStoreSnapshotAndCap() throws Exception {
        Path snapshot = dir.resolve("sessions.snap");
        try (CapturedLog log = new CapturedLog()) {
            Server server = newServer("/shop", "/admin");
            SyncSessions.builder().snapshotFile(snapshot).sessionCap(500).install(server);
            try {
                server.start();
                int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
                for (int i = 0; i < 3; i++) {
                    get(port, "/shop/session");
                    get(port, "/admin/session");
                }
            } finally {
                server.stop();
            }
            List<String> lines = log.linesContaining(INSTALLED);
            assertEquals(2, lines.size(), log.text());
            for (String context : List.of("/shop", "/admin")) {
                assertTrue(lines.stream().anyMatch(line -> line.contains("INFO")
                        && line.endsWith(INSTALLED + context + ": cache SyncMapSessionCache, store"
                                + " SyncMapSessionStore, snapshot " + snapshot.toAbsolutePath()
                                + ", sessions capped at 500")), log.text());
            }
        }
    }

    @Test
    void theDefaultsSayNoSnapshotAndNoCap() throws Exception {
        try (CapturedLog log = new CapturedLog()) {
            Server server = newServer("/");
            SyncSessions.builder().backend(BundledBackend.CAFFEINE).maximumSessions(10)
                    .cache(SessionCacheKind.DEFAULT).install(server);
            try {
                server.start();
            } finally {
                server.stop();
            }
            assertEquals(List.of(INSTALLED + "/: cache DefaultSessionCache, store CaffeineSessionStore,"
                    + " snapshot none, no session cap"),
                    log.linesContaining(INSTALLED).stream()
                            .map(line -> line.substring(line.indexOf(INSTALLED))).toList(), log.text());
        }
    }

    /** A server on a free port with a context at each path, whose {@code /session} creates a session. */
    static Server newServer(String... contextPaths) {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        Handler.Sequence contexts = new Handler.Sequence();
        for (String path : contextPaths) {
            ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
            context.setContextPath(path);
            context.addServlet(CreateSession.class, "/session");
            contexts.addHandler(context);
        }
        server.setHandler(contexts);
        return server;
    }

    private static void get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
    }

    /** Creates a session. */
    public static final class CreateSession extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            request.getSession(true);
        }
    }
}
