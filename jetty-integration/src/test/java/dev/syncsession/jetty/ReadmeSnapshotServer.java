/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import dev.syncsession.jetty.cache.SessionCacheKind;

/**
 * An embedded server configured with the README's "sessions survive a graceful restart" snippet exactly as a user
 * types it, and nothing the snippet leaves out (no {@code setStopAtShutdown}): the child JVM of
 * {@link SnapshotAtSigtermTest}. Writes its snapshot to {@code sessions/sessions.snap} under its working directory;
 * {@code GET /signin} creates a session holding {@code user=ada} and answers its id. Prints {@code listening on PORT}
 * once it serves. With the argument {@code handler} it takes the snippet's other ending,
 * {@code .install(context.getSessionHandler())}, before the context is given to the server.
 */
final class ReadmeSnapshotServer {

    private ReadmeSnapshotServer() {
    }

    public static void main(String[] args) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        context.addServlet(SignIn.class, "/signin");

        // README.md, "Embedded: one call", as typed.
        SyncSessions.Builder builder = SyncSessions.builder()
                .snapshotFile(Path.of("sessions/sessions.snap"))   // sessions survive a graceful restart
                .sweepInterval(Duration.ofSeconds(30))
                .cache(SessionCacheKind.DEFAULT);
        if (args.length > 0 && args[0].equals("handler")) {
            builder.install(context.getSessionHandler());
        } else {
            builder.install(server);
        }
        server.setHandler(context);

        server.start();
        System.out.println("listening on " + connector.getLocalPort());
        server.join();
    }

    /** Signs {@code ada} in: a new session with one attribute; answers the session id. */
    public static final class SignIn extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            request.getSession(true).setAttribute("user", "ada");
            response.getWriter().print(request.getSession().getId());
        }
    }
}
