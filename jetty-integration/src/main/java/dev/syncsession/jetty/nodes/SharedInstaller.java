/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.cache.SessionCacheKind;
import dev.syncsession.jetty.internal.SessionFactories;
import java.time.Duration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.AbstractSessionCacheFactory;
import org.eclipse.jetty.session.AbstractSessionManager;
import org.eclipse.jetty.session.NullSessionCacheFactory;

/**
 * The Jetty side of a {@link SharedSessions.Builder}, and the two ways of putting an installation in place: on every
 * context of a server, or on one context. Holds the options that are Jetty's rather than the store's: the node's
 * name, its cache and idle eviction, Jetty's grace and save periods (null: Jetty's default) and the housekeeper's
 * scavenge interval. Not thread-safe, like the builder that owns it.
 */
final class SharedInstaller {

    String workerName;
    SessionCacheKind cache = SessionCacheKind.SYNCMAP;
    Duration evictIdleAfter = SharedSessions.DEFAULT_EVICT_IDLE_AFTER;
    Duration gracePeriod;
    Duration savePeriod;
    Duration scavengeInterval;

    /** See {@link SharedSessions.Builder#install(Server)}. */
    SharedSessions install(Server server, SessionDatabase database, SharedSessionsConfig config) {
        if (server.isStarted() || server.isStarting()) {
            throw new IllegalStateException("install syncsession before starting the server");
        }
        String name = WorkerName.applyTo(server, workerName, scavengeInterval);
        SharedJdbcSessionDataStoreFactory storeFactory = storeFactory(database, server, config);
        AbstractSessionCacheFactory cacheFactory = cacheFactory();
        SessionFactories.registerOn(server, storeFactory, cacheFactory);
        for (DatabaseAvailability old : server.getBeans(DatabaseAvailability.class)) {
            server.removeBean(old);
        }
        // A server bean, so that JMX shows it (outages, requests refused, saves failed) with an MBeanContainer.
        server.addBean(storeFactory.getAvailability());
        return new SharedSessions(database, name, storeFactory, cacheFactory);
    }

    /** See {@link SharedSessions.Builder#install(AbstractSessionManager)}. */
    SharedSessions install(AbstractSessionManager sessionHandler, SessionDatabase database,
            SharedSessionsConfig config) {
        SessionFactories.requireNotStarted(sessionHandler);
        Server server = sessionHandler.getServer();
        if (server == null) {
            throw new IllegalStateException("the session handler " + sessionHandler + " belongs to no server yet;"
                    + " add its context to the server (server.setHandler) before installing: the node's worker"
                    + " name is the server's");
        }
        String name = WorkerName.applyTo(server, workerName, scavengeInterval);
        SharedJdbcSessionDataStoreFactory storeFactory = storeFactory(database, server, config);
        AbstractSessionCacheFactory cacheFactory = cacheFactory();
        SessionFactories.applyTo(sessionHandler, storeFactory.getSessionDataStore(sessionHandler), cacheFactory);
        sessionHandler.addBean(storeFactory.getAvailability());
        return new SharedSessions(database, name, storeFactory, cacheFactory);
    }

    /** The store factory for these checked options, with Jetty's grace and save periods as set. */
    private SharedJdbcSessionDataStoreFactory storeFactory(SessionDatabase database, Server server,
            SharedSessionsConfig config) {
        SharedJdbcSessionDataStoreFactory storeFactory = database.newStoreFactory(server, config);
        if (gracePeriod != null) {
            storeFactory.setGracePeriodSec((int) Math.min(Integer.MAX_VALUE, gracePeriod.toSeconds()));
        }
        if (savePeriod != null) {
            storeFactory.setSavePeriodSec((int) Math.min(Integer.MAX_VALUE, savePeriod.toSeconds()));
        }
        return storeFactory;
    }

    private AbstractSessionCacheFactory cacheFactory() {
        AbstractSessionCacheFactory factory = cache.factoryCheckingCopies();
        // Written through to the database, so that any node can serve the session after this one dies.
        factory.setSaveOnCreate(true);
        factory.setFlushOnResponseCommit(true);
        if (!(factory instanceof NullSessionCacheFactory)) {
            factory.setEvictionPolicy((int) Math.min(Integer.MAX_VALUE, evictIdleAfter.toSeconds()));
            factory.setSaveOnInactiveEviction(true);
        }
        return factory;
    }
}
