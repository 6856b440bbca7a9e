/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Contexts whose {@code /signin?name=} creates a session signed in as that user, and a client that calls them. */
public final class SignInContexts {

    private final HttpClient http = HttpClient.newHttpClient();

    /**
     * A context whose {@code /signin?name=} creates a session signed in as that user (attribute {@code user}).
     *
     * @param path the context path
     * @return the context, not yet in a server
     */
    public static ServletContextHandler context(String path) {
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath(path);
        context.addServlet(SignIn.class, "/signin");
        return context;
    }

    /**
     * One request to the server's first connector, with no session or with the given session id.
     *
     * @return the status
     */
    public int get(Server server, String path, String sessionId) throws IOException, InterruptedException {
        int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (sessionId != null) {
            request.header("Cookie", "JSESSIONID=" + sessionId);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Signs the request's session in as {@code name}, creating the session. */
    public static final class SignIn extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            request.getSession(true).setAttribute("user", request.getParameter("name"));
        }
    }
}
