/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.syncsession.jetty.SyncSessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import dev.syncsession.jetty.cache.SessionCacheKind;

/** A graceful stop saves the sessions; the next start restores them, so a signed-in user stays signed in. */
class SnapshotRestartIT {

    @ParameterizedTest(name = "cache {0}")
    @EnumSource(SessionCacheKind.class)
    void signedInUserStaysSignedInAcrossARestart(SessionCacheKind cache) throws Exception {
        Path snapshotDir = RunningExample.newSnapshotDir("restart-" + cache);
        try (Visitor visitor = new Visitor(URI.create("http://127.0.0.1:1/"), "Phone/1.0")) {
            try (RunningExample before = RunningExample.start(cache, snapshotDir)) {
                visitor.moveTo(before.uri());
                visitor.get("/");
                visitor.postAndFollow("/signin", "name", "Ada");
                visitor.postAndFollow("/cart", "product", "mug", "action", "add");
            }
            String idBefore = visitor.sessionId();
            try (RunningExample after = RunningExample.start(cache, snapshotDir);
                    Visitor laptop = new Visitor(after.uri(), "Laptop/2.0")) {
                visitor.moveTo(after.uri());
                ShopPage page = new ShopPage(visitor.get("/").getContentAsString());
                assertEquals("Ada", page.user());
                assertEquals(Map.of("mug", 1), page.cart());
                assertEquals(idBefore, visitor.sessionId(), "the same session, not a new one");
                // The device that signed in before the restart is still named on "Your sessions".
                laptop.postAndFollow("/signin", "name", "Ada");
                String sessions = laptop.get("/sessions").getContentAsString();
                assertTrue(sessions.contains("<tr><td>Phone/1.0</td><td class=\"signed-in\">20"), sessions);
            }
        }
    }

    /**
     * The README's way: the runnable jar as its own process, stopped with SIGTERM (what Ctrl-C sends to the
     * foreground process group is SIGINT; both run the JVM's shutdown hooks).
     */
    @Test
    void runnableJarSavesItsSnapshotOnSigtermAndRestoresItOnStart() throws Exception {
        String jar = runnableJar();
        Path snapshotDir = RunningExample.newSnapshotDir("jar-restart");
        try (Visitor visitor = new Visitor(URI.create("http://127.0.0.1:1/"))) {
            try (JarProcess first = JarProcess.start(jar, snapshotDir)) {
                visitor.moveTo(first.uri);
                visitor.get("/");
                visitor.postAndFollow("/signin", "name", "Grace");
                visitor.postAndFollow("/cart", "product", "tee", "action", "add");
                assertEquals(143, first.terminate(), "exit status after SIGTERM\n" + first.output());
                assertTrue(first.output().contains("Stopped; 1 session saved to "), first.output());
            }
            try (JarProcess second = JarProcess.start(jar, snapshotDir)) {
                visitor.moveTo(second.uri);
                ShopPage page = new ShopPage(visitor.get("/").getContentAsString());
                assertEquals("Grace", page.user(), second.output());
                assertEquals(Map.of("tee", 1), page.cart());
            }
        }
    }

    /** A snapshot that cannot be written is reported as not saved, with the reason, never as saved. */
    @Test
    void aSnapshotThatCannotBeWrittenIsReportedAsNotSaved() throws Exception {
        String jar = runnableJar();
        Path snapshotDir = RunningExample.newSnapshotDir("jar-unwritable");
        // The snapshot's own path is a non-empty directory: the write's final rename onto it fails (permissions
        // would not stop the root user the tests may run as).
        Files.createDirectories(snapshotDir.resolve("sessions.snapshot"));
        Files.writeString(snapshotDir.resolve("sessions.snapshot").resolve("occupied"), "not a snapshot");
        try (Visitor visitor = new Visitor(URI.create("http://127.0.0.1:1/"));
                JarProcess process = JarProcess.start(jar, snapshotDir)) {
            visitor.moveTo(process.uri);
            visitor.get("/");
            visitor.postAndFollow("/signin", "name", "Ada");
            assertEquals(143, process.terminate(), "exit status after SIGTERM\n" + process.output());
            String output = process.output();
            assertTrue(output.contains("Stopped; sessions NOT saved to "), output);
            assertTrue(output.contains("; the previous snapshot, if any, is kept"), output);
            assertTrue(Files.exists(snapshotDir.resolve("sessions.snapshot").resolve("occupied")), "the old path");
        }
    }

    static String runnableJar() {
        String jar = System.getProperty("example.jar");
        assertTrue(jar != null && Files.isRegularFile(Path.of(jar)),
                "the runnable jar is built by 'mvn package' before the ITs run (example.jar=" + jar + ")");
        return jar;
    }
}
