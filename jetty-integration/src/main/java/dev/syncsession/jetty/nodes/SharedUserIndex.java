/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.internal.UserSource;
import dev.syncsession.jetty.internal.UserWatch;
import dev.syncsession.jetty.internal.SessionInvalidation;
import dev.syncsession.jetty.users.UserSession;
import dev.syncsession.jetty.users.UserSessionLimitExceededException;
import dev.syncsession.jetty.users.UserSessions;
import dev.syncsession.jetty.users.WhenUserLimitReached;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.AbstractSessionManager;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.util.annotation.ManagedObject;
import org.eclipse.jetty.util.annotation.ManagedOperation;
import org.eclipse.jetty.util.annotation.Name;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One context's sessions by user in the many-nodes tier, kept by PostgreSQL: the principal is a column of Jetty's
 * session table, {@value #USER_COLUMN}, written by the same insert or update that writes the session's row, so
 * the index ends with the row (invalidation, expiry on any node, the orphan sweep) and needs no cleaning of its own.
 * Listing a user's sessions is one query over that column (indexed).
 *
 * <p>"Sign out everywhere" invalidates each session through this node's session manager ({@code sessionDestroyed}
 * fires here, once) and then records the ids in the {@link Revocations} table, which every node polls to drop its
 * cached copies of those sessions.
 *
 * <p>The per-user limit acts at the sign-in, against the user's rows in the table: it counts the sessions of every
 * node, but two sign-ins of one user on two nodes at the same moment can both pass (a session's principal reaches
 * the table with the save at the end of its request).
 *
 * <p>A child bean of {@link SharedJdbcSessionDataStore}, made with it when the tier indexes sessions by user, started
 * and stopped with it; {@code UserSessions.of} finds it there. Its own child bean is the {@link Revocations} poll.
 * No thread of its own: at start it takes the server's {@code Scheduler} and thread pool, which time and run the
 * polls and run the invalidations beyond the limit. Public only so that JMX can call its operations; applications
 * reach it as {@link UserSessions}.
 *
 * <p>Thread-safe: request threads list and sign in, pool threads poll and invalidate beyond the limit.
 */
@ManagedObject("a context's sessions by user on every node: list them, sign a user out everywhere")
public final class SharedUserIndex extends ContainerLifeCycle implements UserWatch, UserSessions {

    private static final Logger LOG = LoggerFactory.getLogger(SharedUserIndex.class);

    /** The column of Jetty's session table that holds the session's principal, or null if it is not signed in. */
    static final String USER_COLUMN = "syncsession_user";

    private final SharedJdbcSessionDataStore store;
    private final OutageTracking tracking;
    private final SharedSessionsConfig config;
    private final UserSource userSource;
    private final Revocations revocations;

    /** Runs the invalidations beyond the limit: the server's thread pool, between start and stop; else null. */
    private volatile Executor invalidations;

    /**
     * @param tracking reports the index's queries to the node's database availability
     * @param config the tier's options, checked: the user attribute, the per-user limit and its policy, and the
     *     revocation poll interval
     */
    SharedUserIndex(SharedJdbcSessionDataStore store, OutageTracking tracking, SharedSessionsConfig config) {
        this.store = Objects.requireNonNull(store, "store");
        this.tracking = Objects.requireNonNull(tracking, "tracking");
        this.config = Objects.requireNonNull(config, "config");
        this.userSource = UserSource.of(config.userAttribute());
        this.revocations = new Revocations(store, tracking, config.revocationPollInterval());
        addBean(revocations, true);
    }

    @Override
    public UserSource userSource() {
        return userSource;
    }

    /** Whether sign-ins are watched (there is a limit to enforce). */
    boolean watchesSignIns() {
        return config.maxSessionsPerUser() > 0;
    }

    /**
     * Adds the principal column and its index to Jetty's table and creates the revocations table, if they are not
     * there yet. PostgreSQL's {@code if not exists} does not keep two nodes doing it at once from failing: the store
     * calls this holding its {@link SchemaLock}.
     */
    void prepareTables() throws SQLException {
        String table = store.table();
        List<String> statements = new ArrayList<>(List.of(
                "alter table " + table + " add column if not exists " + USER_COLUMN + " varchar(256)",
                "create index if not exists " + store.schema().getTableName() + "_user on " + table + " ("
                        + USER_COLUMN + ")"));
        statements.addAll(revocations.creation());
        try (Connection connection = store.connection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /**
     * Takes the server's scheduler and thread pool from the store's context, then starts the revocation poll.
     *
     * @throws IllegalStateException if the context's session manager belongs to no server
     */
    @Override
    protected void doStart() throws Exception {
        Server server = store.context().getSessionManager() instanceof AbstractSessionManager manager
                ? manager.getServer() : null;
        if (server == null) {
            throw new IllegalStateException("context " + store.context().getCanonicalContextPath()
                    + ": its session manager belongs to no Server, whose Scheduler and ThreadPool poll revocations");
        }
        revocations.attach(server.getScheduler(), server.getThreadPool());
        invalidations = server.getThreadPool();
        super.doStart();
    }

    /** Stops the poll; invalidations already handed to the pool still run, as the context stops. */
    @Override
    protected void doStop() throws Exception {
        invalidations = null;
        super.doStop();
    }

    /** Where the sessions other nodes signed out go: the cache, which drops its copies. */
    void whenEndedElsewhere(Consumer<Collection<String>> drop) {
        revocations.whenEndedElsewhere(drop);
    }

    /** The principal the session's attributes name, as written with its row; null if it is not signed in. */
    String rowUser(SessionData data) {
        return userSource.userOf(data);
    }

    @Override
    public List<UserSession> list(String principal) {
        Objects.requireNonNull(principal, "principal");
        return unchecked(() -> listRows(principal));
    }

    @Override
    public int invalidateAll(String principal) {
        Objects.requireNonNull(principal, "principal");
        return unchecked(() -> invalidate(principal, null));
    }

    @Override
    public int invalidateAllExcept(String principal, String keptSessionId) {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(keptSessionId, "keptSessionId");
        return unchecked(() -> invalidate(principal, keptSessionId));
    }

    @Override
    public Optional<String> userOf(String sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        return Optional.ofNullable(unchecked(() -> userOfRow(sessionId)));
    }

    /**
     * A user's sessions on every node, for JMX: one line each, oldest first.
     *
     * @param principal the principal name
     * @return "id created=... lastAccessed=... node=..." per session
     */
    @ManagedOperation(value = "the sessions a user is signed into on every node (id, created, last access, node)",
            impact = "INFO")
    public String[] sessionsOfUser(@Name("principal") String principal) {
        return list(principal).stream().map(UserSession::summary).toArray(String[]::new);
    }

    /**
     * Signs a user out everywhere in this context, on every node, for JMX.
     *
     * @param principal the principal name
     * @return the sessions invalidated
     */
    @ManagedOperation(value = "invalidate every session of a user on every node (sign out everywhere)",
            impact = "ACTION")
    public int invalidateSessionsOfUser(@Name("principal") String principal) {
        return invalidateAll(principal);
    }

    private static <T> T unchecked(DatabaseAvailability.StoreCall<T> call) {
        try {
            return call.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the session database could not be asked: " + e.getMessage(), e);
        }
    }

    /** The user's live sessions in this context, on every node, oldest first. */
    private List<UserSession> listRows(String principal) throws Exception {
        return tracking.track(() -> {
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
                                Instant.ofEpochMilli(rows.getLong(3)), rows.getString(4)));
                    }
                }
            }
            return found;
        });
    }

    /** The principal a session's row names, or null. */
    private String userOfRow(String id) throws Exception {
        return tracking.track(() -> {
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
    private int invalidate(String principal, String kept) throws Exception {
        List<String> ids = new ArrayList<>();
        for (UserSession session : listRows(principal)) {
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
        revocations.record(invalidated);
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
            others = new ArrayList<>(listRows(principal));
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
        Executor pool = invalidations;
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
