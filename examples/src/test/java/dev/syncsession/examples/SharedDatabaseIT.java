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
        }
    }
}
