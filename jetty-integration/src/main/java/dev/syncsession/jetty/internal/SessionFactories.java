/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.internal;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.AbstractSessionManager;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionCacheFactory;
import org.eclipse.jetty.session.SessionDataStore;
import org.eclipse.jetty.session.SessionDataStoreFactory;

/**
 * Puts an install's session cache and store factories in place, the same way in both tiers: as server beans, which
 * every session handler without a cache of its own picks up when it starts, or on one context's session handler.
 * Called from the thread that configures the server, before it starts.
 */
public final class SessionFactories {

    private SessionFactories() {
    }

    /**
     * Registers the factories as server beans, replacing any session store or cache factory registered before.
     *
     * @param server a server that has not been started
     * @param stores the store factory
     * @param caches the cache factory
     * @throws IllegalStateException if the server is already started
     */
    public static void registerOn(Server server, SessionDataStoreFactory stores, SessionCacheFactory caches) {
        if (server.isStarted() || server.isStarting()) {
            throw new IllegalStateException("install syncsession before starting the server");
        }
        for (SessionDataStoreFactory old : server.getBeans(SessionDataStoreFactory.class)) {
            server.removeBean(old);
        }
        for (SessionCacheFactory old : server.getBeans(SessionCacheFactory.class)) {
            server.removeBean(old);
        }
        server.addBean(stores);
        server.addBean(caches);
    }

    /**
     * Gives one session handler a cache made by the cache factory, over a store made for it.
     *
     * @param sessions a session handler that has not been started
     * @param store the store the install's store factory made for this handler
     * @param caches the cache factory
     * @throws IllegalStateException if the handler is already started
     */
    public static void applyTo(AbstractSessionManager sessions, SessionDataStore store, SessionCacheFactory caches) {
        requireNotStarted(sessions);
        SessionCache cache = caches.getSessionCache(sessions);
        cache.setSessionDataStore(store);
        sessions.setSessionCache(cache);
    }

    /**
     * Refuses a session handler that has started: its cache and store are in use.
     *
     * @param sessions the session handler
     * @throws IllegalStateException if it is started or starting
     */
    public static void requireNotStarted(AbstractSessionManager sessions) {
        if (sessions.isStarted() || sessions.isStarting()) {
            throw new IllegalStateException("install syncsession before starting the session handler");
        }
    }
}
