/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import dev.syncsession.jetty.protection.SessionCapHandler;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.SessionHandler;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import dev.syncsession.jetty.store.SyncSessionDataStore;

/**
 * An embedded ee11 server for the hardening tests: {@link SessionTestServer.SessionServlet} at {@code /session/*},
 * sessions installed by a {@link SyncSessions.Builder} on the context, the context wrapped in a
 * {@link SessionCapHandler}. Its HttpClient keeps no cookies: every request names its session explicitly, or
 * none, as an attacker's client would.
 */
final class HardenedServer implements AutoCloseable {

    private final Server server;
    private final ServletContextHandler context;
    private final ServerConnector connector;
    private final HttpClient client;
    private final URI baseUri;

    HardenedServer(SyncSessions.Builder sessions) throws Exception {
        this(sessions, handler -> { });
    }

    /** As {@link #HardenedServer(SyncSessions.Builder)}, then lets the test change the installed session handler. */
    HardenedServer(SyncSessions.Builder sessions, Consumer<SessionHandler> afterInstall) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(64);
        threads.setName("hardened-server");
        server = new Server(threads);
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        context.addServlet(SessionTestServer.SessionServlet.class, "/session/*");
        sessions.install(context.getSessionHandler());
        afterInstall.accept(context.getSessionHandler());
        server.setHandler(new SessionCapHandler(context));
        client = new HttpClient();
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setMaxConnectionsPerDestination(64);
        try {
            server.start();
            client.start();
        } catch (Exception e) {
            close();
            throw e;
        }
        baseUri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/session/");
    }

    SyncSessionDataStore store() {
        return (SyncSessionDataStore) context.getSessionHandler().getSessionCache().getSessionDataStore();
    }

    Server server() {
        return server;
    }

    int port() {
        return connector.getLocalPort();
    }

    /** GET {@code /session/<action>} as the session {@code sessionId}, or without a session if null. */
    ContentResponse get(String action, String sessionId) throws Exception {
        return client.newRequest(baseUri.resolve(action))
                .headers(headers -> {
                    if (sessionId != null) {
                        headers.put(HttpHeader.COOKIE, "JSESSIONID=" + sessionId);
                    }
                })
                .send();
    }

    /** POST {@code /session/<action>} as the session {@code sessionId}. */
    ContentResponse post(String action, String sessionId) throws Exception {
        return client.POST(baseUri.resolve(action))
                .headers(headers -> headers.put(HttpHeader.COOKIE, "JSESSIONID=" + sessionId))
                .send();
    }

    /** The session id a response set in its cookie, or null if it set none. */
    static String sessionIdSetBy(ContentResponse response) {
        String setCookie = response.getHeaders().get(HttpHeader.SET_COOKIE);
        if (setCookie == null || !setCookie.startsWith("JSESSIONID=")) {
            return null;
        }
        int end = setCookie.indexOf(';');
        return setCookie.substring("JSESSIONID=".length(), end < 0 ? setCookie.length() : end);
    }

    /**
     * Sends raw request bytes on a new connection and returns the whole response as ISO-8859-1 text; for headers
     * that HttpClient refuses to send (control characters, bytes that are not ASCII).
     */
    String raw(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            return response.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() {
        try {
            try {
                client.stop();
            } finally {
                server.stop();
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the hardened test server", e);
        }
    }
}
