/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar syncsession-example.jar --port 0}, the URL it printed, and everything it printed. The output
 * goes to a file rather than a pipe, so that nothing written while the JVM exits can be lost to a closed pipe.
 */
final class JarProcess implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("serving (http://\\S+)");

    final Process process;
    final URI uri;
    private final Path log;

    private JarProcess(Process process, Path log) throws Exception {
        this.process = process;
        this.log = log;
        URI served = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (served == null && System.nanoTime() < deadline && process.isAlive()) {
            Matcher m = SERVING.matcher(output());
            if (m.find()) {
                served = URI.create(m.group(1));
            } else {
                Thread.sleep(50);
            }
        }
        if (served == null) {
            if (!process.isAlive()) {
                throw new AssertionError("the jar exited with status " + process.exitValue()
                        + " before printing its URL:\n" + output());
            }
            process.destroyForcibly();
            throw new AssertionError("the jar did not print its URL within 30 s:\n" + output());
        }
        this.uri = served;
    }

    static JarProcess start(String jar, Path snapshotDir, String... options) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = Files.createTempFile(snapshotDir, "example-", ".log");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-jar", jar, "--port", "0",
                "--snapshot-dir", snapshotDir.toString()));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new JarProcess(process, log);
    }

    /**
     * A command line as a document gives it (one simple command, environment assignments allowed), run by bash in
     * {@code directory} with the JDK that runs the tests first on the path. Bash runs a lone simple command in its own
     * process, so the JVM is the process {@link #terminate()} signals. The command must make the example print its
     * URL (its {@code --port}, 0 for a free one, is the caller's).
     */
    static JarProcess shell(String commandLine, Path directory, Path logDir) throws Exception {
        Path log = Files.createTempFile(logDir, "example-", ".log");
        ProcessBuilder bash = new ProcessBuilder("bash", "-c", commandLine)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        bash.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":"
                + bash.environment().getOrDefault("PATH", "/usr/bin:/bin"));
        return new JarProcess(bash.start(), log);
    }

    /** Sends SIGTERM and waits for the exit; returns the exit status. */
    int terminate() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the jar did not stop within 30 s of SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Makes sure the process is gone, whatever the test did; a test that needs a clean stop calls terminate. */
    @Override
    public void close() {
        process.destroyForcibly();
    }
}
