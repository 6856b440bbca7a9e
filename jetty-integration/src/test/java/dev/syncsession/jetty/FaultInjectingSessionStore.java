/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

import dev.syncsession.session.SessionKey;
import dev.syncsession.session.SessionRecord;
import dev.syncsession.session.SyncMapSessionStore;
import dev.syncsession.session.contract.ForwardingSessionStore;

/**
 * A backend that fails on command: wraps a {@link SyncMapSessionStore} and, for the sessions a predicate selects,
 * throws on load, save or delete, or stalls a load until released (bounded, so a broken test cannot hang the
 * build). {@link #failRange} makes every scan (the sweeper's, Jetty's expiry scan, a snapshot write) throw.
 * Thread-safe: the switches are volatile and read on every call.
 */
final class FaultInjectingSessionStore extends ForwardingSessionStore {

    /** The exception thrown for an injected fault, so that tests can tell it from a real one. */
    static final class InjectedFault extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFault(String operation, Object what) {
            super("injected fault: " + operation + " " + what);
        }
    }

    volatile Predicate<String> failLoad = id -> false;
    volatile Predicate<String> failSave = id -> false;
    volatile Predicate<String> failDelete = id -> false;
    volatile Predicate<String> stallLoad = id -> false;
    volatile boolean failRange;

    /** Released by the test; a stalled load gives up after {@link #MAX_STALL_SECONDS} anyway. */
    volatile CountDownLatch stallRelease = new CountDownLatch(1);
    static final long MAX_STALL_SECONDS = 30;

    final LongAdder faults = new LongAdder();
    final LongAdder stalled = new LongAdder();

    FaultInjectingSessionStore() {
        super(new SyncMapSessionStore());
    }

    void healAll() {
        failLoad = id -> false;
        failSave = id -> false;
        failDelete = id -> false;
        stallLoad = id -> false;
        failRange = false;
        stallRelease.countDown();
    }

    private void check(Predicate<String> fault, String operation, SessionKey key) {
        if (fault.test(key.id())) {
            faults.increment();
            throw new InjectedFault(operation, key);
        }
    }

    @Override
    public SessionRecord load(SessionKey key) {
        if (stallLoad.test(key.id())) {
            stalled.increment();
            try {
                stallRelease.await(MAX_STALL_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InjectedFault("interrupted stalled load", key);
            }
        }
        check(failLoad, "load", key);
        return super.load(key);
    }

    @Override
    public void save(SessionRecord record) {
        check(failSave, "save", record.key());
        super.save(record);
    }

    @Override
    public boolean insert(SessionRecord record) {
        check(failSave, "insert", record.key());
        return super.insert(record);
    }

    @Override
    public boolean replace(SessionRecord expected, SessionRecord replacement) {
        check(failSave, "replace", replacement.key());
        return super.replace(expected, replacement);
    }

    @Override
    public SessionRecord delete(SessionKey key) {
        check(failDelete, "delete", key);
        return super.delete(key);
    }

    @Override
    public boolean deleteIfUnchanged(SessionRecord expected) {
        check(failDelete, "delete", expected.key());
        return super.deleteIfUnchanged(expected);
    }

    @Override
    public boolean exists(SessionKey key) {
        check(failLoad, "exists", key);
        return super.exists(key);
    }

    @Override
    public boolean range(Predicate<? super SessionRecord> visitor) {
        if (failRange) {
            faults.increment();
            throw new InjectedFault("range", "all sessions");
        }
        return super.range(visitor);
    }
}
