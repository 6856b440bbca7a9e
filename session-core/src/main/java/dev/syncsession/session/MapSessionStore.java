/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.session;

import java.util.Objects;
import java.util.concurrent.ConcurrentMap;

/**
 * What the bundled stores share: a {@link SessionStore} over a {@code ConcurrentMap<SessionKey, SessionRecord>},
 * whose atomic single-key operations give the store's, compare-and-set included (records compare by identity). Each
 * store supplies the map, and its own {@link #range}, {@link #size} and {@link #close}.
 *
 * <p>Thread-safe if the map is. After {@link #close()} every operation throws {@link IllegalStateException}; the
 * closed flag is volatile and read without a lock, so an operation racing with close may harmlessly slip through.
 */
abstract class MapSessionStore implements SessionStore {

    private final ConcurrentMap<SessionKey, SessionRecord> map;
    private volatile boolean closed;

    MapSessionStore(ConcurrentMap<SessionKey, SessionRecord> map) {
        this.map = map;
    }

    @Override
    public SessionRecord load(SessionKey key) {
        ensureOpen();
        return map.get(Objects.requireNonNull(key, "key"));
    }

    @Override
    public void save(SessionRecord record) {
        ensureOpen();
        map.put(record.key(), record);
    }

    /**
     * One {@code putAll} of the records viewed as a map (no copy), which SyncMap makes a single table build when the
     * map is new; a later record of the same key replaces an earlier one, as {@code save} does.
     */
    @Override
    public void saveAll(java.util.List<SessionRecord> records) {
        ensureOpen();
        map.putAll(new RecordsByKey(records));
    }

    /**
     * The records as the entries of a map, in order, for {@code putAll}: keys may repeat (a damaged snapshot), which
     * {@code putAll} takes as puts in order.
     */
    private static final class RecordsByKey extends java.util.AbstractMap<SessionKey, SessionRecord> {
        private final java.util.List<SessionRecord> records;

        RecordsByKey(java.util.List<SessionRecord> records) {
            this.records = records;
        }

        @Override
        public int size() {
            return records.size();
        }

        @Override
        public java.util.Set<Entry<SessionKey, SessionRecord>> entrySet() {
            return new java.util.AbstractSet<>() {
                @Override
                public java.util.Iterator<Entry<SessionKey, SessionRecord>> iterator() {
                    java.util.Iterator<SessionRecord> each = records.iterator();
                    return new java.util.Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return each.hasNext();
                        }

                        @Override
                        public Entry<SessionKey, SessionRecord> next() {
                            SessionRecord record = each.next();
                            return new SimpleImmutableEntry<>(record.key(), record);
                        }
                    };
                }

                @Override
                public int size() {
                    return records.size();
                }
            };
        }
    }

    @Override
    public boolean insert(SessionRecord record) {
        ensureOpen();
        return map.putIfAbsent(record.key(), record) == null;
    }

    @Override
    public boolean replace(SessionRecord expected, SessionRecord replacement) {
        ensureOpen();
        if (!expected.key().equals(replacement.key())) {
            throw new IllegalArgumentException("replacement key " + replacement.key() + " differs from expected key "
                    + expected.key() + "; to change a session id, insert the new record and delete the old one");
        }
        return map.replace(expected.key(), expected, replacement);
    }

    @Override
    public SessionRecord delete(SessionKey key) {
        ensureOpen();
        return map.remove(Objects.requireNonNull(key, "key"));
    }

    @Override
    public boolean deleteIfUnchanged(SessionRecord expected) {
        ensureOpen();
        return map.remove(expected.key(), expected);
    }

    @Override
    public boolean exists(SessionKey key) {
        ensureOpen();
        return map.containsKey(Objects.requireNonNull(key, "key"));
    }

    /** Marks the store closed; subclasses then discard their records. */
    void markClosed() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(getClass().getSimpleName() + " is closed");
        }
    }
}
