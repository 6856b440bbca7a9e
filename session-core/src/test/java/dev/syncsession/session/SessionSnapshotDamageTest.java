/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of snapshot format version 3: one damaged byte, wherever it is (a payload, a record's length, its
 * marker, its checksums), costs the record it is in and no other; a truncated file gives back every complete record
 * before the cut; marker bytes inside a payload do not make the reader see a record that is not there. Each skipped
 * record is named by number and bytes, and the damaged file is moved aside. Version 2 files keep their behaviour.
 */
class SessionSnapshotDamageTest {

    private static final SessionScope SHOP = new SessionScope("/shop", "shop.example.com");
    private static final int SESSIONS = 20;
    private static final int DAMAGED = 9;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();

    private Path file() {
        return dir.resolve("sessions.snap");
    }

    private SessionSnapshot snapshot() {
        return SessionSnapshot.builder(file()).clock(clock).build();
    }

    private SessionRecord session(String id, Map<String, ?> attributes) {
        long now = clock.millis();
        return SessionRecord.builder(SHOP.key(id)).created(now - 5_000).accessed(now - 1_000)
                .maxInactiveMs(1_800_000).expiry(now + 1_800_000).lastNode("node1")
                .attributes(AttributeStorage.BY_REFERENCE.of(attributes)).build();
    }

    /** Writes {@link #SESSIONS} sessions s0, s1, ... and returns the file's records, in file order. */
    private List<Written> writeSessions() throws IOException {
        SessionStore store = new SyncMapSessionStore();
        for (int i = 0; i < SESSIONS; i++) {
            store.save(session("s" + i, Map.of("user", "user" + i, "visits", i)));
        }
        assertEquals(SESSIONS, snapshot().write(store).written());
        return records(Files.readAllBytes(file()));
    }

    /** One record as written: where it starts, where its payload ends (exclusive) and its session id. */
    record Written(int start, int end, String id) {

        int lengthField() {
            return start + 8;
        }

        int payloadCrcField() {
            return start + 12;
        }

        int headerCrcField() {
            return start + 16;
        }

        int payloadStart() {
            return start + SnapshotFormat.RECORD_HEADER_BYTES;
        }

        /** The byte range as the restore names it: first-last. */
        String bytes() {
            return start + "-" + (end - 1);
        }
    }

    /** Walks the records of an undamaged version 3 file. */
    private static List<Written> records(byte[] bytes) throws IOException {
        List<Written> records = new ArrayList<>();
        int position = SnapshotFormat.HEADER_BYTES;
        while (position < bytes.length) {
            ByteBuffer header = ByteBuffer.wrap(bytes, position, SnapshotFormat.RECORD_HEADER_BYTES);
            assertEquals(SnapshotFormat.RECORD_MARKER, header.getLong());
            int length = header.getInt();
            int payloadStart = position + SnapshotFormat.RECORD_HEADER_BYTES;
            byte[] payload = Arrays.copyOfRange(bytes, payloadStart, payloadStart + length);
            String id = SnapshotFormat.readPayload(payload, null).record().build().id();
            records.add(new Written(position, payloadStart + length, id));
            position = payloadStart + length;
        }
        return records;
    }

    private void flip(int offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file());
        bytes[offset] ^= 0x01;
        Files.write(file(), bytes);
    }

    /** Restores into a new store and checks that exactly the sessions of {@code expected} are there, intact. */
    private SessionSnapshot.RestoreResult restoreExpecting(List<Written> expected) {
        SessionStore restored = new SyncMapSessionStore();
        SessionSnapshot.RestoreResult result = snapshot().restore(restored);
        assertEquals(expected.size(), result.restored(), result.toString());
        assertEquals(expected.size(), restored.size());
        for (Written record : expected) {
            int n = Integer.parseInt(record.id().substring(1));
            SessionRecord back = restored.load(SHOP.key(record.id()));
            assertTrue(back != null, record.id() + " was not restored: " + result);
            assertEquals(Map.of("user", "user" + n, "visits", n), back.attributes().toMap());
        }
        return result;
    }

    private static List<Written> without(List<Written> records, int index) {
        List<Written> kept = new ArrayList<>(records);
        kept.remove(index);
        return kept;
    }

    @Test
    void aFlippedByteInAPayloadSkipsThatRecordAndRestoresTheOther19() throws IOException {
        List<Written> records = writeSessions();
        Written damaged = records.get(DAMAGED);
        flip((damaged.payloadStart() + damaged.end()) / 2);

        SessionSnapshot.RestoreResult result = restoreExpecting(without(records, DAMAGED));

        assertEquals(1, result.lost());
        assertEquals(List.of("record 9 of 20 (bytes " + damaged.bytes() + ") fails its checksum: skipped"),
                result.errors());
        SessionSnapshotTest.assertQuarantined(result, file());
    }

    @Test
    void aFlippedByteInALengthFieldSkipsThatRecordAndRestoresTheOther19() throws IOException {
        for (int lengthByte = 0; lengthByte < 4; lengthByte++) {
            List<Written> records = writeSessions();
            Written damaged = records.get(DAMAGED);
            flip(damaged.lengthField() + lengthByte);

            SessionSnapshot.RestoreResult result = restoreExpecting(without(records, DAMAGED));

            assertEquals(1, result.lost(), "length byte " + lengthByte);
            assertEquals(List.of("record 9 of 20 (bytes " + damaged.bytes() + ") has a damaged header: skipped to"
                    + " the next intact record header, at byte " + records.get(DAMAGED + 1).start()), result.errors(),
                    "length byte " + lengthByte);
            SessionSnapshotTest.assertQuarantined(result, file());
        }
    }

    @Test
    void aFlippedByteInAMarkerSkipsThatRecordAndRestoresTheOther19() throws IOException {
        for (int markerByte = 0; markerByte < 8; markerByte++) {
            List<Written> records = writeSessions();
            Written damaged = records.get(DAMAGED);
            flip(damaged.start() + markerByte);

            SessionSnapshot.RestoreResult result = restoreExpecting(without(records, DAMAGED));

            assertEquals(1, result.lost(), "marker byte " + markerByte);
            assertEquals(1, result.errors().size(), result.errors().toString());
            assertTrue(result.errors().get(0).startsWith("record 9 of 20 (bytes " + damaged.bytes()
                    + ") has a damaged header"), result.errors().toString());
            SessionSnapshotTest.assertQuarantined(result, file());
        }
    }

    @Test
    void aFlippedByteInEitherChecksumSkipsThatRecordAndRestoresTheOther19() throws IOException {
        for (String field : List.of("payload checksum", "header checksum")) {
            List<Written> records = writeSessions();
            Written damaged = records.get(DAMAGED);
            flip(field.equals("payload checksum") ? damaged.payloadCrcField() + 2 : damaged.headerCrcField() + 3);

            SessionSnapshot.RestoreResult result = restoreExpecting(without(records, DAMAGED));

            assertEquals(1, result.lost(), field);
            assertEquals(1, result.errors().size(), field + ": " + result.errors());
        }
    }

    @Test
    void aDamagedFirstOrLastRecordCostsOnlyItself() throws IOException {
        List<Written> records = writeSessions();
        flip(records.get(0).lengthField() + 3);
        restoreExpecting(without(records, 0));

        records = writeSessions();
        Written last = records.get(SESSIONS - 1);
        flip(last.lengthField() + 3);
        SessionSnapshot.RestoreResult result = restoreExpecting(without(records, SESSIONS - 1));
        assertEquals(List.of("record 19 of 20 (bytes " + last.bytes() + ") has a damaged header, and no intact record"
                + " follows: skipped to the end"), result.errors());
    }

    @Test
    void twoDamagedRecordsCostTwoAndAreBothNamed() throws IOException {
        List<Written> records = writeSessions();
        flip(records.get(3).payloadStart() + 5);
        flip(records.get(15).lengthField() + 1);
        List<Written> intact = new ArrayList<>(records);
        intact.remove(15);
        intact.remove(3);

        SessionSnapshot.RestoreResult result = restoreExpecting(intact);

        assertEquals(2, result.lost());
        assertEquals(2, result.errors().size(), result.errors().toString());
        assertTrue(result.errors().get(0).startsWith("record 3 of 20 (bytes " + records.get(3).bytes() + ")"));
        assertTrue(result.errors().get(1).startsWith("record 15 of 20 (bytes " + records.get(15).bytes() + ")"));
    }

    @Test
    void aFileCutInsideAPayloadRestoresEveryCompleteRecordBeforeTheCut() throws IOException {
        List<Written> records = writeSessions();
        Written cut = records.get(12);
        byte[] bytes = Files.readAllBytes(file());
        int length = cut.payloadStart() + 7;
        Files.write(file(), Arrays.copyOf(bytes, length));

        SessionSnapshot.RestoreResult result = restoreExpecting(records.subList(0, 12));

        assertEquals(8, result.lost());
        assertEquals(List.of("snapshot is truncated in record 12 of 20 (bytes " + cut.bytes() + ", but the file ends"
                + " at byte " + (length - 1) + ")"), result.errors());
        SessionSnapshotTest.assertQuarantined(result, file());
    }

    @Test
    void aFileCutInsideARecordHeaderRestoresEveryCompleteRecordBeforeTheCut() throws IOException {
        List<Written> records = writeSessions();
        Written cut = records.get(12);
        byte[] bytes = Files.readAllBytes(file());
        Files.write(file(), Arrays.copyOf(bytes, cut.start() + 10));

        SessionSnapshot.RestoreResult result = restoreExpecting(records.subList(0, 12));

        assertEquals(8, result.lost());
        assertEquals(List.of("snapshot is truncated in record 12 of 20 (bytes " + cut.start() + "-" + (cut.start() + 9)
                + " are less than a record header)"), result.errors());
        SessionSnapshotTest.assertQuarantined(result, file());
    }

    /**
     * A session holds the marker in a string attribute and, in a byte array, the marker with what follows it in a
     * real record header save its checksum. The reader scans through that payload when the record's own header is
     * damaged; it must not take either for a record.
     */
    @Test
    void markerBytesInsideAPayloadDoNotFoolTheReader() throws IOException {
        byte[] marker = ByteBuffer.allocate(8).putLong(SnapshotFormat.RECORD_MARKER).array();
        byte[] lookalike = ByteBuffer.allocate(SnapshotFormat.RECORD_HEADER_BYTES).putLong(SnapshotFormat.RECORD_MARKER)
                .putInt(40).putInt(0x12345678).putInt(0).array();
        String markerAsText = new String(marker, StandardCharsets.ISO_8859_1);
        SessionStore store = new SyncMapSessionStore();
        for (int i = 0; i < 3; i++) {
            store.save(session("s" + i, Map.of("user", "user" + i, "visits", i)));
        }
        store.save(session("decoy", Map.of("text", markerAsText + "tail", "raw", lookalike)));
        snapshot().write(store);
        byte[] bytes = Files.readAllBytes(file());
        assertEquals(5, occurrences(bytes, marker), "the byte array, and only it, puts a marker inside a payload");

        SessionStore intact = new SyncMapSessionStore();
        assertTrue(snapshot().restore(intact).isClean());
        Map<String, Object> decoy = intact.load(SHOP.key("decoy")).attributes().toMap();
        assertEquals(markerAsText + "tail", decoy.get("text"));
        assertArrayEquals(lookalike, (byte[]) decoy.get("raw"));

        List<Written> records = records(bytes);
        int decoyIndex = records.stream().map(Written::id).toList().indexOf("decoy");
        flip(records.get(decoyIndex).lengthField() + 2);
        SessionStore restored = new SyncMapSessionStore();
        SessionSnapshot.RestoreResult result = snapshot().restore(restored);

        assertEquals(3, result.restored(), result.toString());
        assertEquals(3, restored.size());
        assertFalse(restored.exists(SHOP.key("decoy")));
        assertEquals(1, result.lost());
        String expectedNext = decoyIndex + 1 < records.size()
                ? "skipped to the next intact record header, at byte " + records.get(decoyIndex + 1).start()
                : "no intact record follows: skipped to the end";
        assertTrue(result.errors().get(0).endsWith(expectedNext), result.errors().toString());
    }

    private static int occurrences(byte[] bytes, byte[] pattern) {
        int found = 0;
        for (int i = 0; i + pattern.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + pattern.length, pattern, 0, pattern.length)) {
                found++;
            }
        }
        return found;
    }

    /**
     * A version 2 file (written by the previous build) has no markers, so it keeps that build's behaviour: a damaged
     * record ends the restore, and the records before it are restored.
     */
    @Test
    void aDamagedVersion2FileRestoresTheRecordsBeforeTheDamageAsBefore() throws IOException {
        try (var in = SessionSnapshotDamageTest.class.getResourceAsStream("version2-20-sessions.snap")) {
            Files.copy(in, file());
        }
        byte[] bytes = Files.readAllBytes(file());
        int position = SnapshotFormat.HEADER_BYTES;
        for (int i = 0; i < DAMAGED; i++) {
            position += 8 + ByteBuffer.wrap(bytes, position, 4).getInt();
        }
        bytes[position + 8 + 20] ^= 0x01;
        Files.write(file(), bytes);

        SessionStore restored = new SyncMapSessionStore();
        SessionSnapshot.RestoreResult result = snapshot().restore(restored);

        assertEquals(DAMAGED, result.restored(), result.toString());
        assertEquals(SESSIONS - DAMAGED, result.lost());
        assertEquals(List.of("record 9 of 20 fails its checksum"), result.errors());
        SessionSnapshotTest.assertQuarantined(result, file());
    }
}
