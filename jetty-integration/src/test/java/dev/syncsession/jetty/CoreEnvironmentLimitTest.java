/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.Session;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.session.SessionHandler;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import dev.syncsession.jetty.protection.SessionCapHandler;

/**
 * The session cap without the Servlet API: in Jetty's core environment the refusal propagates out of the
 * application's handler, and {@link SessionCapHandler} answers 503 with Retry-After itself.
 */
class CoreEnvironmentLimitTest {

    @Test
    void aCoreHandlerPastTheCapGets503WithRetryAfter() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        SessionHandler sessions = new SessionHandler();
        sessions.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Session session = request.getSession(true);
                response.write(true, StandardCharsets.UTF_8.encode(session.getId()), callback);
                return true;
            }
        });
        SyncSessions.builder().sessionCap(1).install(sessions);
        server.setHandler(new SessionCapHandler(new ContextHandler(sessions, "/")));
        HttpClient client = new HttpClient();
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        server.start();
        client.start();
        try {
            String uri = "http://127.0.0.1:" + connector.getLocalPort() + "/";
            assertEquals(200, client.GET(uri).getStatus());
            ContentResponse refused = client.GET(uri);
            assertEquals(503, refused.getStatus(), refused.getContentAsString());
            assertNotNull(refused.getHeaders().get(HttpHeader.RETRY_AFTER));
        } finally {
            client.stop();
            server.stop();
        }
    }
}
