/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.users;

import java.util.List;
import java.util.Set;
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
 * session.
 */
public final class PrincipalIndex {

    private static final int STRIPES = 64;

    private final ConcurrentHashMap<String, String> principalById = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> idsByPrincipal = new ConcurrentHashMap<>();
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    public PrincipalIndex() {
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
     * Records the session's principal; the caller holds the session's stripe lock.
     *
     * @param id the session id
     * @param principal its principal, or null if it is not signed in
     */
    public void put(String id, String principal) {
        String previous = principal == null ? principalById.remove(id) : principalById.put(id, principal);
        if (previous != null && !previous.equals(principal)) {
            unlink(previous, id);
        }
        if (principal != null && !principal.equals(previous)) {
            idsByPrincipal.compute(principal, (p, ids) -> {
                Set<String> set = ids == null ? ConcurrentHashMap.newKeySet() : ids;
                set.add(id);
                return set;
            });
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
            if (principal.equals(principalById.get(id)) && gone.get()) {
                remove(id);
                return true;
            }
            return false;
        });
    }

    private void unlink(String principal, String id) {
        idsByPrincipal.computeIfPresent(principal, (p, ids) -> {
            ids.remove(id);
            return ids.isEmpty() ? null : ids;
        });
    }

    /**
     * The ids indexed under a principal, some of which may have lost their record (see the class description).
     *
     * @param principal a principal name
     * @return a copy
     */
    public List<String> idsOf(String principal) {
        Set<String> ids = idsByPrincipal.get(principal);
        return ids == null ? List.of() : List.copyOf(ids);
    }

    /**
     * The principal a session is indexed under.
     *
     * @param id a session id
     * @return the principal, or null
     */
    public String principalOf(String id) {
        return principalById.get(id);
    }

    /**
     * The principals with at least one entry.
     *
     * @return a copy
     */
    public List<String> principals() {
        return List.copyOf(idsByPrincipal.keySet());
    }

    /**
     * Signed-in sessions indexed.
     *
     * @return entries
     */
    public int size() {
        return principalById.size();
    }

    /** Forgets everything, as the store's context stops. */
    public void clear() {
        principalById.clear();
        idsByPrincipal.clear();
    }
}
