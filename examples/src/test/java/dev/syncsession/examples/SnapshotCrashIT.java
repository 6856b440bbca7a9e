/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Crash-safe snapshots: the runnable jar, writing its snapshot every second, is killed with SIGKILL (no shutdown
 * hook, no final write) at a random moment while users keep signing in; started again, it has every session that was
 * signed in before the last completed write began, which the app reports just before the kill ({@code /stats.json}'s
 * {@code snapshotAgeSeconds}: the age of the snapshot file's content). A kill in the middle of a write leaves the
 * previous snapshot in place, and the next start deletes unfinished files (one is planted, so that the check never
 * depends on where the kill landed).
 */
class SnapshotCrashIT {

    private record SignedIn(String name, Visitor visitor, long atNanos) {
    }

    @RepeatedTest(2)
    void aKilledProcessLosesAtMostOneIntervalOfSessions() throws Exception {
        String jar = SnapshotRestartIT.runnableJar();
        Path snapshotDir = RunningExample.newSnapshotDir("crash");
        List<SignedIn> users = new ArrayList<>();
        long killedAtNanos;
        long horizon;
        try (JarProcess first = JarProcess.start(jar, snapshotDir, "--snapshot-interval", "1")) {
            long start = System.nanoTime();
            long killAfterMillis = ThreadLocalRandom.current().nextLong(3_000, 6_000);
            for (int i = 0; System.nanoTime() - start < killAfterMillis * 1_000_000; i++) {
                Visitor visitor = new Visitor(first.uri);
                visitor.get("/");
                String name = "user" + i;
                visitor.postAndFollow("/signin", "name", name);
                users.add(new SignedIn(name, visitor, System.nanoTime()));
                Thread.sleep(ThreadLocalRandom.current().nextLong(20, 120));
            }
            // The content of the last completed write is as of this many seconds before the app answered, which
            // is after the request was sent: everyone signed in before (sent - age) is in the file.
            long askedNanos = System.nanoTime();
            Number age;
            try (Visitor stats = new Visitor(first.uri)) {
                age = (Number) stats.statsJson().get("snapshotAgeSeconds");
            }
            assertNotNull(age, "no snapshot written in " + killAfterMillis + " ms at a 1 s interval");
            horizon = askedNanos - (long) Math.ceil(age.doubleValue() * 1_000) * 1_000_000 - 1_000_000; // ms rounding
            first.process.destroyForcibly(); // SIGKILL
            killedAtNanos = System.nanoTime();
            first.process.waitFor();
        }
        long checkedBefore = horizon;
        List<SignedIn> old = users.stream().filter(u -> u.atNanos() < checkedBefore).toList();
        assertTrue(old.size() >= 5, "only " + old.size() + " users signed in early enough to be checked");
        Path planted = snapshotDir.resolve("sessions.snapshot.12345.tmp");
        Files.write(planted, new byte[] {1, 2, 3}); // as a kill during a write leaves it

        try (JarProcess second = JarProcess.start(jar, snapshotDir)) {
            try (Stream<Path> files = Files.list(snapshotDir)) {
                List<Path> unfinished = files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
                assertEquals(List.of(), unfinished, "files of unfinished writes are deleted at start");
            }
            for (SignedIn user : old) {
                user.visitor().moveTo(second.uri);
                ShopPage page = new ShopPage(user.visitor().get("/").getContentAsString());
                assertEquals(user.name(), page.user(), user.name() + " signed in "
                        + (killedAtNanos - user.atNanos()) / 1_000_000 + " ms before the kill, lost; "
                        + second.output());
            }
        } finally {
            for (SignedIn user : users) {
                user.visitor().close();
            }
        }
    }
}
