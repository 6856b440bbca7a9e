package dev.syncsession.session;

import dev.syncsession.map.SyncMap;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The default {@link SessionStore}: an in-memory index from {@link SessionKey} to {@link SessionRecord} in a
 * {@link SyncMap}, which suits sessions well because they are read on every request and written far less often.
 * Unbounded: stale sessions leave through {@link ExpirySweeper}; for a hard memory bound use
 * {@link CaffeineSessionStore}.
 *
 * <p>Thread-safe; all operations are atomic. {@link #load} and {@link #exists} are lock-free once a session has been
 * promoted to the map's read-only part; {@link #range} allocates nothing per record; {@link #size} is O(1). Needs no
 * dependency beyond this module.
 */
public final class SyncMapSessionStore extends MapSessionStore {

    private final SyncMap<SessionKey, SessionRecord> index;

    /** Creates an empty store. */
    public SyncMapSessionStore() {
        this(new SyncMap<>());
    }

    private SyncMapSessionStore(SyncMap<SessionKey, SessionRecord> index) {
        super(index);
        this.index = index;
    }

    @Override
    public boolean range(Predicate<? super SessionRecord> visitor) {
        ensureOpen();
        Objects.requireNonNull(visitor, "visitor");
        return index.range((key, record) -> visitor.test(record));
    }

    @Override
    public long size() {
        ensureOpen();
        return index.size();
    }

    /**
     * Returns the counters of the underlying {@link SyncMap}, for monitoring: many {@code misses} and
     * {@code dirtyRebuilds} mean sessions are created and removed faster than they are read.
     *
     * @return a snapshot of the map's counters; O(1)
     */
    public SyncMap.Stats stats() {
        return index.stats();
    }

    @Override
    public void close() {
        markClosed();
        index.clear();
    }

    @Override
    public String toString() {
        return "SyncMapSessionStore[" + index.size() + " sessions" + (isClosed() ? ", closed]" : "]");
    }
}
