/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.cache;

import org.eclipse.jetty.session.ManagedSession;
import org.eclipse.jetty.session.NullSessionCache;
import org.eclipse.jetty.session.NullSessionCacheFactory;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionManager;

/**
 * Jetty's {@link NullSessionCache} for the many-nodes tier ({@link SessionCacheKind#factoryCheckingCopies}): with a
 * store that other nodes write too, the store records the changes it finds itself before the cache decides whether
 * to save the session as its response is committed ({@link SessionFreshness#beforeCommit}), so that attributes
 * changed in place are saved before the response is sent. It keeps no copy, so it has nothing else to check.
 * Thread-safe, as Jetty's cache is.
 */
final class FlushingNullSessionCache extends NullSessionCache {

    FlushingNullSessionCache(SessionManager manager) {
        super(manager);
    }

    @Override
    public void commit(ManagedSession session) throws Exception {
        CachedCopyCheck.commit(this, session, () -> super.commit(session));
    }

    /** Creates {@link FlushingNullSessionCache}s; configured like Jetty's factory. */
    static final class Factory extends NullSessionCacheFactory {
        @Override
        public SessionCache newSessionCache(SessionManager manager) {
            return new FlushingNullSessionCache(manager);
        }
    }
}
