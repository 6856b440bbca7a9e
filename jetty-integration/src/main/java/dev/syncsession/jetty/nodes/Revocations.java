/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.internal.RateLimitedLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.jetty.util.annotation.ManagedAttribute;
import org.eclipse.jetty.util.annotation.ManagedObject;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revocations table, {@code <session table>_revocations}, through which a sign-out everywhere reaches the copies
 * other nodes cache: {@link SharedUserIndex} writes a row per session it invalidated ({@link #record}), and every
 * node polls the table for its context ({@link SharedSessionsConfig#revocationPollInterval()}) and hands the ids to
 * its cache, which drops its copies. Without that, a node whose client's cookie says it served the session last would
 * use its copy unchecked (see {@code CachedCopyCheck}) until it evicted it. A poll looks back {@link #LOOK_BACK}
 * behind its previous one, which covers commits that land late and clocks of nodes that differ by less than that;
 * rows older than {@link #RETENTION} are deleted by whichever node polls.
 *
 * <p>A child bean of {@link SharedUserIndex}: it polls between start and stop. No thread of its own: the server's
 * {@link Scheduler} times the polls and its thread pool runs them (a poll is a database round trip, which must not
 * hold up the scheduler's single thread); {@link #attach} hands both over before each start. Public only so that JMX
 * can read its figures (Jetty's MBeans call the getters by reflection); nothing else in it is public.
 *
 * <p>Thread-safe: one poll runs at a time (each plans the next as it ends); request and pool threads record.
 */
@ManagedObject("the revocations table: sign-outs everywhere, polled to drop this node's copies of those sessions")
public final class Revocations extends AbstractLifeCycle {

    private static final Logger LOG = LoggerFactory.getLogger(Revocations.class);

    /** How far behind its previous poll a poll looks for revocations. */
    static final Duration LOOK_BACK = Duration.ofSeconds(30);

    /** How often a node deletes revocation rows past {@link #RETENTION}. */
    static final Duration PRUNE_INTERVAL = Duration.ofMinutes(1);

    /** How long a revocation row is kept. */
    static final Duration RETENTION = Duration.ofMinutes(10);

    private final SharedJdbcSessionDataStore store;
    private final OutageTracking tracking;
    private final Duration pollInterval;
    private final RateLimitedLog pollFailures = new RateLimitedLog(LOG, Duration.ofMinutes(1));

    /** Drops the cache's copies of the sessions a poll found; null with the null cache, which keeps none. */
    private volatile Consumer<Collection<String>> dropCopies;

    /** Times the polls, between attach and stop; else null. Guarded by {@code this}, as are the fields below. */
    private Scheduler scheduler;

    /** Runs the polls: the server's thread pool; null when stopped. */
    private Executor executor;

    /** The planned poll, to cancel at stop; null while one is handed over or running. */
    private Scheduler.Task plannedPoll;

    /**
     * Counts starts and stops, so that a poll still running when the context stopped plans no next one, even if
     * the context started again meanwhile (its start planned its own).
     */
    private long run;

    /**
     * Node-clock time the last successful poll started, epoch milliseconds. Read and written by the polling thread
     * only: one poll runs at a time, and the next is planned, with the monitor, after it ended. Set by each start,
     * before it plans the first poll.
     */
    private long lastPoll;

    /** When revocations were last pruned, epoch milliseconds. Polling thread only, as {@link #lastPoll}. */
    private long lastPrune;

    /**
     * Polls that completed: read the table and handed the revoked ids to the cache. Written by the polling thread,
     * read by JMX and tests: a sign-out everywhere has reached this node's cache once two polls have completed
     * after it (the first may have read the table before the sign-out's rows were committed).
     */
    private final AtomicLong completedPolls = new AtomicLong();

    /** How long the last completed poll took, in nanoseconds. Written by the polling thread. */
    private volatile long lastPollNanos;

    /**
     * @param tracking reports the table's queries to the node's database availability
     * @param pollInterval the fixed delay between two polls
     */
    Revocations(SharedJdbcSessionDataStore store, OutageTracking tracking, Duration pollInterval) {
        this.store = Objects.requireNonNull(store, "store");
        this.tracking = Objects.requireNonNull(tracking, "tracking");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    }

    /** The table's name: the session table's, qualified by its schema, with {@code _revocations}. */
    String table() {
        return store.table() + "_revocations";
    }

    /** The statements that create the table and its index if they are not there yet (see {@link SchemaLock}). */
    List<String> creation() {
        return List.of("create table if not exists " + table() + " (sessionId varchar(512) not null, contextPath"
                        + " varchar(512) not null, virtualHost varchar(512) not null, revokedAt bigint not null)",
                "create index if not exists " + store.schema().getTableName() + "_revocations_at on " + table()
                        + " (revokedAt)");
    }

    /** Where the ids a poll finds go: the cache, which drops its copies of those sessions. */
    void whenEndedElsewhere(Consumer<Collection<String>> drop) {
        this.dropCopies = drop;
    }

    /**
     * Gives the component, before it starts, the server's scheduler and thread pool.
     *
     * @param scheduler times the polls; they never run on its thread
     * @param executor runs the polls
     */
    synchronized void attach(Scheduler scheduler, Executor executor) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** Tells the other nodes that these sessions, whose rows are gone, ended: a row each. */
    void record(List<String> ids) throws Exception {
        tracking.track(() -> {
            String sql = "insert into " + table() + " (sessionId, contextPath, virtualHost, revokedAt)"
                    + " values (?, ?, ?, ?)";
            try (Connection connection = store.connection();
                    PreparedStatement statement = connection.prepareStatement(sql)) {
                connection.setAutoCommit(true);
                long now = System.currentTimeMillis();
                for (String id : ids) {
                    statement.setString(1, id);
                    statement.setString(2, store.contextPath());
                    statement.setString(3, store.virtualHost());
                    statement.setLong(4, now);
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            return null;
        });
    }

    /** Starts polling for sessions other nodes signed out. */
    @Override
    protected synchronized void doStart() {
        if (scheduler == null) {
            throw new IllegalStateException("revocations of " + store.contextPath() + " started without the"
                    + " server's Scheduler and ThreadPool, which poll them");
        }
        lastPoll = System.currentTimeMillis();
        run++;
        planPoll(run);
    }

    /** Stops polling; a poll under way ends on its own, and plans no other. */
    @Override
    protected synchronized void doStop() {
        if (plannedPoll != null) {
            plannedPoll.cancel();
            plannedPoll = null;
        }
        scheduler = null;
        executor = null;
        run++;
    }

    /**
     * Holding the monitor: the next poll of this run, one interval from now (a fixed delay between polls), unless
     * the context has stopped since.
     */
    private void planPoll(long ofRun) {
        if (ofRun == run && scheduler != null) {
            plannedPoll = scheduler.schedule(() -> handPollOver(ofRun), Math.max(10, pollInterval.toMillis()),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** On the scheduler's thread, which a poll (a database round trip) must not hold up. */
    private void handPollOver(long ofRun) {
        Executor pool;
        synchronized (this) {
            if (ofRun != run) {
                return; // stopped
            }
            plannedPoll = null;
            pool = executor;
        }
        try {
            pool.execute(() -> scheduledPoll(ofRun));
        } catch (RejectedExecutionException e) {
            LOG.debug("poll for revocations not run: the server's thread pool refused it; trying next interval", e);
            synchronized (this) {
                planPoll(ofRun);
            }
        }
    }

    private void scheduledPoll(long ofRun) {
        try {
            poll();
        } finally {
            synchronized (this) {
                planPoll(ofRun);
            }
        }
    }

    /** One poll: the sessions of this context revoked since the last poll (and a look-back), handed to the cache. */
    private void poll() {
        Consumer<Collection<String>> drop = dropCopies;
        long started = System.currentTimeMillis();
        long startedNanos = System.nanoTime();
        boolean pruneDue = started - lastPrune >= PRUNE_INTERVAL.toMillis();
        if (drop == null && !pruneDue) {
            return; // the null cache keeps no copies to drop, and pruning is not due: no round trip
        }
        try {
            Set<String> ids = new LinkedHashSet<>();
            String sql = "select sessionId from " + table() + " where contextPath = ? and virtualHost = ?"
                    + " and revokedAt >= ?";
            tracking.track(() -> {
                try (Connection connection = store.connection()) {
                    connection.setAutoCommit(true);
                    if (drop != null) {
                        try (PreparedStatement statement = connection.prepareStatement(sql)) {
                            statement.setString(1, store.contextPath());
                            statement.setString(2, store.virtualHost());
                            statement.setLong(3, lastPoll - LOOK_BACK.toMillis());
                            try (ResultSet rows = statement.executeQuery()) {
                                while (rows.next()) {
                                    ids.add(rows.getString(1));
                                }
                            }
                        }
                    }
                    if (pruneDue) {
                        try (PreparedStatement prune = connection.prepareStatement(
                                "delete from " + table() + " where revokedAt < ?")) {
                            prune.setLong(1, started - RETENTION.toMillis());
                            prune.executeUpdate();
                        }
                        lastPrune = started;
                    }
                }
                return null;
            });
            lastPoll = started;
            if (drop != null) {
                drop.accept(ids);
            }
            lastPollNanos = System.nanoTime() - startedNanos;
            completedPolls.incrementAndGet();
        } catch (SessionDatabaseUnavailableException e) {
            // An outage: logged once by the store's availability, which the tracked query just told.
            LOG.debug("could not read the sessions other nodes signed out: {}", e.getMessage());
        } catch (Exception | LinkageError e) {
            pollFailures.warn("could not read the sessions other nodes signed out (" + e
                    + "); the next poll that succeeds reads what this one missed");
        }
    }

    /**
     * The reads of the revocations table that completed on this node: a sign-out everywhere on another node has
     * reached this node's cache once this has grown by two after it.
     *
     * @return completed polls since the component was made
     */
    @ManagedAttribute(value = "completed reads of the revocations table (sign-outs everywhere on other nodes)",
            readonly = true)
    public long getRevocationPolls() {
        return completedPolls.get();
    }

    /**
     * How long the last completed read of the revocations table took, with dropping the copies it named.
     *
     * @return milliseconds, 0 before the first poll
     */
    @ManagedAttribute(value = "milliseconds the last read of the revocations table took", readonly = true)
    public double getLastRevocationPollMillis() {
        return lastPollNanos / 1e6;
    }
}
