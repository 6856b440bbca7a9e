/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.session.contract;

import dev.syncsession.session.SessionKey;
import dev.syncsession.session.SessionRecord;
import dev.syncsession.session.SessionStore;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A {@link SessionStore} that passes every call to another, for tests of code that uses a store: a subclass overrides
 * the operations it watches or disturbs (records the ids that reached the store, throws for some sessions, parks to
 * widen a race window, counts down a latch when a scan ends) and calls {@code super} for the store's answer.
 *
 * <p>{@link #saveAll} is left to the interface's default, which calls {@link #save} once per record, so that an
 * override of {@code save} sees the records of a {@code saveAll} too.
 *
 * <p>Thread-safe if the store it forwards to is; it holds no state of its own.
 */
public abstract class ForwardingSessionStore implements SessionStore {

    private final SessionStore delegate;

    /**
     * @param delegate the store every call is passed to
     */
    protected ForwardingSessionStore(SessionStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public SessionRecord load(SessionKey key) {
        return delegate.load(key);
    }

    @Override
    public void save(SessionRecord record) {
        delegate.save(record);
    }

    @Override
    public boolean insert(SessionRecord record) {
        return delegate.insert(record);
    }

    @Override
    public boolean replace(SessionRecord expected, SessionRecord replacement) {
        return delegate.replace(expected, replacement);
    }

    @Override
    public SessionRecord delete(SessionKey key) {
        return delegate.delete(key);
    }

    @Override
    public boolean deleteIfUnchanged(SessionRecord expected) {
        return delegate.deleteIfUnchanged(expected);
    }

    @Override
    public boolean exists(SessionKey key) {
        return delegate.exists(key);
    }

    @Override
    public boolean range(Predicate<? super SessionRecord> visitor) {
        return delegate.range(visitor);
    }

    @Override
    public long size() {
        return delegate.size();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
