/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.cache.SessionFreshness;
import dev.syncsession.jetty.internal.ExpirySearch;
import dev.syncsession.jetty.internal.SyncSessionData;
import dev.syncsession.jetty.protection.SessionIdFilter;
import dev.syncsession.jetty.protection.SessionStats;
import dev.syncsession.jetty.users.UserSession;
import dev.syncsession.jetty.users.UserSessions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.AbstractSessionManager;
import org.eclipse.jetty.session.JDBCSessionDataStore;
import org.eclipse.jetty.session.SessionContext;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.util.annotation.ManagedAttribute;
import org.eclipse.jetty.util.annotation.ManagedObject;
import org.eclipse.jetty.util.annotation.ManagedOperation;
import org.eclipse.jetty.util.annotation.Name;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's {@link JDBCSessionDataStore} with two changes:
 * <ul>
 *   <li>the outcome of every load, store, exists and delete is reported to a {@link DatabaseAvailability}, so that a
 *       database outage becomes visible to {@link DatabaseOutageGuard} instead of being swallowed by Jetty's session
 *       manager;</li>
 *   <li>sessions that expired while another node (perhaps a dead one) held them are searched for once per grace
 *       period whatever the scavenge interval. Jetty's {@code getExpired} searches only when a grace period has
 *       passed since its last call, but records every call, so with a scavenge interval shorter than the grace
 *       period (as with Jetty's defaults, 10 minutes and 1 hour) it searches once at start and never again, and a
 *       dead node's abandoned sessions are deleted, without their listeners, only by the orphan sweep ten grace
 *       periods later.</li>
 * </ul>
 * With sessions indexed by user ({@code SharedSessions.Builder.sessionsByUser}), it is also a {@link UserSessions}:
 * each row carries its session's principal, and a sign-out everywhere reaches the other nodes' caches through the
 * revocations table ({@link SharedUserIndex}).
 *
 * <p>Thread-safety as {@link JDBCSessionDataStore}: Jetty calls it concurrently from request and scavenger threads.
 */
@ManagedObject("Jetty's JDBC session store for many nodes, with sessions by user")
final class SharedJdbcSessionDataStore extends JDBCSessionDataStore
        implements SessionFreshness, UserSessions, SessionIdFilter.Owner, SessionStats {

    private static final Logger LOG = LoggerFactory.getLogger(SharedJdbcSessionDataStore.class);

    /** Set while this thread runs Jetty's {@code doLoad}, which makes a stored session's data with newSessionData. */
    private static final ThreadLocal<Boolean> LOADING = new ThreadLocal<>();

    private final DatabaseAvailability availability;

    /** The tier's cap on sessions, or null for none. */
    private final DatabaseSessionCap sessionCap;

    /** Whether caches check their copies against the rows ({@link SessionFreshness}). */
    private final boolean checkCachedCopies;

    /** Sessions by user, or null if the tier does not index them. */
    private final SharedUserIndex users;

    /**
     * @param availability the availability record every store of the node reports to
     * @param sessionCap the tier's cap, shared by the node's stores, or null for none
     * @param config the tier's options, checked
     */
    SharedJdbcSessionDataStore(DatabaseAvailability availability, DatabaseSessionCap sessionCap,
            SharedSessionsConfig config) {
        this.availability = Objects.requireNonNull(availability, "availability");
        this.sessionCap = sessionCap;
        this.checkCachedCopies = config.checkCachedCopies();
        this.users = config.indexesSessionsByUser() ? new SharedUserIndex(this, config) : null;
    }

    /**
     * Jetty's table set-up, and with sessions indexed by user, the principal column and revocations table: the
     * schema step, once per start. Nodes starting together on an empty database would race to create the same
     * tables, and all but one could fail; the whole step holds the table's cluster-wide {@link SchemaLock}, so they
     * run one after another and each later one finds the schema made.
     */
    @Override
    public void initialize() throws Exception {
        if (_initialized) {
            return; // as Jetty's initialize does
        }
        // Jetty's initialize does this too; before it, connection() would not find a data source named in JNDI.
        _dbAdaptor.initialize();
        String tableName = _sessionTableSchema != null ? _sessionTableSchema.getTableName()
                : new SessionTableSchema().getTableName(); // Jetty makes the default schema in initialize
        track(() -> {
            try (Connection lock = connection()) {
                SchemaLock.holding(lock, tableName, () -> {
                    super.initialize();
                    if (users != null) {
                        users.prepareTables();
                    }
                });
            }
            return null;
        });
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (users != null) {
            // The server's Scheduler and ThreadPool poll the revocations: the tier starts no thread of its own.
            Server server = _context.getSessionManager() instanceof AbstractSessionManager manager
                    ? manager.getServer() : null;
            if (server == null) {
                throw new IllegalStateException("context " + _context.getCanonicalContextPath()
                        + ": its session manager belongs to no Server, whose Scheduler and ThreadPool poll revocations");
            }
            users.start(server.getScheduler(), server.getThreadPool());
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (users != null) {
            users.stop();
        }
        super.doStop();
    }

    @Override
    public void whenEndedElsewhere(Consumer<Collection<String>> dropCopies) {
        if (users != null) {
            users.whenEndedElsewhere(dropCopies);
        }
    }

    @Override
    public boolean checksCachedCopies() {
        return checkCachedCopies;
    }

    /** The live rows of the session table, every context's: never expiring, or expiring after now. */
    long unexpiredRows() throws Exception {
        return track(() -> {
            SessionTableSchema schema = _sessionTableSchema;
            String sql = "select count(*) from " + tableName(schema) + " where " + schema.getExpiryTimeColumn()
                    + " <= 0 or " + schema.getExpiryTimeColumn() + " > ?";
            try (Connection connection = connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
                connection.setAutoCommit(true);
                statement.setLong(1, System.currentTimeMillis());
                try (ResultSet count = statement.executeQuery()) {
                    count.next();
                    return count.getLong(1);
                }
            }
        });
    }

    /**
     * Jetty's expiry check; afterwards, if Jetty skipped the search for other nodes' expired sessions, the time of
     * the last search is put back, so that the search runs once a grace period has passed since it last ran. Only
     * the housekeeper thread calls this.
     */
    @Override
    public Set<String> getExpired(Set<String> candidates) {
        if (!databaseAnswers()) {
            // Jetty's expiry queries catch and log their own failures, with the driver's trace; they are skipped
            // while the database is unavailable, and the candidates are checked again at the next scavenge.
            LOG.debug("expiry check of {} sessions skipped: the session database is unavailable", candidates.size());
            return Set.of();
        }
        long lastSearch = _lastExpiryCheckTime;
        Set<String> expired = super.getExpired(candidates);
        if (!ExpirySearch.searched(lastSearch, _lastExpiryCheckTime, getGracePeriodSec())) {
            _lastExpiryCheckTime = lastSearch;
        }
        return expired;
    }

    /**
     * Whether the database answers a tracked query now: one primary-key read of a row that cannot exist. Before
     * Jetty's own expiry queries, which are not tracked and log their failures with the driver's trace.
     */
    private boolean databaseAnswers() {
        if (!availability.isAvailable()) {
            return false;
        }
        try {
            exists(SharedJdbcSessionDataStoreFactory.PROBE_ID);
            return true;
        } catch (Exception e) {
            // An outage was recorded, and logged once, by the tracked read; any other failure skips this check only.
            LOG.debug("the database did not answer before the expiry check", e);
            return false;
        }
    }

    /**
     * Runs a database operation, reporting its outcome to the availability record. In a guarded request whose session
     * could not be loaded because the database is down, later operations fail at once instead of each waiting for a
     * connection again (Jetty checks whether a new id is in use, for example, before it creates the session).
     */
    <T> T track(DatabaseAvailability.StoreCall<T> operation) throws Exception {
        if (DatabaseOutageGuard.currentRequestLostItsSession()) {
            throw new SessionDatabaseUnavailableException("the session database was unavailable earlier in this"
                    + " request");
        }
        try {
            return availability.track(operation);
        } catch (SessionDatabaseUnavailableException e) {
            throw e;
        } catch (Exception e) {
            if (!DatabaseAvailability.isUnavailability(e)) {
                throw e;
            }
            // Jetty logs what we throw at WARN with its trace: the trace goes to DEBUG, the outage was logged once.
            LOG.debug("a session store operation failed: the session database is unavailable", e);
            throw new SessionDatabaseUnavailableException("the session database is unavailable ("
                    + DatabaseAvailability.describe(e) + "); see the warning logged when the outage began, and this"
                    + " failure's stack trace at DEBUG of " + SharedJdbcSessionDataStore.class.getName());
        }
    }

    /**
     * Jetty's load, tracked; if it fails because the database is unavailable, the guarded request is marked so that
     * it gets the 503 instead of running as if it had no session (Jetty's session manager would swallow the failure).
     */
    @Override
    public SessionData load(String id) throws Exception {
        try {
            return track(() -> super.load(id));
        } catch (Exception e) {
            if (DatabaseAvailability.isUnavailability(e)) {
                DatabaseOutageGuard.noteUnavailableLoad();
            }
            throw e;
        }
    }

    /**
     * Refuses to create a session for a request whose own session could not be loaded because the database is
     * unavailable: the new session's cookie would replace the user's, and the user's session, intact in the
     * database, would be lost to them. Jetty calls this outside its error handling, so the 503 reaches the caller
     * of {@code getSession(true)}.
     */
    @Override
    public SessionData newSessionData(String id, long created, long accessed, long lastAccessed, long maxInactiveMs) {
        if (LOADING.get() != null) {
            // Jetty's doLoad makes the data of a stored session with this too: not a creation.
            return sessionData(id, created, accessed, lastAccessed, maxInactiveMs);
        }
        if (DatabaseOutageGuard.currentRequestLostItsSession()) {
            throw new HttpException.RuntimeException(HttpStatus.SERVICE_UNAVAILABLE_503,
                    "the session store is unavailable");
        }
        DatabaseSessionCap cap = sessionCap;
        if (cap != null) {
            cap.reserve();
        }
        return sessionData(id, created, accessed, lastAccessed, maxInactiveMs);
    }

    /** Jetty's session data, or with a per-user limit, data that tells the index of each sign-in first. */
    private SessionData sessionData(String id, long created, long accessed, long lastAccessed, long maxInactiveMs) {
        if (users == null || !users.watchesSignIns()) {
            return super.newSessionData(id, created, accessed, lastAccessed, maxInactiveMs);
        }
        return new SyncSessionData(id, _context.getCanonicalContextPath(), _context.getVhost(), created, accessed,
                lastAccessed, maxInactiveMs, 0, users.principals(), users);
    }

    /** Refuses ids no id manager can have issued; made by {@link #initialize(SessionContext)}. */
    private volatile SessionIdFilter idFilter;

    @Override
    public void initialize(SessionContext context) throws Exception {
        super.initialize(context);
        idFilter = new SessionIdFilter(context.getCanonicalContextPath() + "@" + context.getVhost(), LOG);
    }

    @Override
    public SessionIdFilter sessionIdFilter() {
        return idFilter;
    }

    /**
     * Whether a session exists; an id that no id manager can have issued does not, without a query (every context's
     * store is asked about a request's id; the request's own context has refused and counted it already).
     */
    @Override
    public boolean doExists(String id) throws Exception {
        SessionIdFilter filter = idFilter;
        if (filter != null && !filter.isWellFormed(id)) {
            return false;
        }
        return super.doExists(id);
    }

    /**
     * Jetty's load of a stored session; marks the thread so that {@link #newSessionData} counts no creation. A hostile
     * id is no session, without a query (Jetty's own caches reach this with one; ours refuse it before).
     */
    @Override
    public SessionData doLoad(String id) throws Exception {
        SessionIdFilter filter = idFilter;
        if (filter != null && !filter.admits(id)) {
            return null;
        }
        LOADING.set(Boolean.TRUE);
        try {
            return super.doLoad(id);
        } finally {
            LOADING.remove();
        }
    }

    /** Jetty's save, tracked; a save that fails because the database is unavailable is counted. */
    @Override
    public void store(String id, SessionData data) throws Exception {
        try {
            track(() -> {
                super.store(id, data);
                return null;
            });
        } catch (Exception e) {
            if (DatabaseAvailability.isUnavailability(e)) {
                availability.saveFailed();
            }
            throw e;
        }
    }

    /**
     * Compares a node's cached copy with the row: one primary-key read of the row's last save time. Tracked like
     * every store operation; a failure because the database is down marks the guarded request as a failed load.
     */
    @Override
    public Verdict verify(String id, long lastSaved) throws Exception {
        try {
            return track(() -> {
                SessionTableSchema schema = _sessionTableSchema;
                String sql = "select " + schema.getLastSavedTimeColumn() + " from " + tableName(schema) + " where "
                        + schema.getIdColumn() + " = ? and " + schema.getContextPathColumn() + " = ? and "
                        + schema.getVirtualHostColumn() + " = ?";
                try (Connection connection = connection();
                        PreparedStatement statement = connection.prepareStatement(sql)) {
                    connection.setAutoCommit(true);
                    statement.setString(1, id);
                    statement.setString(2, contextPath());
                    statement.setString(3, _context.getVhost());
                    try (ResultSet row = statement.executeQuery()) {
                        if (!row.next()) {
                            return Verdict.GONE;
                        }
                        return row.getLong(1) == lastSaved ? Verdict.CURRENT : Verdict.CHANGED;
                    }
                }
            });
        } catch (Exception e) {
            if (DatabaseAvailability.isUnavailability(e)) {
                DatabaseOutageGuard.noteUnavailableLoad();
            }
            throw e;
        }
    }

    /**
     * Jetty's insert or update, except for a save that changes no attribute (only access and expiry times, as Jetty
     * saves at the end of every request): that one is made conditional on the row still being the one this copy was
     * loaded or last saved as ({@code lastSavedTime = lastSaveTime}), and is dropped if another node has saved the
     * session since. Such a save carries this node's whole attribute map, so written late (a request's exit after
     * the client has already moved on to another node, or the idle eviction of a copy another node has replaced) it
     * would put an older copy over the other node's newer row. A save that changes attributes is Jetty's own update:
     * two overlapping requests of one session on two nodes keep the later save, as with Jetty's store.
     */
    @Override
    public void doStore(String id, SessionData data, long lastSaveTime) throws Exception {
        if (lastSaveTime <= 0 || data.isDirty()) {
            super.doStore(id, data, lastSaveTime);
            return;
        }
        if (updateRow(id, data, false, lastSaveTime) == 0) {
            LOG.debug("session {}: another node saved it since this copy; its access-time save was dropped", id);
        }
    }

    /** Jetty's insert, with the session's principal in the same row when sessions are indexed by user. */
    @Override
    protected void doInsert(String id, SessionData data) throws Exception {
        if (users == null) {
            super.doInsert(id, data);
            return;
        }
        SessionTableSchema schema = _sessionTableSchema;
        String sql = "insert into " + table() + " (" + schema.getIdColumn() + ", " + schema.getContextPathColumn()
                + ", " + schema.getVirtualHostColumn() + ", " + schema.getLastNodeColumn() + ", "
                + schema.getAccessTimeColumn() + ", " + schema.getLastAccessTimeColumn() + ", "
                + schema.getCreateTimeColumn() + ", " + schema.getCookieTimeColumn() + ", "
                + schema.getLastSavedTimeColumn() + ", " + schema.getExpiryTimeColumn() + ", "
                + schema.getMaxIntervalColumn() + ", " + schema.getMapColumn() + ", "
                + SharedUserIndex.USER_COLUMN + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection connection = connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            connection.setAutoCommit(true);
            statement.setString(1, id);
            statement.setString(2, contextPath());
            statement.setString(3, _context.getVhost());
            statement.setString(4, data.getLastNode());
            statement.setLong(5, data.getAccessed());
            statement.setLong(6, data.getLastAccessed());
            statement.setLong(7, data.getCreated());
            statement.setLong(8, data.getCookieSet());
            statement.setLong(9, data.getLastSaved());
            statement.setLong(10, data.getExpiry());
            statement.setLong(11, data.getMaxInactiveMs());
            byte[] bytes = attributeBytes(data);
            statement.setBinaryStream(12, new ByteArrayInputStream(bytes), bytes.length);
            statement.setString(13, users.userOf(data));
            statement.executeUpdate();
        }
    }

    /** Jetty's update, with the session's principal in the same row when sessions are indexed by user. */
    @Override
    protected void doUpdate(String id, SessionData data) throws Exception {
        if (users == null) {
            super.doUpdate(id, data);
            return;
        }
        updateRow(id, data, true, 0);
    }

    /**
     * Updates the session's row as Jetty's update does, with its principal when {@code withUser}, and only if
     * its last save time is still {@code onlyIfLastSaved} when that is positive.
     *
     * @return the rows updated: 0 if the row is gone, or (conditional) another node saved it since
     */
    private int updateRow(String id, SessionData data, boolean withUser, long onlyIfLastSaved) throws Exception {
        SessionTableSchema schema = _sessionTableSchema;
        String sql = "update " + table() + " set " + schema.getLastNodeColumn() + " = ?, "
                + schema.getAccessTimeColumn() + " = ?, " + schema.getLastAccessTimeColumn() + " = ?, "
                + schema.getLastSavedTimeColumn() + " = ?, " + schema.getExpiryTimeColumn() + " = ?, "
                + schema.getMaxIntervalColumn() + " = ?, " + schema.getMapColumn() + " = ?"
                + (withUser ? ", " + SharedUserIndex.USER_COLUMN + " = ?" : "") + " where "
                + schema.getIdColumn() + " = ? and " + schema.getContextPathColumn() + " = ? and "
                + schema.getVirtualHostColumn() + " = ?"
                + (onlyIfLastSaved > 0 ? " and " + schema.getLastSavedTimeColumn() + " = ?" : "");
        try (Connection connection = connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            connection.setAutoCommit(true);
            int at = 0;
            statement.setString(++at, data.getLastNode());
            statement.setLong(++at, data.getAccessed());
            statement.setLong(++at, data.getLastAccessed());
            statement.setLong(++at, data.getLastSaved());
            statement.setLong(++at, data.getExpiry());
            statement.setLong(++at, data.getMaxInactiveMs());
            byte[] bytes = attributeBytes(data);
            statement.setBinaryStream(++at, new ByteArrayInputStream(bytes), bytes.length);
            if (withUser) {
                statement.setString(++at, users.userOf(data));
            }
            statement.setString(++at, id);
            statement.setString(++at, contextPath());
            statement.setString(++at, _context.getVhost());
            if (onlyIfLastSaved > 0) {
                statement.setLong(++at, onlyIfLastSaved);
            }
            return statement.executeUpdate();
        }
    }

    private byte[] attributeBytes(SessionData data) throws Exception {
        ByteArrayOutputStream attributes = new ByteArrayOutputStream();
        serializeAttributes(data, attributes);
        return attributes.toByteArray();
    }

    // ------------------------------------------------------------------------------------------------------------
    // UserSessions: the rows' principal column

    @Override
    public List<UserSession> list(String principal) {
        Objects.requireNonNull(principal, "principal");
        return unchecked(() -> indexed().list(principal));
    }

    @Override
    public int invalidateAll(String principal) {
        Objects.requireNonNull(principal, "principal");
        return unchecked(() -> indexed().invalidate(principal, null));
    }

    @Override
    public int invalidateAllExcept(String principal, String keptSessionId) {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(keptSessionId, "keptSessionId");
        return unchecked(() -> indexed().invalidate(principal, keptSessionId));
    }

    @Override
    public Optional<String> userOf(String sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        return Optional.ofNullable(unchecked(() -> indexed().userOfRow(sessionId)));
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

    private SharedUserIndex indexed() {
        if (users == null) {
            throw new IllegalStateException("this many-nodes tier does not index sessions by user; turn it on with"
                    + " SharedSessions.Builder.sessionsByUser() (jetty.session.syncmap.sessionsByUser=true)");
        }
        return users;
    }

    /**
     * The reads of the revocations table that completed on this node: a sign-out everywhere on another node has
     * reached this node's cache once this has grown by two after it.
     *
     * @return completed polls since start; 0 without sessions by user, where there is no poll
     */
    @ManagedAttribute(value = "completed reads of the revocations table (sign-outs everywhere on other nodes)",
            readonly = true)
    public long getRevocationPolls() {
        return users == null ? 0 : users.completedPolls();
    }

    /**
     * How long the last completed read of the revocations table took, with dropping the copies it named.
     *
     * @return milliseconds, 0 before the first poll or without sessions by user
     */
    @ManagedAttribute(value = "milliseconds the last read of the revocations table took", readonly = true)
    public double getLastRevocationPollMillis() {
        return users == null ? 0 : users.lastPollMillis();
    }

    /** Whether the tier indexes sessions by user ({@code SharedSessions.Builder.sessionsByUser()}). */
    @Override
    public boolean indexesSessionsByUser() {
        return users != null;
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

    SessionContext context() {
        return _context;
    }

    SessionTableSchema schema() {
        return _sessionTableSchema;
    }

    String virtualHost() {
        return _context.getVhost();
    }

    /** A connection as Jetty's adaptor opens one (its own method is not public): its data source, or its URL. */
    Connection connection() throws SQLException {
        DataSource dataSource = _dbAdaptor.getDatasource();
        return dataSource != null ? dataSource.getConnection()
                : DriverManager.getConnection(_dbAdaptor.getConnectionUrl());
    }

    /** The canonical context path as Jetty's JDBC store writes it. */
    String contextPath() {
        String path = _context.getCanonicalContextPath();
        return _dbAdaptor.isEmptyStringNull() && (path == null || path.isBlank()) ? NULL_CONTEXT_PATH : path;
    }

    /** The session table, qualified by its schema. */
    String table() {
        return tableName(_sessionTableSchema);
    }

    /** The table, qualified by its schema, as Jetty's JDBC store names it. */
    private static String tableName(SessionTableSchema schema) {
        return (schema.getSchemaName() != null ? schema.getSchemaName() + "." : "") + schema.getTableName();
    }

    @Override
    public long sessionsRefused() {
        return sessionCap == null ? 0 : sessionCap.refused();
    }

    @Override
    public long sessionIdsRefused() {
        SessionIdFilter filter = idFilter;
        return filter == null ? 0 : filter.refused();
    }

    /** The availability record of the factory that made this store. */
    DatabaseAvailability availability() {
        return availability;
    }

    @Override
    public boolean exists(String id) throws Exception {
        return track(() -> super.exists(id));
    }

    @Override
    public boolean delete(String id) throws Exception {
        return track(() -> super.delete(id));
    }
}
