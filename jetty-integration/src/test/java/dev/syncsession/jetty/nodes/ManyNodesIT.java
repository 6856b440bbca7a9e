/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.syncsession.jetty.protection.DatabaseSessionCap;
import dev.syncsession.jetty.users.UserSession;
import dev.syncsession.jetty.users.UserSessions;
import dev.syncsession.jetty.users.WhenUserLimitReached;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.session.DatabaseAdaptor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import dev.syncsession.jetty.cache.SessionCacheKind;
import dev.syncsession.jetty.protection.SessionIdFilter;

/**
 * syncsession on many nodes against a real PostgreSQL: every node is its own JVM ({@link SharedStoreNode}) on
 * 127.0.0.1, all sharing one database of an embedded PostgreSQL whose binaries come from Maven (zonky). Each test
 * gets a fresh database, so Jetty creates its session table anew.
 *
 * <p>PostgreSQL refuses to run as root; zonky then starts it through {@code unshare -U} (util-linux), which needs
 * unprivileged user namespaces. Every wait is bounded and every node is killed after its test.
 */
class ManyNodesIT {

    private static final Duration NODE_START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern LISTENING = Pattern.compile("^LISTENING (\\d+)$", Pattern.MULTILINE);
    private static final Pattern SESSION_COOKIE = Pattern.compile("JSESSIONID=([^;]*)");

    private static Path workDir;
    private static Path pgDataDir;
    private static EmbeddedPostgres postgres;
    private static int postgresPort;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final List<Node> nodes = new ArrayList<>();
    private String jdbcUrl;

    @BeforeAll
    static void startPostgres() throws Exception {
        workDir = Path.of(System.getProperty("it.work.dir", "target/it-work")).toAbsolutePath().resolve("many-nodes");
        deleteTree(workDir);
        Files.createDirectories(workDir);
        pgDataDir = workDir.resolve("pgdata");
        postgres = startPostgresOn(0);
        postgresPort = postgres.getPort();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** Starts PostgreSQL on the data directory, initialising it on first use; keeps it on close for restarts. */
    private static EmbeddedPostgres startPostgresOn(int port) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(pgDataDir)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60));
        if (port != 0) {
            builder.setPort(port);
        }
        return builder.start();
    }

    /** A fresh database per test, with connect and socket timeouts so that no store call hangs. */
    private String newDatabase(TestInfo test) throws Exception {
        String name = "t" + DATABASES.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        System.out.println(test.getDisplayName() + " uses database " + name);
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + name
                + "?user=postgres&connectTimeout=3&socketTimeout=10&loginTimeout=5";
    }

    @AfterEach
    void killNodes() {
        for (Node node : nodes) {
            node.kill();
        }
    }

    @Test
    void sessionCreatedOnOneNodeIsReadOnTheOther(TestInfo test) throws Exception {
        jdbcUrl = newDatabase(test);
        Node a = startNode("a", "--cache", "null");
        Node b = startNode("b", "--cache", "null");

        Visitor visitor = new Visitor();
        String id = visitor.expectOk(a, "put?name=colour&value=blue");
        assertEquals("blue", visitor.expectOk(b, "get?name=colour"), "B reads what A wrote");
        assertEquals(id, visitor.expectOk(b, "put?name=size&value=L"), "B serves the same session");
        assertEquals("colour,size", visitor.expectOk(a, "names"), "A reads what B wrote");
        assertTrue(id.startsWith("a"), "A's worker name prefixes the ids it creates: " + id);
    }

    /**
     * Every node of a cluster can start at the same moment on an empty database (#25 item 1): the schema steps of
     * four stores indexing sessions by user (Jetty's table and index, the principal column and its index, the
     * revocations table and its index) are released together by a barrier, ten rounds on a fresh database each, and
     * every store starts and leaves the schema complete. Without the advisory lock around the step, some store in
     * most runs failed with 42P07 (relation "jettysessions" already exists) or 23505 (pg_type's unique index).
     */
    @Test
    void storesStartingTogetherOnAnEmptyDatabaseAllStart(TestInfo test) throws Exception {
        int stores = 4;
        ExecutorService threads = Executors.newFixedThreadPool(stores);
        try {
            for (int round = 1; round <= 10; round++) {
                String url = newDatabase(test);
                CyclicBarrier together = new CyclicBarrier(stores);
                List<Future<?>> starts = new ArrayList<>();
                for (int i = 0; i < stores; i++) {
                    SharedJdbcSessionDataStore store = storeIndexingByUser(url);
                    starts.add(threads.submit(() -> {
                        together.await(30, TimeUnit.SECONDS);
                        store.initialize();
                        return null;
                    }));
                }
                for (Future<?> start : starts) {
                    try {
                        start.get(60, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException e) {
                        fail("round " + round + ": a store did not start: " + e.getCause(), e.getCause());
                    }
                }
                assertSchemaComplete(url, "round " + round);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** A store as a node indexing sessions by user makes it, with a database adaptor of its own. */
    private static SharedJdbcSessionDataStore storeIndexingByUser(String url) {
        SharedJdbcSessionDataStore store = new SharedJdbcSessionDataStore(
                new DatabaseAvailability(() -> true, Duration.ofSeconds(1)), new SaveConflicts(), null,
                new SharedSessions.Builder().sessionsByUser().config());
        DatabaseAdaptor adaptor = new DatabaseAdaptor();
        adaptor.setDriverInfo("org.postgresql.Driver", url);
        store.setDatabaseAdaptor(adaptor);
        return store;
    }

    /**
     * Jetty's session table and expiry index, the version column, the principal column and its index, the
     * revocations table and index.
     */
    private static void assertSchemaComplete(String jdbcUrl, String what) throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            assertEquals(2, count(s, "SELECT count(*) FROM information_schema.tables WHERE table_name IN"
                    + " ('jettysessions', 'jettysessions_revocations')"), what + ": tables");
            assertEquals(1, count(s, "SELECT count(*) FROM information_schema.columns WHERE table_name ="
                    + " 'jettysessions' AND column_name = '" + SharedUserIndex.USER_COLUMN + "'"),
                    what + ": principal column");
            assertEquals(1, count(s, "SELECT count(*) FROM information_schema.columns WHERE table_name ="
                    + " 'jettysessions' AND column_name = '" + VersionedRows.VERSION_COLUMN + "'"),
                    what + ": version column");
            assertEquals(3, count(s, "SELECT count(*) FROM pg_indexes WHERE indexname IN ('idx_jettysessions_expiry',"
                    + " 'jettysessions_user', 'jettysessions_revocations_at')"), what + ": indexes");
        }
    }

    private static int count(Statement statement, String sql) throws Exception {
        try (java.sql.ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getInt(1);
        }
    }

    @Test
    void killedNodeLosesNoSessionAndNoCompletedWrite(TestInfo test) throws Exception {
        jdbcUrl = newDatabase(test);
        Node a = startNode("a", "--cache", "syncmap");
        Node b = startNode("b", "--cache", "syncmap");

        int visitors = 8;
        AtomicBoolean aKilled = new AtomicBoolean();
        AtomicLong completedWrites = new AtomicLong();
        AtomicLong lostWrites = new AtomicLong();
        AtomicLong lostSessions = new AtomicLong();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        CountDownLatch warmedUp = new CountDownLatch(visitors);
        ExecutorService pool = Executors.newFixedThreadPool(visitors);
        List<Future<?>> work = new ArrayList<>();
        for (int v = 0; v < visitors; v++) {
            work.add(pool.submit(() -> {
                Visitor visitor = new Visitor();
                Set<String> completed = new HashSet<>();
                boolean counted = false;
                // Sticky to A until A is gone: a request either completes (200) or fails with A's death.
                for (int seq = 0; seq < 100_000; seq++) {
                    Reply reply;
                    try {
                        reply = visitor.call(a, "put?name=w" + seq + "&value=" + seq);
                    } catch (IOException e) {
                        if (!aKilled.get()) {
                            problems.add("request to A failed before the kill: " + e);
                        }
                        break;
                    }
                    if (reply.status != 200) {
                        problems.add("A answered " + reply.status + ": " + reply.body);
                        break;
                    }
                    completed.add("w" + seq);
                    if (completed.size() == 5 && !counted) {
                        counted = true;
                        warmedUp.countDown();
                    }
                }
                if (!counted) {
                    warmedUp.countDown();
                }
                completedWrites.addAndGet(completed.size());
                // The load balancer moves the client to B.
                Reply names = visitor.callUnchecked(b, "names");
                if (names.status != 200 || names.body.equals("none")) {
                    lostSessions.incrementAndGet();
                    problems.add("B does not have the session: " + names.status + " " + names.body);
                    return;
                }
                Set<String> present = new HashSet<>(Arrays.asList(names.body.split(",")));
                for (String name : completed) {
                    if (!present.contains(name)) {
                        lostWrites.incrementAndGet();
                        problems.add("B lacks " + name + " of session " + visitor.sessionId);
                    }
                }
                Reply after = visitor.callUnchecked(b, "put?name=after&value=1");
                if (after.status != 200) {
                    problems.add("B could not write to the session: " + after.status + " " + after.body);
                }
            }));
        }
        try {
            // Each visitor has completed five writes on A and keeps sending more: the kill lands among their requests.
            assertTrue(warmedUp.await(60, TimeUnit.SECONDS), "the visitors got going on A");
            aKilled.set(true);
            a.kill();
            for (Future<?> f : work) {
                f.get(90, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("failover: %d visitors, %d writes completed on A before SIGKILL, %d sessions lost,"
                + " %d completed writes lost%n", visitors, completedWrites.get(), lostSessions.get(), lostWrites.get());
        assertEquals(List.of(), List.copyOf(problems));
        assertEquals(0, lostSessions.get(), "lost sessions");
        assertEquals(0, lostWrites.get(), "lost completed writes");
        assertTrue(completedWrites.get() >= visitors * 5L, "the visitors were working when A died");
    }

    /**
     * An expired session's listeners fire once across the nodes, with both up and when its node died. Once the row is
     * gone, no node can load the session to expire it again; the test then waits for two completed housekeeping runs
     * on each live node (the second began after the row was gone) before it counts the events.
     */
    @Test
    void abandonedSessionIsExpiredOnceByOneNode(TestInfo test) throws Exception {
        jdbcUrl = newDatabase(test);
        String[] expiryOptions = {"--cache", "syncmap", "--grace", "2", "--scavenge", "1"};
        Node a = startNode("a", expiryOptions);
        Node b = startNode("b", expiryOptions);

        // Both nodes up: the node holding the session expires it; the other must not expire it again.
        String kept = new Visitor().expectOk(a, "max-inactive?seconds=2");
        waitFor(() -> a.count("DESTROYED " + kept) + b.count("DESTROYED " + kept) > 0, Duration.ofSeconds(30),
                "session " + kept + " to expire");
        awaitNoNodeCanExpireAgain(kept, a, b);
        assertEquals(1, a.count("DESTROYED " + kept) + b.count("DESTROYED " + kept),
                "listeners fired once across both nodes for " + kept);

        // A dies holding the session: B's housekeeping finds it in the table and expires it, once.
        Visitor orphanVisitor = new Visitor();
        String orphan = orphanVisitor.expectOk(a, "max-inactive?seconds=2");
        a.kill();
        waitFor(() -> b.count("DESTROYED " + orphan) > 0, Duration.ofSeconds(40), "B to expire " + orphan);
        awaitNoNodeCanExpireAgain(orphan, b);
        assertEquals(1, b.count("DESTROYED " + orphan), "B fired the listeners once for " + orphan);
        assertEquals("none", orphanVisitor.expectOk(b, "names"), "the expired session is gone from the table");
    }

    /**
     * Waits until the session's row has left the table, then until each node has completed two housekeeping runs:
     * a run that began before the row was gone may still have loaded it, the second began after.
     */
    private void awaitNoNodeCanExpireAgain(String sessionId, Node... live) throws Exception {
        waitFor(() -> column(jdbcUrl, sessionId, "sessionId") == null, Duration.ofSeconds(30),
                "the row of " + sessionId + " to go");
        for (Node node : live) {
            int before = node.count("SCAVENGED");
            waitFor(() -> node.count("SCAVENGED") >= before + 2, Duration.ofSeconds(30),
                    "two housekeeping runs on " + node.name + " after the row of " + sessionId + " was gone");
        }
    }

    @Test
    void concurrentLoadOnBothNodesLosesNothing(TestInfo test) throws Exception {
        jdbcUrl = newDatabase(test);
        Node a = startNode("a", "--cache", "syncmap");
        Node b = startNode("b", "--cache", "syncmap");
        long seconds = Long.getLong("it.load.seconds", 20);
        int visitors = 12;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AtomicLong requests = new AtomicLong();
        AtomicLong lostWrites = new AtomicLong();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(visitors);
        List<Future<?>> work = new ArrayList<>();
        for (int v = 0; v < visitors; v++) {
            Node home = v % 2 == 0 ? a : b;
            Node other = home == a ? b : a;
            work.add(pool.submit(() -> {
                Visitor visitor = new Visitor();
                Set<String> written = new HashSet<>();
                for (int seq = 0; System.nanoTime() < deadline && errors.isEmpty(); seq++) {
                    try {
                        Reply put = visitor.call(home, "put?name=w" + seq + "&value=" + seq);
                        requests.incrementAndGet();
                        if (put.status != 200) {
                            errors.add(home.name + " answered " + put.status + ": " + put.body);
                            return;
                        }
                        written.add("w" + seq);
                        if (seq % 5 == 4) {
                            Reply get = visitor.call(home, "get?name=w" + seq);
                            requests.incrementAndGet();
                            if (!get.body.equals(Integer.toString(seq))) {
                                errors.add(home.name + " read back " + get.body + " for w" + seq);
                                return;
                            }
                        }
                    } catch (IOException e) {
                        errors.add(home.name + ": " + e);
                        return;
                    }
                }
                // Afterwards the other node, which never cached this session, reads it from the database.
                Reply names = visitor.callUnchecked(other, "names");
                Set<String> present = new HashSet<>(Arrays.asList(names.body.split(",")));
                for (String name : written) {
                    if (!present.contains(name)) {
                        lostWrites.incrementAndGet();
                    }
                }
            }));
        }
        try {
            for (Future<?> f : work) {
                f.get(seconds + 60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("load: %d visitors on 2 nodes for %d s, %d requests, %d errors, %d writes lost%n",
                visitors, seconds, requests.get(), errors.size(), lostWrites.get());
        assertEquals(List.of(), List.copyOf(errors));
        assertEquals(0, lostWrites.get(), "writes missing when read from the other node");
        assertTrue(requests.get() > visitors, "the load ran");
    }

    @Test
    void databaseOutageFailsFastWithAClearErrorAndServiceResumes(TestInfo test) throws Exception {
        jdbcUrl = newDatabase(test);
        Node a = startNode("a", "--cache", "syncmap");
        Node b = startNode("b", "--cache", "syncmap");
        Visitor onA = new Visitor();
        onA.expectOk(a, "put?name=x&value=1");
        String idOnA = onA.sessionId;
        Visitor onB = new Visitor();
        onB.expectOk(b, "put?name=y&value=2");
        String idOnB = onB.sessionId;

        postgres.close();
        try {
            List<String> outcomes = new ArrayList<>();
            long longestMillis = 0;
            int refused = 0;
            for (int i = 0; i < 6; i++) {
                for (Object[] probe : new Object[][] {{onA, a, "get?name=x"}, {onB, b, "put?name=z&value=3"}}) {
                    Visitor visitor = (Visitor) probe[0];
                    long start = System.nanoTime();
                    Reply reply = visitor.call((Node) probe[1], (String) probe[2]);
                    longestMillis = Math.max(longestMillis, (System.nanoTime() - start) / 1_000_000);
                    outcomes.add(((Node) probe[1]).name + ":" + reply.status);
                    if (reply.status == 503) {
                        refused++;
                        assertEquals(DatabaseOutageGuard.CLIENT_MESSAGE, reply.body, "the 503 says nothing of the database");
                    }
                }
                Thread.sleep(300);
            }
            System.out.println("while the database was down: " + outcomes + ", slowest " + longestMillis + " ms");
            assertTrue(longestMillis < REQUEST_TIMEOUT.toMillis(), "no request waited past the timeout");
            assertTrue(refused >= 8, "requests were refused with 503 once the outage was seen: " + outcomes);
            assertEquals(idOnA, onA.sessionId, "A's visitor kept their session id");
            assertEquals(idOnB, onB.sessionId, "B's visitor kept their session id");
        } finally {
            postgres = startPostgresOn(postgresPort);
        }

        waitFor(() -> onA.callUnchecked(a, "get?name=x").status == 200, Duration.ofSeconds(30), "A to resume");
        waitFor(() -> onB.callUnchecked(b, "get?name=y").status == 200, Duration.ofSeconds(30), "B to resume");
        assertEquals("1", onA.expectOk(b, "get?name=x"), "A's session survived the outage");
        assertEquals("2", onB.expectOk(a, "get?name=y"), "B's session survived the outage");
        assertEquals(idOnA, onA.sessionId);
        assertEquals(idOnB, onB.sessionId);
    }

    /**
     * An outage is one WARN line when it begins and one INFO line when it ends, which says how long it lasted and how
     * many requests were answered 503 and saves failed; those counts are the ones JMX and Micrometer show, and the
     * 503s are the ones the clients saw. No logger prints a stack trace at the default level: not Jetty's for the
     * save that fails on the way out of the first request (Jetty logs it with what the store threw), not ours for the
     * guard's failed probes, not HikariCP's for the broken connections (see docs/many-nodes.md). The node runs in
     * this JVM; the log is what slf4j-simple writes to {@code System.err},
     * captured for the outage.
     */
    @Test
    void anOutageIsOneWarningWhenItBeginsAndOneLineWhenItEndsWithItsCounts(TestInfo test) throws Exception {
        jdbcUrl = newDatabase(test);
        javax.management.MBeanServer mbeans = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        org.eclipse.jetty.jmx.MBeanContainer container = new org.eclipse.jetty.jmx.MBeanContainer(mbeans);
        try (InProcessNode node = new InProcessNode(jdbcUrl,
                b -> b.workerName("one"), // no revocation poll or scavenge: the first request meets the outage
                server -> server.addBean(container), "/app")) {
            io.micrometer.core.instrument.simple.SimpleMeterRegistry metrics =
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
            new dev.syncsession.jetty.metrics.DatabaseMetrics(node.sessions).bindTo(metrics);
            Set<javax.management.ObjectName> names = mbeans.queryNames(
                    new javax.management.ObjectName("dev.syncsession.jetty.nodes:type=databaseavailability,*"), null);
            assertEquals(1, names.size(), "the availability is in JMX: " + names);
            javax.management.ObjectName jmx = names.iterator().next();

            Visitor ada = new Visitor();
            Visitor bob = new Visitor();
            assertEquals(200, ada.call(node.uri("/app", "put?name=user&value=ada")).status);
            assertEquals(200, bob.call(node.uri("/app", "put?name=x&value=1")).status);

            String log;
            AtomicInteger answered503 = new AtomicInteger();
            List<Integer> statuses = new ArrayList<>();
            long outageStart;
            try (ErrCapture captured = new ErrCapture()) {
                postgres.close();
                outageStart = System.nanoTime();
                try {
                    // Cached sessions, trusted: the saves on the way out fail, then the guard answers 503.
                    for (int i = 0; i < 6; i++) {
                        for (Visitor visitor : List.of(ada, bob)) {
                            String action = i % 2 == 0 ? "get?name=x" : "put?name=y&value=" + i;
                            Reply reply = visitor.call(node.uri("/app", action));
                            statuses.add(reply.status);
                            if (reply.status == 503) {
                                answered503.incrementAndGet();
                            }
                        }
                    }
                    // New visitors while the guard's probes (at most one a second) fail: refused before Jetty runs.
                    long probesBefore = node.sessions.availability().probes();
                    waitFor(() -> {
                        Reply reply = new Visitor().call(node.uri("/app", "put?name=x&value=1"));
                        statuses.add(reply.status);
                        if (reply.status == 503) {
                            answered503.incrementAndGet();
                        }
                        return node.sessions.availability().probes() >= probesBefore + 2;
                    }, Duration.ofSeconds(30), "two failed probes");
                    assertEquals(false, mbeans.getAttribute(jmx, "available"));
                } finally {
                    postgres = startPostgresOn(postgresPort);
                }
                waitFor(() -> {
                    Reply reply = ada.callUnchecked(node.uri("/app", "get?name=user"));
                    if (reply.status == 503) {
                        answered503.incrementAndGet();
                    }
                    return reply.status == 200;
                }, Duration.ofSeconds(30), "the node to resume");
                log = captured.text();
            }
            long outageMillis = (System.nanoTime() - outageStart) / 1_000_000;
            System.out.println("during the outage (" + outageMillis + " ms): " + statuses);

            List<String> began = log.lines().filter(l -> l.contains("WARN " + DatabaseAvailability.class.getName())
                    && l.contains("the session database is unavailable")).toList();
            List<String> ended = log.lines().filter(l -> l.contains("INFO " + DatabaseAvailability.class.getName())
                    && l.contains("the session database answers again")).toList();
            assertEquals(1, began.size(), "one warning when the outage began:\n" + log);
            assertEquals(1, ended.size(), "one line when it ended:\n" + log);

            List<LogEntry> traced = LogEntry.parse(log).stream().filter(LogEntry::hasStackTrace).toList();
            System.out.println("log entries with a stack trace during the outage: " + traced.size() + " "
                    + traced.stream().map(e -> e.logger).toList());
            assertEquals(List.of(), traced.stream().map(entry -> String.join("\n", entry.lines)).toList(),
                    "stack traces at the default level");
            long refused = (Long) mbeans.getAttribute(jmx, "requestsRefused");
            long savesFailed = (Long) mbeans.getAttribute(jmx, "savesFailed");
            assertEquals(answered503.get(), refused, "JMX counts the 503s the clients saw");
            assertTrue(savesFailed >= 1, "the saves on the way out of the first requests failed: " + savesFailed);
            assertEquals(1L, (Long) mbeans.getAttribute(jmx, "outages"));
            assertEquals(refused, (long) metrics.get("syncsession.database.requests.refused").functionCounter().count());
            assertEquals(savesFailed, (long) metrics.get("syncsession.database.saves.failed").functionCounter().count());
            assertEquals(1L, (long) metrics.get("syncsession.database.outages").functionCounter().count());
            assertEquals(1.0, metrics.get("syncsession.database.available").gauge().value());
            Matcher counts = Pattern.compile("after (\\d+) ms unavailable; during the outage (\\d+) requests were"
                    + " answered 503 and (\\d+) session saves failed").matcher(ended.get(0));
            assertTrue(counts.find(), ended.get(0));
            assertEquals(refused, Long.parseLong(counts.group(2)), ended.get(0));
            assertEquals(savesFailed, Long.parseLong(counts.group(3)), ended.get(0));
            assertTrue(Long.parseLong(counts.group(1)) <= outageMillis, ended.get(0));

            assertEquals("ada", ada.call(node.uri("/app", "get?name=user")).body, "the session survived");
        } finally {
            container.destroy(); // unregisters the node's MBeans from the platform server, which outlives the test
        }
    }

    /** One entry of slf4j-simple's output: its first line names the logger; a stack trace follows it, if any. */
    private record LogEntry(String logger, List<String> lines) {
        private static final Pattern FIRST_LINE =
                Pattern.compile("^\\[[^\\]]*\\] (TRACE|DEBUG|INFO|WARN|ERROR) (\\S+) - ");

        boolean hasStackTrace() {
            return lines.stream().anyMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by"));
        }

        static List<LogEntry> parse(String log) {
            List<LogEntry> entries = new ArrayList<>();
            String logger = "(before the first entry)";
            List<String> lines = new ArrayList<>();
            for (String line : log.lines().toList()) {
                Matcher m = FIRST_LINE.matcher(line);
                if (m.find()) {
                    entries.add(new LogEntry(logger, lines));
                    logger = m.group(2);
                    lines = new ArrayList<>();
                }
                lines.add(line);
            }
            entries.add(new LogEntry(logger, lines));
            return entries;
        }
    }

    /**
     * What is printed to {@code System.err} (where slf4j-simple writes, looked up at each call) while this is open,
     * still passed on to the real one.
     */
    private static final class ErrCapture implements AutoCloseable {
        private final java.io.PrintStream original = System.err;
        private final java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();

        ErrCapture() {
            java.io.OutputStream tee = new java.io.OutputStream() {
                @Override
                public void write(int b) {
                    synchronized (captured) {
                        captured.write(b);
                    }
                    original.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    synchronized (captured) {
                        captured.write(b, off, len);
                    }
                    original.write(b, off, len);
                }
            };
            System.setErr(new java.io.PrintStream(tee, true, StandardCharsets.UTF_8));
        }

        String text() {
            System.err.flush();
            synchronized (captured) {
                return captured.toString(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() {
            System.err.flush();
            System.setErr(original);
        }
    }

    /**
     * The first request of a session that this node must load while the database is down gets the 503 and keeps
     * its cookie: it is not served as if it had no session, and no new session replaces the user's.
     */
    @Test
    void aSessionThatCannotBeLoadedDuringAnOutageGets503AndKeepsItsCookie(TestInfo test) throws Exception {
        jdbcUrl = newDatabase(test);
        Node a = startNode("a", "--cache", "syncmap");
        Node b = startNode("b", "--cache", "syncmap");
        Visitor visitor = new Visitor();
        visitor.expectOk(a, "put?name=x&value=1");
        String cookie = visitor.cookie;
        String id = visitor.sessionId;

        postgres.close();
        try {
            // B has never seen this session, so it must load it, and the load is the first to find the database down.
            Reply creating = visitor.call(b, "put?name=x&value=2");
            assertEquals(503, creating.status, creating.body);
            assertEquals(DatabaseOutageGuard.CLIENT_MESSAGE, creating.body);
            assertEquals(cookie, visitor.cookie, "no Set-Cookie replaced the user's cookie");
            Reply reading = visitor.call(b, "get?name=x");
            assertEquals(503, reading.status, reading.body);
            assertEquals(cookie, visitor.cookie);
        } finally {
            postgres = startPostgresOn(postgresPort);
        }
        waitFor(() -> visitor.callUnchecked(b, "get?name=x").status == 200, Duration.ofSeconds(30), "B to resume");
        assertEquals("1", visitor.expectOk(b, "get?name=x"), "the session is intact and B now serves it");
        assertEquals(id, visitor.sessionId, "the same session (Jetty adds B's node suffix to the cookie)");
    }

    /**
     * A row the database refuses (Jetty's table holds context paths of at most 60 characters) fails that request
     * only; the node keeps serving every other session.
     */
    @Test
    void oneBadRowFailsOneRequestAndTheNodeServesEveryoneElse(TestInfo test) throws Exception {
        jdbcUrl = newDatabase(test);
        String tooLong = "/" + "x".repeat(70);
        try (InProcessNode node = new InProcessNode(jdbcUrl, "/ok", tooLong)) {
            // Jetty logs the failed insert ("value too long") and carries on, as it does for any store failure.
            Reply bad = new Visitor().call(node.uri(tooLong, "put?name=x&value=1"));
            assertTrue(bad.status != 503, "the bad row's request is not refused as an outage: " + bad.status);
            assertEquals(0, rows(jdbcUrl), "the database refused the row");
            assertTrue(node.sessions.availability().isAvailable(), "a value too long is not an outage");
            Visitor other = new Visitor();
            assertEquals(200, other.call(node.uri("/ok", "put?name=y&value=2")).status);
            assertEquals("2", other.call(node.uri("/ok", "get?name=y")).body);
            assertEquals(1, rows(jdbcUrl));
        }
    }

    /** The rows of Jetty's session table. */
    private static int rows(String jdbcUrl) throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
                java.sql.ResultSet r = s.executeQuery("SELECT count(*) FROM jettysessions")) {
            r.next();
            return r.getInt(1);
        }
    }

    /**
     * A redeploy, as Jetty's deployer does it (the old context stopped and removed, a new one added and started),
     * three times: the factory keeps only the started store, and the old stores and their contexts can be collected.
     */
    @Test
    void aRedeployedContextReleasesItsOldStore(TestInfo test) throws Exception {
        jdbcUrl = newDatabase(test);
        try (InProcessNode node = new InProcessNode(jdbcUrl, "/app")) {
            ServletContextHandler context = node.contexts.get(0);
            java.lang.ref.WeakReference<Object> firstStore = new java.lang.ref.WeakReference<>(
                    context.getSessionHandler().getSessionCache().getSessionDataStore());
            java.lang.ref.WeakReference<Object> firstContext = new java.lang.ref.WeakReference<>(context);
            for (int i = 0; i < 3; i++) {
                context.stop();
                node.handlers.removeHandler(context);
                context = InProcessNode.context("/app");
                node.handlers.addHandler(context);
                context.start();
            }
            node.contexts.set(0, context);
            assertEquals(1, node.sessions.storeFactory().startedStores());
            for (int i = 0; i < 50 && (firstStore.get() != null || firstContext.get() != null); i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertTrue(firstStore.get() == null && firstContext.get() == null,
                    "the first deployment's store or context is still reachable after three redeploys");
            assertEquals(200, new Visitor().call(node.uri("/app", "put?name=x&value=1")).status);
        }
    }

    /**
     * Overlapping requests of one session on two node processes, with the null cache (each request loads its own copy,
     * as behind a balancer that is not sticky), the overlap forced by a latch across processes: node A's request
     * makes its change (or reaches its renewal or sign-out) and waits, node B's whole request runs, then A's request
     * is released and saves (docs/many-nodes.md, "Overlapping requests"). {@link OverlappingRequestsIT} runs the same
     * cases and more in one JVM.
     */
    @Test
    void overlappingRequestsOnTwoNodeProcessesKeepEveryChangeAndNeverReviveASession(TestInfo test) throws Exception {
        jdbcUrl = newDatabase(test);
        Node a = startNode("a", "--cache", "null");
        Node b = startNode("b", "--cache", "null");
        ExecutorService held = Executors.newSingleThreadExecutor();
        try {
            Visitor different = new Visitor();
            different.expectOk(a, "put?name=first&value=1");
            overlap(held, different, a, "put?name=fromA&value=1", b, "put?name=fromB&value=1");
            assertEquals("first,fromA,fromB", different.expectOk(b, "names"), "different attributes: one was lost");

            Visitor cart = new Visitor();
            cart.expectOk(a, "add?item=apple");
            overlap(held, cart, a, "add?item=pear", b, "add?item=plum");
            assertEquals("[apple, pear, plum]", cart.expectOk(b, "get?name=cart"), "the merging cart lost an item");

            Visitor removal = new Visitor();
            removal.expectOk(a, "put?name=doomed&value=1");
            overlap(held, removal, b, "put?name=other&value=1", a, "remove?name=doomed"); // B loaded it with doomed
            assertEquals("other", removal.expectOk(a, "names"), "B's later save undid A's removal");

            Visitor signOut = new Visitor();
            signOut.expectOk(a, "put?name=user&value=ada");
            overlap(held, signOut, a, "put?name=cart&value=full", b, "invalidate");
            assertEquals("none", signOut.expectOk(a, "names"), "A's later save brought the signed-out session back");

            Visitor renewal = new Visitor();
            renewal.expectOk(a, "put?name=user&value=ada");
            String oldId = renewal.sessionId;
            overlap(held, renewal, b, "put?name=cart&value=full", a, "renew");
            assertNotEquals(oldId, renewal.sessionId, "the renewal gave no new id");
            List<String> ids = sessionIds(); // the earlier cases' sessions too
            assertTrue(ids.contains(renewal.sessionId) && !ids.contains(oldId),
                    "the renewal did not leave exactly one session: " + ids);
            assertEquals("user", renewal.expectOk(b, "names"), "B's save of the old id came back beside the renewal");
        } finally {
            held.shutdownNow();
        }
    }

    /**
     * An attribute changed in place ({@code list.add}, no {@code setAttribute}) on one node process, within a save
     * period: with {@code detectInPlaceChanges} the change is saved and the other node process serves it; without,
     * the request saves nothing (a save period defers a save of access times), and the other node serves the list as
     * it was last set.
     */
    @Test
    void anInPlaceChangeReachesTheOtherNodeProcessWithinTheSavePeriodOnlyWhenDetected(TestInfo test)
            throws Exception {
        for (boolean detect : List.of(true, false)) {
            jdbcUrl = newDatabase(test);
            Node a = startNode("a-" + detect, "--cache", "null", "--save-period", "60", "--detect-in-place",
                    Boolean.toString(detect));
            Node b = startNode("b-" + detect, "--cache", "null", "--save-period", "60", "--detect-in-place",
                    Boolean.toString(detect));
            Visitor visitor = new Visitor();
            visitor.expectOk(a, "append?item=apple");
            visitor.expectOk(a, "append?item=pear");
            assertEquals(detect ? "[apple, pear]" : "[apple]", visitor.expectOk(b, "get?name=list"),
                    "detectInPlaceChanges=" + detect);
            a.kill();
            b.kill();
        }
    }

    /**
     * Sends {@code first} to {@code holder}, which makes its change and waits (its {@code HELD} line), then the whole
     * of {@code second} to {@code other}, then releases the held request and waits for its answer.
     */
    private static void overlap(ExecutorService held, Visitor visitor, Node holder, String first, Node other,
            String second) throws Exception {
        String key = Long.toString(HOLD_KEYS.incrementAndGet());
        Visitor sameBrowser = visitor.copy();
        Future<String> firstAnswer = held.submit(() -> visitor.expectOk(holder, first + "&holdKey=" + key));
        waitFor(() -> holder.count("HELD " + key) == 1, REQUEST_TIMEOUT, holder.name + " to hold request " + key);
        sameBrowser.expectOk(other, second);
        holder.release(key);
        firstAnswer.get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (sameBrowser.sessionId != null && !sameBrowser.sessionId.equals(visitor.sessionId)) {
            visitor.cookie = sameBrowser.cookie; // the other request renewed the id
            visitor.sessionId = sameBrowser.sessionId;
        }
    }

    private static final AtomicLong HOLD_KEYS = new AtomicLong();

    /** The ids of the session table's rows. */
    private List<String> sessionIds() throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
                ResultSet rows = connection.createStatement()
                        .executeQuery("SELECT sessionid FROM jettysessions ORDER BY sessionid")) {
            List<String> ids = new ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
            return ids;
        }
    }

    /**
     * Stickiness broken: a session's requests alternate between two caching nodes, writing on every hop. Each node
     * checks its cached copy against the row before using it, so no completed write is lost and no stale copy is
     * served or written back; an invalidation on one node is honoured on the other, which still cached the session.
     */
    @Test
    void aSessionRoutedBackAndForthLosesNoWriteAndAnInvalidationIsHonouredOnTheOtherNode(TestInfo test)
            throws Exception {
        jdbcUrl = newDatabase(test);
        for (String cache : List.of("syncmap", "default")) {
            Node a = startNode("a-" + cache, "--cache", cache);
            Node b = startNode("b-" + cache, "--cache", cache);
            Visitor visitor = new Visitor();
            visitor.expectOk(a, "put?name=hop&value=1");
            for (int hop = 2; hop <= 7; hop++) {
                Node node = hop % 2 == 0 ? b : a;
                assertEquals(Integer.toString(hop - 1), visitor.expectOk(node, "get?name=hop"),
                        cache + " cache, hop " + hop + " on " + node.name + ": the other node's last write");
                visitor.expectOk(node, "put?name=hop&value=" + hop);
            }
            assertEquals("7", visitor.expectOk(b, "get?name=hop"));
            assertEquals("invalidated", visitor.expectOk(b, "invalidate"));
            assertEquals("none", visitor.expectOk(a, "get?name=hop"),
                    cache + " cache: A still cached the session B invalidated");
            a.kill();
            b.kill();
        }
    }

    /**
     * A node's idle eviction saves the session first; if another node has saved a newer copy since, the evicting
     * node's older copy must not be written over it. The test waits until A's eviction has run (the session left A's
     * cache) and checks that it found its copy replaced (A's dropped copies). A evicts after 3 s idle, so that B's save
     * comes before it even on a loaded machine; an eviction before B's save would prove nothing, and fails the test.
     */
    @Test
    void anIdleEvictionNeverWritesAnOlderCopyOverAnotherNodesSave(TestInfo test) throws Exception {
        jdbcUrl = newDatabase(test);
        Node a = startNode("a", "--cache", "syncmap", "--evict", "3");
        Node b = startNode("b", "--cache", "null");
        Visitor visitor = new Visitor();
        visitor.expectOk(a, "put?name=x&value=1"); // A caches the copy with x=1 and evicts it when idle for 3 s
        visitor.expectOk(b, "put?name=x&value=2"); // B saves x=2 and keeps nothing
        Visitor observer = new Visitor(); // no cookie: asks A about the session without a request of it
        waitFor(() -> "false".equals(observer.expectOk(a, "cached?id=" + visitor.sessionId)), Duration.ofSeconds(30),
                "A's idle eviction of the session");
        Node c = startNode("c", "--cache", "null");
        assertEquals("2", visitor.expectOk(c, "get?name=x"), "A's eviction wrote its older copy over B's save");
        assertEquals("1", observer.expectOk(a, "copies-dropped"),
                "A's eviction did not find its copy older than B's save (did it run before B's save?)");
    }

    /**
     * The pool of {@code SessionDatabase.jdbcUrl} is bounded: past its size a request waits at most the connection
     * timeout and fails with what the guard takes for an outage; its state is in JMX; it is closed once the server
     * has stopped.
     */
    @Test
    void theConnectionPoolIsBoundedVisibleInJmxAndClosedWithTheServer(TestInfo test) throws Exception {
        jdbcUrl = newDatabase(test);
        PooledSessionDatabase pool = new PooledSessionDatabase(jdbcUrl, null, null, 2, 1);
        Server server = new Server();
        server.addEventListener(pool);
        server.start();
        try (Connection held = pool.getConnection(); Connection alsoHeld = pool.getConnection()) {
            javax.management.ObjectName name = new javax.management.ObjectName(
                    "com.zaxxer.hikari:type=Pool (" + pool.poolName() + ")");
            javax.management.MBeanServer mbeans = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            assertEquals(2, mbeans.getAttribute(name, "ActiveConnections"));
            long start = System.nanoTime();
            java.sql.SQLException exhausted = org.junit.jupiter.api.Assertions.assertThrows(
                    java.sql.SQLException.class, pool::getConnection);
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waitedMillis >= 900 && waitedMillis < 10_000, "waited " + waitedMillis + " ms");
            assertTrue(DatabaseAvailability.isUnavailability(exhausted), "an exhausted pool is an outage: " + exhausted);
        }
        server.stop();
        assertThrows(IllegalArgumentException.class, () -> new PooledSessionDatabase(jdbcUrl, null, null, 1, 1),
                "a pool of one could not start a store, whose schema step holds two connections");
        assertEquals(false, java.lang.management.ManagementFactory.getPlatformMBeanServer().isRegistered(
                new javax.management.ObjectName("com.zaxxer.hikari:type=Pool (" + pool.poolName() + ")")),
                "the pool was closed with the server");
    }

    /**
     * The session cap of the tier counts every node's sessions: two nodes under a cap of 4 create 2 each, and
     * then neither creates a fifth (503 with Retry-After), while existing sessions keep working.
     */
    @Test
    void theLiveSessionCapCountsTheSessionsOfEveryNode(TestInfo test) throws Exception {
        jdbcUrl = newDatabase(test);
        try (InProcessNode one = new InProcessNode(jdbcUrl, b -> b.workerName("one").sessionCap(4), "/app");
                InProcessNode two = new InProcessNode(jdbcUrl, b -> b.workerName("two").sessionCap(4), "/app")) {
            List<Visitor> visitors = new ArrayList<>();
            for (InProcessNode node : List.of(one, two, one, two)) {
                Visitor visitor = new Visitor();
                assertEquals(200, visitor.call(node.uri("/app", "put?name=x&value=1")).status);
                visitors.add(visitor);
            }
            Thread.sleep(DatabaseSessionCap.REFRESH_INTERVAL.toMillis() + 200); // each node counts the table again
            for (InProcessNode node : List.of(one, two)) {
                Reply refused = new Visitor().call(node.uri("/app", "put?name=x&value=1"));
                assertEquals(503, refused.status, refused.body);
                assertTrue(refused.retryAfter != null, "the refusal carries Retry-After");
            }
            assertEquals("1", visitors.get(0).call(one.uri("/app", "get?name=x")).body);
            assertEquals("1", visitors.get(1).call(two.uri("/app", "get?name=x")).body);
            // A session the other node made is loaded from the database, which is no creation: not refused.
            Reply moved = visitors.get(0).call(two.uri("/app", "get?name=x"));
            assertEquals(200, moved.status, moved.body);
            assertEquals("1", moved.body);
            assertEquals(1, one.sessions.storeFactory().getSessionsRefused());
            assertEquals(1, two.sessions.storeFactory().getSessionsRefused());
        }
    }

    /**
     * A hostile session id (longer than any id manager makes) is no session on a node of the tier, as on one node: the
     * cache refuses it before it registers a load, so no query is made for it, and it is counted once per request.
     */
    @Test
    void aHostileSessionIdIsNoSessionAndIsCountedOncePerRequest(TestInfo test) throws Exception {
        jdbcUrl = newDatabase(test);
        try (InProcessNode node = new InProcessNode(jdbcUrl, b -> b.workerName("one"), "/app")) {
            Visitor hostile = new Visitor();
            for (int i = 0; i < 3; i++) {
                hostile.cookie = "hostile" + "A".repeat(600) + i;
                Reply reply = hostile.call(node.uri("/app", "get?name=x"));
                assertEquals(200, reply.status, reply.body);
            }
            SessionIdFilter filter = ((SessionIdFilter.Owner) node.contexts.get(0).getSessionHandler().getSessionCache()
                    .getSessionDataStore()).sessionIdFilter();
            assertEquals(3, filter.refused());
        }
    }

    /**
     * Sessions by user across the tier: a user signed in on two nodes is listed with both sessions, and their nodes,
     * from either node; "sign out everywhere" on one node ends them at once there and, once the other node has
     * polled the revocations twice since, on the other node, whose cache holds the session and whose client's cookie
     * says that node served it last (without the revocation, that copy is used unchecked and the user stays signed in
     * there). Another user's session is untouched. With both caches that keep copies.
     */
    @Test
    void signOutEverywhereOnOneNodeEndsTheUsersSessionCachedOnTheOther(TestInfo test) throws Exception {
        jdbcUrl = newDatabase(test);
        for (SessionCacheKind cache : List.of(SessionCacheKind.SYNCMAP, SessionCacheKind.DEFAULT)) {
            java.util.function.Consumer<SharedSessions.Builder> byUser = b -> b.cache(cache)
                    .userAttribute("user").revocationPollInterval(Duration.ofMillis(200));
            try (InProcessNode one = new InProcessNode(jdbcUrl, b -> byUser.accept(b.workerName("one")), "/app");
                    InProcessNode two = new InProcessNode(jdbcUrl, b -> byUser.accept(b.workerName("two")), "/app")) {
                Visitor adaOnOne = new Visitor();
                Visitor adaOnTwo = new Visitor();
                Visitor bob = new Visitor();
                String ada = "ada-" + cache; // the table is shared by the rounds
                String bobName = "bob-" + cache;
                assertEquals(200, adaOnOne.call(one.uri("/app", "put?name=user&value=" + ada)).status);
                assertEquals(200, adaOnTwo.call(two.uri("/app", "put?name=user&value=" + ada)).status);
                assertEquals(200, bob.call(two.uri("/app", "put?name=user&value=" + bobName)).status);
                assertTrue(adaOnTwo.cookie.endsWith(".two"), adaOnTwo.cookie);

                UserSessions usersOnOne = UserSessions.of(one.contexts.get(0).getSessionHandler());
                List<UserSession> adas = usersOnOne.list(ada);
                assertEquals(Set.of(adaOnOne.sessionId, adaOnTwo.sessionId),
                        Set.copyOf(adas.stream().map(UserSession::id).toList()), cache + ": " + adas);
                assertEquals(Set.of("one", "two"), Set.copyOf(adas.stream().map(UserSession::node).toList()));
                assertEquals(Optional.of(ada), usersOnOne.userOf(adaOnTwo.sessionId));
                assertEquals(Optional.of(bobName), UserSessions.of(two.contexts.get(0).getSessionHandler())
                        .userOf(bob.sessionId));

                Revocations pollOnTwo = revocationsOf(two);
                assertEquals(2, usersOnOne.invalidateAll(ada)); // returns once the revocation rows are committed
                long pollsBefore = pollOnTwo.getRevocationPolls();
                assertEquals("none", adaOnOne.call(one.uri("/app", "get?name=user")).body, cache + " on one");
                waitFor(() -> pollOnTwo.getRevocationPolls() >= pollsBefore + 2, Duration.ofSeconds(30),
                        "two revocation polls on node two after the sign-out");
                assertEquals("none", adaOnTwo.call(two.uri("/app", "get?name=user")).body,
                        cache + ": node two still served the session signed out on node one");
                assertEquals(bobName, bob.call(two.uri("/app", "get?name=user")).body);
                assertEquals(List.of(), usersOnOne.list(ada));
                assertEquals(List.of(bob.sessionId), UserSessions.of(one.contexts.get(0).getSessionHandler())
                        .list(bobName).stream().map(UserSession::id).toList());
            }
        }
    }

    /**
     * The bound docs/many-nodes.md and SECURITY.md give for a sign-out everywhere to reach another node's cache, in
     * poll cycles rather than seconds: once the other node has completed two reads of the revocations table after
     * the sign-out returned (the first may have read the table before the sign-out's rows were committed), its
     * cached copy, which its client's cookie says it served last and which it would otherwise use unchecked, is
     * gone. With the default poll interval (1 s) and both caches that keep copies; it waits on the node's poll
     * counter, not on the clock, and prints how long the two polls took to come.
     */
    @Test
    void aSignOutEverywhereReachesTheOtherNodeByTheEndOfItsSecondPollAfterIt(TestInfo test) throws Exception {
        jdbcUrl = newDatabase(test);
        javax.management.MBeanServer mbeans = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        for (SessionCacheKind cache : List.of(SessionCacheKind.SYNCMAP, SessionCacheKind.DEFAULT)) {
            java.util.function.Consumer<SharedSessions.Builder> byUser = b -> b.cache(cache).userAttribute("user");
            org.eclipse.jetty.jmx.MBeanContainer container = new org.eclipse.jetty.jmx.MBeanContainer(mbeans);
            try (InProcessNode one = new InProcessNode(jdbcUrl, b -> byUser.accept(b.workerName("one")), "/app");
                    InProcessNode two = new InProcessNode(jdbcUrl, b -> byUser.accept(b.workerName("two")),
                            server -> server.addBean(container), "/app")) {
                String ada = "ada-" + cache; // the table is shared by the rounds
                Visitor adaOnTwo = new Visitor();
                assertEquals(200, adaOnTwo.call(two.uri("/app", "put?name=user&value=" + ada)).status);
                assertEquals(ada, adaOnTwo.call(two.uri("/app", "get?name=user")).body);
                assertTrue(adaOnTwo.cookie.endsWith(".two"), "node two's copy is used unchecked: " + adaOnTwo.cookie);
                Set<javax.management.ObjectName> names = mbeans.queryNames(
                        new javax.management.ObjectName("dev.syncsession.jetty.nodes:type=revocations,*"), null);
                assertEquals(1, names.size(), "node two's revocation poll is in JMX: " + names);
                javax.management.ObjectName pollOnTwo = names.iterator().next();
                Set<javax.management.ObjectName> indexes = mbeans.queryNames(
                        new javax.management.ObjectName("dev.syncsession.jetty.nodes:type=shareduserindex,*"), null);
                assertEquals(1, indexes.size(), "node two's index of sessions by user is in JMX: " + indexes);
                String[] adaSeenOnTwo = (String[]) mbeans.invoke(indexes.iterator().next(), "sessionsOfUser",
                        new Object[] {ada}, new String[] {String.class.getName()});
                assertEquals(1, adaSeenOnTwo.length, Arrays.toString(adaSeenOnTwo));
                assertTrue(adaSeenOnTwo[0].startsWith(adaOnTwo.sessionId), adaSeenOnTwo[0]);

                assertEquals(1, UserSessions.of(one.contexts.get(0).getSessionHandler()).invalidateAll(ada));
                long signedOut = System.nanoTime();
                long pollsBefore = (Long) mbeans.getAttribute(pollOnTwo, "revocationPolls");
                long firstPollMillis = awaitPolls(mbeans, pollOnTwo, pollsBefore + 1, signedOut);
                double firstPollTook = (Double) mbeans.getAttribute(pollOnTwo, "lastRevocationPollMillis");
                long secondPollMillis = awaitPolls(mbeans, pollOnTwo, pollsBefore + 2, signedOut);
                double secondPollTook = (Double) mbeans.getAttribute(pollOnTwo, "lastRevocationPollMillis");
                System.out.printf("%s cache: after the sign-out on node one, node two completed a poll after %d ms"
                        + " (it took %.1f ms) and another after %d ms (it took %.1f ms); poll interval %d ms%n", cache,
                        firstPollMillis, firstPollTook, secondPollMillis, secondPollTook,
                        SharedSessionsConfig.DEFAULT_REVOCATION_POLL_INTERVAL.toMillis());
                assertEquals("none", adaOnTwo.call(two.uri("/app", "get?name=user")).body,
                        cache + ": node two still served the session two polls after it was signed out everywhere");
            } finally {
                container.destroy(); // unregisters node two's MBeans from the platform server, which outlives the test
            }
        }
    }

    /**
     * Waits until node two's revocation poll, read through JMX, has completed this many polls; the milliseconds
     * since {@code fromNanos}.
     */
    private static long awaitPolls(javax.management.MBeanServer mbeans, javax.management.ObjectName poll, long polls,
            long fromNanos) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long completed;
        while ((completed = (Long) mbeans.getAttribute(poll, "revocationPolls")) < polls) {
            if (System.nanoTime() > deadline) {
                fail("the revocation poller completed " + completed + " polls, not " + polls + ", within 30 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return (System.nanoTime() - fromNanos) / 1_000_000;
    }

    /**
     * A sign-out everywhere that lands while the other node is serving a request of the session: that request
     * finishes with its copy (its save finds no row and writes none back), and the session's next request on that
     * node has no session, though its cookie says the node served it last. The servlet holds the request until node
     * two's revocation poll has learned of the sign-out.
     */
    @Test
    void aSessionSignedOutElsewhereDuringOneOfItsRequestsIsGoneAtItsNextRequest(TestInfo test) throws Exception {
        jdbcUrl = newDatabase(test);
        java.util.function.Consumer<SharedSessions.Builder> byUser = b -> b.userAttribute("user")
                .revocationPollInterval(Duration.ofMillis(100));
        try (InProcessNode one = new InProcessNode(jdbcUrl, b -> byUser.accept(b.workerName("one")), "/app");
                InProcessNode two = new InProcessNode(jdbcUrl, b -> byUser.accept(b.workerName("two")), "/app")) {
            Visitor ada = new Visitor();
            assertEquals(200, ada.call(two.uri("/app", "put?name=user&value=ada")).status);
            assertEquals(200, ada.call(two.uri("/app", "get?name=user")).status);
            Revocations pollOnTwo = revocationsOf(two);
            SharedStoreNode.Hold hold = new SharedStoreNode.Hold();
            two.contexts.get(0).setAttribute(SharedStoreNode.Hold.ATTRIBUTE, hold);
            ExecutorService background = Executors.newSingleThreadExecutor();
            try {
                Future<Reply> busy = background.submit(() -> ada.call(two.uri("/app", "put?name=x&value=1&hold=test")));
                assertTrue(hold.entered().await(10, TimeUnit.SECONDS), "the request never reached node two's servlet");
                long pollsBefore = pollOnTwo.getRevocationPolls();
                assertEquals(1, UserSessions.of(one.contexts.get(0).getSessionHandler()).invalidateAll("ada"));
                // The second poll to complete began after the sign-out, so node two has learned of it while busy.
                waitFor(() -> pollOnTwo.getRevocationPolls() >= pollsBefore + 2, Duration.ofSeconds(30),
                        "two revocation polls on node two after the sign-out");
                hold.released().countDown();
                assertEquals(200, busy.get(10, TimeUnit.SECONDS).status);
            } finally {
                hold.released().countDown();
                background.shutdownNow();
            }
            assertEquals("none", ada.call(two.uri("/app", "get?name=user")).body,
                    "node two kept serving the copy that was busy when the session was signed out");
            assertEquals(0, rows(jdbcUrl), "the busy request's save wrote the signed-out session back");
        }
    }

    /** The revocation poll of a node's one context, found through the context's session data store. */
    private static Revocations revocationsOf(InProcessNode node) {
        org.eclipse.jetty.session.SessionDataStore store = node.contexts.get(0).getSessionHandler().getSessionCache()
                .getSessionDataStore();
        java.util.Collection<Revocations> polls = ((org.eclipse.jetty.util.component.ContainerLifeCycle) store)
                .getContainedBeans(Revocations.class);
        assertEquals(1, polls.size(), "revocation polls of the context: " + polls);
        return polls.iterator().next();
    }

    /**
     * The tier's listing of a user's sessions follows what ends or changes a session without a sign-out: an id
     * renewed on one node is listed under its new id from the other, a session that expired is no longer listed,
     * and signing out (the attribute removed) takes it off the list.
     */
    @Test
    void theUserListingFollowsIdRenewalExpiryAndSignOut(TestInfo test) throws Exception {
        jdbcUrl = newDatabase(test);
        try (InProcessNode one = new InProcessNode(jdbcUrl, b -> b.workerName("one").userAttribute("user"), "/app");
                InProcessNode two = new InProcessNode(jdbcUrl, b -> b.workerName("two").sessionsByUser(), "/app")) {
            UserSessions seenFromTwo = UserSessions.of(two.contexts.get(0).getSessionHandler());
            Visitor renewed = new Visitor();
            Visitor expiring = new Visitor();
            Visitor signingOut = new Visitor();
            for (Visitor visitor : List.of(renewed, expiring, signingOut)) {
                assertEquals(200, visitor.call(one.uri("/app", "put?name=user&value=ada")).status);
            }
            String oldId = renewed.sessionId;
            String newId = renewed.call(one.uri("/app", "renew")).body;
            assertEquals(newId, renewed.sessionId);
            assertEquals(200, expiring.call(one.uri("/app", "max-inactive?seconds=1")).status);
            assertEquals(200, signingOut.call(one.uri("/app", "put?name=user&value=")).status);
            // A request's save may follow its response: wait for the rows to carry the sign-out and the timeout.
            waitFor(() -> !"ada".equals(column(jdbcUrl, signingOut.sessionId, SharedUserIndex.USER_COLUMN))
                    && Long.valueOf(1_000).equals(column(jdbcUrl, expiring.sessionId, "maxInterval")),
                    Duration.ofSeconds(10), "the saves of the sign-out and of the 1 s timeout");
            List<String> listed = seenFromTwo.list("ada").stream().map(UserSession::id).toList();
            assertTrue(listed.contains(newId) && !listed.contains(oldId) && !listed.contains(signingOut.sessionId),
                    "renewed " + oldId + " -> " + newId + ", signed out " + signingOut.sessionId + ": " + listed);
            assertEquals(Optional.empty(), seenFromTwo.userOf(oldId));
            assertEquals(Optional.empty(), seenFromTwo.userOf(signingOut.sessionId));
            long expiry = (Long) column(jdbcUrl, expiring.sessionId, "expiryTime");
            waitFor(() -> System.currentTimeMillis() > expiry, Duration.ofSeconds(10),
                    "the expiry time of " + expiring.sessionId + " (" + expiry + ") to pass");
            assertEquals(List.of(newId), seenFromTwo.list("ada").stream().map(UserSession::id).toList(),
                    "renewed " + oldId + " -> " + newId + ", expired " + expiring.sessionId + ", signed out "
                    + signingOut.sessionId);
        }
        try (InProcessNode plain = new InProcessNode(jdbcUrl, b -> b.workerName("plain"), "/app")) {
            IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> UserSessions.of(plain.contexts.get(0).getSessionHandler()));
            assertTrue(refused.getMessage().contains("sessionsByUser"), refused.getMessage());
        }
    }

    /**
     * The per-user limit of the tier counts the user's sessions on every node: with a limit of 2, a third sign-in
     * is refused (REFUSE_NEW) whichever node it lands on, or makes room by invalidating the oldest session, on the
     * other node, which then no longer serves it (INVALIDATE_OLDEST). A sign-out frees a place.
     */
    @Test
    void thePerUserLimitCountsTheSessionsOfEveryNode(TestInfo test) throws Exception {
        jdbcUrl = newDatabase(test);
        for (WhenUserLimitReached when : WhenUserLimitReached.values()) {
            java.util.function.Consumer<SharedSessions.Builder> limited = b -> b.maxSessionsPerUser(2, when)
                    .userAttribute("user").revocationPollInterval(Duration.ofMillis(200));
            try (InProcessNode one = new InProcessNode(jdbcUrl, b -> limited.accept(b.workerName("one")), "/app");
                    InProcessNode two = new InProcessNode(jdbcUrl, b -> limited.accept(b.workerName("two")), "/app")) {
                UserSessions users = UserSessions.of(two.contexts.get(0).getSessionHandler());
                String ada = "ada-" + when; // the table is shared by the rounds
                Visitor first = new Visitor();
                Visitor second = new Visitor();
                Visitor third = new Visitor();
                assertEquals(200, first.call(one.uri("/app", "put?name=user&value=" + ada)).status);
                Thread.sleep(5); // distinct creation times: "oldest" is well defined
                assertEquals(200, second.call(two.uri("/app", "put?name=user&value=" + ada)).status);
                Thread.sleep(5);
                Reply signIn = third.call(two.uri("/app", "put?name=user&value=" + ada));
                if (when == WhenUserLimitReached.REFUSE_NEW) {
                    assertEquals(500, signIn.status, "the test servlet does not catch the refusal: " + signIn.body);
                    assertEquals(Set.of(first.sessionId, second.sessionId),
                            Set.copyOf(users.list(ada).stream().map(UserSession::id).toList()));
                    assertEquals(200, first.call(one.uri("/app", "invalidate")).status); // signs out: a place frees
                    assertEquals(200, third.call(two.uri("/app", "put?name=user&value=" + ada)).status);
                    assertEquals(Set.of(second.sessionId, third.sessionId),
                            Set.copyOf(users.list(ada).stream().map(UserSession::id).toList()));
                } else {
                    assertEquals(200, signIn.status, signIn.body);
                    waitFor(() -> users.list(ada).size() == 2, Duration.ofSeconds(5), "the oldest invalidated");
                    assertEquals(Set.of(second.sessionId, third.sessionId),
                            Set.copyOf(users.list(ada).stream().map(UserSession::id).toList()));
                    // The revocation is written after the session's row is gone: wait for it, then for two of
                    // node one's polls, the second of which began after it was committed.
                    waitFor(() -> revoked(jdbcUrl, first.sessionId), Duration.ofSeconds(10),
                            "the revocation of the oldest session");
                    Revocations pollOnOne = revocationsOf(one);
                    long pollsBefore = pollOnOne.getRevocationPolls();
                    waitFor(() -> pollOnOne.getRevocationPolls() >= pollsBefore + 2, Duration.ofSeconds(30),
                            "two revocation polls on node one after the revocation");
                    assertEquals("none", first.call(one.uri("/app", "get?name=user")).body,
                            "node one still served the oldest session");
                }
            }
        }
    }

    /** A column of the session's row in Jetty's session table; null if there is no such row. */
    private static Object column(String jdbcUrl, String sessionId, String column) throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(jdbcUrl); java.sql.PreparedStatement s =
                c.prepareStatement("SELECT " + column + " FROM jettysessions WHERE sessionId = ?")) {
            s.setString(1, sessionId);
            try (java.sql.ResultSet r = s.executeQuery()) {
                return r.next() ? r.getObject(1) : null;
            }
        }
    }

    /** Whether the revocations table holds a row for the session. */
    private static boolean revoked(String jdbcUrl, String sessionId) throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(jdbcUrl); java.sql.PreparedStatement s =
                c.prepareStatement("SELECT count(*) FROM jettysessions_revocations WHERE sessionId = ?")) {
            s.setString(1, sessionId);
            try (java.sql.ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1) > 0;
            }
        }
    }

    /** A node in this JVM, for tests that look inside it: {@link SharedStoreNode}'s servlet on each context path. */
    private static final class InProcessNode implements AutoCloseable {
        final Server server = new Server();
        final SharedSessions sessions;
        final List<ServletContextHandler> contexts = new ArrayList<>();
        final ContextHandlerCollection handlers;
        private final ServerConnector connector = new ServerConnector(server);

        InProcessNode(String jdbcUrl, String... contextPaths) throws Exception {
            this(jdbcUrl, builder -> builder.workerName("inproc"), contextPaths);
        }

        InProcessNode(String jdbcUrl, java.util.function.Consumer<SharedSessions.Builder> options,
                String... contextPaths) throws Exception {
            this(jdbcUrl, options, server -> { }, contextPaths);
        }

        InProcessNode(String jdbcUrl, java.util.function.Consumer<SharedSessions.Builder> options,
                java.util.function.Consumer<Server> beforeStart, String... contextPaths) throws Exception {
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            SharedSessions.Builder builder = SharedSessions.builder(SessionDatabase.jdbcUrl(jdbcUrl, null, null));
            options.accept(builder);
            sessions = builder.install(server);
            for (String path : contextPaths) {
                contexts.add(context(path));
            }
            handlers = new ContextHandlerCollection(contexts.toArray(new ServletContextHandler[0]));
            server.setHandler(sessions.guard(handlers));
            beforeStart.accept(server);
            server.start();
        }

        static ServletContextHandler context(String path) {
            ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
            context.setContextPath(path);
            context.addServlet(SharedStoreNode.NodeServlet.class, "/s/*");
            return context;
        }

        URI uri(String contextPath, String action) {
            return URI.create("http://127.0.0.1:" + connector.getLocalPort() + contextPath + "/s/" + action);
        }

        @Override
        public void close() throws Exception {
            server.stop();
        }
    }

    private Node startNode(String name, String... options) throws Exception {
        Node node = new Node(name);
        nodes.add(node);
        node.start(jdbcUrl, options);
        return node;
    }

    private static void waitFor(Check check, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.holds()) {
                return;
            }
            Thread.sleep(200);
        }
        fail("gave up after " + timeout.toSeconds() + " s waiting for " + what);
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A node process; its output (stdout and stderr) goes to a file the test reads. */
    private static final class Node {
        final String name;
        private Process process;
        private Path log;
        private int port;

        Node(String name) {
            this.name = name;
        }

        void start(String jdbcUrl, String... options) throws Exception {
            log = Files.createTempFile(workDir, "node-" + name + "-", ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    SharedStoreNode.class.getName(), "--jdbc-url", jdbcUrl, "--worker", name));
            command.addAll(List.of(options));
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + NODE_START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                Matcher m = LISTENING.matcher(output());
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                    return;
                }
                if (!process.isAlive()) {
                    fail("node " + name + " exited with " + process.exitValue() + ":\n" + output());
                }
                Thread.sleep(100);
            }
            fail("node " + name + " did not start within " + NODE_START_TIMEOUT + ":\n" + output());
        }

        URI uri(String action) {
            return URI.create("http://127.0.0.1:" + port + "/s/" + action);
        }

        String output() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        int count(String line) throws IOException {
            return (int) output().lines().filter(line::equals).count();
        }

        /** Lets a request held with {@code holdKey} go: {@code RELEASE <key>} on the node's standard input. */
        void release(String key) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write(("RELEASE " + key + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        /** SIGKILL: no shutdown hook, no session saved on the way out. */
        void kill() {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private record Reply(int status, String body, String retryAfter) {
        Reply(int status, String body) {
            this(status, body, null);
        }
    }

    /** One browser: keeps its session cookie and sends it to whichever node it is told to. */
    private static final class Visitor {
        volatile String cookie;
        volatile String sessionId;

        /** Another browser with this one's cookie, as a second tab still holding it. */
        Visitor copy() {
            Visitor copy = new Visitor();
            copy.cookie = cookie;
            copy.sessionId = sessionId;
            return copy;
        }

        Reply call(Node node, String action) throws IOException {
            return call(node.uri(action));
        }

        Reply call(URI uri) throws IOException {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT);
            if (cookie != null) {
                request.header("Cookie", "JSESSIONID=" + cookie);
            }
            HttpResponse<String> response;
            try {
                response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            for (String setCookie : response.headers().allValues("Set-Cookie")) {
                Matcher m = SESSION_COOKIE.matcher(setCookie);
                if (m.find()) {
                    cookie = m.group(1);
                    int dot = cookie.indexOf('.');
                    sessionId = dot < 0 ? cookie : cookie.substring(0, dot);
                }
            }
            return new Reply(response.statusCode(), response.body(),
                    response.headers().firstValue("Retry-After").orElse(null));
        }

        Reply callUnchecked(Node node, String action) {
            return callUnchecked(node.uri(action));
        }

        Reply callUnchecked(URI uri) {
            try {
                return call(uri);
            } catch (IOException e) {
                return new Reply(-1, e.toString());
            }
        }

        String expectOk(Node node, String action) throws IOException {
            Reply reply = call(node, action);
            if (reply.status != 200) {
                throw new AssertionError(node.name + " answered " + reply.status + " to " + action + ": "
                        + reply.body);
            }
            return reply.body;
        }
    }

}
