/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.syncsession.jetty.SyncSessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.syncsession.jetty.cache.SessionCacheKind;
import dev.syncsession.jetty.store.BundledBackend;

class ExampleOptionsTest {

    @Test
    void defaultsServeTheSyncMapStoreOnLocalhost8080() {
        ExampleOptions options = ExampleOptions.parse(new String[0], Map.of());
        assertEquals(ExampleOptions.defaults(), options);
        assertEquals("127.0.0.1", options.host());
        assertEquals(8080, options.port());
        assertEquals(BundledBackend.SYNCMAP, options.backend());
        assertEquals(SessionCacheKind.SYNCMAP, options.cache());
        assertEquals(0, options.maximumSessions());
        assertEquals(Path.of("snapshots"), options.snapshotDir());
    }

    @Test
    void everyFlagIsRead() {
        ExampleOptions options = ExampleOptions.parse(new String[] {"--host", "0.0.0.0", "--port", "9090",
            "--backend", "caffeine", "--maximum-sessions", "500", "--cache", "null", "--snapshot-dir", "/tmp/snaps",
            "--session-timeout", "60", "--sweep-interval", "2"}, Map.of());
        assertEquals(new ExampleOptions("0.0.0.0", 9090, BundledBackend.CAFFEINE, 500, SessionCacheKind.NULL,
                Path.of("/tmp/snaps"), Duration.ofSeconds(60), Duration.ofSeconds(2)),
                options);
    }

    @Test
    void environmentOverridesDefaultsAndFlagsOverrideEnvironment() {
        Map<String, String> env = Map.of("SYNCSESSION_PORT", "7070", "SYNCSESSION_CACHE", "default",
                "SYNCSESSION_BACKEND", "Caffeine", "SYNCSESSION_MAXIMUM_SESSIONS", " ");
        ExampleOptions fromEnv = ExampleOptions.parse(new String[0], env);
        assertEquals(7070, fromEnv.port());
        assertEquals(SessionCacheKind.DEFAULT, fromEnv.cache());
        assertEquals(BundledBackend.CAFFEINE, fromEnv.backend(), "choices ignore case");
        assertEquals(ExampleOptions.DEFAULT_MAXIMUM_SESSIONS, fromEnv.maximumSessions(),
                "a blank variable counts as unset, and Caffeine gets the default bound");

        ExampleOptions flagWins = ExampleOptions.parse(new String[] {"--port", "6060"}, env);
        assertEquals(6060, flagWins.port());
        assertEquals(SessionCacheKind.DEFAULT, flagWins.cache());
    }

    @Test
    void aBoundAloneSelectsTheCaffeineBackend() {
        ExampleOptions bounded = ExampleOptions.parse(new String[] {"--maximum-sessions", "100"}, Map.of());
        assertEquals(BundledBackend.CAFFEINE, bounded.backend());
        assertEquals(100, bounded.maximumSessions());
    }

    @Test
    void theSyncMapBackendCannotBeBounded() {
        assertMessage("--maximum-sessions is 100 but the syncmap backend is unbounded; use --backend caffeine to bound it",
                "--backend", "syncmap", "--maximum-sessions", "100");
    }

    @Test
    void badValuesAreRejectedWithTheOffendingValueAndTheChoices() {
        assertMessage("--backend is \"redis\"; use syncmap | caffeine", "--backend", "redis");
        assertMessage("--cache is \"lru\"; use syncmap | default | null", "--cache", "lru");
        assertMessage("--port is \"eighty\"; expected a whole number", "--port", "eighty");
        assertMessage("--port is 70000; use 0..65535 (0: any free port)", "--port", "70000");
        assertMessage("--session-timeout is 0; use at least 1 second", "--session-timeout", "0");
        assertMessage("--sweep-interval is -5; use at least 1 second", "--sweep-interval", "-5");
        assertMessage("--snapshot-interval is -1; use 0 (only at stop) or more seconds", "--snapshot-interval", "-1");
        assertMessage("--maximum-sessions is -1; a bound must be at least 1 (leave the option out for an unbounded"
                + " syncmap store)", "--maximum-sessions", "-1");
        assertMessage("--maximum-sessions is 0; a bound must be at least 1 (leave the option out for an unbounded"
                + " syncmap store)", "--maximum-sessions", "0");
        assertMessage("--port needs a value; write --port VALUE", "--port");
        assertMessage("unknown option --prot", "--prot", "1");
        assertMessage("write --port VALUE, not --port=1", "--port=1");

        ExampleOptions.InvalidOptionException fromEnv = assertThrows(ExampleOptions.InvalidOptionException.class,
                () -> ExampleOptions.parse(new String[0], Map.of("SYNCSESSION_CACHE", "lru")));
        assertEquals("SYNCSESSION_CACHE is \"lru\"; use syncmap | default | null", fromEnv.getMessage());
    }

    @Test
    void aSnapshotDirThatCannotBeWrittenIsOneLineNamingTheOptionAndTheReason(@TempDir Path dir) throws IOException {
        // Tests run as root, where permissions do not stop a write; a parent that is a regular file does.
        Path occupied = Files.writeString(dir.resolve("occupied"), "a file, not a directory");
        ExampleOptions unusable = ExampleOptions.parse(
                new String[] {"--snapshot-dir", occupied.resolve("snapshots").toString()}, Map.of());
        assertEquals(Optional.of("--snapshot-dir " + occupied.resolve("snapshots") + ": cannot create or write the"
                + " directory (Not a directory: " + occupied.resolve("snapshots") + ")"),
                SessionSetup.snapshotDirProblem(unusable));

        ExampleOptions usable = ExampleOptions.parse(
                new String[] {"--snapshot-dir", dir.resolve("new").resolve("snapshots").toString()}, Map.of());
        assertEquals(Optional.empty(), SessionSetup.snapshotDirProblem(usable));
        assertTrue(Files.isDirectory(dir.resolve("new").resolve("snapshots")), "the folder is created as it is checked");
    }

    @Test
    void aHostThisMachineCannotBindIsOneLineNamingTheOptionAndALocalAddress() {
        assertEquals(Optional.of("--host 999.1.1.1: cannot bind (unresolved address); give a local address such as"
                + " 127.0.0.1"), ExampleServer.hostProblem("999.1.1.1"));
        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): a well-formed address no machine of ours has.
        assertEquals(Optional.of("--host 192.0.2.1: cannot bind (not an address of this machine); give a local"
                + " address such as 127.0.0.1"), ExampleServer.hostProblem("192.0.2.1"));
        assertEquals(Optional.empty(), ExampleServer.hostProblem("127.0.0.1"));
        assertEquals(Optional.empty(), ExampleServer.hostProblem("0.0.0.0"));
        assertEquals(Optional.empty(), ExampleServer.hostProblem("localhost"));
    }

    @Test
    void helpIsRecognisedAnywhereOnTheCommandLine() {
        assertTrue(ExampleOptions.wantsHelp(new String[] {"--port", "1", "--help"}));
        assertTrue(ExampleOptions.wantsHelp(new String[] {"-h"}));
        assertTrue(ExampleOptions.USAGE.contains("--backend NAME"));
        assertTrue(ExampleOptions.USAGE.contains("SYNCSESSION_PORT"));
    }

    private static void assertMessage(String expected, String... args) {
        ExampleOptions.InvalidOptionException e = assertThrows(ExampleOptions.InvalidOptionException.class,
                () -> ExampleOptions.parse(args, Map.of()));
        assertEquals(expected, e.getMessage());
    }
}
