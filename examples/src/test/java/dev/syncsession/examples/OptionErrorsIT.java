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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar given an option it cannot use says so in one line naming the option and the fix, then "run with
 * --help", and exits with status 2: no usage text, no stack trace. {@code --help} itself prints the usage.
 */
class OptionErrorsIT {

    private static String jar;
    private static Path work;

    @BeforeAll
    static void findJar() throws Exception {
        jar = System.getProperty("example.jar");
        assertTrue(jar != null && Files.isRegularFile(Path.of(jar)),
                "the runnable jar is built by 'mvn package' before the ITs run (example.jar=" + jar + ")");
        work = RunningExample.newSnapshotDir("option-errors");
    }

    @Test
    void anUnresolvableHostIsOneLineAndStatus2() throws Exception {
        assertOneLine("syncsession example: --host 999.1.1.1: cannot bind (unresolved address); give a local address"
                + " such as 127.0.0.1; run with --help", "--host", "999.1.1.1");
    }

    @Test
    void anotherMachinesAddressIsOneLineAndStatus2() throws Exception {
        assertOneLine("syncsession example: --host 192.0.2.1: cannot bind (not an address of this machine); give a"
                + " local address such as 127.0.0.1; run with --help", "--host", "192.0.2.1");
    }

    @Test
    void aPortThatIsNotANumberIsOneLineAndStatus2() throws Exception {
        assertOneLine("syncsession example: --port is \"abc\"; expected a whole number; run with --help",
                "--port", "abc");
    }

    @Test
    void anUnknownBackendIsOneLineAndStatus2() throws Exception {
        assertOneLine("syncsession example: --backend is \"foo\"; use syncmap | caffeine; run with --help",
                "--backend", "foo");
    }

    @Test
    void anUnknownFlagIsOneLineAndStatus2() throws Exception {
        assertOneLine("syncsession example: unknown option --prot; run with --help", "--prot", "8080");
    }

    @Test
    void helpPrintsTheUsageAndStatus0() throws Exception {
        Run run = run("--port", "abc", "--help");
        assertEquals(0, run.status, run.output);
        assertEquals(ExampleOptions.USAGE.strip(), run.output.strip());
    }

    private static void assertOneLine(String expected, String... options) throws Exception {
        Run run = run(options);
        assertEquals(2, run.status, run.output);
        assertEquals(List.of(expected), run.output.strip().lines().toList());
    }

    private record Run(int status, String output) {
    }

    /** Runs the jar with a snapshot folder of its own, stdout and stderr together in a file, to its exit. */
    private static Run run(String... options) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = Files.createTempFile(work, "example-", ".log");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-jar", jar,
                "--snapshot-dir", work.resolve("snapshots").toString()));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the jar kept running with " + List.of(options));
        } finally {
            process.destroyForcibly();
        }
        return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
