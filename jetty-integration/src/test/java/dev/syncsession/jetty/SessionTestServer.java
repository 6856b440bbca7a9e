/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.SessionHandler;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.session.AbstractSessionCacheFactory;
import org.eclipse.jetty.session.DefaultSessionIdManager;
import org.eclipse.jetty.session.FileSessionDataStoreFactory;
import org.eclipse.jetty.session.HouseKeeper;
import org.eclipse.jetty.session.NullSessionDataStoreFactory;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionDataStoreFactory;
import dev.syncsession.jetty.store.SyncSessionDataStoreFactory;
import dev.syncsession.jetty.cache.SyncMapSessionCacheFactory;

/**
 * An embedded ee11 server on 127.0.0.1 with an ephemeral port, one context at "/" with {@link SessionServlet} at
 * "/session/*", and a Jetty HttpClient that keeps the session cookie. The session cache and data store come from
 * factories registered as server beans, the way the jetty-home modules configure them. The housekeeper scavenges
 * every second so that expiry tests finish quickly (or never: {@link #withoutScavenging}). Close it to stop both.
 */
final class SessionTestServer implements AutoCloseable {

    /** Ids of sessions whose {@code sessionDestroyed} was called, in order. */
    final BlockingQueue<String> destroyedSessionIds = new LinkedBlockingQueue<>();

    /** Scavenges the housekeeper has finished (guarded by itself); see {@link #awaitScavenges}. */
    private long scavenges;

    private final Server server;
    private final ServletContextHandler context;
    private final HttpClient client;
    private final URI baseUri;

    private SessionTestServer(AbstractSessionCacheFactory cacheFactory, SessionDataStoreFactory storeFactory,
            Object... extraServerBeans) throws Exception {
        this(1, DefaultSessionIdManager::new, cacheFactory, storeFactory, extraServerBeans);
    }

    /** @param scavengeSeconds the housekeeper's interval; 0 for none */
    private SessionTestServer(int scavengeSeconds, Function<Server, DefaultSessionIdManager> idManagers,
            AbstractSessionCacheFactory cacheFactory, SessionDataStoreFactory storeFactory, Object... extraServerBeans)
            throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        DefaultSessionIdManager idManager = idManagers.apply(server);
        HouseKeeper houseKeeper = new HouseKeeper() {
            @Override
            public void scavenge() {
                try {
                    super.scavenge();
                } finally {
                    synchronized (SessionTestServer.this) {
                        scavenges++;
                        SessionTestServer.this.notifyAll();
                    }
                }
            }
        };
        houseKeeper.setIntervalSec(scavengeSeconds);
        idManager.setSessionHouseKeeper(houseKeeper);
        server.addBean(idManager, true);
        server.addBean(cacheFactory);
        server.addBean(storeFactory);
        for (Object bean : extraServerBeans) {
            server.addBean(bean);
        }

        context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        context.addServlet(SessionServlet.class, "/session/*");
        context.addEventListener(new HttpSessionListener() {
            @Override
            public void sessionDestroyed(HttpSessionEvent se) {
                destroyedSessionIds.add(se.getSession().getId());
            }
        });
        server.setHandler(context);

        client = new HttpClient();
        try {
            server.start();
            client.start();
        } catch (Exception e) {
            close();
            throw e;
        }
        baseUri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/session/");
    }

    /**
     * Waits until the housekeeper has run {@code count} whole scavenges (each one an expiry search of the store and a
     * check of every cached session) that began after this call: what a test waits for to see that something happens
     * only once, instead of a pause long enough for "a few" of them.
     */
    void awaitScavenges(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30L + count);
        synchronized (this) {
            long target = scavenges + count + 1; // the one under way, if any, began before this call
            while (scavenges < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the housekeeper finished " + (scavenges - target + count + 1) + " of "
                            + count + " scavenges in " + (30 + count) + " s");
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    /**
     * Starts a server whose sessions are cached by {@code cacheFactory} and persisted in files under
     * {@code storeDir}; the store's grace period is one second so that its expiry scan runs every scavenge.
     */
    static SessionTestServer withFileStore(AbstractSessionCacheFactory cacheFactory, Path storeDir) throws Exception {
        FileSessionDataStoreFactory storeFactory = new FileSessionDataStoreFactory();
        storeFactory.setStoreDir(storeDir.toFile());
        storeFactory.setGracePeriodSec(1);
        return new SessionTestServer(cacheFactory, storeFactory);
    }

    /**
     * Starts a server whose sessions live only in the cache ({@code NullSessionDataStore}), with
     * {@code extraServerBeans} (such as an MBeanContainer) added to the server before it starts.
     */
    static SessionTestServer withNullStore(AbstractSessionCacheFactory cacheFactory, Object... extraServerBeans)
            throws Exception {
        return new SessionTestServer(cacheFactory, new NullSessionDataStoreFactory(), extraServerBeans);
    }

    /** Starts a server whose sessions are cached by {@code cacheFactory} and stored in a SyncMap store. */
    static SessionTestServer withSyncMapStore(AbstractSessionCacheFactory cacheFactory) throws Exception {
        return new SessionTestServer(cacheFactory, new SyncSessionDataStoreFactory());
    }

    /**
     * Starts a server whose sessions are cached by {@code cacheFactory} and stored by {@code storeFactory}, with
     * {@code extraServerBeans} (such as an MBeanContainer) added to the server before it starts.
     */
    static SessionTestServer with(AbstractSessionCacheFactory cacheFactory, SessionDataStoreFactory storeFactory,
            Object... extraServerBeans) throws Exception {
        return new SessionTestServer(cacheFactory, storeFactory, extraServerBeans);
    }

    /** The same, with the server's session ids made by the id manager {@code idManagers} makes for it. */
    static SessionTestServer withSyncMapStore(AbstractSessionCacheFactory cacheFactory,
            Function<Server, DefaultSessionIdManager> idManagers) throws Exception {
        return new SessionTestServer(1, idManagers, cacheFactory, new SyncSessionDataStoreFactory());
    }

    /**
     * The same as {@link #with}, but Jetty's housekeeper never runs: nothing expires sessions or searches the store
     * but what the test does, so that the store's counters move only with the test's own calls.
     */
    static SessionTestServer withoutScavenging(AbstractSessionCacheFactory cacheFactory,
            SessionDataStoreFactory storeFactory) throws Exception {
        return new SessionTestServer(0, DefaultSessionIdManager::new, cacheFactory, storeFactory);
    }

    static SyncMapSessionCacheFactory syncMapCache(int evictionPolicy) {
        SyncMapSessionCacheFactory factory = new SyncMapSessionCacheFactory();
        factory.setEvictionPolicy(evictionPolicy);
        return factory;
    }

    /** Where the servlet's actions are: {@code http://127.0.0.1:<port>/session/}. */
    URI baseUri() {
        return baseUri;
    }

    SessionCache sessionCache() {
        return context.getSessionHandler().getSessionCache();
    }

    SessionHandler sessionHandler() {
        return context.getSessionHandler();
    }

    Server server() {
        return server;
    }

    HttpClient client() {
        return client;
    }

    /** Sends {@code method} to {@code /session/<action>} and returns the body, failing unless the status is 200. */
    String call(HttpMethod method, String action) throws Exception {
        ContentResponse response = client.newRequest(baseUri.resolve(action)).method(method).send();
        if (response.getStatus() != 200) {
            throw new AssertionError(method + " " + action + " answered " + response.getStatus() + ": "
                    + response.getContentAsString());
        }
        return response.getContentAsString();
    }

    /**
     * Sends {@code GET /session/<action>} from another client, which has no cookie but {@code JSESSIONID=sessionId};
     * answers the status.
     */
    int statusInSession(String action, String sessionId) throws Exception {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(baseUri.resolve(action))
                .header("Cookie", "JSESSIONID=" + sessionId).build();
        return java.net.http.HttpClient.newHttpClient()
                .send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Sends {@code GET /session/<action>} as a request of the session {@code sessionId}, ignoring stored cookies. */
    String getInSession(String action, String sessionId) throws Exception {
        ContentResponse response = client.newRequest(baseUri.resolve(action))
                .headers(headers -> headers.put(HttpHeader.COOKIE, "JSESSIONID=" + sessionId))
                .send();
        if (response.getStatus() != 200) {
            throw new AssertionError("GET " + action + " answered " + response.getStatus());
        }
        return response.getContentAsString();
    }

    String get(String action) throws Exception {
        return call(HttpMethod.GET, action);
    }

    String post(String action) throws Exception {
        return call(HttpMethod.POST, action);
    }

    /** Stops the client and the server; the server is stopped even if stopping the client fails. */
    @Override
    public void close() {
        try {
            try {
                client.stop();
            } finally {
                server.stop();
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not stop the test server at " + baseUri, e);
        }
    }

    /**
     * The web application under test. Actions, relative to {@code /session/}:
     * <ul>
     *   <li>{@code GET increment?attr=name}: creates the session if needed, adds one to the Integer attribute
     *       {@code name} (default "count") and answers the new value.</li>
     *   <li>{@code GET read?attr=name}: answers the attribute's value, "unset", or "none" if there is no session.</li>
     *   <li>{@code GET id}: answers the session id or "none".</li>
     *   <li>{@code GET signin?name=n}: creates the session if needed and sets its attribute {@code user} to
     *       {@code n}; answers "signed in", or "refused" if the per-user limit refused it. {@code GET signout}
     *       removes it.</li>
     *   <li>{@code GET hold}: stays in its session (created if needed) until {@link #HOLD} is counted down,
     *       having counted down {@link #HELD}; answers "released".</li>
     *   <li>{@code GET accessor}: creates the session if needed, keeps its {@code HttpSession.Accessor} in
     *       {@link #ACCESSORS} and answers the session id.</li>
     *   <li>{@code GET unavailable}: the application's own 503.</li>
     *   <li>{@code POST invalidate}, {@code POST renew} (changeSessionId, answers the new id),
     *       {@code POST max-inactive?seconds=n}.</li>
     * </ul>
     */
    public static final class SessionServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        /** What {@code GET accessor} made: each session's {@code HttpSession.Accessor}, by session id. */
        static final Map<String, HttpSession.Accessor> ACCESSORS = new ConcurrentHashMap<>();

        /** {@code GET hold} counts this down once it is in its session, then waits for {@link #HOLD}. */
        static volatile java.util.concurrent.CountDownLatch HELD = new java.util.concurrent.CountDownLatch(1);
        static volatile java.util.concurrent.CountDownLatch HOLD = new java.util.concurrent.CountDownLatch(0);

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String attribute = request.getParameter("attr") == null ? "count" : request.getParameter("attr");
            HttpSession session;
            String body;
            switch (request.getPathInfo()) {
                case "/increment" -> {
                    session = request.getSession(true);
                    Integer count = (Integer) session.getAttribute(attribute);
                    int next = count == null ? 1 : count + 1;
                    session.setAttribute(attribute, next);
                    body = Integer.toString(next);
                }
                case "/read" -> {
                    session = request.getSession(false);
                    Object value = session == null ? "none" : session.getAttribute(attribute);
                    body = value == null ? "unset" : value.toString();
                }
                case "/id" -> {
                    session = request.getSession(false);
                    body = session == null ? "none" : session.getId();
                }
                case "/signin" -> {
                    session = request.getSession(true);
                    try {
                        session.setAttribute("user", request.getParameter("name"));
                        body = "signed in";
                    } catch (dev.syncsession.jetty.users.UserSessionLimitExceededException e) {
                        body = "refused";
                    }
                }
                case "/signout" -> {
                    session = request.getSession(false);
                    if (session != null) {
                        session.removeAttribute("user");
                    }
                    body = "signed out";
                }
                case "/hold" -> {
                    session = request.getSession(true);
                    HELD.countDown();
                    try {
                        HOLD.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    body = "released";
                }
                case "/accessor" -> {
                    session = request.getSession(true);
                    ACCESSORS.put(session.getId(), session.getAccessor());
                    body = session.getId();
                }
                case "/unavailable" -> {
                    // The application's own 503, which no session code caused.
                    response.sendError(503, "the application is down for maintenance");
                    return;
                }
                default -> {
                    response.sendError(404, "unknown action " + request.getPathInfo());
                    return;
                }
            }
            response.setContentType("text/plain");
            response.getWriter().write(body);
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String body;
            switch (request.getPathInfo()) {
                case "/invalidate" -> {
                    request.getSession(true).invalidate();
                    body = "invalidated";
                }
                case "/renew" -> {
                    request.getSession(true);
                    body = request.changeSessionId();
                }
                case "/max-inactive" -> {
                    int seconds = Integer.parseInt(request.getParameter("seconds"));
                    request.getSession(true).setMaxInactiveInterval(seconds);
                    body = Integer.toString(seconds);
                }
                default -> {
                    response.sendError(404, "unknown action " + request.getPathInfo());
                    return;
                }
            }
            response.setContentType("text/plain");
            response.getWriter().write(body);
        }
    }
}
