/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.users;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The sessions of one context by principal: id to principal and principal to ids, both kept by the store that owns
 * the index. Every change of a session's entry runs under that session's stripe lock ({@link #locked}), which the
 * store also holds while it saves or deletes the session's record, so the index and the records change together:
 * a save and a concurrent delete of one session cannot leave an entry without its record or a record without its
 * entry. Removals the store does not see (records the sweeper or a bounded backend drops) leave entries whose record
 * is gone; readers check each id ({@code UserSessions.list}) and drop those with {@link #removeIf}.
 *
 * <p>Part of syncsession's store, public only to cross packages. Thread-safe. Memory: two map entries per signed-in
 * session; a principal's ids are its one id itself, or an array of them (immutable, replaced on each change), not a
 * set per principal: most users have one or a few sessions, and a set would cost more than the entries.
 */
public final class SessionsByUser {

    private static final int STRIPES = 64;

    private final ConcurrentHashMap<String, String> userById = new ConcurrentHashMap<>();
    /** Principal to its session ids: a {@code String} for one, a {@code String[]} for several. */
    private final ConcurrentHashMap<String, Object> idsByUser = new ConcurrentHashMap<>();
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    public SessionsByUser() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /**
     * Runs an operation on one session's record and entry under its stripe lock.
     *
     * @param id the session id
     * @param operation what to do
     * @param <T> what it answers
     * @return its answer
     */
    public <T> T locked(String id, Supplier<T> operation) {
        ReentrantLock lock = stripes[(id.hashCode() & 0x7fffffff) % STRIPES];
        lock.lock();
        try {
            return operation.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes one session's stripe lock, for a write of its record and a change of its entry made together: the caller
     * writes the record, then changes the entry through the handle, then closes it.
     *
     * @param id the session id
     * @return the held lock, to close once done
     */
    public Locked lock(String id) {
        ReentrantLock lock = stripes[(id.hashCode() & 0x7fffffff) % STRIPES];
        lock.lock();
        return new Locked(id, lock);
    }

    /** One session's stripe lock, held; see {@link #lock}. Used by the thread that took it. */
    public final class Locked implements AutoCloseable {
        private final String id;
        private final ReentrantLock lock;

        private Locked(String id, ReentrantLock lock) {
            this.id = id;
            this.lock = lock;
        }

        /**
         * Records the session's principal.
         *
         * @param principal its principal, or null if it is not signed in
         */
        public void put(String principal) {
            SessionsByUser.this.put(id, principal);
        }

        /** Forgets the session. */
        public void remove() {
            SessionsByUser.this.remove(id);
        }

        @Override
        public void close() {
            lock.unlock();
        }
    }

    /**
     * Records the session's principal; the caller holds the session's stripe lock.
     *
     * @param id the session id
     * @param principal its principal, or null if it is not signed in
     */
    public void put(String id, String principal) {
        String previous = principal == null ? userById.remove(id) : userById.put(id, principal);
        if (previous != null && !previous.equals(principal)) {
            unlink(previous, id);
        }
        if (principal != null && !principal.equals(previous)) {
            idsByUser.compute(principal, (p, ids) -> with(ids, id));
        }
    }

    /**
     * Forgets the session; the caller holds the session's stripe lock.
     *
     * @param id the session id
     */
    public void remove(String id) {
        put(id, null);
    }

    /**
     * Forgets the session if it is still indexed under this principal, taking its stripe lock, when the check says
     * so under that lock: how a reader drops an entry whose record has gone.
     *
     * @param id the session id
     * @param principal the principal it was found under
     * @param gone checked under the lock: whether the session no longer exists
     * @return true if it was dropped
     */
    public boolean removeIf(String id, String principal, Supplier<Boolean> gone) {
        return locked(id, () -> {
            if (principal.equals(userById.get(id)) && gone.get()) {
                remove(id);
                return true;
            }
            return false;
        });
    }

    private void unlink(String principal, String id) {
        idsByUser.computeIfPresent(principal, (p, ids) -> without(ids, id));
    }

    /** The ids with one more; unchanged if it is there already. */
    private static Object with(Object ids, String id) {
        if (ids == null) {
            return id;
        }
        if (ids instanceof String one) {
            return one.equals(id) ? one : new String[] {one, id};
        }
        String[] several = (String[]) ids;
        for (String s : several) {
            if (s.equals(id)) {
                return several;
            }
        }
        String[] more = java.util.Arrays.copyOf(several, several.length + 1);
        more[several.length] = id;
        return more;
    }

    /** The ids without one; null when none remain. */
    private static Object without(Object ids, String id) {
        if (ids instanceof String one) {
            return one.equals(id) ? null : one;
        }
        String[] several = (String[]) ids;
        int at = -1;
        for (int i = 0; i < several.length; i++) {
            if (several[i].equals(id)) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            return several;
        }
        if (several.length == 2) {
            return several[1 - at];
        }
        String[] fewer = new String[several.length - 1];
        System.arraycopy(several, 0, fewer, 0, at);
        System.arraycopy(several, at + 1, fewer, at, several.length - at - 1);
        return fewer;
    }

    /**
     * The ids indexed under a principal, some of which may have lost their record (see the class description).
     *
     * @param principal a principal name
     * @return a copy
     */
    public List<String> idsOf(String principal) {
        Object ids = idsByUser.get(principal);
        if (ids == null) {
            return List.of();
        }
        return ids instanceof String one ? List.of(one) : List.of((String[]) ids);
    }

    /**
     * The principal a session is indexed under.
     *
     * @param id a session id
     * @return the principal, or null
     */
    public String userOf(String id) {
        return userById.get(id);
    }

    /**
     * The principals with at least one entry.
     *
     * @return a copy
     */
    public List<String> principals() {
        return List.copyOf(idsByUser.keySet());
    }

    /**
     * Signed-in sessions indexed.
     *
     * @return entries
     */
    public int size() {
        return userById.size();
    }

    /** Forgets everything, as the store's context stops. */
    public void clear() {
        userById.clear();
        idsByUser.clear();
    }
}
