/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.store;

import dev.syncsession.session.SessionRecord;
import dev.syncsession.session.SessionScope;
import dev.syncsession.session.SessionStore;
import java.util.HashSet;
import java.util.Set;

/**
 * Finds expired records in the backend for Jetty's expiry scans of one context ({@code doCheckExpired},
 * {@code doGetExpired}) and deletes them for its orphan sweep ({@code doCleanOrphans}). Cost: a backend load per
 * candidate for the first; the others walk the whole backend, O(records), which Jetty's housekeeper does once per
 * grace period at most. Thread-safe: it holds only final references.
 */
final class ContextExpiry {

    private final SessionStore backend;
    private final SessionScope scope;

    ContextExpiry(SessionStore backend, SessionScope scope) {
        this.backend = backend;
        this.scope = scope;
    }

    /**
     * The candidates (sessions the cache holds) that have expired by {@code time}; a candidate the backend no longer
     * holds has gone, and counts as expired so that the cache lets go of it.
     */
    Set<String> expiredAmong(Set<String> candidates, long time) {
        Set<String> expired = new HashSet<>();
        for (String id : candidates) {
            SessionRecord record = backend.load(scope.key(id));
            if (record == null || record.isExpiredAt(time)) {
                expired.add(id);
            }
        }
        return expired;
    }

    /** The ids of this context's records that had expired by {@code before}, cached or not. */
    Set<String> expiredBefore(long before) {
        Set<String> expired = new HashSet<>();
        backend.range(record -> {
            if (record.key().scope().equals(scope) && record.isExpiredAt(before)) {
                expired.add(record.id());
            }
            return true;
        });
        return expired;
    }

    /**
     * Deletes the records of any context that had expired by {@code time}, as Jetty's orphan sweep does; a record
     * saved again meanwhile is kept.
     */
    void deleteExpiredBefore(long time) {
        backend.range(record -> {
            if (record.isExpiredAt(time)) {
                backend.deleteIfUnchanged(record);
            }
            return true;
        });
    }
}
