/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar given a snapshot folder it cannot create says so in one line naming the option and exits with
 * status 2, instead of promising that users stay signed in and then printing a stack trace every interval.
 */
class UnwritableSnapshotDirIT {

    @Test
    void anUnwritableSnapshotDirIsOneLineAndStatus2() throws Exception {
        String jar = System.getProperty("example.jar");
        assertTrue(jar != null && Files.isRegularFile(Path.of(jar)),
                "the runnable jar is built by 'mvn package' before the ITs run (example.jar=" + jar + ")");
        Path work = RunningExample.newSnapshotDir("unwritable-snapshot-dir");
        // Tests run as root, where permissions do not stop a write; a parent that is a regular file does.
        Path occupied = Files.writeString(work.resolve("occupied"), "a file, not a directory");
        Path snapshotDir = occupied.resolve("snapshots");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = Files.createTempFile(work, "example-", ".log");
        Process process = new ProcessBuilder(List.of(java.toString(), "-jar", jar, "--port", "0",
                "--snapshot-dir", snapshotDir.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the jar kept running with an unwritable snapshot dir");
        } finally {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8).strip();
        assertEquals(2, process.exitValue(), output);
        assertEquals(List.of("syncsession example: --snapshot-dir " + snapshotDir + ": cannot create or write the"
                + " directory (Not a directory: " + snapshotDir + "); run with --help"), output.lines().toList());
    }
}
