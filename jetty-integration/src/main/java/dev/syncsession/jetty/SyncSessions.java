/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import dev.syncsession.jetty.cache.SessionCacheKind;
import dev.syncsession.jetty.internal.InstalledContext;
import dev.syncsession.jetty.protection.SessionCapHandler;
import dev.syncsession.jetty.protection.SessionStats;
import dev.syncsession.jetty.store.BundledBackend;
import dev.syncsession.jetty.store.SyncSessionDataStore;
import dev.syncsession.jetty.store.SyncSessionDataStoreFactory;
import dev.syncsession.jetty.store.SyncSessionsConfig;
import dev.syncsession.jetty.users.UserSessions;
import dev.syncsession.jetty.users.WhenUserLimitReached;
import dev.syncsession.session.AttributeStorage;
import dev.syncsession.session.SessionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.AbstractSessionManager;

/**
 * syncsession on one node, installed into an embedded Jetty 12 server in one call; an instance is the handle of one
 * installation:
 *
 * <pre>{@code
 * Server server = new Server();
 * SyncSessions sessions = SyncSessions.install(server);   // defaults: SyncMap store, SyncMap cache
 *
 * SyncSessions sessions = SyncSessions.builder()          // or with options
 *     .snapshotFile(Path.of("sessions/sessions.snap"))
 *     .sessionCap(100_000)
 *     .install(server);
 * server.setHandler(sessions.guard(context));              // refusals past the cap: 503 with Retry-After
 *
 * sessions.users(context).invalidateAll("ada");            // once started: sign a user out everywhere
 * }</pre>
 *
 * <p>{@link Builder#install(Server)} serves every context of the server (every {@code SessionHandler} of every
 * environment, ee10, ee11 or core, that has no cache of its own), {@link Builder#install(AbstractSessionManager)} one
 * context. With a {@link Builder#snapshotFile(Path) snapshot file}, either also makes the server stop at shutdown.
 *
 * <p>The SyncMap store is process-local. For more than one node use
 * {@link dev.syncsession.jetty.nodes.SharedSessions#builder}, whose handle answers the same questions.
 *
 * <p>{@link #users} and {@link #stats} take the context, its session handler or a handler wrapping that one context.
 * They throw {@link IllegalArgumentException} if not exactly one session handler is at or under it or its sessions
 * are not this installation's, and {@link IllegalStateException} if the context has no store yet (an install on the
 * server makes it as the context starts).
 *
 * <p>The builder is not thread-safe: configure the server from one thread before starting it. The handle is
 * thread-safe.
 */
public final class SyncSessions {

    private static final String NAME_IN_MESSAGES = "SyncSessions installation";

    /** Makes each context's store; its checked options are this installation's. */
    private final SyncSessionDataStoreFactory storeFactory;

    private SyncSessions(SyncSessionDataStoreFactory storeFactory) {
        this.storeFactory = storeFactory;
    }

    /**
     * Installs syncsession with default options on every context of the server.
     *
     * @param server a server that has not been started
     * @return the installation
     */
    public static SyncSessions install(Server server) {
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

    /**
     * The backend that holds this installation's session records, shared by all its contexts: the one given to
     * {@link Builder#backend(SessionStore)}, or the bundled one, made by this call if no context has started yet.
     *
     * @return the backend
     */
    public SessionStore store() {
        return storeFactory.getBackend();
    }

    /**
     * The sessions by user of a context; see the class comment for the handler and the exceptions.
     *
     * @param handler the context, or a handler at or above its session handler
     * @return the context's sessions by user
     * @throws IllegalArgumentException also if the context has not started yet (its index is made then)
     */
    public UserSessions users(Handler handler) {
        return UserSessions.of(InstalledContext.find(handler, storeFactory::madeStore, NAME_IN_MESSAGES).sessions());
    }

    /**
     * What the store of a context refused; see the class comment for the handler and the exceptions.
     *
     * @param handler the context, or a handler at or above its session handler
     * @return the context's figures, read live
     */
    public SessionStats stats(Handler handler) {
        // find checked that this installation's factory made the store: a SyncSessionDataStore.
        return (SyncSessionDataStore) InstalledContext.find(handler, storeFactory::madeStore, NAME_IN_MESSAGES).store();
    }

    /**
     * Wraps a handler (usually the context that uses sessions) so that a session creation refused by
     * {@link Builder#sessionCap(long)} is answered 503 with {@code Retry-After}: a
     * {@link SessionCapHandler}. Without a cap nothing is refused, and the handler is returned as it is.
     *
     * @param handler the handler to guard
     * @return the handler to set as the server's handler (or wherever the handler was)
     */
    public Handler guard(Handler handler) {
        return storeFactory.config().sessionCap() > 0 ? new SessionCapHandler(handler) : handler;
    }

    /** The options of an installation; each setter returns the builder. */
    public static final class Builder {
        private final SyncSessionsConfig.Builder store = SyncSessionsConfig.builder();
        private final Installer jetty = new Installer();

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
         * Bounds the backend to this many sessions, Caffeine evicting the one least likely to be used to make room
         * (unlike {@link #sessionCap(long)}, which refuses); needs the Caffeine backend (chosen automatically
         * when no backend is chosen), since the SyncMap backend is unbounded.
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
         * {@code 503 Service Unavailable} (with {@code Retry-After} behind {@link SyncSessions#guard}), and requests
         * of existing sessions keep working. Unlike {@link #maximumSessions(long)}, nothing is evicted, so a flood of
         * new sessions cannot push out real users. Counted: the records in the backend, expired ones not yet removed
         * included, plus sessions created and not yet saved; never more than the cap, also under concurrent creation.
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
            jetty.gracePeriod(gracePeriod);
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
            jetty.savePeriod(savePeriod);
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
         * {@link #snapshotInterval(Duration) snapshot interval} while it runs, and restores it when it starts. The
         * start fails, with an {@link IllegalStateException} naming the file and the reason, if the file's directory
         * cannot be created or written; a periodic write that fails later is logged once per streak of failures.
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
        public Builder allowPackage(String packageName) {
            store.allowPackage(packageName);
            return this;
        }

        /**
         * Sets the packages whose attribute classes may be restored from a snapshot, replacing any allowed before;
         * see {@link #allowPackage(String)}.
         *
         * @param packageNames for example {@code List.of("com.example.shop")}
         * @return this builder
         */
        public Builder allowedPackages(List<String> packageNames) {
            store.allowedPackages(packageNames);
            return this;
        }

        /**
         * Chooses the session cache.
         *
         * @param cache the cache kind; default {@link SessionCacheKind#SYNCMAP}
         * @return this builder
         */
        public Builder cache(SessionCacheKind cache) {
            jetty.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /**
         * Evicts a session from the cache after it has been idle this long, saving it first if it has unsaved
         * changes; the next request for it loads it from the store. Default: never evict.
         *
         * @param idle at least one second
         * @return this builder
         */
        public Builder evictIdleAfter(Duration idle) {
            jetty.evictIdleAfter(idle);
            return this;
        }

        /**
         * Evicts a session from the cache as soon as the last request that uses it exits: the cache then holds only
         * sessions in use, and every request loads its session from the store.
         *
         * @return this builder
         */
        public Builder evictOnSessionExit() {
            jetty.evictOnSessionExit();
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
            jetty.secureCookies = secure;
            return this;
        }

        /**
         * Saves a new session to the store as soon as it is created, not only when its first request exits.
         *
         * @param saveOnCreate whether to save on create; Jetty's default is false
         * @return this builder
         */
        public Builder saveOnCreate(boolean saveOnCreate) {
            jetty.saveOnCreate = saveOnCreate;
            return this;
        }

        /**
         * Deletes a session whose stored data cannot be read, instead of failing every request that names it.
         *
         * @param remove whether to remove; Jetty's default is false
         * @return this builder
         */
        public Builder removeUnloadableSessions(boolean remove) {
            jetty.removeUnloadableSessions = remove;
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
            jetty.flushOnResponseCommit = flush;
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
         * Installs on every context of the server: registers the factories as server beans, replacing any session
         * cache or store factory registered before, and (unless {@link #secureCookies(boolean) secureCookies(false)})
         * gives every session handler of the server, including web applications deployed later, the secure cookie
         * defaults: HttpOnly and SameSite=Lax unless the context sets them itself (its {@code web.xml} or its
         * handler's setters win), Secure on HTTPS requests. Session ids are Jetty's own.
         *
         * @param server a server that has not been started
         * @return the installation
         * @throws IllegalStateException if the server is already started
         * @throws IllegalArgumentException naming the first option that is out of range or contradicts another, or
         *     if the server's session id manager has a worker name: it asks for sessions shared between nodes
         */
        public SyncSessions install(Server server) {
            return new SyncSessions(jetty.onServer(server, store));
        }

        /**
         * Installs on one context only: gives its session handler a cache and store built from these options and,
         * unless {@link #secureCookies(boolean) secureCookies(false)}, the secure cookie defaults.
         *
         * @param sessionHandler the context's session handler (ee10, ee11 or core), not yet started
         * @return the installation, whose only context is this one
         * @throws IllegalStateException if the handler is already started
         * @throws IllegalArgumentException naming the first option that is out of range or contradicts another
         */
        public SyncSessions install(AbstractSessionManager sessionHandler) {
            return new SyncSessions(jetty.onContext(sessionHandler, store));
        }
    }
}
