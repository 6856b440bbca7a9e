/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.syncsession.jetty.SyncSessions;
import dev.syncsession.jetty.nodes.Revocations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.syncsession.jetty.cache.SessionCacheKind;
import dev.syncsession.jetty.store.BundledBackend;

/**
 * Two instances of the example on different ports, started with the same {@code --jdbc-url}, serve the same
 * shoppers: what one instance put in a session the other reads. The database is an embedded PostgreSQL whose
 * binaries come from Maven (zonky; as root it runs PostgreSQL through {@code unshare -U}). docs/many-nodes.md's
 * "Try it" recipe is run here as typed.
 */
class SharedDatabaseIT {

    /** The document whose recipe {@link #theTwoInstancesRecipeRunsAsTypedAndSharesASession} runs. */
    private static final String MANY_NODES_DOC = "docs/many-nodes.md";

    /** The recipe's database host and port, which the test replaces with the embedded PostgreSQL's. */
    private static final String RECIPE_DATABASE = "127.0.0.1:5432/";

    /** A {@code psql -c "statement"} argument of the recipe's database block. */
    private static final Pattern PSQL_STATEMENT = Pattern.compile("-c \"([^\"]+)\"");

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        Path work = Path.of(System.getProperty("example.work.dir", "target/it-work"));
        Files.createDirectories(work);
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(Files.createTempDirectory(work, "pgdata-"))
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static ExampleOptions instance(String node, Path snapshotDir) {
        String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?connectTimeout=5&socketTimeout=30";
        return new ExampleOptions("127.0.0.1", 0, BundledBackend.SYNCMAP, 0, SessionCacheKind.SYNCMAP,
                snapshotDir, Duration.ofMinutes(30), Duration.ofSeconds(10), url, "postgres", null, node);
    }

    @Test
    void twoInstancesOnDifferentPortsShareTheShoppersSession() throws Exception {
        Path snapshots = RunningExample.newSnapshotDir("shared-database");
        try (RunningExample a = RunningExample.start(instance("a", snapshots));
                RunningExample b = RunningExample.start(instance("b", snapshots));
                Visitor visitor = new Visitor(a.uri())) {
            assertTrue(a.uri().getPort() != b.uri().getPort(), "two ports");
            ShopPage onA = new ShopPage(visitor.postAndFollow("/signin", "name", "Ada"));
            assertEquals("Ada", onA.user());
            String id = visitor.sessionId();
            assertTrue(id.startsWith("a"), "instance a's node name starts the ids it creates: " + id);

            visitor.moveTo(b.uri());
            ShopPage onB = new ShopPage(visitor.get("/").getContentAsString());
            assertEquals("Ada", onB.user(), "instance b serves the session instance a created");
            assertEquals(onA.visits() + 1, onB.visits(), "with the visit count a saved");
            String metrics;
            try (Visitor watcher = new Visitor(a.uri())) {
                metrics = watcher.get("/metrics").getContentAsString();
            }
            for (String meter : new String[] {"syncsession_database_available 1.0", "syncsession_database_outages_total 0.0",
                    "syncsession_database_requests_refused_total 0.0", "syncsession_database_saves_failed_total 0.0"}) {
                assertTrue(metrics.lines().anyMatch(meter::equals), "the database's meters: no " + meter + " in\n"
                        + metrics);
            }
        }
    }

    /**
     * docs/many-nodes.md's "Try it": the database block's SQL (through JDBC as the superuser, since the embedded
     * PostgreSQL comes without sudo and psql), then its two commands as typed, with only the database's port and
     * {@code --port 0} for the recipe's 8081 and 8082 substituted; what a shopper does on instance a is there on b.
     */
    @Test
    void theTwoInstancesRecipeRunsAsTypedAndSharesASession() throws Exception {
        String database = DocBlocks.block(MANY_NODES_DOC, "SharedDatabaseIT: database");
        Matcher statement = PSQL_STATEMENT.matcher(database);
        int statements = 0;
        try (Connection superuser = postgres.getPostgresDatabase().getConnection();
                Statement sql = superuser.createStatement()) {
            while (statement.find()) {
                sql.execute(statement.group(1));
                statements++;
            }
        }
        assertTrue(statements > 0, "no psql -c \"statement\" in the database block:\n" + database);

        List<String> commands = DocBlocks.block(MANY_NODES_DOC, "SharedDatabaseIT: two instances").lines()
                .filter(line -> !line.isBlank()).toList();
        assertEquals(2, commands.size(), "the recipe starts two instances, one command each: " + commands);
        Path logs = RunningExample.newSnapshotDir("many-nodes-recipe");
        try (JarProcess a = JarProcess.shell(onThisMachine(commands.get(0), 8081), DocBlocks.repoRoot(), logs);
                JarProcess b = JarProcess.shell(onThisMachine(commands.get(1), 8082), DocBlocks.repoRoot(), logs);
                Visitor visitor = new Visitor(a.uri)) {
            assertEquals("Ada", new ShopPage(visitor.postAndFollow("/signin", "name", "Ada")).user());
            ShopPage onA = new ShopPage(visitor.postAndFollow("/cart", "product", "mug", "action", "add"));
            assertTrue(visitor.sessionId().startsWith("a"), "--node a names the instance that made the session: "
                    + visitor.sessionId());

            visitor.moveTo(b.uri);
            ShopPage onB = new ShopPage(visitor.get("/").getContentAsString());
            assertEquals("Ada", onB.user(), "instance b serves the session instance a made; its log:\n" + b.output());
            assertEquals(Map.of("mug", 1), onB.cart(), "with the cart a saved");
            assertEquals(onA.visits() + 1, onB.visits(), "and the visit count");

            assertEquals(143, a.terminate(), "exit status after SIGTERM; its log:\n" + a.output());
            assertTrue(a.output().contains("Stopped; sessions are in the database"), "a stopped gracefully:\n"
                    + a.output());
            assertEquals("Ada", new ShopPage(visitor.get("/").getContentAsString()).user(),
                    "instance b keeps serving the session once a has stopped");
        }
    }

    /** A recipe command with the embedded PostgreSQL in place of 5432 and a free port in place of the recipe's. */
    private static String onThisMachine(String command, int recipePort) {
        String here = replaceOnce(command, RECIPE_DATABASE, "127.0.0.1:" + postgres.getPort() + "/");
        return replaceOnce(here, "--port " + recipePort, "--port 0");
    }

    private static String replaceOnce(String command, String recipe, String here) {
        int at = command.indexOf(recipe);
        if (at < 0 || command.indexOf(recipe, at + 1) >= 0) {
            throw new AssertionError("the recipe command should contain \"" + recipe + "\" exactly once, for the"
                    + " test to replace: " + command);
        }
        return command.substring(0, at) + here + command.substring(at + recipe.length());
    }

    /**
     * "Your sessions" across instances: Ada signed in on both lists both sessions on either, each with the device that
     * signed in and when (kept in the session, which every instance reads from the database), and signing out
     * everywhere else on one signs her out on the other, whose cache held the session, at its next request once the
     * other has completed two reads of the revocations table since (the first may have begun before the sign-out).
     */
    @Test
    void signingOutEverywhereElseOnOneInstanceSignsOutTheOther() throws Exception {
        Path snapshots = RunningExample.newSnapshotDir("shared-database-users");
        try (RunningExample a = RunningExample.start(instance("a", snapshots));
                RunningExample b = RunningExample.start(instance("b", snapshots));
                Visitor onA = new Visitor(a.uri(), "Phone/1.0 (signed in on a)");
                Visitor onB = new Visitor(b.uri(), "Laptop/2.0 (signed in on b)")) {
            assertEquals("Grace", new ShopPage(onA.postAndFollow("/signin", "name", "Grace")).user());
            assertEquals("Grace", new ShopPage(onB.postAndFollow("/signin", "name", "Grace")).user());
            String list = onB.get("/sessions").getContentAsString();
            assertTrue(list.contains("in 2 sessions"), list);
            assertTrue(list.contains("<td class=\"server\">a</td>") && list.contains("<td class=\"server\">b</td>"),
                    "each session's server: " + list);
            assertTrue(list.contains("<tr><td>Phone/1.0 (signed in on a)</td><td class=\"signed-in\">20"),
                    "the session signed in on a, with its device and time: " + list);
            assertTrue(list.contains("<tr class=\"current\"><td>Laptop/2.0 (signed in on b)</td>"), list);
            assertFalse(list.contains(">unknown"), list);

            Revocations pollOnA = revocationsOf(a);
            onB.postAndFollow("/sessions", "action", "others"); // answers once the revocations are committed
            long pollsBefore = pollOnA.getRevocationPolls();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (pollOnA.getRevocationPolls() < pollsBefore + 2) { // the second began after the sign-out
                assertTrue(System.nanoTime() < deadline, "instance a did not poll the revocations twice in 30 s");
                Thread.sleep(20);
            }
            assertEquals(null, new ShopPage(onA.get("/").getContentAsString()).user(),
                    "instance a still served the session signed out from instance b");
            assertEquals("Grace", new ShopPage(onB.get("/").getContentAsString()).user());
        }
    }

    /** The revocation poll of the instance's context, found among the server's beans. */
    private static Revocations revocationsOf(RunningExample instance) {
        java.util.Collection<Revocations> polls = instance.server().server().getContainedBeans(Revocations.class);
        assertEquals(1, polls.size(), "revocation polls of the instance: " + polls);
        return polls.iterator().next();
    }
}
