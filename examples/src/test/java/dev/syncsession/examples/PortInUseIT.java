/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The runnable jar started on a port another process holds says so in one line and exits with status 1. */
class PortInUseIT {

    @Test
    void aTakenPortIsOneLineNotAStackTrace() throws Exception {
        String jar = System.getProperty("example.jar");
        assertTrue(jar != null && Files.isRegularFile(Path.of(jar)),
                "the runnable jar is built by 'mvn package' before the ITs run (example.jar=" + jar + ")");
        Path snapshotDir = RunningExample.newSnapshotDir("port-in-use");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Path log = Files.createTempFile(snapshotDir, "example-", ".log");
            Process process = new ProcessBuilder(List.of(java.toString(), "-jar", jar,
                    "--port", String.valueOf(taken.getLocalPort()), "--snapshot-dir", snapshotDir.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            try {
                assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the jar kept running on a taken port");
            } finally {
                process.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8).strip();
            assertEquals(1, process.exitValue(), output);
            List<String> lines = output.lines().toList();
            assertEquals(1, lines.size(), "expected one line, got:\n" + output);
            assertTrue(lines.get(0).startsWith("syncsession example: cannot listen on 127.0.0.1:"
                    + taken.getLocalPort() + " ("), output);
            assertTrue(lines.get(0).contains("--port N"), output);
        }
    }
}
