/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.store;

import dev.syncsession.jetty.internal.ExpirySearch;
import dev.syncsession.jetty.internal.SyncSessionData;
import dev.syncsession.jetty.protection.BackendSessionCap;
import dev.syncsession.jetty.protection.SessionIdFilter;
import dev.syncsession.jetty.protection.SessionStats;
import dev.syncsession.jetty.internal.UserSource;
import dev.syncsession.jetty.users.UserIndex;
import dev.syncsession.jetty.users.UserSessions;
import dev.syncsession.session.AttributeStorage;
import dev.syncsession.session.ExpirySweeper;
import dev.syncsession.session.SessionKey;
import dev.syncsession.session.SessionRecord;
import dev.syncsession.session.SessionScope;
import dev.syncsession.session.SessionStore;
import dev.syncsession.session.SyncMapSessionStore;
import java.util.Objects;
import java.util.Set;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.AbstractSessionDataStore;
import org.eclipse.jetty.session.SessionContext;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.session.UnreadableSessionDataException;
import org.eclipse.jetty.util.annotation.ManagedAttribute;
import org.eclipse.jetty.util.annotation.ManagedObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jetty {@link org.eclipse.jetty.session.SessionDataStore} over any syncsession {@link SessionStore} backend: by
 * default a {@link SyncMapSessionStore}, an in-process index of session records in a {@code SyncMap}.
 *
 * <p>It keeps the {@code SessionDataStore} contract as Jetty's own stores do:
 * <ul>
 *   <li>records are keyed by session id, canonical context path and virtual host, so the same id in another context
 *       is another session;</li>
 *   <li>{@link #doLoad} returns null for an absent id and throws {@link UnreadableSessionDataException} when a record
 *       exists but its attributes cannot be read;</li>
 *   <li>every field of {@link SessionData} round-trips, attributes are deserialized with the web application's class
 *       loader (Jetty runs store calls inside the context);</li>
 *   <li>expiry 0 means the session never expires, and {@link #doExists} is false for an expired record;</li>
 *   <li>{@link #isPassivating()} is true exactly when attributes are stored serialized.</li>
 * </ul>
 *
 * <p>While the store runs, an {@link ExpirySweeper} walks the backend every sweep interval (default 60 s) and
 * removes records expired for longer than the expired-record retention, which defaults to the store's grace period:
 * Jetty's own expiry (and {@code HttpSessionListener.sessionDestroyed}) runs first, and the sweeper only removes what
 * no node manages any more, so evicted and orphaned records cannot pile up between Jetty's infrequent expiry scans.
 * Several contexts may share one backend; it is then swept once, and its snapshot (if configured) is restored when
 * the first of them starts and written when the last one stops.
 *
 * <p>Against hostile clients (SECURITY.md): ids its {@link SessionIdFilter} refuses are looked up as absent
 * without touching the backend, with a warning at most every {@link SessionIdFilter#LOG_INTERVAL}; with
 * a cap on sessions ({@code SyncSessions.Builder.sessionCap}), {@link #newSessionData} refuses a session
 * past the cap with a 503 (see {@link dev.syncsession.jetty.protection.SessionCap}).
 *
 * <p>It also indexes its context's sessions by user ({@link UserSessions}: list a user's sessions, sign them out
 * everywhere, limit how many one user may have), and can end sessions at an absolute timeout
 * ({@code SyncSessions.Builder.absoluteTimeout}).
 *
 * <p>The backend is process-local unless the {@link SessionStore} implementation says otherwise: this store does
 * not share sessions between nodes.
 *
 * <p>Thread-safe, as Jetty requires. Cost per call: one backend operation, plus, held by reference, nothing for the
 * attributes of session data this store made (the record keeps the session's own immutable attributes, see
 * {@link SyncSessionData}) and a copy of the map for other session data; serialized, (de)serializing the map.
 * {@link #doGetExpired} and {@link #doCleanOrphans} scan the backend.
 */
@ManagedObject("syncsession SessionDataStore")
public class SyncSessionDataStore extends AbstractSessionDataStore implements SessionIdFilter.Owner, SessionStats {

    private static final Logger LOG = LoggerFactory.getLogger(SyncSessionDataStore.class);

    private final SessionStore backend;
    private final AttributeStorage attributeStorage;

    /** The backend with its sweeper, snapshot and cap, which its factory shares between contexts. */
    private final BackendLifecycle shared;

    /** The options, checked. */
    private final SyncSessionsConfig config;
    private final long absoluteTimeoutMs;

    /** This context's sessions by user, a child bean; made at the first start. */
    private volatile UserIndex users;

    /** What this context's stop does to its sessions; made at the first start, a child bean. */
    private volatile RedeployDetach detach;

    /** Saves and deletes through {@link #detach}, {@link #users} and the cap; made with them. */
    private volatile RecordWrites writes;

    /** Refuses ids no id manager can have issued; made by {@link #initialize}, with the context's name. */
    private volatile SessionIdFilter idFilter;

    /** This context's scope, and its records' conversion and expiry search; set by {@link #initialize}. */
    private SessionScope scope;
    private SessionRecords records;
    private ContextExpiry expiry;

    /** The session cap's accounting of this store's sessions. */
    private final CapHooks cap;

    /** The counts and restore figures of the JMX attributes below. */
    private final ContextFigures figures = new ContextFigures();

    /**
     * A store over a backend that its factory shares between contexts.
     *
     * @param shared the backend's lifecycle
     * @param config the options; those of the backend made {@code shared}
     */
    public SyncSessionDataStore(BackendLifecycle shared, SyncSessionsConfig config) {
        this.shared = Objects.requireNonNull(shared, "shared");
        this.config = Objects.requireNonNull(config, "config");
        this.backend = shared.store();
        this.attributeStorage = config.attributeStorage();
        this.absoluteTimeoutMs = config.absoluteTimeout().toMillis();
        this.cap = new CapHooks(shared);
    }

    /**
     * The backend this store shares with the other contexts of its factory, with its sweeper, snapshot and cap, and
     * their figures.
     *
     * @return the backend's lifecycle
     */
    public BackendLifecycle getBackendLifecycle() {
        return shared;
    }

    /**
     * The options this store was made with, checked.
     *
     * @return the options
     */
    public SyncSessionsConfig config() {
        return config;
    }

    /**
     * The absolute timeout; see {@code SyncSessions.Builder.absoluteTimeout}.
     *
     * @return seconds, 0 for none
     */
    @ManagedAttribute(value = "maximum lifetime of a session since its creation, in seconds (0: none)", readonly = true)
    public int getAbsoluteTimeoutSec() {
        return (int) Math.min(Integer.MAX_VALUE, config.absoluteTimeout().toSeconds());
    }

    /**
     * The attribute that holds the signed-in user; see {@code SyncSessions.Builder.userAttribute}.
     *
     * @return its name, or null
     */
    @ManagedAttribute(value = "session attribute holding the signed-in user (null: Jetty's authenticated user only)",
            readonly = true)
    public String getUserAttribute() {
        return config.userAttribute();
    }

    /**
     * The sessions one user may be signed into at once.
     *
     * @return the limit, 0 for none
     */
    @ManagedAttribute(value = "sessions one user may have at once (0: no limit)", readonly = true)
    public int getMaxSessionsPerUser() {
        return config.maxSessionsPerUser();
    }

    @Override
    public void initialize(SessionContext context) throws Exception {
        super.initialize(context);
        records = new SessionRecords(backend, context, attributeStorage);
        scope = records.scope();
        expiry = new ContextExpiry(backend, scope);
        idFilter = new SessionIdFilter(scope.toString(), LOG);
    }

    @Override
    protected void doStart() throws Exception {
        Server server = JettyContext.server(_context, scope);
        if (detach == null) {
            detach = new RedeployDetach(backend, scope, config.keepSessionsOnStop());
            addBean(detach, true);
            UserIndex index = new UserIndex(UserSource.of(config.userAttribute()),
                    config.maxSessionsPerUser(), config.whenUserLimitReached());
            addBean(index, true);
            users = index;
            writes = new RecordWrites(backend, detach, index, cap);
        }
        users.attach(new ContextSessions(backend, scope, _context), server.getThreadPool());
        super.doStart();
        shared.acquire(server.getScheduler(), server.getThreadPool());
        JettyContext.logInstalled(LOG, _context, scope, shared);
        ClassLoader loader = JettyContext.classLoader(_context);
        figures.restored(shared.readRestored(scope, loader));
        ContextSessions.indexStored(backend, scope, loader, users);
    }

    /**
     * Stops the child beans first: the {@link RedeployDetach} refuses later saves and detaches this context's
     * sessions, before the backend is released (and its snapshot written, by the last context to stop).
     */
    @Override
    protected void doStop() throws Exception {
        super.doStop();
        shared.release();
    }

    // ------------------------------------------------------------------------------------------------------------
    // SessionDataStore

    @Override
    public boolean isPassivating() {
        return attributeStorage == AttributeStorage.SERIALIZED;
    }

    /**
     * Counts the new session against the session cap before Jetty creates it. Jetty calls this only for a
     * brand-new session, outside its own error handling, so a refusal reaches the caller of
     * {@code getSession(true)}.
     *
     * @throws RuntimeException the cap's 503, whose cause is a {@code SessionCapExceededException}, if the cap is
     *         reached
     */
    @Override
    public SessionData newSessionData(String id, long created, long accessed, long lastAccessed, long maxInactiveMs) {
        cap.reserve(key(id), created, maxInactiveMs);
        SessionData data = sessionData(id, created, accessed, lastAccessed, maxInactiveMs);
        // Counted here, where Jetty asks for a brand-new session: a changeSessionId stores the session under its new
        // id as if never saved (lastSaved 0), so counting first stores would count every id change.
        figures.countCreated();
        return data;
    }

    /** Jetty's session data, with this context's absolute timeout and its index of sessions by user watching it. */
    private SessionData sessionData(String id, long created, long accessed, long lastAccessed, long maxInactiveMs) {
        String path = _context.getCanonicalContextPath();
        String vhost = _context.getVhost();
        UserIndex index = users;
        SyncSessionData data = new SyncSessionData(id, path, vhost, created, accessed, lastAccessed,
                maxInactiveMs, absoluteTimeoutMs, index);
        RedeployDetach run = detach;
        if (run != null) {
            run.stamp(data);
        }
        return data;
    }

    /** The cap shared by the stores of this backend, or null if creation is not limited. */
    public BackendSessionCap sessionCap() {
        return shared.sessionCap();
    }

    @Override
    public SessionIdFilter sessionIdFilter() {
        return idFilter;
    }

    @Override
    public boolean doExists(String id) {
        // Before Jetty makes a new session for a request, its id manager asks every context's store whether the
        // requested id is in use. The request's own context has already refused, counted and reported a hostile id
        // (its cache, or doLoad); the others say no without a word, so that one request gives one warning however
        // many web applications are deployed.
        if (!idFilter.isWellFormed(id)) {
            return false;
        }
        SessionRecord record = backend.load(key(id));
        return record != null && !record.isExpiredAt(System.currentTimeMillis());
    }

    @Override
    public SessionData doLoad(String id) throws Exception {
        // The SyncMap cache and ours in front of the shared store refuse a hostile id before they register a load;
        // Jetty's own caches reach this with it.
        if (!idFilter.admits(id)) {
            return null;
        }
        SessionRecord record = backend.load(key(id));
        if (record == null) {
            return null;
        }
        SessionData data = records.filled(sessionData(id, record.created(), record.accessed(),
                record.lastAccessed(), record.maxInactiveMs()), record);
        figures.countLoaded();
        return data;
    }

    /**
     * Saves the session's record; once this store has begun to stop, makes no save (a debug line says so), because
     * the stop has already deleted or serialized the context's records (see {@link RedeployDetach}).
     */
    @Override
    public void doStore(String id, SessionData data, long lastSaveTime) throws Exception {
        SessionRecord record = records.toRecord(id, data);
        if (!writes.save(record, data)) {
            LOG.debug("session {} of context {} not saved: the store is stopping, or stopped after the session was"
                    + " loaded; its sessions were deleted or kept as they were when the stop began", id, scope);
            return;
        }
        figures.countStored();
    }

    @Override
    public boolean delete(String id) {
        SessionRecord removed = writes.delete(key(id));
        figures.countDeleted(removed);
        return removed != null;
    }

    @Override
    public Set<String> doCheckExpired(Set<String> candidates, long time) {
        return expiry.expiredAmong(candidates, time);
    }

    /**
     * Jetty's expiry check; afterwards, if Jetty skipped the search for sessions that expired outside the cache, the
     * time of the last search is put back, so that the search runs once per grace period (see {@link ExpirySearch}).
     * Only the housekeeper thread calls this.
     */
    @Override
    public Set<String> getExpired(Set<String> candidates) {
        long lastSearch = _lastExpiryCheckTime;
        Set<String> expired = super.getExpired(candidates);
        if (!ExpirySearch.searched(lastSearch, _lastExpiryCheckTime, getGracePeriodSec())) {
            _lastExpiryCheckTime = lastSearch;
        }
        UserIndex index = users;
        if (index != null) {
            index.prune(); // entries of records the sweeper or a bounded backend removed
        }
        return expired;
    }

    @Override
    public Set<String> doGetExpired(long before) {
        return expiry.expiredBefore(before);
    }

    @Override
    public void doCleanOrphans(long time) {
        expiry.deleteExpiredBefore(time);
    }

    private SessionKey key(String id) {
        return records.key(id);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Management

    /**
     * The backend behind this store.
     *
     * @return the backend, never null
     */
    public SessionStore getBackend() {
        return backend;
    }

    /**
     * How attributes are held in the backend.
     *
     * @return the attribute representation
     */
    public AttributeStorage getAttributeStorage() {
        return attributeStorage;
    }

    /**
     * Sessions created in this store's context since it started; a change of a session's id is not a new session.
     *
     * @return sessions created since start
     */
    @ManagedAttribute(value = "sessions created (an id change is not a new session)", readonly = true)
    public long getSessionsCreated() {
        return figures.created();
    }

    /**
     * Saves of session data by this store.
     *
     * @return saves since start
     */
    @ManagedAttribute(value = "session saves", readonly = true)
    public long getSessionsStored() {
        return figures.stored();
    }

    /**
     * Loads of session data that found a record.
     *
     * @return loads since start
     */
    @ManagedAttribute(value = "session loads that found a record", readonly = true)
    public long getSessionsLoaded() {
        return figures.loaded();
    }

    /**
     * Deletes by Jetty (invalidation, expiry) that removed a record.
     *
     * @return deletes since start
     */
    @ManagedAttribute(value = "session records deleted by Jetty (invalidated or expired)", readonly = true)
    public long getSessionsDeleted() {
        return figures.deleted();
    }

    /**
     * Sessions of this context that Jetty ended past their expiry (idle or absolute timeout): deletes of a record
     * whose stored expiry had passed. A session invalidated by the application before it expired is not counted.
     *
     * @return sessions expired since start
     */
    @ManagedAttribute(value = "sessions ended past their expiry (by the stored expiry)", readonly = true)
    public long getSessionsExpired() {
        return figures.expired();
    }

    /**
     * Requested session ids that were malformed (empty, too long, characters outside {@code A-Z a-z 0-9 - _ .})
     * and were treated as unknown, by requests to this store's context (one per lookup of such an id).
     *
     * @return rejected ids since start
     */
    @ManagedAttribute(value = "malformed requested session ids ignored", readonly = true)
    public long getRefusedSessionIds() {
        SessionIdFilter filter = idFilter;
        return filter == null ? 0 : filter.refused();
    }

    /**
     * Sessions of this context restored from the snapshot: read with the context's class loader when it last
     * started.
     *
     * @return sessions restored, or -1 without a snapshot or before start
     */
    @ManagedAttribute(value = "sessions of this context restored from the snapshot at start (-1: no snapshot)",
            readonly = true)
    public long getSnapshotRestored() {
        return figures.snapshotRestored();
    }

    /**
     * Sessions the snapshot held that could not be restored: those of any context lost to a damaged file, plus those
     * of this context whose attribute classes were refused or could not be loaded.
     *
     * @return sessions lost at restore, or -1 without a snapshot or before start
     */
    @ManagedAttribute(value = "sessions in the snapshot that could not be restored (-1: no snapshot)", readonly = true)
    public long getSnapshotLost() {
        return figures.snapshotLost(shared.lastRestore());
    }

    @Override
    public long sessionsRefused() {
        return shared.getSessionsRefused();
    }

    @Override
    public long sessionIdsRefused() {
        return getRefusedSessionIds();
    }

    @Override
    public String toString() {
        return String.format("%s@%x[backend=%s,attributes=%s,graceSec=%d,absoluteTimeoutSec=%d]",
                getClass().getSimpleName(), hashCode(), backend, attributeStorage, getGracePeriodSec(),
                getAbsoluteTimeoutSec());
    }
}
