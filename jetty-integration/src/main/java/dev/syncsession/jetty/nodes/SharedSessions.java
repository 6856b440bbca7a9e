/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.cache.SessionCacheKind;
import dev.syncsession.jetty.internal.DurationChecks;
import dev.syncsession.jetty.internal.InstalledContext;
import dev.syncsession.jetty.protection.SessionCapHandler;
import dev.syncsession.jetty.protection.SessionStats;
import dev.syncsession.jetty.users.UserSessions;
import dev.syncsession.jetty.users.WhenUserLimitReached;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.AbstractSessionCacheFactory;
import org.eclipse.jetty.session.AbstractSessionManager;

/**
 * syncsession on many nodes: Jetty's {@code JDBCSessionDataStore} on a shared database is the store of record, and
 * each node keeps the sessions it is serving in a node-local {@link SyncMapSessionCache}.
 *
 * <pre>{@code
 * Server server = new Server(8080);
 * SharedSessions sessions = SharedSessions.builder(SessionDatabase.dataSource(pool))
 *     .workerName("web1")                      // unique per node; default host name and process id
 *     .install(server);                        // or, the context in the server: .install(its session handler)
 * server.setHandler(sessions.guard(context));  // 503 instead of a lost session while the database is down
 *
 * sessions.users(context).invalidateAll("ada"); // once started, with sessionsByUser(): sign out on every node
 * }</pre>
 *
 * <p>What the defaults guarantee, with a sticky load balancer: every session is written to the database when it
 * is created and again before each response that changed it is sent ({@code saveOnCreate},
 * {@code flushOnResponseCommit}), so a client that saw a response can be served by any other node after this one
 * dies. The local cache holds only sessions used in the last {@link Builder#evictIdleAfter(Duration) idle window}
 * (default 5 minutes): Jetty evicts a session idle that long, saving it first, which bounds this node's memory by
 * its recent traffic rather than by the number of live sessions. Without stickiness use
 * {@link SessionCacheKind#NULL}: a cached copy would go stale when another node changes the session.
 *
 * <p>The SyncMap store of {@code SyncSessions.install(server)} is process-local and cannot be shared between nodes;
 * use this class for more than one node.
 *
 * <p>An instance is the handle of one installation, as {@code SyncSessions} is on one node. {@link #users} and
 * {@link #stats} take the context, its session handler or a handler wrapping that one context; they throw
 * {@link IllegalArgumentException} if not exactly one session handler is at or under it or its sessions are not this
 * installation's, and {@link IllegalStateException} if the context has no store yet (an install on the server makes
 * it as the context starts). Its methods are thread-safe once the server has started.
 */
public final class SharedSessions {

    /** Idle time after which a node evicts a cached session (saving it first) unless configured otherwise. */
    public static final Duration DEFAULT_EVICT_IDLE_AFTER = Duration.ofMinutes(5);

    private static final String NAME_IN_MESSAGES = "SharedSessions installation";

    private final SessionDatabase database;
    private final String workerName;
    private final SharedJdbcSessionDataStoreFactory storeFactory;
    private final AbstractSessionCacheFactory cacheFactory;

    SharedSessions(SessionDatabase database, String workerName, SharedJdbcSessionDataStoreFactory storeFactory,
            AbstractSessionCacheFactory cacheFactory) {
        this.database = database;
        this.workerName = workerName;
        this.storeFactory = storeFactory;
        this.cacheFactory = cacheFactory;
    }

    /**
     * Starts configuring an installation over this store.
     *
     * @param store the shared database
     * @return a builder with the defaults described on this class
     */
    public static Builder builder(SessionDatabase store) {
        return new Builder(store);
    }

    /**
     * The shared database that holds this installation's sessions.
     *
     * @return the database the builder was given
     */
    public SessionDatabase database() {
        return database;
    }

    /**
     * The sessions by user of a context, on every node; see the class comment for the handler and the exceptions.
     *
     * @param handler the context, or a handler at or above its session handler
     * @return the context's sessions by user
     * @throws IllegalArgumentException also if the installation does not index sessions by user
     *     ({@link Builder#sessionsByUser()})
     */
    public UserSessions users(Handler handler) {
        return UserSessions.of(InstalledContext.find(handler, storeFactory::madeStore, NAME_IN_MESSAGES).sessions());
    }

    /**
     * What the store of a context refused on this node; see the class comment for the handler and the exceptions.
     *
     * @param handler the context, or a handler at or above its session handler
     * @return the context's figures, read live
     */
    public SessionStats stats(Handler handler) {
        // find checked that this installation's factory made the store: a SharedJdbcSessionDataStore.
        return (SharedJdbcSessionDataStore) InstalledContext.find(handler, storeFactory::madeStore, NAME_IN_MESSAGES)
                .store();
    }

    /**
     * The name this node stamps on the sessions it creates and saves (Jetty's worker name).
     *
     * @return the worker name
     */
    public String workerName() {
        return workerName;
    }

    /**
     * Whether the database answers, as the stores last saw it.
     *
     * @return the availability shared by every context of the server
     */
    public DatabaseAvailability availability() {
        return storeFactory.getAvailability();
    }

    /**
     * The saves of this node that met another node's save of the same session (overlapping requests), across its
     * contexts.
     *
     * @return the node's counts
     */
    public SaveConflicts saveConflicts() {
        return storeFactory.getSaveConflicts();
    }

    /**
     * The store factory registered on the server.
     *
     * @return the JDBC store factory
     */
    public SharedJdbcSessionDataStoreFactory storeFactory() {
        return storeFactory;
    }

    /**
     * The cache factory registered on the server.
     *
     * @return the cache factory
     */
    public AbstractSessionCacheFactory cacheFactory() {
        return cacheFactory;
    }

    /**
     * Wraps a handler (usually the context that uses sessions) in a {@link DatabaseOutageGuard} that answers 503 while
     * the database is unavailable.
     *
     * @param handler the handler to guard
     * @return the guard, to be set as the server's handler (or wherever the handler was)
     */
    public DatabaseOutageGuard guard(Handler handler) {
        // With a cap, the refusal's 503 gets Retry-After, as on one node.
        Handler guarded = storeFactory.config().sessionCap() > 0 ? new SessionCapHandler(handler) : handler;
        return new DatabaseOutageGuard(availability(), guarded);
    }

    /**
     * A worker name unique to this process: up to 16 characters of the host name (letters, digits and '-'), an
     * 8-digit hash of the whole host name, and 8 random base-36 digits drawn once per process, for example
     * {@code web-eu-1-3f9a0c2e-k2j9x0qz}. Neither containers, whose process id is often 1, nor host names that
     * differ only past their first characters give two nodes the same name. Jetty's own default, {@code node0}, is
     * the same on every node. The name changes when the process restarts; set one with
     * {@link Builder#workerName(String)} to keep it.
     *
     * @return this process's default worker name
     */
    public static String defaultWorkerName() {
        return WorkerName.defaultName();
    }

    /**
     * The options of a shared-store installation; each setter returns the builder. The store's options are checked
     * together, by {@link #config()} (which {@link #install} calls); the node's name, the cache's idle eviction and
     * Jetty's periods are checked as they are set. Not thread-safe.
     */
    public static final class Builder {
        /** The shared database; null in the builder the Jetty XML factory feeds, whose database is Jetty's adaptor. */
        private final SessionDatabase store;
        /** The options that are Jetty's, and the installation. */
        private final SharedInstaller jetty = new SharedInstaller();
        private long sessionCap;
        private boolean checkCachedCopies = true;
        // Package-private: the XML factory sets these one at a time, sessionsByUser=false included, which the
        // setters here do not take.
        boolean sessionsByUser;
        private String userAttribute;
        int maxSessionsPerUser;
        WhenUserLimitReached whenUserLimitReached = WhenUserLimitReached.REFUSE_NEW;
        private Duration revocationPollInterval = SharedSessionsConfig.DEFAULT_REVOCATION_POLL_INTERVAL;
        private final List<String> allowedPackages = new ArrayList<>();
        private boolean detectInPlaceChanges;

        private Builder(SessionDatabase store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** A builder of the store's options alone, for the Jetty XML factory; it cannot {@link #install}. */
        Builder() {
            this.store = null;
        }

        /**
         * Names this node. Every node must have its own name: Jetty puts it in the ids of the sessions the node
         * creates and in the table's {@code lastNode} column, and uses it to decide which node expires a session.
         * Two nodes with one name are not detected; they work, but the table can no longer tell them apart.
         *
         * @param name letters, digits, '-' or '_', at most 64 characters
         * @return this builder
         */
        public Builder workerName(String name) {
            Objects.requireNonNull(name, "name");
            if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
                throw new IllegalArgumentException("worker name \"" + (name.length() > 70 ? name.substring(0, 70)
                        + "..." : name) + "\" is not 1 to 64 letters, digits, '-' or '_'; it becomes part of"
                        + " session ids");
            }
            jetty.workerName = name;
            return this;
        }

        /**
         * Chooses the node-local cache: {@link SessionCacheKind#SYNCMAP} (default) or
         * {@link SessionCacheKind#DEFAULT} behind a sticky load balancer, {@link SessionCacheKind#NULL} behind
         * one that is not sticky (every request then reads its session from the database).
         *
         * @param cache the cache kind
         * @return this builder
         */
        public Builder cache(SessionCacheKind cache) {
            jetty.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /**
         * Evicts a session from this node's cache after it has been idle this long, saving it first; the next
         * request for it loads it from the database. This is what bounds the cache's memory.
         *
         * @param idle at least one second; default {@link #DEFAULT_EVICT_IDLE_AFTER}
         * @return this builder
         */
        public Builder evictIdleAfter(Duration idle) {
            if (idle.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("idle eviction after " + idle + "; at least 1 s is needed (a"
                        + " cache that never evicts is unbounded)");
            }
            jetty.evictIdleAfter = idle;
            return this;
        }

        /**
         * Sets Jetty's grace period: a node expires sessions last used by another node only once they have been
         * expired this long, so that the node serving a session normally expires it itself.
         *
         * @param gracePeriod whole seconds, zero or more; default Jetty's one hour
         * @return this builder
         */
        public Builder gracePeriod(Duration gracePeriod) {
            jetty.gracePeriod = DurationChecks.nonNegative(gracePeriod, "grace period");
            return this;
        }

        /**
         * Sets Jetty's save period: the least time between saves of a session whose only change is its access
         * time. Zero (the default) writes every request's access time; a larger value saves writes but another
         * node may then expire a session that was in use, up to this long before its real expiry.
         *
         * @param savePeriod whole seconds, zero or more
         * @return this builder
         */
        public Builder savePeriod(Duration savePeriod) {
            jetty.savePeriod = DurationChecks.nonNegative(savePeriod, "save period");
            return this;
        }

        /**
         * Sets whether each node checks a cached copy against its row before a request uses it (default true): one
         * primary-key read per request, which keeps a node from serving or writing back a copy another node has
         * replaced when stickiness breaks. Turn it off only behind a balancer whose stickiness never breaks; the
         * cost it saves is measured in BENCHMARKS.md.
         *
         * @param check false to trust stickiness
         * @return this builder
         */
        public Builder checkCachedCopies(boolean check) {
            this.checkCachedCopies = check;
            return this;
        }

        /**
         * Indexes sessions by user across the tier ({@link dev.syncsession.jetty.users.UserSessions}, JMX on the
         * store factory): each session's row carries its principal, Jetty's authenticated user or the
         * {@link #userAttribute}; a user's sessions are listed from every node, and a sign-out everywhere on one
         * node reaches the copies other nodes cache within {@link #revocationPollInterval}. Adds a column to Jetty's
         * table and a revocations table, at start; see docs/many-nodes.md, "Sessions by user".
         *
         * @return this builder
         */
        public Builder sessionsByUser() {
            this.sessionsByUser = true;
            return this;
        }

        /**
         * Names the session attribute that holds the principal, for applications that do their own sign-in (a
         * {@code String}, or a {@link java.security.Principal}); Jetty's authenticated user comes first. An
         * attribute implies {@link #sessionsByUser()}.
         *
         * @param attribute the attribute name, or null for Jetty's authenticated user only (the default)
         * @return this builder
         */
        public Builder userAttribute(String attribute) {
            this.userAttribute = attribute;
            return this;
        }

        /**
         * Limits the sessions a user may have at once across the tier, counted over the session table at each
         * sign-in; a positive limit implies {@link #sessionsByUser()}. Two sign-ins of one user on two nodes at
         * the same moment may both pass.
         *
         * @param max a positive limit, or 0 for none (the default)
         * @param whenReached refuse the new sign-in, or invalidate the user's oldest sessions (which needs a limit)
         * @return this builder
         */
        public Builder maxSessionsPerUser(int max, WhenUserLimitReached whenReached) {
            this.maxSessionsPerUser = max;
            this.whenUserLimitReached = Objects.requireNonNull(whenReached, "whenReached");
            return this;
        }

        /**
         * Sets how often each node looks for sessions other nodes signed out (default 1 second). Another node's
         * cache may still serve a session for up to this interval plus two poll durations after "sign out
         * everywhere" (the poll under way may have read the table just before it); see docs/many-nodes.md.
         *
         * @param interval at least 10 ms
         * @return this builder
         */
        public Builder revocationPollInterval(Duration interval) {
            this.revocationPollInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Allows attribute classes of this package (and its sub-packages) in the rows the nodes read, besides the JDK
         * value types and collections. A row holding a class off the list is unloadable (no session for its client;
         * with {@code removeUnloadableSessions} its row is deleted), and the class is never instantiated.
         *
         * @param packageName for example {@code "com.example.shop"}
         * @return this builder
         */
        public Builder allowPackage(String packageName) {
            allowedPackages.add(Objects.requireNonNull(packageName, "packageName"));
            return this;
        }

        /**
         * Saves the attributes a request changed in place (default false): at the end of each request, an attribute
         * whose serialized form differs from the one its row holds is saved as changed, though the request never
         * called {@code setAttribute} ({@code cart.add(item)} on the session's cart), so the next node serves the
         * change. Without it, as in Jetty, only attributes set or removed are saved. It costs one serialization of
         * every attribute per load, and of every attribute the request did not set per request; the figures are in
         * BENCHMARKS.md. An in-place change is saved when the request's last exchange ends, not when its response is
         * committed.
         *
         * @param detect true to detect in-place changes
         * @return this builder
         */
        public Builder detectInPlaceChanges(boolean detect) {
            this.detectInPlaceChanges = detect;
            return this;
        }

        /**
         * Caps the sessions of the whole tier, as {@code SyncSessions.Builder.sessionCap} does on one
         * node: a request that would create a session past the cap gets 503 with {@code Retry-After} (behind
         * {@link SharedSessions#guard}); requests of existing sessions keep working. Counted from the session table
         * at most once a second per node, plus the node's own creations since, so the tier may overshoot by what
         * the other nodes create within a second; see {@code DatabaseSessionCap}.
         *
         * @param max a positive cap, or 0 for none (the default)
         * @return this builder
         */
        public Builder sessionCap(long max) {
            this.sessionCap = max;
            return this;
        }

        /**
         * Sets how often this node's housekeeper looks for expired sessions; default Jetty's 10 minutes.
         *
         * @param interval at least one second
         * @return this builder
         */
        public Builder scavengeInterval(Duration interval) {
            jetty.scavengeInterval = DurationChecks.atLeastOneSecond(interval, "scavenge interval");
            return this;
        }

        /**
         * The store's options, checked: every option in range, and none contradicting another.
         *
         * @return the options as one value
         * @throws IllegalArgumentException naming the first option that is out of range or contradicts another
         */
        public SharedSessionsConfig config() {
            return new SharedSessionsConfig(sessionCap, checkCachedCopies, sessionsByUser, userAttribute,
                    maxSessionsPerUser, whenUserLimitReached, revocationPollInterval, allowedPackages,
                    detectInPlaceChanges);
        }

        /**
         * Installs on every context of the server: registers the store and cache factories as server beans
         * (replacing any registered before) and names the server's session id manager, creating it if the server
         * has none.
         *
         * @param server a server that has not been started
         * @return the installation
         * @throws IllegalStateException if the server is already started
         * @throws IllegalArgumentException if the server's id manager already has another worker name, or naming the
         *     first store option that is out of range or contradicts another
         */
        public SharedSessions install(Server server) {
            return jetty.install(server, database(), config());
        }

        /**
         * Installs on one context only: gives its session handler a cache and store built from these options, and
         * names the session id manager of its server as {@link #install(Server)} does. Other contexts of the server
         * keep their own sessions; the node's availability is the handler's bean (for JMX) and its guard's.
         *
         * @param sessionHandler the context's session handler (ee10, ee11 or core), not yet started, whose context
         *     has been added to the server (the worker name is the server's)
         * @return the installation, whose only context is this one
         * @throws IllegalStateException if the handler is already started, or belongs to no server yet
         * @throws IllegalArgumentException as {@link #install(Server)}
         */
        public SharedSessions install(AbstractSessionManager sessionHandler) {
            return jetty.install(sessionHandler, database(), config());
        }

        private SessionDatabase database() {
            if (store == null) {
                throw new IllegalStateException("this builder holds the options of a Jetty XML factory; make one"
                        + " with SharedSessions.builder(store) to install");
            }
            return store;
        }
    }
}
