/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.session.SessionIdManager;
import org.junit.jupiter.api.Test;

/** The defaults SECURITY.md promises: cookie attributes and 128-bit session ids. */
class SecurityDefaultsTest {

    /** Jetty's worker name, then 16 random bytes as unpadded URL-safe Base64. */
    private static final Pattern ID_128_BITS = Pattern.compile("node0[A-Za-z0-9_-]{22}");

    @Test
    void installingOnAContextMakesTheCookieHttpOnlyAndSameSiteLaxAndNotSecureOverPlainHttp() throws Exception {
        try (HardenedServer server = new HardenedServer(SyncSessions.builder())) {
            ContentResponse response = server.get("increment", null);
            String setCookie = response.getHeaders().get(HttpHeader.SET_COOKIE);
            assertTrue(setCookie.contains("HttpOnly"), setCookie);
            assertTrue(setCookie.contains("SameSite=Lax"), setCookie);
            assertFalse(setCookie.contains("Secure"), "Secure only when the request came over HTTPS: " + setCookie);
        }
    }

    @Test
    void installingOnAServerGivesIdsOf128RandomBits() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.addServlet(SessionTestServer.SessionServlet.class, "/session/*");
        server.setHandler(context);
        SyncSessions.install(server);
        HttpClient client = new HttpClient();
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        server.start();
        client.start();
        try {
            assertInstanceOf(SecureSessionIdManager.class, server.getBean(SessionIdManager.class));
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                ContentResponse response = client.GET("http://127.0.0.1:" + connector.getLocalPort()
                        + "/session/increment");
                String cookie = HardenedServer.sessionIdSetBy(response);
                String id = cookie.substring(0, cookie.indexOf('.'));
                assertTrue(ID_128_BITS.matcher(id).matches(), id);
                ids.add(id);
            }
            assertEquals(200, ids.size());
        } finally {
            client.stop();
            server.stop();
        }
    }
}
