/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import dev.syncsession.jetty.cache.SessionCacheKind;
import dev.syncsession.jetty.internal.DurationChecks;
import dev.syncsession.jetty.store.SyncSessionDataStore;
import dev.syncsession.jetty.store.BundledBackend;
import dev.syncsession.jetty.store.SyncSessionDataStoreFactory;
import dev.syncsession.jetty.store.SyncSessionsConfig;
import dev.syncsession.jetty.users.WhenUserLimitReached;
import dev.syncsession.session.AttributeStorage;
import dev.syncsession.session.SessionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.AbstractSessionCacheFactory;
import org.eclipse.jetty.session.AbstractSessionManager;
import org.eclipse.jetty.session.DefaultSessionIdManager;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionCacheFactory;
import org.eclipse.jetty.session.SessionDataStoreFactory;
import org.eclipse.jetty.session.SessionIdManager;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.ShutdownThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs syncsession into an embedded Jetty 12 server in one call:
 *
 * <pre>{@code
 * Server server = new Server();
 * SyncSessions.install(server);                       // defaults: SyncMap store, SyncMap cache
 *
 * SyncSessions.builder()                              // or with options
 *     .snapshotFile(Path.of("sessions/sessions.snap"))
 *     .sweepInterval(Duration.ofSeconds(30))
 *     .cache(SessionCacheKind.DEFAULT)
 *     .install(server);
 * }</pre>
 *
 * <p>{@link Builder#install(Server)} registers a {@link SyncSessionDataStoreFactory} and a
 * {@link SessionCacheFactory} as server beans (replacing any registered before), so every {@code SessionHandler} of
 * every environment (ee10, ee11, core) that has no cache of its own picks them up when it starts.
 * {@link Builder#install(AbstractSessionManager)} configures a single context's session handler instead.
 *
 * <p>With a {@link Builder#snapshotFile(Path) snapshot file}, the install also turns on the server's
 * {@linkplain Server#setStopAtShutdown(boolean) stop at shutdown} (and logs that it did): the snapshot is written when
 * the server stops, and embedded Jetty does not stop on Ctrl-C or SIGTERM unless told to.
 *
 * <p>The SyncMap store is process-local: it cannot be shared between nodes, and {@link Builder#install(Server)}
 * refuses a server whose session id manager has been given a worker name (the name Jetty uses to tell the nodes of
 * a cluster apart). For more than one node use
 * {@link dev.syncsession.jetty.nodes.SharedSessions#builder}: Jetty's JDBC store on a shared
 * database, with the SyncMap cache on each node.
 *
 * <p>Not thread-safe: configure the server from one thread before starting it.
 */
public final class SyncSessions {

    private static final Logger LOG = LoggerFactory.getLogger(SyncSessions.class);

    /** Which backend holds the session records. */

    private SyncSessions() {
    }

    /**
     * Installs syncsession with default options on every context of the server.
     *
     * @param server a server that has not been started
     * @return the store factory, which gives access to the backend once the server has started
     */
    public static SyncSessionDataStoreFactory install(Server server) {
        return builder().install(server);
    }

    /**
     * Starts configuring an installation.
     *
     * @return a builder with the defaults: SyncMap backend, SyncMap cache, attributes held by reference, 60 s sweeps, no
     *     snapshot
     */
    public static Builder builder() {
        return new Builder();
    }


    /** The options of an installation; each setter returns the builder. */
    public static final class Builder {
        /** The store's options, checked by {@link #config()}. */
        private final SyncSessionsConfig.Builder store = SyncSessionsConfig.builder();
        private boolean secureCookies = true;
        private Duration gracePeriod;
        private Duration savePeriod;
        private SessionCacheKind cache = SessionCacheKind.SYNCMAP;
        private Integer evictionPolicy;
        private Boolean saveOnInactiveEviction;
        private Boolean saveOnCreate;
        private Boolean removeUnloadableSessions;
        private Boolean flushOnResponseCommit;

        private Builder() {
        }

        /**
         * Uses this backend instance (for example one the caller also reads, or their own implementation).
         *
         * @param backend the backend; syncsession never closes it. Null: a bundled one (the default)
         * @return this builder
         */
        public Builder backend(SessionStore backend) {
            store.backendInstance(backend);
            return this;
        }

        /**
         * Chooses one of the bundled backends.
         *
         * @param backend the kind of backend
         * @return this builder
         */
        public Builder backend(BundledBackend backend) {
            store.backendKind(backend);
            return this;
        }

        /**
         * Bounds the backend to this many sessions, Caffeine evicting the one least likely to be used to make room (a
         * bound, unlike {@link #sessionCap(long)}, which refuses); needs the Caffeine backend (chosen
         * automatically when no backend is chosen), since the SyncMap backend is unbounded.
         *
         * @param maximumSessions a positive bound, or 0 for none (the default)
         * @return this builder
         */
        public Builder maximumSessions(long maximumSessions) {
            store.maximumSessions(maximumSessions);
            return this;
        }

        /**
         * Caps the sessions: a request that would create a session while the backend holds this many gets
         * {@code 503 Service Unavailable} (with {@code Retry-After} when the context is wrapped in a
         * {@link dev.syncsession.jetty.protection.SessionCapHandler}), and requests of existing sessions keep working. Unlike
         * {@link #maximumSessions(long)}, which evicts a session to make room, nothing is evicted,
         * so a flood of new sessions cannot push out real users. Counted: the records in the backend, expired ones
         * not yet removed included, plus sessions created and not yet saved; never more than the cap, also under
         * concurrent creation.
         *
         * @param sessionCap a positive cap, or 0 for none (the default)
         * @return this builder
         */
        public Builder sessionCap(long sessionCap) {
            store.sessionCap(sessionCap);
            return this;
        }

        /**
         * Sets how attributes are held in the store.
         *
         * @param attributeStorage {@link AttributeStorage#BY_REFERENCE} (default) or {@link AttributeStorage#SERIALIZED}
         * @return this builder
         */
        public Builder attributeStorage(AttributeStorage attributeStorage) {
            store.attributeStorage(attributeStorage);
            return this;
        }

        /**
         * Sets the time between sweeps of the store.
         *
         * @param interval at least one second; default 60 s
         * @return this builder
         */
        public Builder sweepInterval(Duration interval) {
            store.sweepInterval(interval);
            return this;
        }

        /**
         * Sets how long past its expiry a record must be before the sweeper removes it; default ten grace periods
         * (Jetty's orphan horizon), so that Jetty expires every session first and fires its listeners once.
         *
         * @param grace zero or more
         * @return this builder
         */
        public Builder retainExpired(Duration grace) {
            store.retainExpired(Objects.requireNonNull(grace, "grace"));
            return this;
        }

        /**
         * Sets Jetty's grace period: how long after expiry a session no node has expired is searched for and
         * removed; default Jetty's one hour.
         *
         * @param gracePeriod whole seconds, zero or more
         * @return this builder
         */
        public Builder gracePeriod(Duration gracePeriod) {
            this.gracePeriod = DurationChecks.nonNegative(gracePeriod, "grace period");
            return this;
        }

        /**
         * Sets Jetty's save period: the least time between saves of a session whose only change is its access
         * time; default 0 (save on every request's exit).
         *
         * @param savePeriod whole seconds, zero or more
         * @return this builder
         */
        public Builder savePeriod(Duration savePeriod) {
            this.savePeriod = DurationChecks.nonNegative(savePeriod, "save period");
            return this;
        }

        /**
         * Ends every session this long after it was created, however active it is (OWASP's absolute timeout),
         * alongside the idle timeout (the max inactive interval): an expired-by-age session ends as an idle one does,
         * {@code sessionDestroyed} once, and a request that presents it gets a new session. Default: none.
         *
         * @param timeout at least one second, or zero for none (the default)
         * @return this builder
         */
        public Builder absoluteTimeout(Duration timeout) {
            store.absoluteTimeout(timeout);
            return this;
        }

        /**
         * Names the session attribute that holds the signed-in user, for applications that do their own sign-in:
         * the store indexes sessions by its value (a {@code String} or a {@code Principal}), besides Jetty's
         * authenticated user, which comes first; see {@link dev.syncsession.jetty.users.UserSessions}.
         *
         * @param attribute the attribute name, or null for Jetty's authenticated user only (the default)
         * @return this builder
         */
        public Builder userAttribute(String attribute) {
            store.userAttribute(attribute);
            return this;
        }

        /**
         * Limits the sessions one user may be signed into at once, in each context.
         *
         * @param max at least 1, or 0 for no limit (the default)
         * @param whenReached refuse the new sign-in, or invalidate the user's oldest sessions
         * @return this builder
         */
        public Builder maxSessionsPerUser(int max, WhenUserLimitReached whenReached) {
            store.maxSessionsPerUser(max);
            store.whenUserLimitReached(whenReached);
            return this;
        }

        /**
         * Limits the sessions one user may be signed into at once, in each context, keeping the policy set.
         *
         * @param max at least 1, or 0 for no limit (the default)
         * @return this builder
         */
        public Builder maxSessionsPerUser(int max) {
            store.maxSessionsPerUser(max);
            return this;
        }

        /**
         * Sets what a sign-in past {@link #maxSessionsPerUser(int)} does.
         *
         * @param whenReached refuse the new sign-in (the default), or invalidate the user's oldest sessions
         * @return this builder
         */
        public Builder whenUserLimitReached(WhenUserLimitReached whenReached) {
            store.whenUserLimitReached(whenReached);
            return this;
        }

        /**
         * Writes a snapshot of every session to this file when the server stops and every
         * {@link #snapshotInterval(Duration) snapshot interval} (30 s) while it runs, and restores it when it starts.
         * The start fails, with an {@link IllegalStateException} naming the file and the reason, if the file's
         * directory cannot be created or written; a periodic write that fails later is logged once per streak of
         * failures.
         *
         * <p>Installing with a snapshot file turns on the server's {@link Server#setStopAtShutdown(boolean)
         * stopAtShutdown}, and logs at info that it did, unless it is on already: without it, embedded Jetty does not
         * stop on Ctrl-C or SIGTERM, and the write at stop never happens (a restart would restore only the last
         * periodic write). To opt out, call {@code server.setStopAtShutdown(false)} after {@link #install(Server)}.
         *
         * @param file the snapshot file; its directory is created if missing. Null: none (the default)
         * @return this builder
         */
        public Builder snapshotFile(Path file) {
            store.snapshotFile(file);
            return this;
        }

        /**
         * Sets how often the snapshot is written while the server runs (besides at stop), off the request path and
         * atomically, so that a process killed without a stop ({@code kill -9}) loses at most this much of its
         * sessions' changes. Applies with {@link #snapshotFile(Path)}.
         *
         * @param interval at least one second, or zero to write only at stop; default 30 s
         * @return this builder
         */
        public Builder snapshotInterval(Duration interval) {
            store.snapshotInterval(interval);
            return this;
        }

        /**
         * Allows attribute classes of this package (and its sub-packages) to be restored from a snapshot, besides
         * the JDK value types allowed by default.
         *
         * @param packageName for example {@code "com.example.shop"}
         * @return this builder
         */
        public Builder allowSnapshotPackage(String packageName) {
            store.allowSnapshotPackage(packageName);
            return this;
        }

        /**
         * Sets the packages whose attribute classes may be restored from a snapshot, replacing any allowed before.
         *
         * @param packageNames for example {@code List.of("com.example.shop")}
         * @return this builder
         */
        public Builder snapshotAllowedPackages(List<String> packageNames) {
            store.snapshotAllowedPackages(packageNames);
            return this;
        }

        /**
         * Chooses the session cache.
         *
         * @param cache the cache kind; default {@link SessionCacheKind#SYNCMAP}
         * @return this builder
         */
        public Builder cache(SessionCacheKind cache) {
            this.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /**
         * Evicts a session from the cache after it has been idle this long, saving it first if it has unsaved
         * changes; the next request for it loads it from the store. As
         * {@link dev.syncsession.jetty.nodes.SharedSessions.Builder#evictIdleAfter}.
         * Default: never evict.
         *
         * @param idle at least one second
         * @return this builder
         */
        public Builder evictIdleAfter(Duration idle) {
            DurationChecks.atLeastOneSecond(idle, "idle eviction time");
            this.evictionPolicy = (int) Math.min(Integer.MAX_VALUE, idle.toSeconds());
            this.saveOnInactiveEviction = true;
            return this;
        }

        /**
         * Evicts a session from the cache as soon as the last request that uses it exits: the cache then holds only
         * sessions in use, and every request loads its session from the store.
         *
         * @return this builder
         */
        public Builder evictOnSessionExit() {
            this.evictionPolicy = SessionCache.EVICT_ON_SESSION_EXIT;
            return this;
        }

        /**
         * Sets whether a context's sessions stay in the store, serialized, when the context stops, so that its
         * redeploy gets them back; see {@link SyncSessionDataStore#setKeepSessionsOnStop}.
         *
         * @param keep true (the default) to keep them, false to delete them
         * @return this builder
         */
        public Builder keepSessionsOnStop(boolean keep) {
            store.keepSessionsOnStop(keep);
            return this;
        }

        /**
         * Whether installing gives session cookies the defaults of SECURITY.md: HttpOnly and SameSite=Lax, each
         * unless the context sets it itself, and Secure on requests that came over HTTPS.
         *
         * @param secure true (the default) to apply them, false to leave every cookie attribute to the contexts
         * @return this builder
         */
        public Builder secureCookies(boolean secure) {
            this.secureCookies = secure;
            return this;
        }

        /**
         * Saves a new session to the store as soon as it is created, not only when its first request exits.
         *
         * @param saveOnCreate whether to save on create; Jetty's default is false
         * @return this builder
         */
        public Builder saveOnCreate(boolean saveOnCreate) {
            this.saveOnCreate = saveOnCreate;
            return this;
        }

        /**
         * Deletes a session whose stored data cannot be read, instead of failing every request that names it.
         *
         * @param remove whether to remove; Jetty's default is false
         * @return this builder
         */
        public Builder removeUnloadableSessions(boolean remove) {
            this.removeUnloadableSessions = remove;
            return this;
        }

        /**
         * Saves a dirty session when the response commits as well as when the request exits, so that what a client
         * was answered is in the store before the answer reaches it.
         *
         * @param flush whether to flush on commit; Jetty's default (and this install's) is true
         * @return this builder
         */
        public Builder flushOnResponseCommit(boolean flush) {
            this.flushOnResponseCommit = flush;
            return this;
        }

        /**
         * The store's options, checked: every option in range, and none contradicting another.
         *
         * @return the options as one value
         * @throws IllegalArgumentException naming the first option that is out of range or contradicts another
         */
        public SyncSessionsConfig config() {
            return store.build();
        }

        /**
         * Builds the store factory these options describe, without installing it.
         *
         * @return a new factory
         * @throws IllegalArgumentException naming the first option that is out of range or contradicts another
         */
        public SyncSessionDataStoreFactory dataStoreFactory() {
            SyncSessionDataStoreFactory factory = new SyncSessionDataStoreFactory(config());
            if (gracePeriod != null) {
                factory.setGracePeriodSec((int) Math.min(Integer.MAX_VALUE, gracePeriod.toSeconds()));
            }
            if (savePeriod != null) {
                factory.setSavePeriodSec((int) Math.min(Integer.MAX_VALUE, savePeriod.toSeconds()));
            }
            return factory;
        }

        /**
         * Builds the cache factory these options describe, without installing it.
         *
         * @return a new factory
         */
        public AbstractSessionCacheFactory cacheFactory() {
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
         * Installs on every context of the server: registers the factories as server beans, replacing any session
         * cache or store factory registered before, and (unless {@link #secureCookies(boolean) secureCookies(false)})
         * gives every session handler of the server, including web applications deployed later, the secure cookie
         * defaults: HttpOnly and SameSite=Lax unless the context sets them itself (its {@code web.xml} or its
         * handler's setters win), Secure on HTTPS requests. Session ids are Jetty's own.
         *
         * @param server a server that has not been started
         * @return the store factory, which gives access to the backend once the server has started
         * @throws IllegalStateException if the server is already started
         * @throws IllegalArgumentException if the server's session id manager has a worker name, which asks for
         *     sessions shared between nodes that this process-local store cannot give
         */
        public SyncSessionDataStoreFactory install(Server server) {
            if (server.isStarted() || server.isStarting()) {
                throw new IllegalStateException("install syncsession before starting the server");
            }
            refuseClusterWorkerName(server);
            SyncSessionDataStoreFactory storeFactory = dataStoreFactory();
            AbstractSessionCacheFactory cacheFactory = cacheFactory();
            for (SessionDataStoreFactory old : server.getBeans(SessionDataStoreFactory.class)) {
                server.removeBean(old);
            }
            for (SessionCacheFactory old : server.getBeans(SessionCacheFactory.class)) {
                server.removeBean(old);
            }
            server.addBean(storeFactory);
            server.addBean(cacheFactory);
            SessionCookieDefaults.install(server, secureCookies);
            Path snapshotFile = storeFactory.config().snapshotFile();
            if (snapshotFile != null) {
                stopAtShutdown(server, snapshotFile);
            }
            return storeFactory;
        }

        /**
         * Installs on one context only: gives its session handler a cache and store built from these options and,
         * exactly as {@link #install(Server)} does for every context, the secure cookie defaults unless
         * {@link #secureCookies(boolean) secureCookies(false)}.
         *
         * @param sessionHandler the context's session handler (ee10, ee11 or core), not yet started
         * @return the store factory that made its store
         * @throws IllegalStateException if the handler is already started
         */
        public SyncSessionDataStoreFactory install(AbstractSessionManager sessionHandler) {
            if (sessionHandler.isStarted() || sessionHandler.isStarting()) {
                throw new IllegalStateException("install syncsession before starting the session handler");
            }
            SyncSessionDataStoreFactory storeFactory = dataStoreFactory();
            SessionCache sessionCache = cacheFactory().getSessionCache(sessionHandler);
            sessionCache.setSessionDataStore(storeFactory.getSessionDataStore(sessionHandler));
            sessionHandler.setSessionCache(sessionCache);
            if (secureCookies) {
                SessionCookieDefaults.applyTo(sessionHandler);
            }
            Path file = storeFactory.config().snapshotFile();
            if (file != null) {
                if (sessionHandler.getServer() != null) {
                    stopAtShutdown(sessionHandler.getServer(), file);
                } else {
                    // Not yet part of a server; it is by the time it starts.
                    sessionHandler.addEventListener(new LifeCycle.Listener() {
                        @Override
                        public void lifeCycleStarting(LifeCycle event) {
                            if (sessionHandler.getServer() != null) {
                                stopAtShutdown(sessionHandler.getServer(), file);
                            }
                        }
                    });
                }
            }
            return storeFactory;
        }

        /**
         * Makes the server stop when the JVM is asked to exit (Ctrl-C, SIGTERM), so that the snapshot is written at
         * stop, and says so once; leaves a server that already stops at shutdown alone.
         */
        private static void stopAtShutdown(Server server, Path snapshotFile) {
            if (server.getStopAtShutdown()) {
                return;
            }
            server.setStopAtShutdown(true);
            if (server.isStarting()) {
                // Server.doStart registers with the shutdown thread only if asked before it ran.
                ShutdownThread.register(server);
            }
            LOG.info("syncsession turned on the server's stopAtShutdown, so that Ctrl-C or SIGTERM stops it and writes"
                    + " the session snapshot {}; call server.setStopAtShutdown(false) after install to opt out",
                    snapshotFile.toAbsolutePath());
        }

        /**
         * A worker name is how Jetty tells the nodes of a cluster apart; with the SyncMap store each node would
         * silently keep its own sessions, so say so instead of starting.
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
}
