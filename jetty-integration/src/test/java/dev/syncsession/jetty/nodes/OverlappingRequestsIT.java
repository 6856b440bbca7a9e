/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncsession.jetty.TestDatabases;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.syncsession.jetty.cache.SessionCacheKind;
import dev.syncsession.session.MergeableAttribute;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.jmx.MBeanContainer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two overlapping requests of one session on two nodes of the many-nodes tier, with the null cache (every request
 * loads the row, as behind a balancer that is not sticky): the first request is held by the servlet, after its change
 * and before its save, on a latch the test opens once the second request has completed on the other node, so the
 * first request's save is always the later one, and it always finds the row changed since its load. Both nodes run
 * in this JVM on one database of an embedded PostgreSQL (see {@link ManyNodesIT} for its needs).
 */
class OverlappingRequestsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern SESSION_COOKIE = Pattern.compile("JSESSIONID=([^;]*)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    @RegisterExtension
    static final TestDatabases DATABASES = new TestDatabases("o");

    private final ExecutorService held = Executors.newSingleThreadExecutor();
    private Node one;
    private Node two;

    @BeforeEach
    void startNodes() throws Exception {
        String jdbcUrl = DATABASES.newDatabase();
        one = new Node(jdbcUrl, "one");
        two = new Node(jdbcUrl, "two");
    }

    @AfterEach
    void stopNodes() throws Exception {
        held.shutdownNow();
        for (Node node : new Node[] {one, two}) {
            if (node != null) {
                node.server.stop();
            }
        }
    }

    @Test
    void differentAttributesChangedOnTwoNodesAreBothKept() throws Exception {
        Visitor visitor = new Visitor();
        visitor.expectOk(one, "put?name=first&value=1");
        overlap(visitor, one, "put?name=fromOne&value=1", two, "put?name=fromTwo&value=1");
        assertEquals("first,fromOne,fromTwo", visitor.expectOk(two, "names"));
        assertEquals(1, one.counted("saveConflicts"), "node one's save found node two's");
    }

    @Test
    void theSameAttributeChangedOnTwoNodesKeepsTheLaterSaveAndCountsTheConflict() throws Exception {
        Visitor visitor = new Visitor();
        visitor.expectOk(one, "put?name=colour&value=red");
        overlap(visitor, one, "put?name=colour&value=blue", two, "put?name=colour&value=green");
        assertEquals("blue", visitor.expectOk(two, "get?name=colour"), "node one saved last");
        assertEquals(1, one.counted("saveConflicts"));
        assertEquals(0, two.counted("saveConflicts"));
        assertEquals(0, one.counted("mergedAttributes"), "a String is not merged");
    }

    @Test
    void aMergeableCartChangedOnTwoNodesKeepsTheItemsOfBoth() throws Exception {
        Visitor visitor = new Visitor();
        visitor.expectOk(one, "add?item=apple");
        overlap(visitor, one, "add?item=pear", two, "add?item=plum");
        assertEquals("[apple, pear, plum]", visitor.expectOk(two, "get?name=cart"));
        assertEquals(1, one.counted("mergedAttributes"));
    }

    @Test
    void aRemovalIsNotUndoneByAnOverlappingSaveThatDidNotTouchTheAttribute() throws Exception {
        Visitor visitor = new Visitor();
        visitor.expectOk(one, "put?name=doomed&value=1");
        // Node two loads the session with the attribute, then saves after node one removed it.
        overlap(visitor, two, "put?name=kept&value=1", one, "remove?name=doomed");
        assertEquals("kept", visitor.expectOk(one, "names"));
    }

    @Test
    void aRemovalSavedAfterAnotherNodesChangeIsKeptWithThatChange() throws Exception {
        Visitor visitor = new Visitor();
        visitor.expectOk(one, "put?name=doomed&value=1");
        overlap(visitor, one, "remove?name=doomed", two, "put?name=other&value=1");
        assertEquals("other", visitor.expectOk(two, "names"));
    }

    @Test
    void aSignOutOnOneNodeIsNotUndoneByAnOverlappingRequestOnTheOther() throws Exception {
        Visitor visitor = new Visitor();
        visitor.expectOk(one, "put?name=user&value=ada");
        overlap(visitor, one, "put?name=cart&value=full", two, "invalidate");
        assertEquals("none", visitor.expectOk(one, "names"), "node one's later save brought the session back");
        assertEquals("none", visitor.expectOk(two, "names"));
    }

    /**
     * Sends {@code first} to {@code holder}, whose servlet holds it after the change and before the save, until
     * {@code second} has completed on {@code other}; then lets the first one finish, and checks both were answered.
     */
    private void overlap(Visitor visitor, Node holder, String first, Node other, String second) throws Exception {
        Hold hold = Hold.open();
        Future<String> firstReply = held.submit(() -> visitor.expectOk(holder, first + "&hold=" + hold.key));
        assertTrue(hold.reached.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the first request did not arrive");
        visitor.expectOk(other, second);
        hold.release.countDown();
        firstReply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** A request held between its session's load and its save; the servlet finds it by its key. */
    static final class Hold {
        private static final Map<String, Hold> OPEN = new ConcurrentHashMap<>();
        private static final AtomicInteger KEYS = new AtomicInteger();

        final String key = "h" + KEYS.incrementAndGet();
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        static Hold open() {
            Hold hold = new Hold();
            OPEN.put(hold.key, hold);
            return hold;
        }

        /** Called by the servlet: tells the test the request got here, and waits for the test to release it. */
        static void at(String key) throws IOException {
            Hold hold = OPEN.remove(key);
            if (hold == null) {
                throw new IOException("no hold named " + key);
            }
            hold.reached.countDown();
            try {
                if (!hold.release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new IOException("hold " + key + " was not released within " + TIMEOUT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    /** A cart whose overlapping changes on two nodes are merged: the union of their items. */
    static final class Cart implements MergeableAttribute<Cart>, Serializable {
        private static final long serialVersionUID = 1L;

        private final TreeSet<String> items;

        Cart(TreeSet<String> items) {
            this.items = items;
        }

        Cart with(String item) {
            TreeSet<String> more = new TreeSet<>(items);
            more.add(item);
            return new Cart(more);
        }

        @Override
        public Cart mergeWith(Cart stored) {
            TreeSet<String> union = new TreeSet<>(items);
            union.addAll(stored.items);
            return new Cart(union);
        }

        @Override
        public String toString() {
            return items.toString();
        }
    }

    /** The application of both nodes: each change may be held ({@code hold=key}) before the request ends. */
    public static final class OverlapServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String body;
            switch (request.getPathInfo()) {
                case "/put" -> {
                    HttpSession session = request.getSession(true);
                    session.setAttribute(request.getParameter("name"), request.getParameter("value"));
                    body = session.getId();
                }
                case "/remove" -> {
                    HttpSession session = request.getSession(true);
                    session.removeAttribute(request.getParameter("name"));
                    body = session.getId();
                }
                case "/add" -> {
                    HttpSession session = request.getSession(true);
                    Cart cart = (Cart) session.getAttribute("cart");
                    session.setAttribute("cart", (cart == null ? new Cart(new TreeSet<>()) : cart)
                            .with(request.getParameter("item")));
                    body = session.getId();
                }
                case "/get" -> {
                    HttpSession session = request.getSession(false);
                    Object value = session == null ? "none" : session.getAttribute(request.getParameter("name"));
                    body = value == null ? "unset" : value.toString();
                }
                case "/names" -> {
                    HttpSession session = request.getSession(false);
                    List<String> names = session == null ? List.of("none")
                            : new ArrayList<>(Collections.list(session.getAttributeNames()));
                    body = String.join(",", new TreeSet<>(names));
                }
                case "/invalidate" -> {
                    request.getSession(false).invalidate();
                    body = "invalidated";
                }
                default -> {
                    response.sendError(404, "unknown action " + request.getPathInfo());
                    return;
                }
            }
            if (request.getParameter("hold") != null) {
                Hold.at(request.getParameter("hold"));
            }
            response.setContentType("text/plain");
            response.getWriter().write(body);
        }
    }

    /** A node of the tier in this JVM, with the null cache. */
    private static final class Node {
        final Server server = new Server();
        final ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        final String name;
        final MBeanServer mbeans = MBeanServerFactory.newMBeanServer();
        private final ServerConnector connector = new ServerConnector(server);

        Node(String jdbcUrl, String name) throws Exception {
            this.name = name;
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            SharedSessions sessions = SharedSessions.builder(SessionDatabase.jdbcUrl(jdbcUrl, null, null))
                    .workerName(name).cache(SessionCacheKind.NULL)
                    .allowPackage(Cart.class.getPackageName()) // the cart is read from the row
                    .install(server);
            context.setContextPath("/");
            context.addServlet(OverlapServlet.class, "/s/*");
            server.setHandler(sessions.guard(context));
            server.addBean(new MBeanContainer(mbeans));
            server.start();
        }

        /** A count of the node's {@link VersionedSave}, read through JMX as an operator reads it. */
        long counted(String attribute) throws Exception {
            Set<ObjectName> names = mbeans.queryNames(
                    ObjectName.getInstance("dev.syncsession.jetty.nodes:type=versionedsave,*"), null);
            assertEquals(1, names.size(), names.toString());
            return (Long) mbeans.getAttribute(names.iterator().next(), attribute);
        }

        URI uri(String action) {
            return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/s/" + action);
        }
    }

    /** One browser: keeps its session cookie and sends it to whichever node it is told to. */
    private static final class Visitor {
        private volatile String cookie;

        String expectOk(Node node, String action) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(node.uri(action)).timeout(TIMEOUT);
            if (cookie != null) {
                request.header("Cookie", "JSESSIONID=" + cookie);
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String setCookie : response.headers().allValues("Set-Cookie")) {
                Matcher m = SESSION_COOKIE.matcher(setCookie);
                if (m.find() && !m.group(1).isEmpty()) { // not the deleting cookie an invalidation may send
                    cookie = m.group(1);
                }
            }
            if (response.statusCode() != 200) {
                throw new AssertionError(node.name + " answered " + response.statusCode() + " to " + action + ": "
                        + response.body());
            }
            return response.body();
        }
    }
}
