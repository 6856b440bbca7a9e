/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.store;

import dev.syncsession.session.SessionRecord;
import dev.syncsession.session.SessionSnapshot;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one context's store has done, as its JMX attributes show it: sessions created, saved, loaded, deleted and
 * expired since it was made, and what its last start restored from the snapshot. Thread-safe: request threads add
 * to {@link LongAdder}s that readers sum, and the restore result is replaced, volatile, at each start. O(1) each.
 */
final class ContextFigures {

    private final LongAdder created = new LongAdder();
    private final LongAdder stored = new LongAdder();
    private final LongAdder loaded = new LongAdder();
    private final LongAdder deleted = new LongAdder();
    private final LongAdder expired = new LongAdder();

    /** What reading this context's restored sessions did at the last start; null without a snapshot. */
    private volatile SessionSnapshot.RestoreResult restore;

    void countCreated() {
        created.increment();
    }

    void countStored() {
        stored.increment();
    }

    void countLoaded() {
        loaded.increment();
    }

    /**
     * Counts a delete by Jetty that removed a record, and an expiry too if the record's stored expiry had passed.
     *
     * @param removed the record the delete removed, or null if there was none
     */
    void countDeleted(SessionRecord removed) {
        if (removed == null) {
            return;
        }
        if (removed.isExpiredAt(System.currentTimeMillis())) {
            expired.increment();
        }
        deleted.increment();
    }

    void restored(SessionSnapshot.RestoreResult contextRestore) {
        restore = contextRestore;
    }

    long created() {
        return created.sum();
    }

    long stored() {
        return stored.sum();
    }

    long loaded() {
        return loaded.sum();
    }

    long deleted() {
        return deleted.sum();
    }

    long expired() {
        return expired.sum();
    }

    /** Sessions of this context restored at the last start, or -1 without a snapshot or before start. */
    long snapshotRestored() {
        SessionSnapshot.RestoreResult context = restore;
        return context == null ? -1 : context.restored();
    }

    /**
     * Sessions lost at the last restore: those of any context lost to a damaged file ({@code fileRestore}), plus
     * those of this context that could not be read; -1 without a snapshot or before start.
     */
    long snapshotLost(SessionSnapshot.RestoreResult fileRestore) {
        SessionSnapshot.RestoreResult context = restore;
        return fileRestore == null || context == null ? -1 : fileRestore.lost() + context.lost();
    }
}
