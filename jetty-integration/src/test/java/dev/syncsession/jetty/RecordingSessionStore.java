/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

import dev.syncsession.session.SessionKey;
import dev.syncsession.session.SessionRecord;
import dev.syncsession.session.SyncMapSessionStore;
import dev.syncsession.session.contract.ForwardingSessionStore;

/**
 * A backend that remembers what reached it: wraps a {@link SyncMapSessionStore} and records the session id of every
 * call that names one (load, exists, save, insert, replace, delete), in call order; a deletion that removed a record
 * counts down that id's {@link #deletionOf latch}. Scans ({@code range}) name no id and are not recorded.
 * Thread-safe.
 */
final class RecordingSessionStore extends ForwardingSessionStore {

    /** Every id passed to the backend, in call order. */
    final Queue<String> ids = new ConcurrentLinkedQueue<>();

    /**
     * How long each load parks before it answers: a slow backend widens the window between a check that loads
     * records (the per-user limit counts the user's sessions) and the act that follows it.
     */
    volatile long loadParkNanos;

    /**
     * How long {@link #size} parks after it has counted: the session cap adds the backend's count to its own
     * count of sessions not yet saved, and a slow answer widens the window between the two and the admission.
     */
    volatile long sizeParkNanos;

    private final Map<String, CountDownLatch> deletions = new ConcurrentHashMap<>();

    RecordingSessionStore() {
        super(new SyncMapSessionStore());
    }

    /** Counted down once a call removed the record of {@code id} from the backend. */
    CountDownLatch deletionOf(String id) {
        return deletions.computeIfAbsent(id, any -> new CountDownLatch(1));
    }

    private void record(SessionKey key) {
        ids.add(key.id());
    }

    private <T> T deleted(SessionKey key, T result, boolean removed) {
        if (removed) {
            deletionOf(key.id()).countDown();
        }
        return result;
    }

    @Override
    public SessionRecord load(SessionKey key) {
        record(key);
        if (loadParkNanos > 0) {
            LockSupport.parkNanos(loadParkNanos);
        }
        return super.load(key);
    }

    @Override
    public void save(SessionRecord record) {
        record(record.key());
        super.save(record);
    }

    @Override
    public boolean insert(SessionRecord record) {
        record(record.key());
        return super.insert(record);
    }

    @Override
    public boolean replace(SessionRecord expected, SessionRecord replacement) {
        record(expected.key());
        record(replacement.key());
        return super.replace(expected, replacement);
    }

    @Override
    public SessionRecord delete(SessionKey key) {
        record(key);
        SessionRecord removed = super.delete(key);
        return deleted(key, removed, removed != null);
    }

    @Override
    public boolean deleteIfUnchanged(SessionRecord expected) {
        record(expected.key());
        boolean removed = super.deleteIfUnchanged(expected);
        return deleted(expected.key(), removed, removed);
    }

    @Override
    public boolean exists(SessionKey key) {
        record(key);
        return super.exists(key);
    }

    @Override
    public long size() {
        long size = super.size();
        if (sizeParkNanos > 0) {
            LockSupport.parkNanos(sizeParkNanos); // after the count: what the caller does next, it does later
        }
        return size;
    }
}
