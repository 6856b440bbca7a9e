package dev.syncsession.session;

import java.util.function.Predicate;

/** A store that forwards every call, for tests that override one method to inject a race or a failure. */
class ForwardingStore implements SessionStore {

    private final SessionStore delegate;

    ForwardingStore(SessionStore delegate) {
        this.delegate = delegate;
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
