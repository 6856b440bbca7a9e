package dev.syncsession.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import dev.syncsession.session.contract.ForwardingSessionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionSnapshotTest {

    private static final SessionScope SHOP = new SessionScope("/shop", "shop.example.com");

    /** A class outside the default allow-list. */
    record Gadget(String payload) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();

    private Path file() {
        return dir.resolve("sessions.snap");
    }

    private SessionSnapshot.Builder snapshot() {
        return SessionSnapshot.builder(file()).clock(clock);
    }

    private SessionRecord session(String id, Map<String, ?> attributes) {
        long now = clock.millis();
        return SessionRecord.builder(SHOP.key(id)).created(now - 5_000).accessed(now - 1_000).lastAccessed(now - 2_000)
                .cookieSetTime(now - 4_000).lastSaved(now - 3_000).maxInactiveMs(1_800_000).expiry(now + 1_800_000)
                .lastNode("node1").attributes(AttributeStorage.BY_REFERENCE.of(attributes)).build();
    }

    private SessionStore storeWith(int sessions) {
        SessionStore store = new SyncMapSessionStore();
        for (int i = 0; i < sessions; i++) {
            store.save(session("s" + i, Map.of("user", "user" + i, "visits", i)));
        }
        return store;
    }

    private List<Path> filesInDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    /** Rewrites the header's version, with a header checksum that matches, as a build of that version would. */
    private void setVersion(int version) throws IOException {
        byte[] bytes = Files.readAllBytes(file());
        java.nio.ByteBuffer.wrap(bytes).putInt(8, version);
        java.nio.ByteBuffer.wrap(bytes).putInt(SnapshotFormat.HEADER_BYTES - 4,
                (int) SnapshotFormat.crc(bytes, 0, SnapshotFormat.HEADER_BYTES - 4));
        Files.write(file(), bytes);
    }

    /**
     * A snapshot in the version 1 layout (the fixture was written by the build before version 3, its version then set
     * to 1, as that build's writer made the same records with attributes as one Java serialization stream each) is
     * restored; a version this build does not know is refused with a message.
     */
    @Test
    void aVersion1SnapshotIsRestoredAndAnUnknownVersionIsRefused() throws IOException {
        copyFixture("version1-3-sessions.snap");
        SessionStore restored = new SyncMapSessionStore();
        SessionSnapshot.RestoreResult result = snapshot().build().restore(restored);
        assertTrue(result.isClean(), result.toString());
        assertEquals(3, result.restored());
        assertEquals(Map.of("user", "user2", "cart", List.of("mug")), restored.load(SHOP.key("s2")).attributes().toMap());

        snapshot().build().write(storeWith(3));
        setVersion(4);
        SessionSnapshot.RestoreResult refused = snapshot().build().restore(new SyncMapSessionStore());
        assertEquals(0, refused.restored());
        assertTrue(refused.errors().toString().contains("snapshot version 4 is not supported; this build reads"
                + " versions 1 to 3"), refused.errors().toString());
    }

    /** A snapshot written by the build before version 3 (the fixture), in the version 2 layout, is restored. */
    @Test
    void aVersion2SnapshotWrittenByThePreviousBuildIsRestored() throws IOException {
        copyFixture("version2-20-sessions.snap");
        SessionStore restored = new SyncMapSessionStore();
        SessionSnapshot.RestoreResult result = snapshot().build().restore(restored);
        assertTrue(result.isClean(), result.toString());
        assertEquals(20, result.restored());
        for (int i = 0; i < 20; i++) {
            SessionRecord record = restored.load(SHOP.key("s" + i));
            assertEquals(Map.of("user", "user" + i, "visits", i), record.attributes().toMap());
            assertEquals("node1", record.lastNode());
            assertEquals(clock.millis() + 1_800_000, record.expiry());
        }
    }

    /** Copies a snapshot fixture of this package's test resources to {@link #file()}. */
    void copyFixture(String name) throws IOException {
        try (var in = SessionSnapshotTest.class.getResourceAsStream(name)) {
            assertTrue(in != null, "missing test resource " + name);
            Files.copy(in, file());
        }
    }

    @Test
    void aRoundTripOf100kSessionsKeepsEveryField() throws IOException {
        int count = 100_000;
        SessionStore original = storeWith(count);
        SessionSnapshot.WriteResult written = snapshot().build().write(original);
        assertEquals(count, written.written());
        assertEquals(Files.size(file()), written.bytes());

        SessionStore restored = new SyncMapSessionStore();
        SessionSnapshot.RestoreResult result = snapshot().build().restore(restored);

        assertEquals(count, result.restored());
        assertTrue(result.isClean(), result.toString());
        assertEquals(count, restored.size());
        original.range(expected -> {
            SessionRecord actual = restored.load(expected.key());
            assertEquals(expected.created(), actual.created());
            assertEquals(expected.accessed(), actual.accessed());
            assertEquals(expected.lastAccessed(), actual.lastAccessed());
            assertEquals(expected.cookieSetTime(), actual.cookieSetTime());
            assertEquals(expected.lastSaved(), actual.lastSaved());
            assertEquals(expected.maxInactiveMs(), actual.maxInactiveMs());
            assertEquals(expected.expiry(), actual.expiry());
            assertEquals(expected.lastNode(), actual.lastNode());
            assertEquals(expected.attributes().toMap(), actual.attributes().toMap());
            return true;
        });
    }

    @Test
    void aSessionWithoutLastNodeAndWithAnEmptyVirtualHostRoundTrips() throws IOException {
        SessionStore store = new SyncMapSessionStore();
        store.save(SessionRecord.builder(SessionScope.ROOT.key("plain")).build());
        snapshot().build().write(store);

        SessionStore restored = new SyncMapSessionStore();
        assertEquals(1, snapshot().build().restore(restored).restored());
        SessionRecord record = restored.load(SessionScope.ROOT.key("plain"));
        assertEquals(null, record.lastNode());
        assertEquals(0, record.attributes().size());
    }

    @Test
    void expiredSessionsAreLeftOutOnWriteAndSkippedOnRestore() throws IOException {
        SessionStore store = storeWith(10);
        store.save(session("already-expired", Map.of()).toBuilder().expiry(clock.millis() - 1).build());
        SessionSnapshot.WriteResult written = snapshot().build().write(store);
        assertEquals(10, written.written());
        assertEquals(1, written.skippedExpired());

        SessionStore shortLived = new SyncMapSessionStore();
        shortLived.save(session("short", Map.of()).toBuilder().expiry(clock.millis() + 1_000).build());
        shortLived.save(session("long", Map.of()));
        snapshot().build().write(shortLived);
        clock.advance(Duration.ofSeconds(2));

        SessionStore restored = new SyncMapSessionStore();
        SessionSnapshot.RestoreResult result = snapshot().build().restore(restored);
        assertEquals(1, result.restored());
        assertEquals(1, result.skippedExpired());
        assertEquals(0, result.lost());
        assertTrue(restored.exists(SHOP.key("long")));
    }

    @Test
    void sessionsWithValuesThatAreNotSerializableAreLeftOutAndCounted() throws IOException {
        SessionStore store = storeWith(3);
        store.save(session("odd", Map.of("thread", new Object())));
        SessionSnapshot.WriteResult written = snapshot().build().write(store);
        assertEquals(3, written.written());
        assertEquals(1, written.skippedUnserializable());
    }

    @Test
    void aWriteReplacesThePreviousSnapshotAndLeavesNoTemporaryFile() throws IOException {
        snapshot().build().write(storeWith(5));
        snapshot().build().write(storeWith(2));
        assertEquals(List.of(file()), filesInDir());
        assertEquals(2, snapshot().build().restore(new SyncMapSessionStore()).restored());
    }

    @Test
    void aFailedWriteKeepsThePreviousSnapshot() throws IOException {
        snapshot().build().write(storeWith(5));
        byte[] before = Files.readAllBytes(file());
        SessionStore failing = new ForwardingSessionStore(storeWith(5)) {
            @Override
            public boolean range(Predicate<? super SessionRecord> visitor) {
                super.range(visitor);
                throw new IllegalStateException("store failed mid-scan");
            }
        };
        assertThrows(IllegalStateException.class, () -> snapshot().build().write(failing));
        assertArrayEquals(before, Files.readAllBytes(file()));
        assertEquals(List.of(file()), filesInDir());
    }

    @Test
    void checkWritableCreatesAMissingDirectoryAndLeavesNoFileBehind() throws IOException {
        Path nested = dir.resolve("a").resolve("b").resolve("sessions.snap");
        SessionSnapshot.builder(nested).build().checkWritable();
        assertTrue(Files.isDirectory(nested.getParent()));
        try (Stream<Path> files = Files.list(nested.getParent())) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void checkWritableRefusesADirectoryThatCannotBeCreatedAndSaysWhy() throws IOException {
        // Tests run as root, where permissions do not stop a write; a parent that is a regular file does.
        Path occupied = Files.writeString(dir.resolve("occupied"), "a file, not a directory");
        IOException refused = assertThrows(IOException.class,
                () -> SessionSnapshot.builder(occupied.resolve("sessions.snap")).build().checkWritable());
        assertEquals("Not a directory: " + occupied, refused.getMessage());
        assertEquals("a file, not a directory", Files.readString(occupied));
    }

    @Test
    void aMissingFileRestoresNothingWithoutError() {
        SessionSnapshot.RestoreResult result = snapshot().build().restore(new SyncMapSessionStore());
        assertEquals(0, result.restored());
        assertTrue(result.isClean());
        assertTrue(result.quarantined().isEmpty());
    }

    @Test
    void aTruncatedFileRestoresEveryIntactRecordCountsTheLostAndIsKeptAside() throws IOException {
        snapshot().build().write(storeWith(100));
        byte[] bytes = Files.readAllBytes(file());
        Files.write(file(), java.util.Arrays.copyOf(bytes, bytes.length / 2));

        SessionStore restored = new SyncMapSessionStore();
        SessionSnapshot.RestoreResult result = snapshot().build().restore(restored);

        assertTrue(result.restored() > 40 && result.restored() < 50, result.toString());
        assertEquals(100, result.restored() + result.lost());
        assertEquals(result.restored(), restored.size());
        assertTrue(result.errors().get(0).startsWith("snapshot is truncated in record "), result.errors().toString());
        assertQuarantined(result);
    }

    @Test
    void aFlippedBitLosesOnlyTheRecordItIsIn() throws IOException {
        snapshot().build().write(storeWith(100));
        byte[] bytes = Files.readAllBytes(file());
        int middle = bytes.length / 2;
        bytes[middle] ^= 0x10;
        Files.write(file(), bytes);

        SessionStore restored = new SyncMapSessionStore();
        SessionSnapshot.RestoreResult result = snapshot().build().restore(restored);

        assertEquals(99, result.restored(), result.toString());
        assertEquals(1, result.lost());
        assertEquals(99, restored.size());
        assertEquals(1, result.errors().size(), result.errors().toString());
        assertQuarantined(result);
    }

    @Test
    void anEmptyFileRestoresNothingAndIsKeptAside() throws IOException {
        Files.write(file(), new byte[0]);
        SessionSnapshot.RestoreResult result = snapshot().build().restore(new SyncMapSessionStore());
        assertEquals(0, result.restored());
        assertEquals(List.of("snapshot is 0 bytes, shorter than its 32-byte header"), result.errors());
        assertQuarantined(result);
    }

    @Test
    void aFileThatIsNotASnapshotIsKeptAside() throws IOException {
        Files.writeString(file(), "this is not a session snapshot, just some text of sufficient length");
        SessionSnapshot.RestoreResult result = snapshot().build().restore(new SyncMapSessionStore());
        assertTrue(result.errors().get(0).startsWith("not a session snapshot: magic is 0x"), result.errors().toString());
        assertQuarantined(result);
    }

    @Test
    void aSecondDamagedFileInTheSameMillisecondGetsItsOwnQuarantineName() throws IOException {
        Files.write(file(), new byte[0]);
        Path first = snapshot().build().restore(new SyncMapSessionStore()).quarantined().orElseThrow();
        Files.write(file(), new byte[0]);
        Path second = snapshot().build().restore(new SyncMapSessionStore()).quarantined().orElseThrow();
        assertFalse(first.equals(second));
        assertTrue(Files.exists(first) && Files.exists(second));
    }

    static void assertQuarantined(SessionSnapshot.RestoreResult result, Path file) {
        Path aside = result.quarantined().orElseThrow();
        assertTrue(aside.getFileName().toString().startsWith("sessions.snap.corrupt-2023"), aside.toString());
        assertTrue(Files.exists(aside));
        assertFalse(Files.exists(file), "the damaged file must not be overwritten by the next write");
    }

    private void assertQuarantined(SessionSnapshot.RestoreResult result) {
        assertQuarantined(result, file());
    }

    @Test
    void aDisallowedAttributeClassIsRefusedWithAMessageNamingTheClass() throws IOException {
        SessionStore store = storeWith(3);
        store.save(session("gadget", Map.of("toy", new Gadget("boom"))));
        snapshot().build().write(store);

        SessionStore restored = new SyncMapSessionStore();
        SessionSnapshot.RestoreResult result = snapshot().build().restore(restored);

        assertEquals(3, result.restored());
        assertEquals(1, result.lost());
        assertEquals(1, result.errors().size());
        String error = result.errors().get(0);
        assertTrue(error.contains("attribute 'toy' refused: class " + Gadget.class.getName()
                + " is not on the allow-list"), error);
        assertFalse(restored.exists(SHOP.key("gadget")));
        assertTrue(result.quarantined().isEmpty(), "an intact file with a refused class is not damaged");
    }

    @Test
    void aDisallowedClassInsideACollectionIsRefusedToo() throws IOException {
        SessionStore store = new SyncMapSessionStore();
        store.save(session("nested", Map.of("list", new ArrayList<>(List.of(new Gadget("boom"))))));
        snapshot().build().write(store);
        SessionSnapshot.RestoreResult result = snapshot().build().restore(new SyncMapSessionStore());
        assertEquals(0, result.restored());
        assertTrue(result.errors().get(0).contains(Gadget.class.getName()), result.errors().toString());
    }

    @Test
    void allowedClassesAndPackagesAreRestored() throws IOException {
        SessionStore store = new SyncMapSessionStore();
        store.save(session("gadget", Map.of("toy", new Gadget("fine"))));
        snapshot().build().write(store);

        SessionStore byClass = new SyncMapSessionStore();
        assertEquals(1, snapshot().allowClass(Gadget.class).build().restore(byClass).restored());
        assertEquals(new Gadget("fine"), byClass.load(SHOP.key("gadget")).attributes().toMap().get("toy"));

        SessionStore byPackage = new SyncMapSessionStore();
        assertEquals(1, snapshot().allowPackage("dev.syncsession").build().restore(byPackage).restored());
    }

    @Test
    void theDefaultAllowListAcceptsJdkValueTypes() throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("string", "text");
        values.put("long", 42L);
        values.put("double", 1.5d);
        values.put("boolean", true);
        values.put("char", 'c');
        values.put("decimal", new BigDecimal("12.34"));
        values.put("date", LocalDate.of(2024, 2, 29));
        values.put("instant", Instant.ofEpochSecond(1_700_000_000L));
        values.put("zoned", ZonedDateTime.parse("2024-01-01T10:00:00+01:00[Europe/Paris]"));
        values.put("duration", Duration.ofMinutes(3));
        values.put("uuid", UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        values.put("list", new ArrayList<>(List.of("a", "b")));
        values.put("immutableList", List.of(1, 2, 3));
        values.put("set", Set.of("x"));
        values.put("map", new HashMap<>(Map.of("k", 1)));
        values.put("sorted", new TreeMap<>(Map.of("k", List.of(1L))));
        values.put("ints", new int[] {1, 2, 3});
        values.put("strings", new String[] {"a", "b"});
        SessionStore store = new SyncMapSessionStore();
        store.save(session("jdk", values));
        snapshot().build().write(store);

        SessionStore restored = new SyncMapSessionStore();
        SessionSnapshot.RestoreResult result = snapshot().build().restore(restored);

        assertTrue(result.isClean(), result.toString());
        Map<String, Object> back = restored.load(SHOP.key("jdk")).attributes().toMap();
        for (Map.Entry<String, Object> expected : values.entrySet()) {
            Object actual = back.get(expected.getKey());
            if (expected.getValue() instanceof int[] ints) {
                assertArrayEquals(ints, (int[]) actual);
            } else if (expected.getValue() instanceof String[] strings) {
                assertArrayEquals(strings, (String[]) actual);
            } else {
                assertEquals(expected.getValue(), actual, expected.getKey());
            }
        }
    }

    @Test
    void serializedStorageRestoresTheBytesAsTheyWere() throws IOException {
        SessionStore store = new SyncMapSessionStore();
        SessionAttributes serialized = AttributeStorage.SERIALIZED.of(Map.of("user", "alice"));
        store.save(session("s", Map.of()).toBuilder().attributes(serialized).build());
        snapshot().build().write(store);

        SessionStore restored = new SyncMapSessionStore();
        snapshot().attributeStorage(AttributeStorage.SERIALIZED).build().restore(restored);
        SessionAttributes back = restored.load(SHOP.key("s")).attributes();
        assertEquals(AttributeStorage.SERIALIZED, back.storage());
        assertArrayEquals(((SerializedAttributes) serialized).bytes(), ((SerializedAttributes) back).bytes());
    }

    @Test
    void aRestartWithASnapshotKeepsEveryLiveSession() throws IOException {
        SessionStore before = new SyncMapSessionStore();
        SessionService first = SessionService.builder(before).scope(SHOP).clock(clock).build();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ids.add(first.create(Map.of("n", i)).id());
        }
        snapshot().build().write(before);
        before.close();

        clock.advance(Duration.ofSeconds(30));
        SessionStore after = new SyncMapSessionStore();
        snapshot().build().restore(after);
        SessionService second = SessionService.builder(after).scope(SHOP).clock(clock).build();
        for (int i = 0; i < 100; i++) {
            assertEquals(i, second.find(ids.get(i)).orElseThrow().attributes().toMap().get("n"));
        }
    }

    @Test
    void aDeferredRestoreLeavesAttributesUnreadUntilEachScopeReadsItsOwnThroughTheAllowList() throws IOException {
        SessionScope blog = new SessionScope("/blog", "");
        SessionStore store = new SyncMapSessionStore();
        store.save(session("cart", Map.of("items", 3)));
        store.save(session("gadget", Map.of("toy", new Gadget("boom"))));
        store.save(SessionRecord.builder(blog.key("post")).created(clock.millis()).accessed(clock.millis())
                .lastAccessed(clock.millis()).maxInactiveMs(60_000).expiry(clock.millis() + 60_000)
                .attributes(AttributeStorage.BY_REFERENCE.of(Map.of("draft", "hello"))).build());
        snapshot().build().write(store);

        SessionSnapshot deferred = snapshot().deferAttributeReading().build();
        SessionStore restored = new SyncMapSessionStore();
        SessionSnapshot.RestoreResult file = deferred.restore(restored);
        assertEquals(3, file.restored(), "nothing is refused before a scope reads its sessions");
        assertEquals(0, file.lost());
        SessionRecord unread = restored.load(SHOP.key("gadget"));
        assertEquals(AttributeStorage.SERIALIZED, unread.attributes().storage());
        // Unread bytes from the file pass the allow-list on any read, not only through readDeferred.
        assertThrows(UnreadableSessionException.class, () -> unread.attributes().toMap(getClass().getClassLoader()));

        SessionSnapshot.RestoreResult shop = deferred.readDeferred(restored, SHOP, getClass().getClassLoader());
        assertEquals(1, shop.restored());
        assertEquals(1, shop.lost());
        assertTrue(shop.errors().get(0).contains(Gadget.class.getName()), shop.errors().toString());
        assertEquals(null, restored.load(SHOP.key("gadget")), "a refused session is deleted");
        SessionRecord cart = restored.load(SHOP.key("cart"));
        assertEquals(AttributeStorage.BY_REFERENCE, cart.attributes().storage());
        assertEquals(Map.of("items", 3), cart.attributes().toMap());
        // The other scope's session is untouched until that scope reads it.
        assertEquals(AttributeStorage.SERIALIZED, restored.load(blog.key("post")).attributes().storage());
        SessionSnapshot.RestoreResult blogRead = deferred.readDeferred(restored, blog, getClass().getClassLoader());
        assertEquals(1, blogRead.restored());
        assertTrue(blogRead.isClean());
        assertEquals(Map.of("draft", "hello"), restored.load(blog.key("post")).attributes().toMap());
        assertEquals(0, deferred.readDeferred(restored, blog, getClass().getClassLoader()).restored(),
                "a second read finds nothing unread");
    }

    @Test
    void serializedAttributesHoldNoObjectsAndReadBackEqual() {
        SessionAttributes shared = AttributeStorage.BY_REFERENCE.of(Map.of("n", 1, "s", "x"));
        SessionAttributes serialized = shared.serialized();
        assertEquals(AttributeStorage.SERIALIZED, serialized.storage());
        assertEquals(2, serialized.size());
        assertEquals(shared.toMap(), serialized.toMap());
        assertTrue(serialized == serialized.serialized());
        assertThrows(IllegalArgumentException.class,
                () -> AttributeStorage.BY_REFERENCE.of(Map.of("o", new Object())).serialized());
    }

    /** What stops a write partway in {@link #aWriteCutOffPartwayLeavesThePreviousSnapshotByteForByte}: no exception a
     * write handles, as a process that is killed handles none. */
    private static final class CutOff extends Error {
        private static final long serialVersionUID = 1L;

        CutOff() {
            super("the process stopped here", null, false, false);
        }
    }

    /**
     * A write cut off partway (its store's range stops after 1,500 of 2,000 sessions, with an error no write
     * handles, as a killed process handles none) leaves the previous snapshot byte for byte as it was, beside the
     * unfinished file, which already holds the part written; the next restore reads the previous snapshot whole and
     * deletes the unfinished file.
     */
    @Test
    void aWriteCutOffPartwayLeavesThePreviousSnapshotByteForByte() throws Exception {
        SessionStore previous = storeWith(2_000);
        snapshot().build().write(previous);
        byte[] before = Files.readAllBytes(file());

        SessionStore changed = new SyncMapSessionStore();
        String padding = "x".repeat(200); // so that the part written fills the write buffer and reaches the file
        for (int i = 0; i < 2_000; i++) {
            changed.save(session("t" + i, Map.of("user", "other" + i, "note", padding)));
        }
        SessionStore stopping = new ForwardingSessionStore(changed) {
            @Override
            public boolean range(Predicate<? super SessionRecord> visitor) {
                int[] visited = {0};
                return super.range(r -> {
                    if (visited[0]++ == 1_500) {
                        throw new CutOff();
                    }
                    return visitor.test(r);
                });
            }
        };
        assertThrows(CutOff.class, () -> snapshot().build().write(stopping));

        assertArrayEquals(before, Files.readAllBytes(file()), "the previous snapshot changed");
        List<Path> unfinished = filesInDir().stream().filter(f -> f.toString().endsWith(".tmp")).toList();
        assertEquals(1, unfinished.size(), "the cut-off write's file: " + filesInDir());
        assertTrue(Files.size(unfinished.get(0)) > 100_000,
                "the write was cut off before it wrote anything: " + Files.size(unfinished.get(0)) + " bytes");

        SessionStore restored = new SyncMapSessionStore();
        SessionSnapshot.RestoreResult result = snapshot().build().restore(restored);
        assertEquals(2_000, result.restored(), result.toString());
        assertEquals(Map.of("user", "user7", "visits", 7), restored.load(SHOP.key("s7")).attributes().toMap());
        assertEquals(List.of(file()), filesInDir(), "the unfinished file is deleted by the restore");
    }
}
