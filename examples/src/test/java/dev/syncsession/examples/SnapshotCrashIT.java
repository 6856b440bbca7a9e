/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * signed in more than one snapshot interval (plus the time a write takes) before the kill. A kill in the middle of a
 * write leaves the previous snapshot in place, and the next start deletes the unfinished file.
 */
class SnapshotCrashIT {

    private static final long INTERVAL_MILLIS = 1_000;

    /** How long a write of a few dozen sessions may take, generously: its rename happens after an fsync. */
    private static final long WRITE_MILLIS = 500;

    private record SignedIn(String name, Visitor visitor, long atNanos) {
    }

    @RepeatedTest(2)
    void aKilledProcessLosesAtMostOneIntervalOfSessions() throws Exception {
        String jar = SnapshotRestartIT.runnableJar();
        Path snapshotDir = RunningExample.newSnapshotDir("crash");
        List<SignedIn> users = new ArrayList<>();
        long killedAtNanos;
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
            first.process.destroyForcibly(); // SIGKILL
            killedAtNanos = System.nanoTime();
            first.process.waitFor();
        }
        long horizon = killedAtNanos - (INTERVAL_MILLIS + WRITE_MILLIS) * 1_000_000;
        List<SignedIn> old = users.stream().filter(u -> u.atNanos() < horizon).toList();
        assertTrue(old.size() >= 5, "only " + old.size() + " users signed in early enough to be checked");

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
