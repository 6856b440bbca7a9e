/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.users.PrincipalSource;
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
 * save periods, from Java or Jetty XML), whose stores report every operation to one {@link StoreAvailability}
 * shared by all contexts. The stores are Jetty's own {@link JDBCSessionDataStore}: the table, its columns and the
 * SQL are Jetty's, so nodes running plain Jetty and nodes running syncsession can share one table. Indexing sessions
 * by user ({@link #setSessionsByUser}) adds one column, which Jetty's own stores leave empty: sessions a plain Jetty
 * node saves are not indexed.
 *
 * <p>Configure before the server starts; not thread-safe until then.
 */
public class SharedJdbcSessionDataStoreFactory extends JDBCSessionDataStoreFactory {

    private static final Logger LOG = LoggerFactory.getLogger(SharedJdbcSessionDataStoreFactory.class);

    /** How often each node reads the revocations table by default. */
    public static final Duration DEFAULT_REVOCATION_POLL_INTERVAL = Duration.ofSeconds(1);

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

    private final StoreAvailability availability = new StoreAvailability(this::probe, PROBE_INTERVAL);

    /** The cap on live sessions; 0 for none. Guarded by {@code this}. */
    private long maxLiveSessions;

    /** Whether caches check their copies against the rows before use. Guarded by {@code this}. */
    private boolean checkCachedCopies = true;

    /** Whether sessions are indexed by user, with the principal column. Guarded by {@code this}. */
    private boolean sessionsByUser;

    /** The application's principal attribute, or null for Jetty's authenticated user only. Guarded by {@code this}. */
    private String principalAttribute;

    /** Sessions a user may have at once, 0 for no limit. Guarded by {@code this}. */
    private int maxSessionsPerUser;

    /** What a sign-in past the limit does. Guarded by {@code this}. */
    private WhenUserLimitReached whenUserLimitReached = WhenUserLimitReached.REFUSE_NEW;

    /** How often a node looks for sessions other nodes signed out. Guarded by {@code this}. */
    private Duration revocationPollInterval = DEFAULT_REVOCATION_POLL_INTERVAL;

    /** Made with the first store when capped, shared by all. Guarded by {@code this}. */
    private SharedLiveSessionLimit limit;

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
        if (adaptor == null) {
            throw new IllegalStateException("no DatabaseAdaptor was set on " + getClass().getSimpleName()
                    + "; give it one configured with a DataSource or a JDBC driver URL");
        }
        SharedJdbcSessionDataStore store = new SharedJdbcSessionDataStore(availability, liveSessionLimit(),
                isCheckCachedCopies(), userIndexOptions());
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
            }

            @Override
            public void lifeCycleStopped(LifeCycle event) {
                started.remove(store);
            }
        });
        return store;
    }

    /**
     * Caps the live sessions of the whole tier (every node, every context sharing the table): creating one more is
     * refused with HTTP 503 while existing sessions keep working. Counted from the table at most once a second per
     * node, plus the node's own creations since; the tier may overshoot by what the other nodes create within a
     * second. Set before the first store is made.
     *
     * @param max a positive cap, or 0 for none (the default)
     */
    public synchronized void setMaxLiveSessions(long max) {
        if (max < 0) {
            throw new IllegalArgumentException("maxLiveSessions is " + max + "; use 0 for no cap");
        }
        if (limit != null) {
            throw new IllegalStateException("set maxLiveSessions before the first store is made");
        }
        maxLiveSessions = max;
    }

    /**
     * The cap on live sessions of the tier.
     *
     * @return the cap, or 0 if creation is not limited
     */
    public synchronized long getMaxLiveSessions() {
        return maxLiveSessions;
    }

    /**
     * Sets whether the nodes' caches check a cached copy against its row before a request uses it (one primary-key
     * read per request; see {@link dev.syncsession.jetty.CachedCopyCheck}). Turn it off only behind a load balancer
     * whose stickiness never breaks: then a node may serve, and write back, a copy another node has replaced.
     *
     * @param check true (the default) to check
     */
    public synchronized void setCheckCachedCopies(boolean check) {
        this.checkCachedCopies = check;
    }

    /**
     * Whether cached copies are checked against their rows.
     *
     * @return true if they are (the default)
     */
    public synchronized boolean isCheckCachedCopies() {
        return checkCachedCopies;
    }

    /**
     * Indexes sessions by user ({@link dev.syncsession.jetty.users.UserSessions}): each row of the session table
     * gets its session's principal in the column {@value SharedUserIndex#PRINCIPAL_COLUMN}, added to Jetty's table
     * at start with {@code alter table ... add column if not exists} (PostgreSQL's syntax), and the revocations table
     * {@code <session table>_revocations} is created. Set before the stores are made.
     *
     * @param byUser true to index
     */
    public synchronized void setSessionsByUser(boolean byUser) {
        this.sessionsByUser = byUser;
    }

    /**
     * Whether sessions are indexed by user.
     *
     * @return true if they are
     */
    public synchronized boolean isSessionsByUser() {
        return sessionsByUser;
    }

    /**
     * Names the session attribute whose value is the session's principal, for applications that do their own
     * sign-in; Jetty's authenticated user comes first. Turns on the index by user.
     *
     * @param attribute the attribute name, or null or empty for Jetty's authenticated user only
     */
    public synchronized void setPrincipalAttribute(String attribute) {
        this.principalAttribute = PrincipalSource.attributeName(attribute);
        if (principalAttribute != null) {
            sessionsByUser = true;
        }
    }

    /**
     * The principal attribute.
     *
     * @return its name, or null
     */
    public synchronized String getPrincipalAttribute() {
        return principalAttribute;
    }

    /**
     * Limits the sessions a user may have at once across the tier; a positive limit turns on the index by user.
     *
     * @param max a positive limit, or 0 for none (the default)
     */
    public synchronized void setMaxSessionsPerUser(int max) {
        this.maxSessionsPerUser = WhenUserLimitReached.checkedLimit(max);
        if (max > 0) {
            sessionsByUser = true;
        }
    }

    /**
     * The per-user limit.
     *
     * @return sessions a user may have at once, 0 for no limit
     */
    public synchronized int getMaxSessionsPerUser() {
        return maxSessionsPerUser;
    }

    /**
     * What a sign-in past the per-user limit does.
     *
     * @param when refuse it (the default) or invalidate the user's oldest sessions
     */
    public synchronized void setWhenUserLimitReached(WhenUserLimitReached when) {
        this.whenUserLimitReached = Objects.requireNonNull(when, "whenUserLimitReached");
    }

    /**
     * Sets what a sign-in past the limit does by name, for Jetty XML: {@code refuse-new} or
     * {@code invalidate-oldest}.
     *
     * @param whenReached the policy's name
     */
    public void setWhenUserLimitReachedName(String whenReached) {
        setWhenUserLimitReached(WhenUserLimitReached.named(whenReached));
    }

    /**
     * What a sign-in past the per-user limit does.
     *
     * @return the policy
     */
    public synchronized WhenUserLimitReached getWhenUserLimitReached() {
        return whenUserLimitReached;
    }

    /**
     * Sets how often each node reads the revocations table for sessions other nodes signed out, and drops its
     * cached copies of them. A signed-out session may still be served by another node's cache for up to this
     * interval plus two poll durations (the poll under way at the sign-out may have read the table just before it).
     *
     * @param interval at least 10 ms; default 1 second
     */
    public synchronized void setRevocationPollInterval(Duration interval) {
        this.revocationPollInterval = checkedPollInterval(interval);
    }

    static Duration checkedPollInterval(Duration interval) {
        Objects.requireNonNull(interval, "revocationPollInterval");
        if (interval.toMillis() < 10) {
            throw new IllegalArgumentException("revocationPollInterval is " + interval + "; at least 10 ms");
        }
        return interval;
    }

    /**
     * How often each node reads the revocations table.
     *
     * @return the interval
     */
    public synchronized Duration getRevocationPollInterval() {
        return revocationPollInterval;
    }

    /**
     * {@link #setRevocationPollInterval} in seconds, for Jetty XML.
     *
     * @param seconds at least 1
     */
    public void setRevocationPollIntervalSec(int seconds) {
        if (seconds < 1) {
            throw new IllegalArgumentException("revocationPollInterval.seconds is " + seconds + "; at least 1");
        }
        setRevocationPollInterval(Duration.ofSeconds(seconds));
    }

    private synchronized SharedUserIndex.Options userIndexOptions() {
        return sessionsByUser ? new SharedUserIndex.Options(PrincipalSource.of(principalAttribute),
                maxSessionsPerUser, whenUserLimitReached, revocationPollInterval) : null;
    }

    /**
     * Creations refused by the cap on this node.
     *
     * @return refusals since start
     */
    public synchronized long getSessionsRefused() {
        return limit == null ? 0 : limit.refused();
    }

    private synchronized SharedLiveSessionLimit liveSessionLimit() {
        if (limit == null && maxLiveSessions > 0) {
            limit = new SharedLiveSessionLimit(maxLiveSessions, this::countLiveRows);
        }
        return limit;
    }

    /** Counts the live rows through a started store. */
    private long countLiveRows() throws Exception {
        for (SharedJdbcSessionDataStore store : started) {
            if (store.isStarted()) {
                return store.liveRows();
            }
        }
        throw new IllegalStateException("no started session store to count with");
    }

    /**
     * The availability of the database, as seen by every store this factory made.
     *
     * @return the shared availability record
     */
    public StoreAvailability getAvailability() {
        return availability;
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
