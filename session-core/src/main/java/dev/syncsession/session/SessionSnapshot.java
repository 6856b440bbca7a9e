package dev.syncsession.session;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes all live sessions of a store to a file and reads them back, so that a graceful restart keeps sessions.
 *
 * <p><b>Writing</b> goes to a temporary file in the same directory, which is forced to disk and then atomically
 * renamed over the previous snapshot: a crash at any point leaves either the old or the new snapshot, never a
 * mixture. Expired sessions, and sessions with a value that is not {@link java.io.Serializable}, are left out and
 * counted.
 *
 * <p><b>Restoring</b> never throws and never stops startup. Expired records are skipped. Attribute classes must pass
 * an allow-list (strings, boxed primitives, {@code java.math}, {@code java.time}, common {@code java.util}
 * collections, arrays of these; more with {@link Builder#allowClass} and {@link Builder#allowPackage}); a session
 * holding any other class is not restored and the error names the class. Each record carries a CRC32C checksum of
 * its payload and one of its own header, behind a marker: if the file is damaged, each damaged record is skipped and
 * every intact one restored, before the damage and after it; if it is truncated, every complete record before the
 * cut is restored. Each skipped record is counted as lost and named in the errors, by number and bytes ("record 9 of
 * 20 (bytes 1234-1500) fails its checksum: skipped"), and the damaged file is renamed to
 * {@code <name>.corrupt-<timestamp>} for inspection, so that the next write cannot overwrite the evidence. Files of
 * versions 1 and 2 (written by earlier builds), whose records have no marker, are restored up to the first damaged
 * record, as those builds did. With {@link Builder#deferAttributeReading()}, the allow-list and the class loader are
 * applied per scope, by {@link #readDeferred}, instead of during the restore. The binary format is described in the package-private {@code SnapshotFormat}.
 *
 * <p>Thread-safe: the instance is immutable, but two concurrent writes of the same file race for the final rename (the
 * later one wins; neither corrupts it). Writing and restoring are O(sessions + attribute bytes); a write sees the
 * store as {@link SessionStore#range} does, weakly consistent, without stopping requests.
 */
public final class SessionSnapshot {

    private static final Logger LOG = LoggerFactory.getLogger(SessionSnapshot.class);

    /** Errors kept in a {@link RestoreResult}; later ones are only counted. */
    private static final int MAX_ERRORS = 20;

    private static final DateTimeFormatter QUARANTINE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path file;
    private final Clock clock;
    private final ClassLoader classLoader;
    private final AttributeClassFilter classFilter;
    private final AttributeStorage attributeStorage;
    private final boolean deferAttributeReading;

    private SessionSnapshot(Builder builder) {
        this.file = builder.file;
        this.clock = builder.clock;
        this.classLoader = builder.classLoader;
        this.classFilter = new AttributeClassFilter(builder.classes, builder.packages);
        this.attributeStorage = builder.attributeStorage;
        this.deferAttributeReading = builder.deferAttributeReading;
    }

    /**
     * Starts configuring a snapshot kept in the given file.
     *
     * @param file the snapshot file, not null; its directory is created when the snapshot is first written
     * @return a new builder
     */
    public static Builder builder(Path file) {
        return new Builder(Objects.requireNonNull(file, "file"));
    }

    /**
     * Returns the snapshot file.
     *
     * @return the path given to the builder
     */
    public Path file() {
        return file;
    }

    /**
     * Writes every live session of the store, replacing the previous snapshot atomically. Logs what it wrote at
     * debug level only: a container writing periodically would otherwise log every interval.
     *
     * @param store the store to save, not null
     * @return what was written
     * @throws IOException if the file cannot be written; the previous snapshot is then left untouched
     */
    public WriteResult write(SessionStore store) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path directory = Files.createDirectories(absolute.getParent());
        Path temp = Files.createTempFile(directory, absolute.getFileName() + ".", ".tmp");
        long now = clock.millis();
        RecordWriter writer;
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            DataOutputStream out = new DataOutputStream(
                    new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
            out.write(new byte[SnapshotFormat.HEADER_BYTES]); // rewritten below, once the count is known
            writer = new RecordWriter(out, now);
            try {
                store.range(writer);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            out.flush();
            ByteBuffer header = SnapshotFormat.header(writer.written, now);
            while (header.hasRemaining()) {
                channel.write(header, header.position());
            }
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        try {
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        forceDirectory(directory);
        WriteResult result = new WriteResult(writer.written, writer.skippedExpired, writer.skippedUnserializable,
                Files.size(absolute));
        LOG.debug("wrote session snapshot {}: {}", absolute, result); // the caller says when it matters (at stop)
        return result;
    }

    /**
     * Checks that {@link #write} can put its files where this snapshot lives: creates the file's directory if it is
     * missing, then creates and deletes a file in it. A container calls it as it starts, so that a snapshot that
     * could never be written is refused then, in one message, instead of failing at every write while users are told
     * their sessions are kept. A write can still fail later (a full disk, the directory taken away).
     *
     * @throws IOException if the directory cannot be created or written; the message gives the reason and the path
     *     at fault (for example {@code "Not a directory: /srv/snapshots"}), the cause is the original exception
     */
    public void checkWritable() throws IOException {
        Path absolute = file.toAbsolutePath();
        try {
            Path directory = Files.createDirectories(absolute.getParent());
            // Named as a write's temporary file, so that the next restore deletes it if this process dies meanwhile.
            Path probe = Files.createTempFile(directory, absolute.getFileName() + ".", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new IOException(reason(e), e);
        }
    }

    /** What went wrong with a file, for a message: the system's reason (or the kind of failure) and the path. */
    private static String reason(IOException e) {
        if (!(e instanceof FileSystemException failed)) {
            return e.toString();
        }
        String reason = failed.getReason() != null ? failed.getReason()
                : failed instanceof NoSuchFileException ? "No such file or directory"
                : failed instanceof AccessDeniedException ? "Permission denied"
                : failed instanceof FileAlreadyExistsException ? "Not a directory" // what createDirectories means by it
                : failed.getClass().getSimpleName();
        return failed.getFile() == null ? reason : reason + ": " + failed.getFile();
    }

    /**
     * Deletes the temporary files of writes that never finished (the process was killed while writing): they are
     * never read, and would pile up with each crash. Only this process writes this snapshot.
     */
    private void deleteUnfinishedWrites() {
        Path absolute = file.toAbsolutePath();
        Path directory = absolute.getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            return;
        }
        String prefix = absolute.getFileName() + ".";
        try (var unfinished = Files.newDirectoryStream(directory,
                entry -> entry.getFileName().toString().startsWith(prefix)
                        && entry.getFileName().toString().endsWith(".tmp"))) {
            for (Path temp : unfinished) {
                Files.deleteIfExists(temp);
                LOG.info("deleted {}, left by a snapshot write that did not finish", temp);
            }
        } catch (IOException e) {
            LOG.warn("cannot delete the files of unfinished snapshot writes in {}: {}", directory, e.toString());
        }
    }

    /** Makes the rename durable. Not every platform can open a directory; there the rename is durable enough. */
    private static void forceDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync directory {} after renaming the snapshot: {}", directory, e.toString());
        }
    }

    /** Encodes each record as the store's range visits it; one instance per write, used by the writing thread only. */
    private static final class RecordWriter implements Predicate<SessionRecord> {

        private final DataOutputStream out;
        private final long now;
        private final SnapshotFormat.PayloadBuffer payload = new SnapshotFormat.PayloadBuffer();
        private final DataOutputStream payloadOut = new DataOutputStream(payload);
        private final byte[] recordHeader = new byte[SnapshotFormat.RECORD_HEADER_BYTES];
        private long written;
        private long skippedExpired;
        private long skippedUnserializable;

        RecordWriter(DataOutputStream out, long now) {
            this.out = out;
            this.now = now;
        }

        @Override
        public boolean test(SessionRecord record) {
            if (record.isExpiredAt(now)) {
                skippedExpired++;
                return true;
            }
            byte[] attributeBytes;
            if (record.attributes() instanceof SerializedAttributes serialized) {
                attributeBytes = serialized.bytes();
            } else {
                try {
                    attributeBytes = AttributeCodec.write(record.attributes().toMap(null));
                } catch (RuntimeException e) {
                    // Not Serializable, a custom writeObject failed, or (written while the server runs) a request
                    // changed a value as it was serialized: only this session is left out, until the next write.
                    skippedUnserializable++;
                    LOG.warn("session {} left out of the snapshot: {}", record.key(),
                            e.getMessage() != null ? e.getMessage() : e.toString());
                    return true;
                }
            }
            try {
                payload.reset();
                SnapshotFormat.writePayload(payloadOut, record, record.attributes().size(), attributeBytes);
                if (payload.size() > SnapshotFormat.MAX_RECORD_BYTES) {
                    // A reader would take such a length for damage; better to lose one session than the rest.
                    skippedUnserializable++;
                    LOG.warn("session {} left out of the snapshot: {} bytes, at most {} allowed", record.key(),
                            payload.size(), SnapshotFormat.MAX_RECORD_BYTES);
                    return true;
                }
                SnapshotFormat.recordHeader(recordHeader, payload.array(), payload.size());
                out.write(recordHeader);
                out.write(payload.array(), 0, payload.size());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            written++;
            return true;
        }
    }

    /**
     * Loads the sessions in the snapshot file into the store, replacing any with the same key. A missing file
     * restores nothing and is not an error. A problem with the file never throws: it is reported in the result and
     * logged.
     *
     * @param store the store to fill, not null
     * @return what was restored, skipped and lost
     */
    public RestoreResult restore(SessionStore store) {
        Objects.requireNonNull(store, "store");
        deleteUnfinishedWrites();
        Restore restore = new Restore(store);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            restore.readAll(channel);
        } catch (NoSuchFileException e) {
            return new RestoreResult(0, 0, 0, List.of(), Optional.empty());
        } catch (DamagedSnapshotException e) {
            restore.error(e.getMessage());
            restore.damaged = true;
        } catch (IOException e) {
            restore.error("cannot read " + file + ": " + e);
        }
        if (restore.damaged) {
            restore.quarantine(); // once the file is closed, as some platforms cannot rename an open file
        }
        restore.saveRead(); // also what was read around the damage
        RestoreResult result = restore.result();
        if (result.errors().isEmpty()) {
            LOG.info("restored session snapshot {}: {}", file, result);
        } else {
            LOG.warn("restored session snapshot {} with problems: {}", file, result);
        }
        return result;
    }

    /**
     * Reads the attributes that a restore with {@link Builder#deferAttributeReading()} left unread, for the sessions of
     * one scope, with the given class loader and this snapshot's allow-list: a container calls it as each context
     * starts, with that context's loader. A session whose attributes pass is kept in this snapshot's
     * {@link Builder#attributeStorage(AttributeStorage) attribute storage}; one that holds a refused or unloadable class is deleted and
     * counted as lost, and the error names the class. Sessions changed meanwhile (saved again by a request) are left
     * as they are. Never throws for a bad record.
     *
     * @param store the store that was restored into, not null
     * @param scope whose sessions to read, not null
     * @param loader resolves attribute classes, not null
     * @return sessions read ({@code restored}) and refused ({@code lost}), with the errors; O(sessions in the store)
     */
    public RestoreResult readDeferred(SessionStore store, SessionScope scope, ClassLoader loader) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(loader, "loader");
        List<SessionRecord> unread = new ArrayList<>();
        store.range(record -> {
            if (record.scope().equals(scope) && record.attributes() instanceof SerializedAttributes serialized
                    && serialized.unchecked() != null) {
                unread.add(record);
            }
            return true;
        });
        Restore read = new Restore(store);
        for (SessionRecord record : unread) {
            read.readAttributes(record, loader);
        }
        RestoreResult result = read.result();
        if (!result.isClean()) {
            LOG.warn("read restored sessions of {} with problems: {}", scope, result);
        } else if (result.restored() > 0) {
            LOG.info("read {} restored sessions of {}", result.restored(), scope);
        }
        return result;
    }

    /** The state of one restore, used by the restoring thread only. */
    private final class Restore {

        private final SessionStore store;
        private final long now = clock.millis();
        private final ClassLoader loader = classLoader != null ? classLoader : AttributeCodec.defaultLoader();
        private final List<String> errors = new ArrayList<>();
        private long declared = -1;
        private long restored;
        private long skippedExpired;
        private long refused;
        private Path quarantined;
        /** Set when the file's structure is damaged, which moves it aside once read. */
        private boolean damaged;

        Restore(SessionStore store) {
            this.store = store;
        }

        /** The record decoded last, whose scope and node name the next one reuses if it has the same. */
        private SessionRecord previous;

        /** The records read, saved together once the file is read ({@link SessionStore#saveAll}). */
        private final List<SessionRecord> restoring = new ArrayList<>();

        /** Saves the records read so far into the store, in one {@link SessionStore#saveAll}. */
        void saveRead() {
            store.saveAll(restoring);
            restoring.clear();
        }

        void readAll(FileChannel channel) throws IOException {
            ByteBuffer header = ByteBuffer.allocate(SnapshotFormat.HEADER_BYTES);
            while (header.hasRemaining() && channel.read(header) >= 0) {
                // read until the header is full or the file ends
            }
            if (header.hasRemaining()) {
                throw new DamagedSnapshotException("snapshot is " + header.position() + " bytes, shorter than its "
                        + SnapshotFormat.HEADER_BYTES + "-byte header");
            }
            header.flip();
            long magic = header.getLong();
            int version = header.getInt();
            long count = header.getLong();
            header.getLong(); // written at: for people inspecting the file
            int crc = header.getInt();
            if (magic != SnapshotFormat.MAGIC) {
                throw new DamagedSnapshotException(String.format("not a session snapshot: magic is 0x%016X", magic));
            }
            if (crc != (int) SnapshotFormat.crc(header.array(), 0, SnapshotFormat.HEADER_BYTES - 4)) {
                throw new DamagedSnapshotException("snapshot header checksum mismatch; the number of sessions is unknown");
            }
            if (version < SnapshotFormat.OLDEST_READABLE_VERSION || version > SnapshotFormat.VERSION) {
                throw new DamagedSnapshotException("snapshot version " + version + " is not supported; this build reads "
                        + "versions " + SnapshotFormat.OLDEST_READABLE_VERSION + " to " + SnapshotFormat.VERSION);
            }
            declared = count;
            if (version >= SnapshotFormat.FIRST_VERSION_WITH_MARKERS) {
                readFrames(new SnapshotFormat.FrameReader(channel));
                return;
            }
            // The channel is just after the header, where Channels.newInputStream starts reading.
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
            for (long index = 0; index < count; index++) {
                readUnframedRecord(in, index);
            }
            if (in.read() != -1) {
                error("snapshot has bytes after its " + count + " records; they were ignored");
            }
        }

        /**
         * Reads the records of version 3 and later to the end of the file, stepping over each damaged one (see
         * {@link SnapshotFormat}): every intact record is restored, wherever the damage is. Each damaged span is an
         * error naming its record number and bytes (first-last, counted from 0), and marks the file damaged.
         */
        private void readFrames(SnapshotFormat.FrameReader frames) throws IOException {
            long position = SnapshotFormat.HEADER_BYTES;
            long index = 0;
            while (position < frames.size()) {
                if (index == declared) {
                    error("snapshot has bytes after its " + declared + " records (bytes " + position + "-"
                            + (frames.size() - 1) + "); they were ignored");
                    return;
                }
                SnapshotFormat.Frame frame = frames.frameAt(position);
                if (frame == null) {
                    damaged = true;
                    if (frames.size() - position < SnapshotFormat.RECORD_HEADER_BYTES) {
                        error("snapshot is truncated in record " + index + " of " + declared + " (bytes " + position
                                + "-" + (frames.size() - 1) + " are less than a record header)");
                        return;
                    }
                    SnapshotFormat.Frame next = frames.nextFrame(position + 1);
                    if (next == null) {
                        error("record " + index + " of " + declared + " (bytes " + position + "-" + (frames.size() - 1)
                                + ") has a damaged header, and no intact record follows: skipped to the end");
                        return;
                    }
                    error("record " + index + " of " + declared + " (bytes " + position + "-" + (next.start() - 1)
                            + ") has a damaged header: skipped to the next intact record header, at byte "
                            + next.start());
                    index++; // at least one record; how many exactly, the bytes skipped do not tell
                    frame = next;
                }
                if (frame.end() > frames.size()) {
                    damaged = true;
                    error("snapshot is truncated in record " + index + " of " + declared + " (bytes " + frame.start()
                            + "-" + (frame.end() - 1) + ", but the file ends at byte " + (frames.size() - 1) + ")");
                    return;
                }
                byte[] payload = frames.payload(frame);
                if (frame.payloadCrc() != (int) SnapshotFormat.crc(payload, 0, payload.length)) {
                    damaged = true;
                    error("record " + index + " of " + declared + " (bytes " + frame.start() + "-" + (frame.end() - 1)
                            + ") fails its checksum: skipped");
                } else {
                    restorePayload(payload, index);
                }
                position = frame.end();
                index++;
            }
        }

        /** Reads one record of versions 1 and 2, which have no marker: any damage ends the restore. */
        private void readUnframedRecord(DataInputStream in, long index) throws IOException {
            int length;
            int crc;
            byte[] payload;
            try {
                length = in.readInt();
                crc = in.readInt();
                if (length <= 0 || length > SnapshotFormat.MAX_RECORD_BYTES) {
                    throw new DamagedSnapshotException("record " + index + " declares " + length + " bytes");
                }
                payload = new byte[length];
                in.readFully(payload);
            } catch (EOFException e) {
                throw new DamagedSnapshotException("snapshot is truncated in record " + index + " of " + declared);
            }
            if (crc != (int) SnapshotFormat.crc(payload, 0, length)) {
                throw new DamagedSnapshotException("record " + index + " of " + declared + " fails its checksum");
            }
            restorePayload(payload, index);
        }

        /** Decodes and restores one record whose checksum matched. */
        private void restorePayload(byte[] payload, long index) {
            SnapshotFormat.Payload decoded;
            try {
                decoded = SnapshotFormat.readPayload(payload, previous);
            } catch (IOException | RuntimeException e) {
                // The checksum matched, so the framing is sound and the next record can still be read.
                refused++;
                error("record " + index + " cannot be decoded: " + e);
                return;
            }
            SessionRecord.Builder builder = decoded.record();
            SessionRecord withoutAttributes = builder.build();
            previous = withoutAttributes;
            if (withoutAttributes.isExpiredAt(now)) {
                skippedExpired++;
                return;
            }
            SessionAttributes attributes;
            if (deferAttributeReading) {
                restoring.add(builder.attributes(new SerializedAttributes(decoded.attributeBytes(),
                        decoded.attributeCount(), classFilter)).build());
                restored++;
                return;
            }
            try {
                Map<String, Object> values = AttributeCodec.read(decoded.attributeBytes(), loader, classFilter);
                attributes = attributeStorage == AttributeStorage.SERIALIZED
                        ? new SerializedAttributes(decoded.attributeBytes(), values.size())
                        : ReferenceAttributes.copyOf(values);
            } catch (UnreadableSessionException e) {
                refused++;
                error("session " + withoutAttributes.key() + " not restored: " + e.getMessage());
                return;
            }
            restoring.add(builder.attributes(attributes).build());
            restored++;
        }

        /** Reads one record's deferred attributes; see {@link #readDeferred}. */
        void readAttributes(SessionRecord record, ClassLoader contextLoader) {
            SerializedAttributes serialized = (SerializedAttributes) record.attributes();
            SessionAttributes attributes;
            try {
                Map<String, Object> values = serialized.toMap(contextLoader);
                attributes = attributeStorage == AttributeStorage.SERIALIZED
                        ? new SerializedAttributes(serialized.bytes(), values.size())
                        : ReferenceAttributes.copyOf(values);
            } catch (UnreadableSessionException e) {
                if (store.deleteIfUnchanged(record)) {
                    refused++;
                    error("session " + record.key() + " not restored: " + e.getMessage());
                }
                return;
            }
            if (store.replace(record, record.toBuilder().attributes(attributes).build())) {
                restored++;
            }
        }

        void error(String message) {
            if (errors.size() < MAX_ERRORS) {
                errors.add(message);
            } else if (errors.size() == MAX_ERRORS) {
                errors.add("(further errors omitted)");
            }
        }

        void quarantine() {
            String stamp = QUARANTINE_TIME.format(clock.instant());
            Path target = file.resolveSibling(file.getFileName() + ".corrupt-" + stamp);
            for (int n = 1; Files.exists(target); n++) {
                target = file.resolveSibling(file.getFileName() + ".corrupt-" + stamp + "-" + n);
            }
            try {
                try {
                    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(file, target);
                }
                quarantined = target;
            } catch (IOException e) {
                error("cannot move the damaged snapshot aside to " + target + ": " + e);
            }
        }

        RestoreResult result() {
            long lost = declared < 0 ? refused : Math.max(0, declared - restored - skippedExpired);
            return new RestoreResult(restored, skippedExpired, lost, List.copyOf(errors),
                    Optional.ofNullable(quarantined));
        }
    }

    /** The file's structure is damaged: nothing after this point can be trusted. */
    private static final class DamagedSnapshotException extends IOException {

        private static final long serialVersionUID = 1L;

        DamagedSnapshotException(String message) {
            super(message);
        }
    }

    /**
     * What {@link #write} did.
     *
     * @param written sessions written
     * @param skippedExpired expired sessions left out
     * @param skippedUnserializable sessions left out because a value is not serializable or the record exceeds
     *     64 MiB (each is logged)
     * @param bytes size of the snapshot file
     */
    public record WriteResult(long written, long skippedExpired, long skippedUnserializable, long bytes) {
    }

    /**
     * What {@link #restore} did.
     *
     * @param restored sessions put into the store
     * @param skippedExpired sessions in the file that had expired
     * @param lost sessions in the file that were not restored: damaged, truncated, undecodable or holding a refused
     *     class. 0 when the header itself is damaged, because the number in the file is then unknown
     * @param errors what went wrong, at most about twenty messages, naming refused classes and each damaged record
     *     skipped (its number and bytes); empty on a clean restore
     * @param quarantined where the damaged file was moved, if it was damaged
     */
    public record RestoreResult(long restored, long skippedExpired, long lost, List<String> errors,
                                Optional<Path> quarantined) {

        /**
         * Tells whether the restore met no problem at all.
         *
         * @return true if there are no errors and nothing was lost
         */
        public boolean isClean() {
            return errors.isEmpty() && lost == 0;
        }
    }

    /** Configures a {@link SessionSnapshot}. Not thread-safe. */
    public static final class Builder {

        private final Path file;
        private Clock clock = Clock.systemUTC();
        private ClassLoader classLoader;
        private final Set<String> classes = new HashSet<>();
        private final List<String> packages = new ArrayList<>();
        private AttributeStorage attributeStorage = AttributeStorage.BY_REFERENCE;
        private boolean deferAttributeReading;

        private Builder(Path file) {
            this.file = file;
        }

        /**
         * Sets the clock that decides which sessions have expired. Default: the system clock.
         *
         * @param clock the clock, not null
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets the class loader for attribute classes on restore. Default: the restoring thread's context class
         * loader.
         *
         * @param classLoader the loader, not null
         * @return this builder
         */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
            return this;
        }

        /**
         * Allows one more attribute class on restore (not its subclasses).
         *
         * @param type the class, not null
         * @return this builder
         */
        public Builder allowClass(Class<?> type) {
            return allowClass(type.getName());
        }

        /**
         * Allows one more attribute class on restore, by binary name (for example {@code "com.shop.Cart$Line"}).
         *
         * @param className the class name, not null or blank
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder allowClass(String className) {
            if (className.isBlank()) {
                throw new IllegalArgumentException("class name is blank");
            }
            classes.add(className);
            return this;
        }

        /**
         * Allows every class in a package and its sub-packages on restore.
         *
         * @param packageName for example {@code "com.shop"}; not blank
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder allowPackage(String packageName) {
            packages.add(AttributeClassFilter.packagePrefix(packageName));
            return this;
        }

        /**
         * Sets how restored attributes are held; use the same representation as the manager. Default:
         * {@link AttributeStorage#BY_REFERENCE}.
         *
         * @param attributeStorage the representation, not null
         * @return this builder
         */
        public Builder attributeStorage(AttributeStorage attributeStorage) {
            this.attributeStorage = Objects.requireNonNull(attributeStorage, "attributeStorage");
            return this;
        }

        /**
         * Restores sessions with their attributes still serialized and unread, for a container whose applications
         * have class loaders of their own: {@link #restore} then puts every session in the store without resolving a
         * class, and each application reads its own sessions with its own loader through {@link #readDeferred} when
         * it starts. Until then the attributes stay serialized; any read of them applies the allow-list. Sessions of
         * an application that does not start stay in the store as they are, and the next snapshot writes them again.
         *
         * @return this builder
         */
        public Builder deferAttributeReading() {
            this.deferAttributeReading = true;
            return this;
        }

        /**
         * Creates the snapshot handle; nothing is read or written yet.
         *
         * @return a new snapshot
         */
        public SessionSnapshot build() {
            return new SessionSnapshot(this);
        }
    }
}
