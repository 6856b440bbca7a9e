/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.internal.RateLimitedLog;
import dev.syncsession.jetty.users.UserSource;
import dev.syncsession.jetty.users.UserWatch;
import dev.syncsession.jetty.users.SessionInvalidation;
import dev.syncsession.jetty.users.UserSession;
import dev.syncsession.jetty.users.UserSessionLimitExceededException;
import dev.syncsession.jetty.users.WhenUserLimitReached;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions by user in the many-nodes tier, kept by PostgreSQL: the principal is a column of Jetty's session table,
 * {@value #USER_COLUMN}, written by the same insert or update that writes the session's row, so the index ends
 * with the row (invalidation, expiry on any node, the orphan sweep) and needs no cleaning of its own. Listing a user's
 * sessions is one query over that column (indexed).
 *
 * <p>"Sign out everywhere" invalidates each session through this node's session manager ({@code sessionDestroyed}
 * fires here, once) and then writes the ids to the revocations table, {@code <session table>_revocations}. Every
 * node polls it ({@link SharedSessionsConfig#revocationPollInterval()}) and drops its cached copies of those sessions: without that, a node
 * whose client's cookie says it served the session last would use its copy unchecked (see
 * {@code CachedCopyCheck}) until it evicted it. The poll looks back {@link #LOOK_BACK} behind its previous one,
 * which covers commits that land late and clocks of nodes that differ by less than that; rows older than
 * {@link #RETENTION} are deleted by whichever node polls.
 *
 * <p>The per-user limit acts at the sign-in, against the user's rows in the table: it counts the sessions of every
 * node, but two sign-ins of one user on two nodes at the same moment can both pass (a session's principal reaches
 * the table with the save at the end of its request).
 *
 * <p>No thread of its own: the server's {@link Scheduler} times the polls and its thread pool runs them (a poll is a
 * database round trip, which must not hold up the scheduler's single thread), and the invalidations beyond the limit.
 *
 * <p>Thread-safe: request threads list and sign in, one poll runs at a time (each plans the next as it ends), and
 * pool threads invalidate beyond the limit.
 */
final class SharedUserIndex implements UserWatch {

    private static final Logger LOG = LoggerFactory.getLogger(SharedUserIndex.class);

    /** The column of Jetty's session table that holds the session's principal, or null if it is not signed in. */
    static final String USER_COLUMN = "syncsession_user";

    /** How far behind its previous poll a poll looks for revocations. */
    static final Duration LOOK_BACK = Duration.ofSeconds(30);

    /** How often a node deletes revocation rows past {@link #RETENTION}. */
    static final Duration PRUNE_INTERVAL = Duration.ofMinutes(1);

    /** How long a revocation row is kept. */
    static final Duration RETENTION = Duration.ofMinutes(10);

    private final SharedJdbcSessionDataStore store;
    private final SharedSessionsConfig config;
    private final UserSource principals;
    private final RateLimitedLog pollFailures = new RateLimitedLog(LOG, Duration.ofMinutes(1));
    private volatile Consumer<Collection<String>> dropCopies;

    /** Times the polls, between start and stop; else null. Guarded by {@code this}, as are the fields below. */
    private Scheduler scheduler;

    /** Runs the polls and the invalidations beyond the limit: the server's thread pool; null when stopped. */
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
     * only: one poll runs at a time, and the next is planned, with the monitor, after it ended.
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
     * @param config the tier's options, checked: the user attribute, the per-user limit and its policy, and the
     *     revocation poll interval
     */
    SharedUserIndex(SharedJdbcSessionDataStore store, SharedSessionsConfig config) {
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.principals = UserSource.of(config.userAttribute());
    }

    UserSource principals() {
        return principals;
    }

    /** Whether sign-ins are watched (there is a limit to enforce). */
    boolean watchesSignIns() {
        return config.maxSessionsPerUser() > 0;
    }

    private String revocations() {
        return store.table() + "_revocations";
    }

    /**
     * Adds the principal column and its index to Jetty's table and creates the revocations table, if they are not
     * there yet. PostgreSQL's {@code if not exists} does not keep two nodes doing it at once from failing: the store
     * calls this holding its {@link SchemaLock}.
     */
    void prepareTables() throws SQLException {
        String table = store.table();
        String[] statements = {
            "alter table " + table + " add column if not exists " + USER_COLUMN + " varchar(256)",
            "create index if not exists " + store.schema().getTableName() + "_principal on " + table + " ("
                    + USER_COLUMN + ")",
            "create table if not exists " + revocations() + " (sessionId varchar(512) not null, contextPath"
                    + " varchar(512) not null, virtualHost varchar(512) not null, revokedAt bigint not null)",
            "create index if not exists " + store.schema().getTableName() + "_revocations_at on " + revocations()
                    + " (revokedAt)",
        };
        for (String sql : statements) {
            execute(sql);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = store.connection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute(sql);
        }
    }

    /**
     * Starts polling for sessions other nodes signed out.
     *
     * @param scheduler times the polls (the server's); they never run on its thread
     * @param executor runs the polls and the invalidations beyond the limit (the server's thread pool)
     */
    synchronized void start(Scheduler scheduler, Executor executor) {
        lastPoll = System.currentTimeMillis();
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.executor = Objects.requireNonNull(executor, "executor");
        run++;
        planPoll(run);
    }

    /** Stops polling; a poll under way ends on its own, and plans no other. */
    synchronized void stop() {
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
            plannedPoll = scheduler.schedule(() -> handPollOver(ofRun),
                    Math.max(10, config.revocationPollInterval().toMillis()), TimeUnit.MILLISECONDS);
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

    void whenEndedElsewhere(Consumer<Collection<String>> drop) {
        this.dropCopies = drop;
    }

    /** The principal the session's attributes name, as written with its row. */
    String userOf(SessionData data) {
        return principals.userOf(data);
    }

    /** One poll: the sessions of this context revoked since the last poll (and a look-back), handed to the cache. */
    void poll() {
        Consumer<Collection<String>> drop = dropCopies;
        long started = System.currentTimeMillis();
        long startedNanos = System.nanoTime();
        boolean pruneDue = started - lastPrune >= PRUNE_INTERVAL.toMillis();
        if (drop == null && !pruneDue) {
            return; // the null cache keeps no copies to drop, and pruning is not due: no round trip
        }
        try {
            Set<String> ids = new LinkedHashSet<>();
            String sql = "select sessionId from " + revocations()
                    + " where contextPath = ? and virtualHost = ? and revokedAt >= ?";
            store.track(() -> {
                try (Connection connection = store.connection()) {
                    connection.setAutoCommit(true);
                    if (drop != null) { // with the null cache there are no copies to drop: only the pruning
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
                                "delete from " + revocations() + " where revokedAt < ?")) {
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

    /** The polls that completed since start; see {@link #completedPolls}. */
    long completedPolls() {
        return completedPolls.get();
    }

    /** How long the last completed poll took (query and dropping the copies), in milliseconds; 0 before the first. */
    double lastPollMillis() {
        return lastPollNanos / 1e6;
    }

    /** The user's live sessions in this context, on every node, oldest first. */
    List<UserSession> list(String principal) throws Exception {
        return store.track(() -> {
            var schema = store.schema();
            String sql = "select " + schema.getIdColumn() + ", " + schema.getCreateTimeColumn() + ", "
                    + schema.getAccessTimeColumn() + ", " + schema.getLastNodeColumn() + " from " + store.table()
                    + " where " + USER_COLUMN + " = ? and " + schema.getContextPathColumn() + " = ? and "
                    + schema.getVirtualHostColumn() + " = ? and (" + schema.getExpiryTimeColumn() + " <= 0 or "
                    + schema.getExpiryTimeColumn() + " > ?) order by " + schema.getCreateTimeColumn() + ", "
                    + schema.getIdColumn();
            List<UserSession> found = new ArrayList<>();
            try (Connection connection = store.connection();
                    PreparedStatement statement = connection.prepareStatement(sql)) {
                connection.setAutoCommit(true);
                statement.setString(1, principal);
                statement.setString(2, store.contextPath());
                statement.setString(3, store.virtualHost());
                statement.setLong(4, System.currentTimeMillis());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        found.add(new UserSession(rows.getString(1), Instant.ofEpochMilli(rows.getLong(2)),
                                Instant.ofEpochMilli(rows.getLong(3)),
                                rows.getString(4)));
                    }
                }
            }
            return found;
        });
    }

    /** The principal a session's row names, or null. */
    String userOfRow(String id) throws Exception {
        return store.track(() -> {
            var schema = store.schema();
            String sql = "select " + USER_COLUMN + " from " + store.table() + " where " + schema.getIdColumn()
                    + " = ? and " + schema.getContextPathColumn() + " = ? and " + schema.getVirtualHostColumn()
                    + " = ?";
            try (Connection connection = store.connection();
                    PreparedStatement statement = connection.prepareStatement(sql)) {
                connection.setAutoCommit(true);
                statement.setString(1, id);
                statement.setString(2, store.contextPath());
                statement.setString(3, store.virtualHost());
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() ? row.getString(1) : null;
                }
            }
        });
    }

    /** Invalidates the user's sessions but {@code kept} (null for none); the number invalidated. */
    int invalidate(String principal, String kept) throws Exception {
        List<String> ids = new ArrayList<>();
        for (UserSession session : list(principal)) {
            if (!session.id().equals(kept)) {
                ids.add(session.id());
            }
        }
        return invalidateIds(ids);
    }

    /**
     * Invalidates sessions through this node's session manager, then tells the other nodes: a revocation row per
     * session, written after the session's row is gone, so that a node which drops its copy cannot load it again.
     */
    private int invalidateIds(List<String> ids) throws Exception {
        List<String> invalidated = new ArrayList<>();
        for (String id : ids) {
            if (SessionInvalidation.invalidate(store.context(), id)) {
                invalidated.add(id);
            }
        }
        if (invalidated.isEmpty()) {
            return 0;
        }
        store.track(() -> {
            String sql = "insert into " + revocations()
                    + " (sessionId, contextPath, virtualHost, revokedAt) values (?, ?, ?, ?)";
            try (Connection connection = store.connection();
                    PreparedStatement statement = connection.prepareStatement(sql)) {
                connection.setAutoCommit(true);
                long now = System.currentTimeMillis();
                for (String id : invalidated) {
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
        LOG.debug("invalidated {} session(s) of a user and told the other nodes", invalidated.size());
        return invalidated.size();
    }

    /**
     * The per-user limit at a sign-in, counted over the user's rows on every node: refuses it, or has the user's
     * oldest sessions beyond the limit invalidated on the server's thread pool (this thread holds its own session's
     * lock).
     */
    @Override
    public void userChanging(SessionData data, String principal) {
        if (principal == null || config.maxSessionsPerUser() <= 0) {
            return;
        }
        List<UserSession> others;
        try {
            others = new ArrayList<>(list(principal));
        } catch (Exception e) {
            throw new IllegalStateException("could not count the sessions of the user signing in", e);
        }
        others.removeIf(s -> s.id().equals(data.getId()));
        int excess = others.size() + 1 - config.maxSessionsPerUser();
        if (excess <= 0) {
            return;
        }
        if (config.whenUserLimitReached() == WhenUserLimitReached.REFUSE_NEW) {
            throw new UserSessionLimitExceededException(config.maxSessionsPerUser());
        }
        List<String> oldest = others.subList(0, excess).stream().map(UserSession::id).toList();
        Executor pool;
        synchronized (this) {
            pool = executor;
        }
        if (pool != null) {
            pool.execute(() -> {
                try {
                    invalidateIds(oldest);
                } catch (Exception e) {
                    LOG.warn("could not invalidate the oldest sessions of a user past the limit: {}",
                            DatabaseAvailability.describe(e));
                    LOG.debug("the failed invalidation of the oldest sessions", e);
                }
            });
        }
    }
}
