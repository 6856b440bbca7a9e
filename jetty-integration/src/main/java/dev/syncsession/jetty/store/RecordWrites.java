/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.store;

import dev.syncsession.jetty.users.UserIndex;
import dev.syncsession.session.SessionKey;
import dev.syncsession.session.SessionRecord;
import dev.syncsession.session.SessionStore;
import org.eclipse.jetty.session.SessionData;

/**
 * Saves and deletes one context's records so that what depends on them follows each write: the context's index of
 * sessions by user changes together with the record, under the user's stripe lock ({@link UserIndex.Change}); the
 * session cap stops counting the session as pending ({@link CapHooks#settled}); and no save lands once the
 * context's stop has begun ({@link RedeployDetach}'s gate), the stop having serialized or deleted the records
 * already. Made at the store's first start, with the child beans it writes through. Thread-safe: it holds only final
 * references to thread-safe parts; one backend write per call.
 */
final class RecordWrites {

    private final SessionStore backend;
    private final RedeployDetach detach;
    private final UserIndex users;
    private final CapHooks cap;

    RecordWrites(SessionStore backend, RedeployDetach detach, UserIndex users, CapHooks cap) {
        this.backend = backend;
        this.detach = detach;
        this.users = users;
        this.cap = cap;
    }

    /**
     * Saves a session's record, unless the store is stopping, or stopped after the session was loaded: then the
     * session is settled with the cap, never to be stored, and nothing is written.
     *
     * @param record the record to save
     * @param data the session data it was made from, which says which run of the store loaded it
     * @return whether the record was saved
     */
    boolean save(SessionRecord record, SessionData data) {
        long stamp = detach.saving(data);
        if (stamp == 0) {
            cap.settled(record.key());
            return false;
        }
        try (UserIndex.Change change = users.saving(record.id(), data)) {
            backend.save(record);
            if (change != null) {
                change.commit();
            }
        } finally {
            detach.saved(stamp);
        }
        cap.settled(record.key());
        return true;
    }

    /**
     * Deletes a session's record.
     *
     * @param key the session's key
     * @return the record removed, or null if there was none
     */
    SessionRecord delete(SessionKey key) {
        SessionRecord removed;
        try (UserIndex.Change change = users.deleting(key.id())) {
            removed = backend.delete(key);
            if (change != null) {
                change.commit();
            }
        }
        cap.settled(key);
        return removed;
    }
}
