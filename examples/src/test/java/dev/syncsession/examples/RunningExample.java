/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.syncsession.jetty.SyncSessions;
import dev.syncsession.jetty.cache.SessionCacheKind;
import dev.syncsession.jetty.store.BundledBackend;

/**
 * The example app started in this JVM on 127.0.0.1 and a free port, with its snapshot in a fresh folder under
 * {@code target/it-work}. Close it to stop the server (which saves the snapshot).
 */
final class RunningExample implements AutoCloseable {

    private final ExampleServer server;
    private final ExampleOptions options;

    private RunningExample(ExampleOptions options) throws Exception {
        this.options = options;
        this.server = new ExampleServer(options);
        server.start();
    }

    /**
     * Starts the app with the given cache and default everything else.
     *
     * @param cache the session cache to run with
     * @param snapshotDir where the snapshot goes; reuse it to restart with the same sessions
     */
    static RunningExample start(SessionCacheKind cache, Path snapshotDir) throws Exception {
        return start(cache, snapshotDir, Duration.ofMinutes(30), Duration.ofSeconds(10));
    }

    static RunningExample start(SessionCacheKind cache, Path snapshotDir, Duration sessionTimeout,
            Duration sweepInterval) throws Exception {
        return start(new ExampleOptions("127.0.0.1", 0, BundledBackend.SYNCMAP, 0, cache, snapshotDir,
                sessionTimeout, sweepInterval));
    }

    /** Starts the app with these options; give port 0 so that tests never collide. */
    static RunningExample start(ExampleOptions options) throws Exception {
        return new RunningExample(options);
    }

    /** A new, empty folder for one test's snapshot. */
    static Path newSnapshotDir(String testName) throws IOException {
        Path work = Path.of(System.getProperty("example.work.dir", "target/it-work"));
        Files.createDirectories(work);
        return Files.createTempDirectory(work, testName + "-");
    }

    URI uri() {
        return server.uri();
    }

    ExampleOptions options() {
        return options;
    }

    ExampleServer server() {
        return server;
    }

    /** Stops the server gracefully, which writes the snapshot. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the example server did not stop cleanly", e);
        }
    }
}
