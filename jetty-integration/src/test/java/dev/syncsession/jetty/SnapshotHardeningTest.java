/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.stream.Stream;

import javax.management.BadAttributeValueExpException;

import dev.syncsession.session.AttributeStorage;
import dev.syncsession.session.SessionRecord;
import dev.syncsession.session.SessionScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.syncsession.jetty.store.SyncSessionDataStore;

/**
 * The snapshot under attack and under failure, through a running Jetty: records carrying known deserialization
 * gadget classes are refused by the allow-list, named, and the other sessions load; a snapshot that cannot be
 * written leaves the previous one intact and the log says why; one whose directory cannot be written is refused at
 * start.
 */
class SnapshotHardeningTest {

    @TempDir
    Path dir;

    @Test
    void gadgetClassesInASnapshotAreRefusedByNameAndTheOtherSessionsLoad() throws Exception {
        Path file = dir.resolve("sessions.snapshot");
        List<String> good = new ArrayList<>();
        SyncSessionDataStore firstStore;
        try (HardenedServer first = new HardenedServer(SyncSessions.builder()
                .attributeStorage(AttributeStorage.SERIALIZED).snapshotFile(file))) {
            for (int i = 0; i < 3; i++) {
                good.add(HardenedServer.sessionIdSetBy(first.get("increment", null)));
            }
            firstStore = first.store();
            SessionScope scope = anyRecord(firstStore).key().scope();
            // Entry points of well-known gadget chains (CommonsCollections2/4, CommonsBeanutils1, CommonsCollections5).
            // Both are JDK classes, so the JVM can load them: only the allow-list stands in the way.
            PriorityQueue<String> queue = new PriorityQueue<>(List.of("a", "b"));
            save(firstStore, scope.key("gadgetQueue"), Map.of("cart", "ok", "queue", queue));
            save(firstStore, scope.key("gadgetBadAttribute"),
                    Map.of("x", new BadAttributeValueExpException("value")));
        }

        try (HardenedServer second = new HardenedServer(SyncSessions.builder()
                .attributeStorage(AttributeStorage.SERIALIZED).snapshotFile(file))) {
            assertEquals(3, second.store().getSnapshotRestored());
            assertEquals(2, second.store().getSnapshotLost());
            for (String id : good) {
                assertEquals("1", second.get("read", id).getContentAsString(), "session " + id + " was not restored");
            }
            assertEquals("none", second.get("read", "gadgetQueue").getContentAsString());
            assertEquals("none", second.get("read", "gadgetBadAttribute").getContentAsString());
        }
    }

    @Test
    void theRefusalNamesTheClass() throws Exception {
        Path file = dir.resolve("named.snapshot");
        try (HardenedServer first = new HardenedServer(SyncSessions.builder().snapshotFile(file))) {
            first.get("increment", null);
            SessionScope scope = anyRecord(first.store()).key().scope();
            save(first.store(), scope.key("gadget"), Map.of("queue", new PriorityQueue<>(List.of(1, 2))));
        }
        String log = captureStderr(() -> {
            try (HardenedServer second = new HardenedServer(SyncSessions.builder().snapshotFile(file))) {
                assertEquals(1, second.store().getSnapshotLost());
            }
        });
        assertTrue(log.contains("java.util.PriorityQueue is not on the allow-list"), log);
    }

    @Test
    void aSnapshotThatFailsWhileWritingLeavesThePreviousOneIntactAndSaysWhy() throws Exception {
        Path file = dir.resolve("sessions.snapshot");
        try (HardenedServer first = new HardenedServer(SyncSessions.builder().snapshotFile(file))) {
            first.get("increment", null);
        }
        byte[] previous = Files.readAllBytes(file);

        FaultInjectingSessionStore backend = new FaultInjectingSessionStore();
        String log = captureStderr(() -> {
            try (HardenedServer second = new HardenedServer(SyncSessions.builder().backend(backend)
                    .snapshotFile(file))) {
                second.get("increment", null);
                // As a full disk would: the write fails after it started.
                backend.failRange = true;
            }
        });

        assertArrayEquals(previous, Files.readAllBytes(file), "the previous snapshot was changed");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "a temporary file was left behind");
        }
        assertTrue(log.contains("could not write session snapshot") && log.contains("injected fault: range"), log);
    }

    @Test
    void aSnapshotDirectoryThatCannotBeCreatedIsRefusedAtStartNamingTheFileAndTheReason() throws Exception {
        // Tests run as root, where permissions do not stop a write; a parent that is a regular file does.
        Path notADirectory = Files.writeString(dir.resolve("occupied"), "a file, not a directory");
        Path file = notADirectory.resolve("sessions.snapshot");

        Exception failed = assertThrows(Exception.class,
                () -> new HardenedServer(SyncSessions.builder().snapshotFile(file)).close());

        IllegalStateException refused = causeOfType(failed, IllegalStateException.class);
        assertEquals("snapshot file " + file + ": cannot create or write its directory (Not a directory: "
                + file.getParent() + "); make the directory writable or configure a snapshot file elsewhere",
                refused.getMessage());
        assertEquals("a file, not a directory", Files.readString(notADirectory));
    }

    private static <T extends Throwable> T causeOfType(Throwable thrown, Class<T> type) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in the causes of " + thrown, thrown);
    }

    private static SessionRecord anyRecord(SyncSessionDataStore store) {
        SessionRecord[] found = new SessionRecord[1];
        store.getBackend().range(record -> {
            found[0] = record;
            return false;
        });
        return found[0];
    }

    private static void save(SyncSessionDataStore store, dev.syncsession.session.SessionKey key,
            Map<String, Object> attributes) {
        long now = System.currentTimeMillis();
        store.getBackend().save(SessionRecord.builder(key).created(now).accessed(now).lastAccessed(now)
                .maxInactiveMs(3_600_000).expiry(now + 3_600_000)
                .attributes(store.getAttributeStorage().of(attributes)).build());
    }

    interface Action {
        void run() throws Exception;
    }

    /** Runs the action with System.err copied into a buffer (slf4j-simple looks System.err up on every write). */
    private static String captureStderr(Action action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                copy.write(b);
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                copy.write(b, off, len);
                original.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
        System.setErr(tee);
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return copy.toString(StandardCharsets.UTF_8);
    }
}
