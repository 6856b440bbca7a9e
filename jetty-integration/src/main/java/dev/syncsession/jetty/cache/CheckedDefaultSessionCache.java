/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.cache;

import org.eclipse.jetty.session.DefaultSessionCache;
import org.eclipse.jetty.session.DefaultSessionCacheFactory;
import org.eclipse.jetty.session.ManagedSession;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionManager;

/**
 * Jetty's {@link DefaultSessionCache} for the many-nodes tier ({@link SessionCacheKind#factoryCheckingCopies}), with
 * each cached copy checked against the shared store before a request uses it ({@link CachedCopyCheck}, a bean of
 * the cache), as {@link SyncMapSessionCache} does. Thread-safe, as Jetty's cache is.
 */
final class CheckedDefaultSessionCache extends DefaultSessionCache {

    private final CachedCopyCheck copyCheck =
            new CachedCopyCheck(this, super::getAndEnter, this::doDelete, this::doGet);

    CheckedDefaultSessionCache(SessionManager manager) {
        super(manager);
        addBean(copyCheck);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        copyCheck.listenForSessionsEndedElsewhere();
    }

    @Override
    protected ManagedSession getAndEnter(String id, boolean enter) throws Exception {
        return copyCheck.getAndEnter(id, enter);
    }

    @Override
    public void commit(ManagedSession session) throws Exception {
        CachedCopyCheck.commit(this, session, () -> super.commit(session));
    }

    @Override
    protected void renewSessionId(ManagedSession session, String newId, String newExtendedId) throws Exception {
        copyCheck.beforeRenewal(session);
        super.renewSessionId(session, newId, newExtendedId);
    }

    @Override
    public void checkInactiveSession(ManagedSession session) {
        if (!copyCheck.evictedIfStale(session)) {
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
