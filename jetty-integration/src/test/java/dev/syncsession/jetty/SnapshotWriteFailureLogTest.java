/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.syncsession.session.SessionSnapshot;
import dev.syncsession.session.SyncMapSessionStore;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.syncsession.jetty.store.BackendLifecycle;

/**
 * Periodic snapshot writes that keep failing while the server runs (the directory taken away, a failing backend) log
 * one warning per streak of failures, without a stack trace, and one line when a write succeeds again: a lasting
 * problem must not print a trace every interval. The periodic write is called directly, as the timer calls it.
 */
class SnapshotWriteFailureLogTest {

    private static final String FAILED = "could not write session snapshot";
    private static final String RECOVERED = "again, after";

    @TempDir
    Path dir;

    @Test
    void aStreakOfFailedWritesLogsOneWarningAndTheRecoveryOneLine() throws Exception {
        Path snapshots = dir.resolve("snapshots");
        Path file = snapshots.resolve("sessions.snapshot");
        BackendLifecycle backend = new BackendLifecycle(new SyncMapSessionStore(), Duration.ofHours(1),
                Duration.ZERO, SessionSnapshot.builder(file).build());
        // Without a server, the test's own scheduler (nothing is due within the test: no periodic writes).
        ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("test-scheduler", true);
        scheduler.start();
        backend.acquire(scheduler, Runnable::run);
        try (CapturedLog log = new CapturedLog()) {
            backend.writePeriodicSnapshot();
            assertTrue(Files.exists(file));

            // The directory goes away and a file takes its name: every write fails until it is back.
            Files.delete(file);
            Files.delete(snapshots);
            Files.writeString(snapshots, "not a directory");
            for (int interval = 0; interval < 5; interval++) {
                backend.writePeriodicSnapshot();
            }
            assertNotNull(backend.lastWriteFailure());
            List<String> warnings = log.linesContaining(FAILED);
            assertEquals(1, warnings.size(), log.text());
            assertTrue(warnings.get(0).contains("WARN") && warnings.get(0).contains(file.toString())
                    && warnings.get(0).contains("FileAlreadyExistsException: " + snapshots), warnings.get(0));
            assertFalse(log.text().lines().anyMatch(line -> line.startsWith("\tat ")),
                    "a stack trace was logged:\n" + log.text());

            Files.delete(snapshots);
            backend.writePeriodicSnapshot();
            backend.writePeriodicSnapshot();
            assertNull(backend.lastWriteFailure());
            List<String> recovered = log.linesContaining(RECOVERED);
            assertEquals(1, recovered.size(), log.text());
            assertTrue(recovered.get(0).contains("INFO") && recovered.get(0).contains("after 5 failed writes"),
                    recovered.get(0));

            // A new streak is warned about again, once.
            Files.delete(file);
            Files.delete(snapshots);
            Files.writeString(snapshots, "not a directory");
            backend.writePeriodicSnapshot();
            backend.writePeriodicSnapshot();
            assertEquals(2, log.linesContaining(FAILED).size(), log.text());
            Files.delete(snapshots);
        } finally {
            backend.release();
            scheduler.stop();
        }
    }
}
