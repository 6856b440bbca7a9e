/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.syncsession.jetty.SyncSessions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the example on different ports, started with the same {@code --jdbc-url}, serve the same
 * shoppers: what one instance put in a session the other reads. The database is an embedded PostgreSQL whose
 * binaries come from Maven (zonky; as root it runs PostgreSQL through {@code unshare -U}).
 */
class SharedDatabaseIT {

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
        return new ExampleOptions("127.0.0.1", 0, SyncSessions.Backend.SYNCMAP, 0, SyncSessions.Cache.SYNCMAP,
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
            for (String meter : new String[] {"syncsession_store_available 1.0", "syncsession_store_outages_total 0.0",
                    "syncsession_store_requests_refused_total 0.0", "syncsession_store_saves_failed_total 0.0"}) {
                assertTrue(metrics.lines().anyMatch(meter::equals), "the database's meters: no " + meter + " in\n"
                        + metrics);
            }
        }
    }

    /**
     * "Your sessions" across instances: Ada signed in on both lists both sessions on either, and signing out
     * everywhere else on one signs her out on the other, whose cache held the session, at its next request after the
     * revocation poll (one second).
     */
    @Test
    void signingOutEverywhereElseOnOneInstanceSignsOutTheOther() throws Exception {
        Path snapshots = RunningExample.newSnapshotDir("shared-database-users");
        try (RunningExample a = RunningExample.start(instance("a", snapshots));
                RunningExample b = RunningExample.start(instance("b", snapshots));
                Visitor onA = new Visitor(a.uri());
                Visitor onB = new Visitor(b.uri())) {
            assertEquals("Grace", new ShopPage(onA.postAndFollow("/signin", "name", "Grace")).user());
            assertEquals("Grace", new ShopPage(onB.postAndFollow("/signin", "name", "Grace")).user());
            String list = onB.get("/sessions").getContentAsString();
            assertTrue(list.contains("in 2 sessions"), list);
            assertTrue(list.contains("<td>a</td>") && list.contains("<td>b</td>"), "each session's server: " + list);

            onB.postAndFollow("/sessions", "action", "others");
            Thread.sleep(2_500);
            assertEquals(null, new ShopPage(onA.get("/").getContentAsString()).user(),
                    "instance a still served the session signed out from instance b");
            assertEquals("Grace", new ShopPage(onB.get("/").getContentAsString()).user());
        }
    }
}
