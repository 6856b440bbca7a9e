/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.cache.SessionFreshness;
import dev.syncsession.jetty.internal.ExpirySearch;
import dev.syncsession.jetty.protection.DatabaseSessionCap;
import dev.syncsession.jetty.protection.SessionIdFilter;
import dev.syncsession.jetty.protection.SessionStats;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.session.JDBCSessionDataStore;
import org.eclipse.jetty.session.SessionContext;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.session.UnreadableSessionDataException;
import org.eclipse.jetty.util.annotation.ManagedObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's {@link JDBCSessionDataStore} with these changes:
 * <ul>
 *   <li>a small session's attributes stay in the map column of Jetty's table; past
 *       {@link AttributeRows#IN_ROW_LIMIT} they are kept one per row, in the tier's {@link AttributeRows attribute
 *       table}, and a save writes only the attributes its request changed;</li>
 *   <li>a save of a stored session writes what its request changed onto the row as it is now: the row carries a
 *       version, and a save that finds another node saved the session since its copy was loaded applies its changes
 *       onto that node's, so overlapping requests on two nodes lose no change ({@link VersionedSave});</li>
 *   <li>every stream that reads a row's attributes (a load, a save's re-read of the row) passes the tier's
 *       allow-list ({@link RowAttributeFilter}): a row holding any other class is unloadable, as a corrupt row is
 *       in Jetty's store;</li>
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
 * With sessions indexed by user ({@code SharedSessions.Builder.sessionsByUser}), each row carries its session's
 * principal, and the store's child bean {@link SharedUserIndex} lists a user's sessions and signs them out
 * everywhere ({@code UserSessions.of} finds it).
 *
 * <p>Its parts, each with one job: {@link OutageTracking} (the outcome of each call, for the availability record),
 * {@link SessionRows} (the statements on Jetty's table that Jetty does not make), {@link AttributeRows} and
 * {@link AttributeValues} (the attribute table, and the form of a value in it), {@link VersionedRows} and
 * {@link VersionedSave} (the version column, and the save onto the row as it is now; the latter a bean, for its
 * counts in JMX) and, with sessions by user,
 * {@link SharedUserIndex} and its {@link Revocations}, which start and stop with the store.
 *
 * <p>Thread-safety as {@link JDBCSessionDataStore}: Jetty calls it concurrently from request and scavenger threads.
 */
@ManagedObject("Jetty's JDBC session store for many nodes")
final class SharedJdbcSessionDataStore extends JDBCSessionDataStore
        implements SessionFreshness, SessionIdFilter.Owner, SessionStats {

    private static final Logger LOG = LoggerFactory.getLogger(SharedJdbcSessionDataStore.class);

    private final OutageTracking tracking;
    private final AttributeRows attributeRows = new AttributeRows(this);
    private final StatementTexts texts = new StatementTexts();
    private final SessionRows rows = new SessionRows(this, attributeRows, texts);
    private final VersionedRows versionedRows = new VersionedRows(this, rows, attributeRows, texts);

    /** The save of changed attributes onto the row as it is now. */
    private final VersionedSave versionedSave;

    /** The tier's cap on sessions, or null for none. */
    private final DatabaseSessionCap sessionCap;

    /** Whether caches check their copies against the rows ({@link SessionFreshness}). */
    private final boolean checkCachedCopies;

    /** Sessions by user, a child bean, or null if the tier does not index them. */
    private final SharedUserIndex users;

    /** The allow-list on every stream that reads a row's attributes. */
    private final RowAttributeFilter attributeFilter;

    /**
     * Whether in-place changes are looked for at each request's end and response commit, before Jetty decides whether
     * to save, rather than only by the saves Jetty makes ({@link InPlaceChanges}).
     */
    private final boolean detectInPlaceChanges;

    /**
     * @param availability the availability record every store of the node reports to
     * @param saveConflicts the node's counts of saves that met another node's
     * @param sessionCap the tier's cap, shared by the node's stores, or null for none
     * @param config the tier's options, checked
     */
    SharedJdbcSessionDataStore(DatabaseAvailability availability, SaveConflicts saveConflicts,
            DatabaseSessionCap sessionCap, SharedSessionsConfig config) {
        this.tracking = new OutageTracking(availability);
        this.sessionCap = sessionCap;
        this.attributeFilter = new RowAttributeFilter(config.allowedPackages());
        this.checkCachedCopies = config.checkCachedCopies();
        this.detectInPlaceChanges = config.detectInPlaceChanges();
        this.users = config.indexesSessionsByUser() ? new SharedUserIndex(this, tracking, config) : null;
        if (users != null) {
            addBean(users, true);
        }
        this.versionedSave = new VersionedSave(versionedRows, users, saveConflicts);
        addBean(versionedSave);
        super.setSessionTableSchema(new ExpiryMinuteSchema()); // Jetty's names, the tier's expiry searches
    }

    /**
     * Jetty's table set-up, its expiry index over minutes ({@link ExpiryMinuteSchema}), the version column, and with
     * sessions indexed by user, the principal column and revocations table: the schema step, once per start. Nodes
     * starting together on an empty database would race to create the same tables, and all but one could fail; the
     * whole step holds the table's cluster-wide {@link SchemaLock}, so they run one after another and each later one
     * finds the schema made.
     */
    @Override
    public void initialize() throws Exception {
        if (_initialized) {
            return; // as Jetty's initialize does
        }
        // Jetty's initialize does this too; before it, connection() would not find a data source named in JNDI.
        _dbAdaptor.initialize();
        String tableName = _sessionTableSchema.getTableName();
        texts.clear(); // the names may have changed since the last start
        tracking.track(() -> {
            try (Connection lock = connection()) {
                SchemaLock.holding(lock, tableName, () -> {
                    super.initialize();
                    schema().prepareMinuteIndex(this);
                    versionedRows.prepareColumn();
                    attributeRows.prepareTable();
                    if (users != null) {
                        users.prepareTables();
                    }
                });
            }
            return null;
        });
    }

    /**
     * Takes the names of Jetty's {@code schema} (table, schema and columns) into the tier's own schema, whose expiry
     * searches use the index over expiry minutes ({@link ExpiryMinuteSchema}); null for Jetty's default names.
     *
     * @throws IllegalArgumentException if {@code schema} is a subclass of Jetty's, whose statements would be lost
     */
    @Override
    public void setSessionTableSchema(SessionTableSchema schema) {
        super.setSessionTableSchema(ExpiryMinuteSchema.of(schema == null ? new SessionTableSchema() : schema));
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
        return tracking.track(rows::countUnexpired);
    }

    /**
     * Jetty's expiry check; afterwards, if Jetty skipped the search for other nodes' expired sessions, the time of
     * the last search is put back, so that the search runs once a grace period has passed since it last ran. Only
     * the housekeeper thread calls this.
     */
    @Override
    public Set<String> getExpired(Set<String> candidates) {
        if (!tracking.answers(() -> exists(SharedJdbcSessionDataStoreFactory.PROBE_ID))) {
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
     * Jetty's load, tracked; if it fails because the database is unavailable, the guarded request is marked so that
     * it gets the 503 instead of running as if it had no session (Jetty's session manager would swallow the failure).
     */
    @Override
    public SessionData load(String id) throws Exception {
        return tracking.trackRead(() -> super.load(id));
    }

    /**
     * Refuses to create a session for a request whose own session could not be loaded because the database is
     * unavailable: the new session's cookie would replace the user's, and the user's session, intact in the
     * database, would be lost to them. Jetty calls this outside its error handling, so the 503 reaches the caller
     * of {@code getSession(true)}.
     */
    @Override
    public SessionData newSessionData(String id, long created, long accessed, long lastAccessed, long maxInactiveMs) {
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

    /**
     * The data of a new or a loaded session: it records the request's changes, for {@link VersionedSave}; with a
     * per-user limit, it also tells the index of each sign-in first.
     */
    SharedSessionData sessionData(String id, long created, long accessed, long lastAccessed, long maxInactiveMs) {
        boolean watch = users != null && users.watchesSignIns();
        return new SharedSessionData(id, _context.getCanonicalContextPath(), _context.getVhost(), created, accessed,
                lastAccessed, maxInactiveMs, watch ? users : null);
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
     * The load of a stored session as Jetty's, with the row's version ({@link VersionedRows#load}), and the forms of
     * its attributes when in-place changes are detected. A hostile id is no session, without a query (Jetty's own
     * caches reach this with one; ours refuse it before).
     */
    @Override
    public SessionData doLoad(String id) throws Exception {
        SessionIdFilter filter = idFilter;
        if (filter != null && !filter.admits(id)) {
            return null;
        }
        return versionedRows.load(id);
    }

    /**
     * Jetty's save, tracked; a save that fails because the database is unavailable is counted. When in-place changes
     * are detected, the attributes changed in place are first marked as changed, which makes the data dirty, and Jetty
     * then saves it even within a save period.
     */
    @Override
    public void store(String id, SessionData data) throws Exception {
        if (detectInPlaceChanges && data instanceof SharedSessionData tracked) {
            int marked = InPlaceChanges.markChanged(tracked);
            if (marked > 0) {
                LOG.debug("session {}: {} attributes changed in place", id, marked);
            }
        }
        tracking.trackSave(() -> {
            super.store(id, data);
            return null;
        });
    }

    /** The row versions a copy this store made was loaded from or last saved as ({@link VersionedRows#freshness}). */
    @Override
    public long versionOf(SessionData copy) {
        return copy instanceof SharedSessionData tracked ? tracked.freshness() : -1;
    }

    @Override
    public void enteredFromElsewhere(SessionData copy) {
        if (copy instanceof SharedSessionData tracked) {
            tracked.enteredFromElsewhere();
        }
    }

    @Override
    public boolean forgetEnteredFromElsewhere(SessionData copy) {
        return copy instanceof SharedSessionData tracked && tracked.forgetEnteredFromElsewhere();
    }

    /**
     * Compares a node's cached copy with the row: one read of the row's last save time and versions (which tell two
     * saves in the same millisecond apart, and show a save of one attribute alone). Tracked like every store
     * operation; a failure because the database is down marks the guarded request as a failed load.
     */
    @Override
    public Verdict verify(String id, long lastSaved, long version) throws Exception {
        return tracking.trackRead(() -> rows.compareWithCopy(id, lastSaved, version));
    }

    /**
     * Records the attributes changed in place, when they are detected, before the cache decides whether to save the
     * session as its response is committed: they are then saved before the response is sent. Marks the copy as
     * committing: a save now may leave the session row to the save at the request's end ({@link VersionedSave}).
     */
    @Override
    public void beforeCommit(SessionData data) {
        if (data instanceof SharedSessionData tracked) {
            tracked.committing(true);
            if (detectInPlaceChanges) {
                InPlaceChanges.markChanged(tracked);
            }
        }
    }

    @Override
    public void afterCommit(SessionData data) {
        if (data instanceof SharedSessionData tracked) {
            tracked.committing(false);
        }
    }

    /**
     * Brings a cached copy up to its row before its id is renewed ({@link VersionedSave#catchUp}); tracked like a
     * read. Data this store did not make, or never saved, is left as it is.
     */
    @Override
    public void beforeRenewal(SessionData copy) throws Exception {
        if (copy instanceof SharedSessionData tracked && copy.getLastSaved() > 0) {
            tracking.trackRead(() -> {
                versionedSave.catchUp(copy.getId(), tracked);
                return null;
            });
        }
    }

    /**
     * The first save of a session is Jetty's insert, with every attribute in the row's map column or, past
     * {@link AttributeRows#IN_ROW_LIMIT}, in the attribute table ({@link #doInsert}).
     * Each save first looks for attributes changed in place ({@link InPlaceChanges}), which it then saves as changed:
     * Jetty's store, writing the whole map, saves them too whenever it saves.
     * A save that changes no attribute (only access and expiry times, as Jetty saves at the end of every request)
     * writes the session row only, not one attribute, and is made conditional on the row still being the one this
     * copy was loaded or last saved as ({@code lastSavedTime = lastSaveTime}, and its version): written late (a
     * request's exit after the client has already moved on to another node, or the idle eviction of a copy another
     * node has replaced) it would put this copy's older times and max inactive interval over the other node's. A
     * save that changes attributes writes those, onto the row as it is now ({@link VersionedSave}), so that two
     * overlapping requests of one session on two nodes keep both their changes. Data this store did not make (a
     * caller's own {@link SessionData}, which records no changes) is saved whole ({@link #doUpdate}).
     */
    @Override
    public void doStore(String id, SessionData data, long lastSaveTime) throws Exception {
        if (!detectInPlaceChanges && lastSaveTime > 0 && data instanceof SharedSessionData tracked) {
            InPlaceChanges.markChanged(tracked); // with the option, store() has just done it
        }
        if (lastSaveTime <= 0) {
            super.doStore(id, data, lastSaveTime); // Jetty's insert: doInsert below
        } else if (!data.isDirty()) {
            long version = data instanceof SharedSessionData tracked ? tracked.rowVersion() : -1;
            if (rows.updateIfUnchanged(id, data, lastSaveTime, version) == 0) {
                LOG.debug("session {}: another node saved it since this copy; its access-time save was dropped", id);
            }
        } else if (data instanceof SharedSessionData tracked) {
            versionedSave.save(id, tracked, lastSaveTime);
        } else {
            super.doStore(id, data, lastSaveTime);
        }
    }

    /**
     * Jetty's insert, with the session's principal in the same row when sessions are indexed by user, and a version
     * one past the one the copy last knew. A renewed id's row thus starts past every version a copy of the old row
     * can hold: Jetty renews the copy its cache gets for the old id, and with the null cache that is a copy loaded
     * for the renewal, while the request's own copy, loaded earlier and renamed after, saves its changes at its end.
     * Its older version makes that save a conflict, merged onto the renewed row, rather than an update that puts the
     * older attributes over it.
     */
    @Override
    protected void doInsert(String id, SessionData data) throws Exception {
        long version = data instanceof SharedSessionData tracked ? tracked.rowVersion() + 1 : 0;
        AttributeRows.Write write = AttributeRows.Write.all(data);
        rows.insert(id, data, write, users != null, users == null ? null : users.rowUser(data), version);
        if (data instanceof SharedSessionData tracked) {
            tracked.rowVersion(version);
            tracked.keepsMap(write.inRow());
            tracked.attributeVersions(VersionedSave.versionsAfterInsert(write));
            InPlaceChanges.afterWrite(tracked, write);
        }
    }

    /**
     * Jetty's update, of data this store did not make (which records no changes): the row's times, every attribute
     * (where its size puts them), and the session's principal when sessions are indexed by user; unconditional, as
     * Jetty's.
     */
    @Override
    protected void doUpdate(String id, SessionData data) throws Exception {
        rows.save(id, data, AttributeRows.Write.all(data), users != null,
                users == null ? null : users.rowUser(data), -1, null);
    }

    /** Reads a row's map column into {@code into}, as Jetty's load reads it ({@link VersionedRows#readAttributes}). */
    void readMap(SessionData into, byte[] map) throws Exception {
        deserializeAttributes(into, new ByteArrayInputStream(map));
    }

    /** Jetty's stream for a row's attributes (the context's class loader), behind the tier's allow-list. */
    @Override
    protected ObjectInputStream newObjectInputStream(InputStream in) throws IOException {
        return attributeFilter.filter(super.newObjectInputStream(in));
    }

    SessionContext context() {
        return _context;
    }

    ExpiryMinuteSchema schema() {
        return (ExpiryMinuteSchema) _sessionTableSchema; // always, by setSessionTableSchema
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
        return ExpiryMinuteSchema.contextPath(_dbAdaptor, _context.getCanonicalContextPath());
    }

    /** The session table, qualified by its schema, as Jetty's JDBC store names it. */
    String table() {
        return schema().table();
    }

    @Override
    public boolean exists(String id) throws Exception {
        return tracking.track(() -> super.exists(id));
    }

    @Override
    public boolean delete(String id) throws Exception {
        return tracking.track(() -> super.delete(id));
    }

    @Override
    public long sessionsRefused() {
        DatabaseSessionCap cap = sessionCap;
        return cap == null ? 0 : cap.refused();
    }

    @Override
    public long sessionIdsRefused() {
        SessionIdFilter filter = idFilter;
        return filter == null ? 0 : filter.refused();
    }

    /** The availability record of the factory that made this store. */
    DatabaseAvailability availability() {
        return tracking.availability();
    }
}
