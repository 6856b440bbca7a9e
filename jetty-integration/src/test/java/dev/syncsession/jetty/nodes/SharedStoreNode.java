/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import dev.syncsession.jetty.cache.SessionCacheKind;

/**
 * One node of the many-nodes tests, run as its own JVM by {@link ManyNodesIT}: an ee11 context on 127.0.0.1 (port
 * chosen by the kernel) whose sessions are installed with {@link SharedSessions#builder(SessionDatabase)}. It prints
 * {@code LISTENING <port>} once started, and {@code CREATED <id>} / {@code DESTROYED <id>} as the session listeners
 * fire, so the test can follow it through its output file.
 *
 * <p>Arguments, all {@code --name value}: {@code jdbc-url} (required), {@code worker}, {@code cache}
 * ({@code syncmap}, {@code default} or {@code null}), {@code grace}, {@code scavenge} and {@code evict} (seconds).
 *
 * <p>Actions under {@code /s/}: {@code put?name=&value=} (creates the session, answers its id; {@code &holdMs=} keeps the request
 * open that long after the change), {@code get?name=}
 * (the value, {@code unset}, or {@code none} without a session), {@code names} (the attribute names, sorted and
 * comma-separated, or {@code none}), {@code max-inactive?seconds=}, {@code invalidate},
 * {@code renew} (changes the session's id, answers the new one).
 */
public final class SharedStoreNode {

    private SharedStoreNode() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, found " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        SharedSessions.Builder builder = SharedSessions.builder(SessionDatabase.jdbcUrl(options.get("jdbc-url"), null, null))
                .cache(SessionCacheKind.valueOf(options.getOrDefault("cache", "syncmap").toUpperCase(Locale.ROOT)));
        if (options.containsKey("worker")) {
            builder.workerName(options.get("worker"));
        }
        if (options.containsKey("grace")) {
            builder.gracePeriod(Duration.ofSeconds(Long.parseLong(options.get("grace"))));
        }
        if (options.containsKey("scavenge")) {
            builder.scavengeInterval(Duration.ofSeconds(Long.parseLong(options.get("scavenge"))));
        }
        if (options.containsKey("evict")) {
            builder.evictIdleAfter(Duration.ofSeconds(Long.parseLong(options.get("evict"))));
        }
        SharedSessions sessions = builder.install(server);

        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        context.addServlet(NodeServlet.class, "/s/*");
        context.addEventListener(new HttpSessionListener() {
            @Override
            public void sessionCreated(HttpSessionEvent se) {
                report("CREATED " + se.getSession().getId());
            }

            @Override
            public void sessionDestroyed(HttpSessionEvent se) {
                report("DESTROYED " + se.getSession().getId());
            }
        });
        server.setHandler(sessions.guard(context));
        server.start();
        report("WORKER " + sessions.workerName());
        report("LISTENING " + connector.getLocalPort());
        server.join();
    }

    private static synchronized void report(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** The test application; see the class comment for its actions. */
    public static final class NodeServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String body;
            switch (request.getPathInfo()) {
                case "/put" -> {
                    HttpSession session = request.getSession(true);
                    session.setAttribute(request.getParameter("name"), request.getParameter("value"));
                    if (request.getParameter("holdMs") != null) {
                        hold(Long.parseLong(request.getParameter("holdMs")));
                    }
                    body = session.getId();
                }
                case "/get" -> {
                    HttpSession session = request.getSession(false);
                    Object value = session == null ? "none" : session.getAttribute(request.getParameter("name"));
                    body = value == null ? "unset" : value.toString();
                }
                case "/names" -> {
                    HttpSession session = request.getSession(false);
                    if (session == null) {
                        body = "none";
                    } else {
                        List<String> names = new ArrayList<>(Collections.list(session.getAttributeNames()));
                        Collections.sort(names);
                        body = String.join(",", names);
                    }
                }
                case "/invalidate" -> {
                    HttpSession session = request.getSession(false);
                    if (session != null) {
                        session.invalidate();
                    }
                    body = session == null ? "none" : "invalidated";
                }
                case "/max-inactive" -> {
                    HttpSession session = request.getSession(true);
                    session.setMaxInactiveInterval(Integer.parseInt(request.getParameter("seconds")));
                    body = session.getId();
                }
                case "/renew" -> {
                    request.getSession(true);
                    body = request.changeSessionId();
                }
                default -> {
                    response.sendError(404, "unknown action " + request.getPathInfo());
                    return;
                }
            }
            response.setContentType("text/plain");
            response.getWriter().write(body);
        }

        /** Keeps the request (and its copy of the session) open, so that two requests overlap. */
        private static void hold(long millis) throws IOException {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }
}
