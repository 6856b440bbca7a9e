/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import dev.syncsession.jetty.cache.SessionCacheKind;
import dev.syncsession.jetty.internal.DurationChecks;
import dev.syncsession.jetty.internal.SessionFactories;
import dev.syncsession.jetty.store.SyncSessionDataStoreFactory;
import dev.syncsession.jetty.store.SyncSessionsConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.AbstractSessionCacheFactory;
import org.eclipse.jetty.session.AbstractSessionManager;
import org.eclipse.jetty.session.DefaultSessionIdManager;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionIdManager;

/**
 * The Jetty side of a {@link SyncSessions.Builder}, and the two ways of putting an installation in place: on every
 * context of a server, or on one context. Holds the options that are Jetty's rather than the store's: the cache and
 * each cache setting the builder was told (null: the cache factory's own default), Jetty's grace and save periods,
 * and whether the cookie defaults apply. Not thread-safe, like the builder that owns it.
 */
final class Installer {

    SessionCacheKind cache = SessionCacheKind.SYNCMAP;
    Boolean saveOnCreate;
    Boolean removeUnloadableSessions;
    Boolean flushOnResponseCommit;
    boolean secureCookies = true;
    private Integer evictionPolicy;
    private Boolean saveOnInactiveEviction;
    private Duration gracePeriod;
    private Duration savePeriod;

    /** See {@link SyncSessions.Builder#evictIdleAfter}. */
    void evictIdleAfter(Duration idle) {
        DurationChecks.atLeastOneSecond(idle, "idle eviction time");
        evictionPolicy = (int) Math.min(Integer.MAX_VALUE, idle.toSeconds());
        saveOnInactiveEviction = true;
    }

    /** See {@link SyncSessions.Builder#evictOnSessionExit}. */
    void evictOnSessionExit() {
        evictionPolicy = SessionCache.EVICT_ON_SESSION_EXIT;
    }

    /** See {@link SyncSessions.Builder#gracePeriod}. */
    void gracePeriod(Duration gracePeriod) {
        this.gracePeriod = DurationChecks.nonNegative(gracePeriod, "grace period");
    }

    /** See {@link SyncSessions.Builder#savePeriod}. */
    void savePeriod(Duration savePeriod) {
        this.savePeriod = DurationChecks.nonNegative(savePeriod, "save period");
    }

    /**
     * Registers the factories on the server, with the cookie defaults; see {@link SyncSessions.Builder#install(Server)}.
     *
     * @return the store factory
     */
    SyncSessionDataStoreFactory onServer(Server server, SyncSessionsConfig.Builder options) {
        if (server.isStarted() || server.isStarting()) {
            throw new IllegalStateException("install syncsession before starting the server");
        }
        refuseClusterWorkerName(server);
        SyncSessionDataStoreFactory storeFactory = storeFactory(options.build());
        SessionFactories.registerOn(server, storeFactory, cacheFactory());
        SessionCookieDefaults.install(server, secureCookies);
        Path snapshotFile = storeFactory.config().snapshotFile();
        if (snapshotFile != null) {
            StopAtShutdown.forServer(server, snapshotFile);
        }
        return storeFactory;
    }

    /**
     * Gives one session handler its cache and store, with the cookie defaults; see
     * {@link SyncSessions.Builder#install(AbstractSessionManager)}.
     *
     * @return the store factory, which made the handler's store
     */
    SyncSessionDataStoreFactory onContext(AbstractSessionManager sessionHandler, SyncSessionsConfig.Builder options) {
        SessionFactories.requireNotStarted(sessionHandler);
        SyncSessionDataStoreFactory storeFactory = storeFactory(options.build());
        SessionFactories.applyTo(sessionHandler, storeFactory.getSessionDataStore(sessionHandler),
                cacheFactory());
        if (secureCookies) {
            SessionCookieDefaults.applyTo(sessionHandler);
        }
        Path snapshotFile = storeFactory.config().snapshotFile();
        if (snapshotFile != null) {
            StopAtShutdown.forContext(sessionHandler, snapshotFile);
        }
        return storeFactory;
    }

    /** A new store factory with the checked options, and Jetty's grace and save periods as set. */
    SyncSessionDataStoreFactory storeFactory(SyncSessionsConfig config) {
        SyncSessionDataStoreFactory factory = new SyncSessionDataStoreFactory(config);
        if (gracePeriod != null) {
            factory.setGracePeriodSec((int) Math.min(Integer.MAX_VALUE, gracePeriod.toSeconds()));
        }
        if (savePeriod != null) {
            factory.setSavePeriodSec((int) Math.min(Integer.MAX_VALUE, savePeriod.toSeconds()));
        }
        return factory;
    }

    /** A new cache factory with the cache options. */
    AbstractSessionCacheFactory cacheFactory() {
        AbstractSessionCacheFactory factory = cache.factory();
        if (evictionPolicy != null) {
            factory.setEvictionPolicy(evictionPolicy);
        }
        if (saveOnInactiveEviction != null) {
            factory.setSaveOnInactiveEviction(saveOnInactiveEviction);
        }
        if (saveOnCreate != null) {
            factory.setSaveOnCreate(saveOnCreate);
        }
        if (removeUnloadableSessions != null) {
            factory.setRemoveUnloadableSessions(removeUnloadableSessions);
        }
        if (flushOnResponseCommit != null) {
            factory.setFlushOnResponseCommit(flushOnResponseCommit);
        }
        return factory;
    }

    /**
     * A worker name is how Jetty tells the nodes of a cluster apart; with the SyncMap store each node would silently
     * keep its own sessions, so say so instead of starting.
     */
    private static void refuseClusterWorkerName(Server server) {
        SessionIdManager idManager = server.getBean(SessionIdManager.class);
        if (idManager instanceof DefaultSessionIdManager named && named.getWorkerName() != null
                && !named.getWorkerName().isEmpty()) {
            throw new IllegalArgumentException("the server's session id manager has the worker name \""
                    + named.getWorkerName() + "\", which names a node of a cluster, but the SyncMap store is"
                    + " process-local: each node would keep its own sessions and none would be shared. For"
                    + " many nodes use SharedSessions.builder(SessionDatabase.jdbcUrl(...)); for one node leave the"
                    + " worker name unset");
        }
    }
}
