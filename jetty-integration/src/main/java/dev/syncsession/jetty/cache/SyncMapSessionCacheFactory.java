/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.cache;

import org.eclipse.jetty.session.AbstractSessionCacheFactory;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionManager;

/**
 * Creates a {@link SyncMapSessionCache} for each context. Register one instance as a bean of the
 * {@link org.eclipse.jetty.server.Server} (the {@code session-cache-syncmap} module does this); every
 * SessionHandler that has no cache of its own then uses it. The eviction policy and the other cache options set
 * here are copied onto each cache it creates, exactly as for Jetty's {@code DefaultSessionCacheFactory}.
 *
 * <p>Configure it before the server starts; it is not meant to be changed while contexts are starting.
 */
public class SyncMapSessionCacheFactory extends AbstractSessionCacheFactory {

    @Override
    public SessionCache newSessionCache(SessionManager manager) {
        return new SyncMapSessionCache(manager);
    }
}
