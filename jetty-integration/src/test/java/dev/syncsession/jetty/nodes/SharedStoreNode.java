/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.SessionHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import dev.syncsession.jetty.cache.CachedCopyCheck;
import dev.syncsession.jetty.cache.SessionCacheKind;

/**
 * One node of the many-nodes tests, run as its own JVM by {@link ManyNodesIT}: an ee11 context on 127.0.0.1 (port
 * chosen by the kernel) whose sessions are installed with {@link SharedSessions#builder(SessionDatabase)}. It prints
 * {@code LISTENING <port>} once started, {@code CREATED <id>} / {@code DESTROYED <id>} as the session listeners
 * fire, and {@code SCAVENGED} each time a run of Jetty's housekeeping over the context's sessions has completed (the
 * listeners of the sessions it expired have fired by then), so the test can follow it through its output file.
 *
 * <p>Arguments, all {@code --name value}: {@code jdbc-url} (required), {@code worker}, {@code cache}
 * ({@code syncmap}, {@code default} or {@code null}), {@code grace}, {@code scavenge}, {@code evict} and
 * {@code save-period} (seconds), {@code detect-in-place} ({@code true} or {@code false}).
 *
 * <p>Actions under {@code /s/}: {@code put?name=&value=} (creates the session, answers its id; {@code &holdMs=} keeps the request
 * open that long after the change; {@code &hold=test}, in a node of the test's own JVM, counts down the
 * {@link Hold} the test put in the context's attributes once the change is made and keeps the request open until the
 * test releases it), {@code get?name=}
 * (the value, {@code unset}, or {@code none} without a session), {@code names} (the attribute names, sorted and
 * comma-separated, or {@code none}), {@code max-inactive?seconds=}, {@code invalidate},
 * {@code renew} (changes the session's id, answers the new one), {@code remove?name=}, {@code add?item=} (adds to a
 * merging {@link OverlappingRequestsIT.Cart}), {@code append?item=} (to a list, in place after the first). Each change,
 * the renewal and the invalidation take {@code &holdKey=K}: the request prints {@code HELD K} after its change (before
 * the renewal or invalidation) and waits until the test writes {@code RELEASE K} to the node's standard input: a
 * latch across processes. Two read the node's session cache without touching a
 * session: {@code cached?id=} ({@code true} if the cache holds that session) and {@code copies-dropped} (the cache's
 * {@link CachedCopyCheck#getCopiesDropped()}: copies found replaced or ended by another node and dropped).
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
        if (options.containsKey("save-period")) {
            builder.savePeriod(Duration.ofSeconds(Long.parseLong(options.get("save-period"))));
        }
        if (options.containsKey("detect-in-place")) {
            builder.detectInPlaceChanges(Boolean.parseBoolean(options.get("detect-in-place")));
        }
        builder.allowPackage(OverlappingRequestsIT.Cart.class.getPackageName()); // the cart, read from the rows
        SharedSessions sessions = builder.install(server);

        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setSessionHandler(new SessionHandler() {
            @Override
            public void scavenge() {
                super.scavenge();
                report("SCAVENGED");
            }
        });
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
        Thread releases = new Thread(SharedStoreNode::readReleases, "releases");
        releases.setDaemon(true);
        releases.start();
        server.start();
        report("WORKER " + sessions.workerName());
        report("LISTENING " + connector.getLocalPort());
        server.join();
    }

    /**
     * A request held in the servlet ({@code put?...&hold=test}): the servlet counts {@link #entered} down once the
     * request has changed its session, and keeps the request, and so its copy of the session, until the test counts
     * {@link #released} down. The test puts it in the context's attributes under {@link #ATTRIBUTE}.
     */
    record Hold(CountDownLatch entered, CountDownLatch released) {
        static final String ATTRIBUTE = Hold.class.getName();

        Hold() {
            this(new CountDownLatch(1), new CountDownLatch(1));
        }
    }

    /**
     * The requests held across processes ({@code &holdKey=K}): the servlet prints {@code HELD K} once the request has
     * changed its session, and keeps the request until the test writes {@code RELEASE K} to this process's standard
     * input.
     */
    private static final Map<String, CountDownLatch> RELEASES = new ConcurrentHashMap<>();

    private static CountDownLatch release(String key) {
        return RELEASES.computeIfAbsent(key, k -> new CountDownLatch(1));
    }

    /** Reads {@code RELEASE <key>} lines from standard input until it closes (the test ended). */
    private static void readReleases() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("RELEASE ")) {
                    release(line.substring("RELEASE ".length())).countDown();
                }
            }
        } catch (IOException e) {
            report("RELEASES FAILED " + e);
        }
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
                    if ("test".equals(request.getParameter("hold"))) {
                        holdUntilReleased((Hold) getServletContext().getAttribute(Hold.ATTRIBUTE));
                    }
                    holdAcrossProcesses(request);
                    body = session.getId();
                }
                case "/remove" -> {
                    HttpSession session = request.getSession(true);
                    session.removeAttribute(request.getParameter("name"));
                    holdAcrossProcesses(request);
                    body = session.getId();
                }
                case "/add" -> {
                    HttpSession session = request.getSession(true);
                    OverlappingRequestsIT.Cart cart = (OverlappingRequestsIT.Cart) session.getAttribute("cart");
                    session.setAttribute("cart", (cart == null ? new OverlappingRequestsIT.Cart(new TreeSet<>())
                            : cart).with(request.getParameter("item")));
                    holdAcrossProcesses(request);
                    body = session.getId();
                }
                case "/append" -> {
                    HttpSession session = request.getSession(true);
                    @SuppressWarnings("unchecked")
                    List<String> list = (List<String>) session.getAttribute("list");
                    if (list == null) {
                        session.setAttribute("list", new ArrayList<>(List.of(request.getParameter("item"))));
                    } else {
                        list.add(request.getParameter("item")); // in place: the session is not told
                    }
                    holdAcrossProcesses(request);
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
                        holdAcrossProcesses(request);
                        session.invalidate();
                    }
                    body = session == null ? "none" : "invalidated";
                }
                case "/max-inactive" -> {
                    HttpSession session = request.getSession(true);
                    session.setMaxInactiveInterval(Integer.parseInt(request.getParameter("seconds")));
                    body = session.getId();
                }
                case "/cached" -> body = Boolean.toString(cached(request.getParameter("id")));
                case "/copies-dropped" -> body = Long.toString(((ContainerLifeCycle) sessionCache())
                        .getBean(CachedCopyCheck.class).getCopiesDropped());
                case "/renew" -> {
                    request.getSession(true);
                    holdAcrossProcesses(request);
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

        private SessionCache sessionCache() {
            return ServletContextHandler.getServletContextHandler(getServletContext()).getSessionHandler()
                    .getSessionCache();
        }

        private boolean cached(String id) throws IOException {
            try {
                return sessionCache().contains(id);
            } catch (Exception e) {
                throw new IOException("the cache could not say whether it holds session " + id, e);
            }
        }

        /** Tells the test the request is in, and keeps it until the test lets it go (at most 30 s). */
        private static void holdUntilReleased(Hold hold) throws IOException {
            hold.entered().countDown();
            try {
                if (!hold.released().await(30, TimeUnit.SECONDS)) {
                    throw new IOException("the test did not release the held request within 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }

        /**
         * With {@code &holdKey=K}: prints {@code HELD K} and keeps the request, and its copy of the session, until the
         * test releases it through standard input (at most 30 s).
         */
        private static void holdAcrossProcesses(HttpServletRequest request) throws IOException {
            String key = request.getParameter("holdKey");
            if (key == null) {
                return;
            }
            report("HELD " + key);
            try {
                if (!release(key).await(30, TimeUnit.SECONDS)) {
                    throw new IOException("the test did not release held request " + key + " within 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
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
