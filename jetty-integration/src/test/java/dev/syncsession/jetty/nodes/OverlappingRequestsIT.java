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
import dev.syncsession.jetty.metrics.DatabaseMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
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
import java.util.function.Consumer;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two overlapping requests of one session on two nodes of the many-nodes tier, with the null cache (every request
 * loads the row, as behind a balancer that is not sticky), and attributes changed in place with the option to detect
 * them on and off: the first request is held by the servlet, after its change
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
    private String jdbcUrl;
    private Node one;
    private Node two;

    @BeforeEach
    void startNodes() throws Exception {
        jdbcUrl = DATABASES.newDatabase();
        one = new Node(jdbcUrl, "one", b -> b.cache(SessionCacheKind.NULL));
        two = new Node(jdbcUrl, "two", b -> b.cache(SessionCacheKind.NULL));
    }

    @AfterEach
    void stopNodes() throws Exception {
        held.shutdownNow();
        stop();
    }

    private void stop() throws Exception {
        for (Node node : new Node[] {one, two}) {
            if (node != null) {
                node.server.stop();
            }
        }
    }

    /**
     * Replaces both nodes by nodes on the same database with this cache and save period, detecting in-place changes
     * or not.
     */
    private void restartNodes(SessionCacheKind cache, boolean detectInPlaceChanges, Duration savePeriod)
            throws Exception {
        stop();
        one = null;
        two = null;
        for (String name : List.of("one", "two")) {
            Node node = new Node(jdbcUrl, name, b -> b.cache(cache).detectInPlaceChanges(detectInPlaceChanges)
                    .savePeriod(savePeriod));
            if (one == null) {
                one = node;
            } else {
                two = node;
            }
        }
    }

    /**
     * Where the session's attributes are: in its row's map column (a small session), or in the attribute table (one
     * past {@link AttributeRows#IN_ROW_LIMIT}, made so by a padding attribute set first).
     */
    enum Layout {
        ROW, TABLE;

        /** A new visitor whose session is laid out so. */
        Visitor visitor(Node node) throws Exception {
            Visitor visitor = new Visitor();
            if (this == TABLE) {
                visitor.expectOk(node, "put?name=pad&value=" + "p".repeat(AttributeRows.IN_ROW_LIMIT));
            }
            return visitor;
        }

        /** The session's attribute names as the servlet lists them, with the padding when there is one. */
        String names(String names) {
            return this == TABLE ? String.join(",", new TreeSet<>(List.of((names + ",pad").split(",")))) : names;
        }

        /** Checks that the database's one session is laid out so. */
        void check(String jdbcUrl) throws Exception {
            try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
                    ResultSet rows = s.executeQuery("SELECT map IS NULL FROM jettysessions")) {
                assertTrue(rows.next(), "no session row");
                assertEquals(this == TABLE, rows.getBoolean(1), "the session is not laid out as " + this);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void differentAttributesChangedOnTwoNodesAreBothKept(Layout layout) throws Exception {
        Visitor visitor = layout.visitor(one);
        visitor.expectOk(one, "put?name=first&value=1");
        overlap(visitor, one, "put?name=fromOne&value=1", two, "put?name=fromTwo&value=1");
        assertEquals(layout.names("first,fromOne,fromTwo"), visitor.expectOk(two, "names"));
        assertEquals(1, one.counted("saveConflicts"), "node one's save found node two's");
        layout.check(jdbcUrl);
    }

    /**
     * A request that sets one attribute the session already had saves, as its response is committed, that attribute's
     * row alone: the session row's version stays, the attribute row's goes up by one, and the other node already
     * serves the value. (The session row's times are written when the request ends.) With a cache, the copy held
     * since the session moved into the attribute table knows its rows' versions from that move.
     */
    @ParameterizedTest
    @EnumSource(value = SessionCacheKind.class)
    void oneAttributeReplacedIsSavedAtTheCommitWithoutTheSessionRow(SessionCacheKind cache) throws Exception {
        restartNodes(cache, false, Duration.ZERO);
        Visitor visitor = Layout.TABLE.visitor(one);
        visitor.expectOk(one, "put?name=colour&value=red");
        long[] before = versions("colour");
        Visitor sameBrowser = visitor.copy();
        whileHeldAfterCommit(visitor, one, "put?name=colour&value=blue", () -> {
            assertEquals("blue", sameBrowser.expectOk(two, "get?name=colour"), "not saved at the commit");
            long[] atCommit = versions("colour");
            assertEquals(before[0], atCommit[0], "the session row's version moved");
            assertEquals(before[1] + 1, atCommit[1], "the attribute row's version");
        });
        assertEquals(before[0], versions("colour")[0], "the save at the request's end bumps no version");
    }

    /**
     * With caches that keep copies: node two's copy is checked while node one's request, which saved one attribute
     * alone at its commit, is still running. The session row is as node two's copy knows it (version and last save
     * time); the check also reads the attribute rows' versions, and reloads.
     */
    @ParameterizedTest
    @EnumSource(value = SessionCacheKind.class, names = {"SYNCMAP", "DEFAULT"})
    void aCachedCopyIsCheckedAgainstAnAttributeSavedAlone(SessionCacheKind cache) throws Exception {
        restartNodes(cache, false, Duration.ZERO);
        Visitor visitor = Layout.TABLE.visitor(one);
        visitor.expectOk(one, "put?name=colour&value=red");
        assertEquals("red", visitor.expectOk(two, "get?name=colour"), "node two now holds a copy");
        long[] before = versions("colour");
        Visitor sameBrowser = visitor.copy();
        whileHeldAfterCommit(visitor, one, "put?name=colour&value=blue", () -> {
            assertEquals(before[0], versions("colour")[0], "saved with the session row: this case tests nothing");
            assertEquals("blue", sameBrowser.expectOk(two, "get?name=colour"));
        });
    }

    /**
     * Node two saves one attribute alone while node one's request, which loaded the session before, changes that
     * attribute and another: node one's save finds node two's (the session row's version has not moved, the
     * attribute row's has), counts the conflict, and saves last.
     */
    @Test
    void aSaveOfTwoAttributesMeetsAnotherNodesSaveOfOneOfThemAlone() throws Exception {
        Visitor visitor = Layout.TABLE.visitor(one);
        visitor.expectOk(one, "put?name=colour&value=red");
        visitor.expectOk(one, "put?name=size&value=red");
        overlap(visitor, one, "put?name=colour&value=blue&also=size", two, "put?name=colour&value=green");
        assertEquals("blue", visitor.expectOk(two, "get?name=colour"), "node one saved last");
        assertEquals("blue", visitor.expectOk(two, "get?name=size"));
        assertEquals(1, one.counted("saveConflicts"), "node one's save did not find node two's");
        assertEquals(0, two.counted("saveConflicts"));
    }

    /** The session row's version and the version of the row of its attribute {@code name}. */
    private long[] versions(String name) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
                java.sql.PreparedStatement s = c.prepareStatement("SELECT s.syncsession_version, a.attribute_version"
                        + " FROM jettysessions s JOIN jettysessions_attributes a USING (sessionid, contextpath,"
                        + " virtualhost) WHERE a.attribute_name = ?")) {
            s.setString(1, name);
            try (ResultSet rows = s.executeQuery()) {
                assertTrue(rows.next(), "no row of " + name);
                return new long[] {rows.getLong(1), rows.getLong(2)};
            }
        }
    }

    /**
     * With caches that keep copies (a sticky balancer's setup), when the stickiness breaks: node two's request presents
     * node one's name, saves first and keeps its copy; node one's save, later, is merged onto it. The browser's cookie
     * now names node two, which answered it last, but node two's copy lacks node one's change: the next request there
     * must check that copy, not trust it because the cookie names the node.
     */
    @ParameterizedTest
    @EnumSource(value = SessionCacheKind.class, names = {"SYNCMAP", "DEFAULT"})
    void aCopyEnteredWithAnotherNodesNameIsCheckedAtTheNextRequestThatNamesThisNode(SessionCacheKind cache)
            throws Exception {
        restartNodes(cache, false, Duration.ZERO);
        Visitor visitor = new Visitor();
        visitor.expectOk(one, "put?name=first&value=1");
        overlap(visitor, one, "put?name=fromOne&value=1", two, "put?name=fromTwo&value=1");
        assertTrue(visitor.cookie.endsWith(".two"), "node two answered last: " + visitor.cookie);
        assertEquals("first,fromOne,fromTwo", visitor.expectOk(two, "names"));
        assertEquals("first,fromOne,fromTwo", visitor.expectOk(two, "names"), "and still, trusted now");
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void theSameAttributeChangedOnTwoNodesKeepsTheLaterSaveAndCountsTheConflict(Layout layout) throws Exception {
        Visitor visitor = layout.visitor(one);
        visitor.expectOk(one, "put?name=colour&value=red");
        overlap(visitor, one, "put?name=colour&value=blue", two, "put?name=colour&value=green");
        assertEquals("blue", visitor.expectOk(two, "get?name=colour"), "node one saved last");
        assertEquals(1, one.counted("saveConflicts"));
        assertEquals(0, two.counted("saveConflicts"));
        assertEquals(0, one.counted("mergedAttributes"), "a String is not merged");
        assertEquals(1, one.metered("syncsession.database.saves.conflicts"), "Micrometer does not show it");
        assertEquals(0, two.metered("syncsession.database.saves.conflicts"));
        layout.check(jdbcUrl);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aMergeableCartChangedOnTwoNodesKeepsTheItemsOfBoth(Layout layout) throws Exception {
        Visitor visitor = layout.visitor(one);
        visitor.expectOk(one, "add?item=apple");
        overlap(visitor, one, "add?item=pear", two, "add?item=plum");
        assertEquals("[apple, pear, plum]", visitor.expectOk(two, "get?name=cart"));
        assertEquals(1, one.counted("mergedAttributes"));
        assertEquals(1, one.metered("syncsession.database.attributes.merged"), "Micrometer does not show it");
        layout.check(jdbcUrl);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aRemovalIsNotUndoneByAnOverlappingSaveThatDidNotTouchTheAttribute(Layout layout) throws Exception {
        Visitor visitor = layout.visitor(one);
        visitor.expectOk(one, "put?name=doomed&value=1");
        // Node two loads the session with the attribute, then saves after node one removed it.
        overlap(visitor, two, "put?name=kept&value=1", one, "remove?name=doomed");
        assertEquals(layout.names("kept"), visitor.expectOk(one, "names"));
        layout.check(jdbcUrl);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aRemovalSavedAfterAnotherNodesChangeIsKeptWithThatChange(Layout layout) throws Exception {
        Visitor visitor = layout.visitor(one);
        visitor.expectOk(one, "put?name=doomed&value=1");
        overlap(visitor, one, "remove?name=doomed", two, "put?name=other&value=1");
        assertEquals(layout.names("other"), visitor.expectOk(two, "names"));
        layout.check(jdbcUrl);
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
     * Within a save period: with the option, a list changed in place ({@code list.add}, no {@code setAttribute}) is
     * saved as a change and reaches the other node although the node saves the session only once a minute. Without
     * it, as with Jetty's store, a save that changed no attribute is one of access times, which the save period
     * defers: the other node serves the list as it was last set.
     */
    @ParameterizedTest(name = "detectInPlaceChanges={0}")
    @CsvSource(delimiter = ';', value = {"true; [apple, pear]", "false; [apple]"})
    void anAttributeChangedInPlaceWithinTheSavePeriodIsSavedOnlyWhenDetected(boolean detect, String expected)
            throws Exception {
        restartNodes(SessionCacheKind.NULL, detect, Duration.ofMinutes(1));
        Visitor visitor = new Visitor();
        visitor.expectOk(one, "append?item=apple");
        visitor.expectOk(one, "append?item=pear");
        assertEquals(expected, visitor.expectOk(two, "get?name=list"));
    }

    /**
     * With the SyncMap cache (sticky), the copy stays cached between requests: what it is compared with is the row as
     * the last save left it, not as a load read it.
     */
    @Test
    void aCachedCopyChangedInPlaceRequestAfterRequestIsSavedEachTime() throws Exception {
        restartNodes(SessionCacheKind.SYNCMAP, true, Duration.ofMinutes(1));
        Visitor visitor = new Visitor();
        visitor.expectOk(one, "append?item=apple");
        visitor.expectOk(one, "append?item=pear");
        assertEquals("[apple, pear]", visitor.expectOk(two, "get?name=list"));
        visitor.expectOk(one, "append?item=plum");
        assertEquals("[apple, pear, plum]", visitor.expectOk(two, "get?name=list"));
    }

    /**
     * An attribute changed in place is saved as the response is committed, as one set with {@code setAttribute} is
     * ({@code flushOnResponseCommit}, the tier's default), not only when the request ends: the request is held after
     * its response was committed, and the other node already serves the change.
     */
    @ParameterizedTest
    @EnumSource(value = SessionCacheKind.class)
    void anInPlaceChangeIsSavedBeforeTheResponseIsSent(SessionCacheKind cache) throws Exception {
        restartNodes(cache, true, Duration.ZERO);
        Visitor visitor = new Visitor();
        visitor.expectOk(one, "append?item=apple");
        Visitor sameBrowser = visitor.copy();
        whileHeldAfterCommit(visitor, one, "append?item=pear", () -> assertEquals("[apple, pear]",
                sameBrowser.expectOk(two, "get?name=list"), "not saved when the response was committed"));
    }

    /**
     * An in-place change overlapping node two's change of another attribute: both are kept, node one's save meeting
     * node two's, with the option or without it, since every save compares the attributes' forms. (With Jetty's
     * store, and with this tier's before its attribute table, the save without the option wrote or dropped the whole
     * map, and lost one change or the other.)
     */
    @ParameterizedTest(name = "detectInPlaceChanges={0}")
    @CsvSource(delimiter = ';', value = {"true; [apple, pear]; 1", "false; [apple, pear]; 1"})
    void anInPlaceChangeOverlappingAnotherNodesChangeOfAnotherAttributeIsKept(boolean detect,
            String expected, long conflicts) throws Exception {
        restartNodes(SessionCacheKind.NULL, detect, Duration.ZERO);
        Visitor visitor = new Visitor();
        visitor.expectOk(one, "append?item=apple");
        overlap(visitor, one, "append?item=pear", two, "put?name=other&value=1");
        assertEquals("list,other", visitor.expectOk(two, "names"));
        assertEquals(expected, visitor.expectOk(two, "get?name=list"));
        assertEquals(conflicts, one.counted("saveConflicts"), "node one's save met node two's");
    }

    /**
     * With in-place changes detected, the copy knows each attribute's form as loaded, so a mergeable value the other
     * node did not change is saved as it is, not merged with its own earlier state.
     */
    @Test
    void aMergeableValueTheOtherNodeDidNotChangeIsNotMerged() throws Exception {
        restartNodes(SessionCacheKind.NULL, true, Duration.ZERO);
        Visitor visitor = new Visitor();
        visitor.expectOk(one, "add?item=apple");
        overlap(visitor, one, "add?item=pear", two, "put?name=other&value=1");
        assertEquals("[apple, pear]", visitor.expectOk(two, "get?name=cart"));
        assertEquals(1, one.counted("saveConflicts"));
        assertEquals(0, one.counted("mergedAttributes"), "node two did not change the cart");
        overlap(visitor, one, "add?item=plum", two, "add?item=fig");
        assertEquals("[apple, fig, pear, plum]", visitor.expectOk(two, "get?name=cart"));
        assertEquals(1, one.counted("mergedAttributes"), "node two changed the cart this time");
    }

    /**
     * A request on the old id, held after its change, while node one renews the id: its later save finds the old row
     * gone and is dropped, so the old id does not come back beside the new one. Its change is lost with it.
     */
    @Test
    void aSaveToTheOldIdAfterARenewalOnTheOtherNodeLeavesOneSession() throws Exception {
        Visitor visitor = new Visitor();
        String oldId = visitor.expectOk(one, "put?name=user&value=ada");
        Visitor oldCookie = visitor.copy();
        Hold hold = Hold.open();
        Future<String> late = held.submit(() -> oldCookie.expectOk(two, "put?name=cart&value=full&hold=" + hold.key));
        assertTrue(hold.reached.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the held request did not arrive");
        String newId = visitor.expectOk(one, "renew");
        hold.release.countDown();
        assertEquals(oldId, late.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the held request used the old id");
        assertEquals(List.of(newId), one.storedIds(), "one session: the new id's");
        assertEquals("user", visitor.expectOk(two, "names"));
    }

    /**
     * Node two saves a change while node one's request, which loaded the session before it, waits to renew the id:
     * the renewal's new row keeps node two's change. Jetty renews the session its cache gets for the old id, which
     * the null cache loads again; the SyncMap and Default caches hold the request's copy, which the store brings up
     * to the row first ({@code SessionFreshness.beforeRenewal}).
     */
    @ParameterizedTest
    @EnumSource(value = SessionCacheKind.class)
    void aRenewalAfterAnotherNodesSaveKeepsThatSave(SessionCacheKind cache) throws Exception {
        restartNodes(cache, false, Duration.ZERO);
        Visitor visitor = new Visitor();
        visitor.expectOk(one, "put?name=user&value=ada");
        overlap(visitor, one, "renew", two, "put?name=cart&value=full");
        assertEquals(1, one.storedIds().size(), "one session");
        assertEquals("cart,user", visitor.expectOk(two, "names"));
    }

    /**
     * A sign-in as applications write it (a new id, then the user set) on a session that no request had changed yet,
     * while node two's save of another attribute comes between the sign-in's load and its renewal. With the null
     * cache Jetty renews a copy it loads for the renewal, and the request's own copy, loaded earlier, saves the user
     * at its end: its row version must not be mistaken for the renewed row's, or its save puts the older attributes
     * over node two's.
     */
    @Test
    void aSignInThatRenewsTheIdAndSetsTheUserKeepsAnOverlappingSaveOfAnotherNode() throws Exception {
        Visitor visitor = new Visitor();
        visitor.expectOk(one, "create");
        overlap(visitor, one, "renew?set=user", two, "put?name=cart&value=full");
        assertEquals(1, one.storedIds().size(), "one session");
        assertEquals("cart,user", visitor.expectOk(two, "names"));
    }

    /**
     * Sends {@code first} to {@code holder}, whose servlet holds it after the change and before the save, until
     * {@code second} has completed on {@code other}; then lets the first one finish, and checks both were answered.
     */
    private void overlap(Visitor visitor, Node holder, String first, Node other, String second) throws Exception {
        Hold hold = Hold.open();
        String heldAction = first + (first.contains("?") ? "&" : "?") + "hold=" + hold.key;
        Future<String> firstReply = held.submit(() -> visitor.expectOk(holder, heldAction));
        assertTrue(hold.reached.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the first request did not arrive");
        visitor.expectOk(other, second);
        hold.release.countDown();
        firstReply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * Sends {@code action} to {@code node}, which commits its response (saving the session if it changed) and then holds
     * the request until {@code during} has run; then lets it finish. A copy of the visitor taken before is the same
     * browser while the request is held.
     */
    private void whileHeldAfterCommit(Visitor visitor, Node node, String action, Check during) throws Exception {
        Hold hold = Hold.open();
        Future<String> committed = held.submit(() -> visitor.expectOk(node, action + "&commit=1&hold=" + hold.key));
        assertTrue(hold.reached.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the held request did not arrive");
        try {
            during.run();
        } finally {
            hold.release.countDown();
        }
        committed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** What a test checks while a request is held. */
    @FunctionalInterface
    private interface Check {
        void run() throws Exception;
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
                    if (request.getParameter("also") != null) { // a second attribute, to the same value
                        session.setAttribute(request.getParameter("also"), request.getParameter("value"));
                    }
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
                case "/append" -> {
                    HttpSession session = request.getSession(true);
                    @SuppressWarnings("unchecked")
                    List<String> list = (List<String>) session.getAttribute("list");
                    if (list == null) {
                        session.setAttribute("list", new ArrayList<>(List.of(request.getParameter("item"))));
                    } else {
                        list.add(request.getParameter("item")); // in place: the session is not told
                    }
                    body = session.getId();
                }
                case "/renew" -> {
                    HttpSession session = request.getSession(false);
                    if (request.getParameter("hold") != null) {
                        Hold.at(request.getParameter("hold")); // loaded, not yet renewed
                    }
                    body = request.changeSessionId();
                    if (request.getParameter("set") != null) { // a sign-in: a new id, then the user
                        session.setAttribute(request.getParameter("set"), "yes");
                    }
                    response.setContentType("text/plain");
                    response.getWriter().write(body);
                    return;
                }
                case "/create" -> body = request.getSession(true).getId();
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
            boolean commitFirst = request.getParameter("commit") != null;
            if (commitFirst) { // the response is committed, and the session saved if it changed, before the hold
                response.setContentType("text/plain");
                response.getWriter().write(body);
                response.flushBuffer();
            }
            if (request.getParameter("hold") != null) {
                Hold.at(request.getParameter("hold"));
            }
            if (!commitFirst) {
                response.setContentType("text/plain");
                response.getWriter().write(body);
            }
        }
    }

    /** A node of the tier in this JVM. */
    private static final class Node {
        final Server server = new Server();
        final ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        final String name;
        final String jdbcUrl;
        final MBeanServer mbeans = MBeanServerFactory.newMBeanServer();
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        private final ServerConnector connector = new ServerConnector(server);

        Node(String jdbcUrl, String name, Consumer<SharedSessions.Builder> options) throws Exception {
            this.name = name;
            this.jdbcUrl = jdbcUrl;
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            SharedSessions.Builder builder = SharedSessions.builder(SessionDatabase.jdbcUrl(jdbcUrl, null, null))
                    .workerName(name)
                    .allowPackage(Cart.class.getPackageName()); // the cart is read from the row
            options.accept(builder);
            SharedSessions sessions = builder.install(server);
            context.setContextPath("/");
            context.addServlet(OverlapServlet.class, "/s/*");
            server.setHandler(sessions.guard(context));
            server.addBean(new MBeanContainer(mbeans));
            new DatabaseMetrics(sessions).bindTo(meters);
            server.start();
        }

        /** A counter of the node's Micrometer meters ({@link DatabaseMetrics}). */
        long metered(String counter) {
            return (long) meters.get(counter).functionCounter().count();
        }

        /** A count of the node's {@link VersionedSave}, read through JMX as an operator reads it. */
        long counted(String attribute) throws Exception {
            Set<ObjectName> names = mbeans.queryNames(
                    ObjectName.getInstance("dev.syncsession.jetty.nodes:type=versionedsave,*"), null);
            assertEquals(1, names.size(), names.toString());
            return (Long) mbeans.getAttribute(names.iterator().next(), attribute);
        }

        /** The ids of the session table's rows, as the database holds them now. */
        List<String> storedIds() throws Exception {
            try (java.sql.Connection connection = java.sql.DriverManager.getConnection(jdbcUrl);
                    java.sql.ResultSet rows = connection.createStatement()
                            .executeQuery("SELECT sessionid FROM jettysessions ORDER BY sessionid")) {
                List<String> ids = new ArrayList<>();
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
                return ids;
            }
        }

        URI uri(String action) {
            return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/s/" + action);
        }
    }

    /** One browser: keeps its session cookie and sends it to whichever node it is told to. */
    private static final class Visitor {
        private volatile String cookie;

        /** Another browser with this one's cookie, as a second tab still holding it. */
        Visitor copy() {
            Visitor copy = new Visitor();
            copy.cookie = cookie;
            return copy;
        }

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
