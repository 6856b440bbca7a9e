/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.cache.CachedCopyCheck;
import dev.syncsession.jetty.protection.SessionIdFilter;
import org.eclipse.jetty.session.DefaultSessionCache;
import org.eclipse.jetty.session.DefaultSessionCacheFactory;
import org.eclipse.jetty.session.ManagedSession;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionManager;

/**
 * Jetty's {@link DefaultSessionCache} for the many-nodes tier, with each cached copy checked against the shared
 * store before a request uses it ({@link CachedCopyCheck}), as {@code SyncMapSessionCache} does.
 */
final class CheckedDefaultSessionCache extends DefaultSessionCache {

    private final CachedCopyCheck copyCheck = new CachedCopyCheck();

    private final CachedCopyCheck.CacheAccess access = new CachedCopyCheck.CacheAccess() {
        @Override
        public ManagedSession getAndEnter(String id) throws Exception {
            return CheckedDefaultSessionCache.super.getAndEnter(id, true);
        }

        @Override
        public void forget(String id) {
            doDelete(id);
        }

        @Override
        public ManagedSession peek(String id) {
            return doGet(id);
        }
    };

    CheckedDefaultSessionCache(SessionManager manager) {
        super(manager);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        copyCheck.listenForSessionsEndedElsewhere(_sessionDataStore, access);
    }

    @Override
    protected ManagedSession getAndEnter(String id, boolean enter) throws Exception {
        if (!SessionIdFilter.admits(_sessionDataStore, id)) {
            return null; // a hostile id: no session, and no load registered for it
        }
        return copyCheck.verified(id, super.getAndEnter(id, enter), enter, _sessionDataStore, access);
    }

    /**
     * Evicts an idle session as Jetty does, except that a copy another node has replaced in a shared store is
     * evicted without the save, which would write it over the newer row ({@link CachedCopyCheck#evictedIfStale}).
     */
    @Override
    public void checkInactiveSession(ManagedSession session) {
        if (!copyCheck.evictedIfStale(session, _sessionDataStore, getEvictionPolicy(), isSaveOnInactiveEviction(),
                access)) {
            super.checkInactiveSession(session);
        }
    }

    /** Creates {@link CheckedDefaultSessionCache}s; configured like Jetty's factory. */
    static final class Factory extends DefaultSessionCacheFactory {
        @Override
        public SessionCache newSessionCache(SessionManager manager) {
            return new CheckedDefaultSessionCache(manager);
        }
    }
}
