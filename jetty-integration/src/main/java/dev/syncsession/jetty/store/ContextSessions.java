/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.store;

import dev.syncsession.jetty.cache.SyncMapSessionCache;
import dev.syncsession.jetty.internal.SessionInvalidation;
import dev.syncsession.jetty.users.UserIndex;
import dev.syncsession.jetty.users.UserSession;
import dev.syncsession.session.SessionRecord;
import dev.syncsession.session.SessionScope;
import dev.syncsession.session.SessionStore;
import java.time.Instant;
import org.eclipse.jetty.session.ManagedSession;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the by-user index sees one context's sessions: a session exists if the backend holds an unexpired record of
 * it, or, not saved yet, if the context's SyncMap cache holds a valid session object for it; invalidation goes through
 * Jetty, so {@code sessionDestroyed} fires once. Thread-safe.
 */
final class ContextSessions implements UserIndex.Sessions {

    private static final Logger LOG = LoggerFactory.getLogger(ContextSessions.class);

    private final SessionStore backend;
    private final SessionScope scope;
    private final SessionContext context;

    ContextSessions(SessionStore backend, SessionScope scope, SessionContext context) {
        this.backend = backend;
        this.scope = scope;
        this.context = context;
    }

    @Override
    public UserSession find(String id) {
        SessionRecord record = backend.load(scope.key(id));
        if (record != null) {
            return record.isExpiredAt(System.currentTimeMillis()) ? null
                    : new UserSession(id, Instant.ofEpochMilli(record.created()),
                            Instant.ofEpochMilli(record.accessed()), record.lastNode());
        }
        ManagedSession cached = cachedSession(id);
        return cached == null || !cached.isValid() ? null
                : new UserSession(id, Instant.ofEpochMilli(cached.getCreationTime()),
                        Instant.ofEpochMilli(cached.getLastAccessedTime()), null);
    }

    @Override
    public boolean invalidate(String id) {
        if (find(id) == null) {
            return false;
        }
        return SessionInvalidation.invalidate(context, id);
    }

    /** The session object the context's cache holds, without loading it; null if none or not the SyncMap cache. */
    private ManagedSession cachedSession(String id) {
        SessionCache cache = context == null || context.getSessionManager() == null ? null
                : context.getSessionManager().getSessionCache();
        return cache instanceof SyncMapSessionCache syncMap ? syncMap.cached(id) : null;
    }

    /**
     * Indexes by user the sessions of a context already in the backend: restored from the snapshot, or kept across a
     * redeploy. O(records in the backend).
     */
    static void indexStored(SessionStore backend, SessionScope scope, ClassLoader loader, UserIndex index) {
        backend.range(record -> {
            if (record.key().scope().equals(scope)) {
                try {
                    index.restored(record.id(), record.attributes().toMap(loader));
                } catch (RuntimeException e) { // UnreadableSessionException among them
                    LOG.debug("session {} not indexed by user: its attributes cannot be read", record.key(), e);
                }
            }
            return true;
        });
    }
}
