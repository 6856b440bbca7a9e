package dev.syncsession.session;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The binary layout of a session snapshot, version {@value #VERSION}. All numbers are big-endian. Version 2 differs
 * from version 1 only in the attribute bytes, whose tagged form version 1 builds cannot read; this build reads both
 * (the form is told by its first byte, see {@link AttributeCodec}).
 *
 * <pre>
 * header  (32 bytes): magic "SYNCSESS" (8) | version (4) | record count (8) | written at, epoch ms (8) | CRC32C of
 *                     the preceding 28 bytes (4)
 * record  (repeated): payload length (4) | CRC32C of the payload (4) | payload
 * payload           : contextPath, virtualHost, id (modified UTF-8, as DataOutput.writeUTF) | created, accessed,
 *                     lastAccessed, cookieSetTime, lastSaved, maxInactiveMs, expiry (8 each) | has last node (1)
 *                     [| lastNode (UTF)] | attribute count (4) | attribute bytes length (4) | attribute bytes, in
 *                     {@link AttributeCodec} form
 * </pre>
 *
 * The per-record length and checksum let a reader restore every intact record before a damaged or truncated one.
 * Stateless; the codec methods are thread-safe.
 */
final class SnapshotFormat {

    static final long MAGIC = 0x53594E4353455353L; // "SYNCSESS"
    static final int VERSION = 2;
    /** The oldest version this build reads. */
    static final int OLDEST_READABLE_VERSION = 1;
    static final int HEADER_BYTES = 32;
    /** No session is this large; a bigger length means the length itself is damaged. */
    static final int MAX_RECORD_BYTES = 64 << 20;

    private SnapshotFormat() {
    }

    static ByteBuffer header(long recordCount, long writtenAt) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.putLong(MAGIC).putInt(VERSION).putLong(recordCount).putLong(writtenAt);
        header.putInt((int) crc(header.array(), 0, HEADER_BYTES - 4));
        return header.flip();
    }

    static long crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }

    /** Writes one record's payload into {@code out}, which the caller resets between records. */
    static void writePayload(DataOutputStream out, SessionRecord record, int attributeCount, byte[] attributeBytes)
            throws IOException {
        out.writeUTF(record.scope().contextPath());
        out.writeUTF(record.scope().virtualHost());
        out.writeUTF(record.id());
        out.writeLong(record.created());
        out.writeLong(record.accessed());
        out.writeLong(record.lastAccessed());
        out.writeLong(record.cookieSetTime());
        out.writeLong(record.lastSaved());
        out.writeLong(record.maxInactiveMs());
        out.writeLong(record.expiry());
        out.writeBoolean(record.lastNode() != null);
        if (record.lastNode() != null) {
            out.writeUTF(record.lastNode());
        }
        out.writeInt(attributeCount);
        out.writeInt(attributeBytes.length);
        out.write(attributeBytes);
    }

    /** A decoded payload: the record with placeholder attributes, plus the attributes still in serialized form. */
    record Payload(SessionRecord.Builder record, int attributeCount, byte[] attributeBytes) {
    }

    /**
     * Decodes one payload. {@code previous} is the record decoded before it (or null): its scope and last node are
     * reused when this one has the same, as almost every record of a snapshot does, so that a restore of a million
     * sessions of one context does not keep a million copies of the context path and the node name.
     */
    static Payload readPayload(byte[] payload, SessionRecord previous) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        String contextPath = in.readUTF();
        String virtualHost = in.readUTF();
        SessionScope scope = previous != null && previous.scope().contextPath().equals(contextPath)
                && previous.scope().virtualHost().equals(virtualHost) ? previous.scope()
                : new SessionScope(contextPath, virtualHost);
        SessionRecord.Builder record = SessionRecord.builder(scope.key(in.readUTF()))
                .created(in.readLong())
                .accessed(in.readLong())
                .lastAccessed(in.readLong())
                .cookieSetTime(in.readLong())
                .lastSaved(in.readLong())
                .maxInactiveMs(in.readLong())
                .expiry(in.readLong());
        String lastNode = in.readBoolean() ? in.readUTF() : null;
        record.lastNode(previous != null && lastNode != null && lastNode.equals(previous.lastNode())
                ? previous.lastNode() : lastNode);
        int attributeCount = in.readInt();
        int length = in.readInt();
        if (attributeCount < 0 || length < 0 || length > in.available()) {
            throw new IOException("attribute section declares " + attributeCount + " attributes in " + length
                    + " bytes but " + in.available() + " bytes remain");
        }
        byte[] attributeBytes = in.readNBytes(length);
        return new Payload(record, attributeCount, attributeBytes);
    }

    /** A reusable payload buffer whose backing array can be checksummed and written without a copy. */
    static final class PayloadBuffer extends ByteArrayOutputStream {

        PayloadBuffer() {
            super(4096);
        }

        byte[] array() {
            return buf;
        }
    }
}
