package dev.syncsession.session;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A user's own backend, as small as the SPI allows: what someone would write to plug in a store of their own. Runs the
 * same contract suite as the bundled stores.
 */
final class ConcurrentHashMapSessionStore implements SessionStore {

    private final ConcurrentHashMap<SessionKey, SessionRecord> map = new ConcurrentHashMap<>();
    private volatile boolean closed;

    @Override
    public SessionRecord load(SessionKey key) {
        open();
        return map.get(key);
    }

    @Override
    public void save(SessionRecord record) {
        open();
        map.put(record.key(), record);
    }

    @Override
    public boolean insert(SessionRecord record) {
        open();
        return map.putIfAbsent(record.key(), record) == null;
    }

    @Override
    public boolean replace(SessionRecord expected, SessionRecord replacement) {
        open();
        if (!expected.key().equals(replacement.key())) {
            throw new IllegalArgumentException("keys differ: " + expected.key() + " and " + replacement.key());
        }
        return map.replace(expected.key(), expected, replacement);
    }

    @Override
    public SessionRecord delete(SessionKey key) {
        open();
        return map.remove(key);
    }

    @Override
    public boolean deleteIfUnchanged(SessionRecord expected) {
        open();
        return map.remove(expected.key(), expected);
    }

    @Override
    public boolean exists(SessionKey key) {
        open();
        return map.containsKey(key);
    }

    @Override
    public boolean range(Predicate<? super SessionRecord> visitor) {
        open();
        Objects.requireNonNull(visitor, "visitor");
        for (SessionRecord record : map.values()) {
            if (!visitor.test(record)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long size() {
        open();
        return map.size();
    }

    @Override
    public void close() {
        closed = true;
        map.clear();
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
    }
}
