/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.protection.DatabaseSessionCap;
import dev.syncsession.jetty.users.WhenUserLimitReached;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.session.DatabaseAdaptor;
import org.eclipse.jetty.session.JDBCSessionDataStore;
import org.eclipse.jetty.session.JDBCSessionDataStoreFactory;
import org.eclipse.jetty.session.SessionDataStore;
import org.eclipse.jetty.session.SessionManager;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's {@link JDBCSessionDataStoreFactory}, configured the same way (database adaptor, table schema, grace and
 * save periods, from Java or Jetty XML), whose stores report every operation to one {@link DatabaseAvailability}
 * shared by all contexts. The stores are Jetty's own {@link JDBCSessionDataStore}: the table, its columns and the
 * SQL are Jetty's, so nodes running plain Jetty and nodes running syncsession can share one table. Indexing sessions
 * by user ({@link #setSessionsByUser}) adds one column, which Jetty's own stores leave empty: sessions a plain Jetty
 * node saves are not indexed.
 *
 * <p>Its own setters are for Jetty XML: each feeds one option of a {@link SharedSessions.Builder}, and the options are
 * checked together, once, by {@link SharedSessionsConfig} when the first store is made (a bad value then fails that
 * context's start, naming the option). The database adaptor, table schema, grace period and save period are Jetty's
 * own factory properties. {@link SharedSessions.Builder#install} makes it from checked options instead, and its
 * setters then refuse changes.
 *
 * <p>As each store starts, one info line says what serves its context's sessions ({@link SharedInstalledLine}).
 *
 * <p>Configure before the server starts.
 */
public class SharedJdbcSessionDataStoreFactory extends JDBCSessionDataStoreFactory {

    private static final Logger LOG = LoggerFactory.getLogger(SharedJdbcSessionDataStoreFactory.class);

    /** How often a request may test an unavailable database. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    /** An id no session has: Jetty's ids never contain '!'. The probe only asks whether it exists. */
    static final String PROBE_ID = "syncsession!probe";

    private DatabaseAdaptor adaptor;
    private JDBCSessionDataStore.SessionTableSchema schema;

    /**
     * The stores now started, which the probe asks; a store joins when it starts and leaves when it stops, so a
     * stopped (redeployed) context's store and its context are not kept. Written as contexts start and stop, read by
     * probes.
     */
    private final CopyOnWriteArrayList<SharedJdbcSessionDataStore> started = new CopyOnWriteArrayList<>();

    private final DatabaseAvailability availability = new DatabaseAvailability(this::probe, PROBE_INTERVAL);

    /** The saves of this factory's stores that met another node's save. */
    private final SaveConflicts saveConflicts = new SaveConflicts();

    /** The options set so far, from Jetty XML; null when made from a checked configuration. */
    private final SharedSessions.Builder options;

    /** The checked options; set when made from them, or when the first store is made. Guarded by {@code this}. */
    private SharedSessionsConfig config;

    /** Made with the first store when capped, shared by all. Guarded by {@code this}. */
    private DatabaseSessionCap limit;

    /** A factory with the default options, to configure with its setters (Jetty XML). */
    public SharedJdbcSessionDataStoreFactory() {
        this.options = new SharedSessions.Builder();
    }

    /** A factory with these checked options; its setters refuse changes ({@link SharedSessions.Builder#install}). */
    SharedJdbcSessionDataStoreFactory(SharedSessionsConfig config) {
        this.options = null;
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public void setDatabaseAdaptor(DatabaseAdaptor adaptor) {
        super.setDatabaseAdaptor(adaptor);
        this.adaptor = adaptor;
    }

    @Override
    public void setSessionTableSchema(JDBCSessionDataStore.SessionTableSchema schema) {
        super.setSessionTableSchema(schema);
        this.schema = schema;
    }

    @Override
    public SessionDataStore getSessionDataStore(SessionManager manager) {
        SharedSessionsConfig checked = config();
        if (adaptor == null) {
            throw new IllegalStateException("no DatabaseAdaptor was set on " + getClass().getSimpleName()
                    + "; give it one configured with a DataSource or a JDBC driver URL");
        }
        SharedJdbcSessionDataStore store = new SharedJdbcSessionDataStore(availability, saveConflicts,
                sessionCap(checked), checked);
        store.setDatabaseAdaptor(adaptor);
        if (schema != null) {
            store.setSessionTableSchema(schema);
        }
        store.setGracePeriodSec(getGracePeriodSec());
        store.setSavePeriodSec(getSavePeriodSec());
        store.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarted(LifeCycle event) {
                started.addIfAbsent(store);
                SharedInstalledLine.log(store.context(), adaptor, checked);
            }

            @Override
            public void lifeCycleStopped(LifeCycle event) {
                started.remove(store);
            }
        });
        return store;
    }

    /**
     * The options in force, checked; from the first call on (at the latest when the first store is made), the
     * setters refuse changes.
     *
     * @return the options
     * @throws IllegalArgumentException naming the first option that is out of range or contradicts another
     */
    public synchronized SharedSessionsConfig config() {
        if (config == null) {
            config = options.config();
        }
        return config;
    }

    /**
     * Caps the sessions of the whole tier; see {@link SharedSessions.Builder#sessionCap(long)}.
     *
     * @param max a positive cap, or 0 for none (the default)
     */
    public synchronized void setSessionCap(long max) {
        unchecked().sessionCap(max);
    }

    /**
     * Sets whether the nodes' caches check a cached copy against its row before a request uses it; see
     * {@link SharedSessions.Builder#checkCachedCopies(boolean)}.
     *
     * @param check true (the default) to check
     */
    public synchronized void setCheckCachedCopies(boolean check) {
        unchecked().checkCachedCopies(check);
    }

    /**
     * Indexes sessions by user; see {@link SharedSessions.Builder#sessionsByUser()}. A user attribute or a
     * per-user limit turns the index on whatever this says.
     *
     * @param byUser true to index
     */
    public synchronized void setSessionsByUser(boolean byUser) {
        unchecked().sessionsByUser = byUser;
    }

    /**
     * Names the session attribute whose value is the session's principal; see
     * {@link SharedSessions.Builder#userAttribute(String)}.
     *
     * @param attribute the attribute name, or null or empty for Jetty's authenticated user only
     */
    public synchronized void setUserAttribute(String attribute) {
        unchecked().userAttribute(attribute == null || attribute.isEmpty() ? null : attribute);
    }

    /**
     * Limits the sessions a user may have at once across the tier; see
     * {@link SharedSessions.Builder#maxSessionsPerUser(int, WhenUserLimitReached)}.
     *
     * @param max a positive limit, or 0 for none (the default)
     */
    public synchronized void setMaxSessionsPerUser(int max) {
        SharedSessions.Builder builder = unchecked();
        builder.maxSessionsPerUser(max, builder.whenUserLimitReached);
    }

    /**
     * What a sign-in past {@link #setMaxSessionsPerUser(int)} does.
     *
     * @param whenReached refuse it (the default) or invalidate the user's oldest sessions
     */
    public synchronized void setWhenUserLimitReached(WhenUserLimitReached whenReached) {
        SharedSessions.Builder builder = unchecked();
        builder.maxSessionsPerUser(builder.maxSessionsPerUser, whenReached);
    }

    /**
     * Like {@link #setWhenUserLimitReached(WhenUserLimitReached)}, by name as an ini file gives it: {@code refuse-new}
     * or {@code invalidate-oldest}.
     *
     * @param whenReached the policy's name
     */
    public void setWhenUserLimitReachedName(String whenReached) {
        setWhenUserLimitReached(WhenUserLimitReached.named(whenReached));
    }

    /**
     * Sets how often each node reads the revocations table; see
     * {@link SharedSessions.Builder#revocationPollInterval(Duration)}.
     *
     * @param seconds at least 1; default 1
     */
    public synchronized void setRevocationPollIntervalSec(int seconds) {
        unchecked().revocationPollInterval(Duration.ofSeconds(seconds));
    }

    /**
     * Allows attribute classes of these packages (and their sub-packages) in the rows the nodes read, besides the
     * JDK value types allowed by default; see {@link SharedSessions.Builder#allowPackage(String)}.
     *
     * @param packages comma-separated package names, added to those allowed before; null or blank for none
     */
    public synchronized void setAllowedPackages(String packages) {
        SharedSessions.Builder builder = unchecked();
        if (packages != null && !packages.isBlank()) {
            for (String name : packages.trim().split("\\s*,\\s*")) {
                builder.allowPackage(name);
            }
        }
    }

    /**
     * Sets whether the end of each request saves the attributes it changed in place; see
     * {@link SharedSessions.Builder#detectInPlaceChanges(boolean)}.
     *
     * @param detect true to detect them; default false
     */
    public synchronized void setDetectInPlaceChanges(boolean detect) {
        unchecked().detectInPlaceChanges(detect);
    }

    private SharedSessions.Builder unchecked() {
        if (config != null) {
            throw new IllegalStateException(options == null
                    ? "this factory was made from a SharedSessions configuration; change the builder instead"
                    : "this factory's options are already in force; configure it before the server starts");
        }
        return options;
    }

    /**
     * Creations refused by the cap on this node.
     *
     * @return refusals since start
     */
    public synchronized long getSessionsRefused() {
        return limit == null ? 0 : limit.refused();
    }

    private synchronized DatabaseSessionCap sessionCap(SharedSessionsConfig checked) {
        if (limit == null && checked.sessionCap() > 0) {
            limit = new DatabaseSessionCap(checked.sessionCap(), this::countUnexpiredRows);
        }
        return limit;
    }

    /** Counts the unexpired rows through a started store. */
    private long countUnexpiredRows() throws Exception {
        for (SharedJdbcSessionDataStore store : started) {
            if (store.isStarted()) {
                return store.unexpiredRows();
            }
        }
        throw new IllegalStateException("no started session store to count with");
    }

    /**
     * The availability of the database, as seen by every store this factory made.
     *
     * @return the shared availability record
     */
    public DatabaseAvailability getAvailability() {
        return availability;
    }

    /**
     * The saves of every store this factory made that met another node's save of the same session.
     *
     * @return the node's counts
     */
    public SaveConflicts getSaveConflicts() {
        return saveConflicts;
    }

    /** Whether this factory made the store: whether it reports to this factory's availability record. */
    boolean madeStore(SessionDataStore store) {
        return store instanceof SharedJdbcSessionDataStore ours && ours.availability() == availability;
    }

    /** The stores now started (for tests). */
    int startedStores() {
        return started.size();
    }

    /**
     * Asks a started store whether a session that cannot exist exists: one round trip through the store's own
     * connection path and table. Bounded by the data source's connect and socket timeouts.
     */
    private boolean probe() {
        for (SharedJdbcSessionDataStore store : started) {
            if (store.isStarted()) {
                try {
                    store.exists(PROBE_ID);
                    return true;
                } catch (Exception e) {
                    LOG.debug("session database still unavailable", e);
                    return false;
                }
            }
        }
        return false;
    }
}
