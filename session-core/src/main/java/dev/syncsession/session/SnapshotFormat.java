package dev.syncsession.session;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * The binary layout of a session snapshot, version {@value #VERSION}. All numbers are big-endian.
 *
 * <pre>
 * header  (32 bytes): magic "SYNCSESS" (8) | version (4) | record count (8) | written at, epoch ms (8) | CRC32C of
 *                     the preceding 28 bytes (4)
 * record  (repeated): marker 0xC9FE3B7154FF0DA6 (8) | payload length (4) | CRC32C of the payload (4) | CRC32C of
 *                     the preceding 16 bytes of this record (4) | payload
 * payload           : contextPath, virtualHost, id (modified UTF-8, as DataOutput.writeUTF) | created, accessed,
 *                     lastAccessed, cookieSetTime, lastSaved, maxInactiveMs, expiry (8 each) | has last node (1)
 *                     [| lastNode (UTF)] | attribute count (4) | attribute bytes length (4) | attribute bytes, in
 *                     {@link AttributeCodec} form
 * </pre>
 *
 * <p><b>Why each record has a marker and a header checksum.</b> A reader trusts a record's length only when the
 * record header's own checksum verifies, so one damaged byte costs at most the record it is in: a payload that fails
 * its checksum is stepped over by its (verified) length; a header that fails its checksum (a damaged marker, length
 * or checksum) is stepped over by scanning forward, byte by byte, for the next marker followed by a header whose
 * checksum verifies ({@link FrameReader#nextFrame}). Marker bytes inside a payload do not fool the scan, because the
 * 12 bytes after them would also have to carry a matching checksum (a chance of 1 in 2<sup>32</sup> for bytes that
 * are not made to); and the marker holds the bytes 0xFE and 0xFF, which no string in modified UTF-8 (the form of
 * every string in a payload, inline or serialized) contains. A record made on purpose inside a byte array attribute
 * could still be taken for a real one, but only while the scan runs, that is, only past a damaged header.
 *
 * <p><b>Older versions</b>, still read, as they always were: records are {@code payload length (4) | CRC32C of the
 * payload (4) | payload}, with nothing that lets a reader step over damage, so a reader restores the records before
 * the first damaged one and no more. Version 1 differs from version 2 only in the attribute bytes, whose tagged form
 * version 1 builds cannot read (the form is told by its first byte, see {@link AttributeCodec}).
 *
 * <p>Stateless; the codec methods are thread-safe. A {@link FrameReader} is used by one thread.
 */
final class SnapshotFormat {

    static final long MAGIC = 0x53594E4353455353L; // "SYNCSESS"
    static final int VERSION = 3;
    /** The oldest version this build reads. */
    static final int OLDEST_READABLE_VERSION = 1;
    /** The first version whose records have a marker and a header checksum. */
    static final int FIRST_VERSION_WITH_MARKERS = 3;
    static final int HEADER_BYTES = 32;
    /**
     * Starts every record from version 3 on. Random bytes, chosen once (a value that data is unlikely to hold), with
     * 0xFE and 0xFF, which modified UTF-8 never produces.
     */
    static final long RECORD_MARKER = 0xC9FE3B7154FF0DA6L;
    /** Marker, payload length, payload checksum and the checksum of these three. */
    static final int RECORD_HEADER_BYTES = 20;
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

    /**
     * Fills {@code header} (of {@link #RECORD_HEADER_BYTES}) with the record header of a version 3 record whose
     * payload is the first {@code length} bytes of {@code payload}.
     */
    static void recordHeader(byte[] header, byte[] payload, int length) {
        ByteBuffer fields = ByteBuffer.wrap(header);
        fields.putLong(RECORD_MARKER).putInt(length).putInt((int) crc(payload, 0, length));
        fields.putInt((int) crc(header, 0, RECORD_HEADER_BYTES - 4));
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

    /**
     * Where a version 3 record lies in the file, as its header (whose checksum verified) declares.
     *
     * @param start the position of the record's marker
     * @param length the payload's length, at most {@link #MAX_RECORD_BYTES}
     * @param payloadCrc the payload's CRC32C as written
     */
    record Frame(long start, int length, int payloadCrc) {

        /** The position just after the payload, where the next record starts. */
        long end() {
            return start + RECORD_HEADER_BYTES + length;
        }
    }

    /**
     * Reads version 3 records by their position in the file, so that a restore can step over damage: it may go back
     * to the byte after a damaged header and look for the next record from there. Reads through a window of 64 KiB,
     * so that reading records in order costs one read call per window, not one per record. Not thread-safe: one per
     * restore; the channel's own position is not used.
     */
    static final class FrameReader {

        private final FileChannel channel;
        private final long size;
        /** Holds the file's bytes from {@link #windowStart} to {@code windowStart + window.limit()}. */
        private final ByteBuffer window = ByteBuffer.allocate(1 << 16).limit(0);
        private long windowStart;
        private final byte[] header = new byte[RECORD_HEADER_BYTES];

        FrameReader(FileChannel channel) throws IOException {
            this.channel = channel;
            this.size = channel.size();
        }

        /** The file's size when this reader was made; records are read up to it. */
        long size() {
            return size;
        }

        /**
         * The record whose header starts at {@code position}, or null if there is no header there whose marker,
         * checksum and length are sound (including when fewer than {@link #RECORD_HEADER_BYTES} bytes remain).
         * Whether the whole payload lies within the file is for the caller to check, with {@link Frame#end()}.
         */
        Frame frameAt(long position) throws IOException {
            if (size - position < RECORD_HEADER_BYTES) {
                return null;
            }
            read(position, header, RECORD_HEADER_BYTES);
            ByteBuffer fields = ByteBuffer.wrap(header);
            long marker = fields.getLong();
            int length = fields.getInt();
            int payloadCrc = fields.getInt();
            int headerCrc = fields.getInt();
            if (marker != RECORD_MARKER || headerCrc != (int) crc(header, 0, RECORD_HEADER_BYTES - 4)
                    || length <= 0 || length > MAX_RECORD_BYTES) {
                return null;
            }
            return new Frame(position, length, payloadCrc);
        }

        /**
         * The first record at or after {@code from} whose header is sound, found by looking for the marker at every
         * byte; null if there is none before the end of the file. O(bytes scanned).
         */
        Frame nextFrame(long from) throws IOException {
            for (long position = from; size - position >= RECORD_HEADER_BYTES; position++) {
                if (byteAt(position) == (byte) (RECORD_MARKER >>> 56)) {
                    Frame frame = frameAt(position);
                    if (frame != null) {
                        return frame;
                    }
                }
            }
            return null;
        }

        /** The frame's payload; the caller has checked that it ends within the file. */
        byte[] payload(Frame frame) throws IOException {
            byte[] payload = new byte[frame.length()];
            read(frame.start() + RECORD_HEADER_BYTES, payload, payload.length);
            return payload;
        }

        private byte byteAt(long position) throws IOException {
            if (position < windowStart || position >= windowStart + window.limit()) {
                fill(position);
            }
            return window.get((int) (position - windowStart));
        }

        /** Reads {@code length} bytes at {@code position}, all of them within the file, into {@code target}. */
        private void read(long position, byte[] target, int length) throws IOException {
            if (length > window.capacity()) {
                ByteBuffer direct = ByteBuffer.wrap(target, 0, length);
                while (direct.hasRemaining()) {
                    if (channel.read(direct, position + direct.position()) < 0) {
                        throw new EOFException("file shrank to " + (position + direct.position()) + " bytes");
                    }
                }
                return;
            }
            if (position < windowStart || position + length > windowStart + window.limit()) {
                fill(position);
            }
            window.get((int) (position - windowStart), target, 0, length);
        }

        /** Makes the window start at {@code position}, filled as far as the file goes. */
        private void fill(long position) throws IOException {
            window.clear();
            while (window.hasRemaining() && position + window.position() < size) {
                if (channel.read(window, position + window.position()) < 0) {
                    break;
                }
            }
            window.flip();
            windowStart = position;
            if (window.limit() == 0) {
                throw new EOFException("no bytes at " + position + " of a " + size + "-byte file");
            }
        }
    }
}
