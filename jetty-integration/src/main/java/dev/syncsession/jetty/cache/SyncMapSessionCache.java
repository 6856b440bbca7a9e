/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.cache;

import dev.syncsession.map.SyncMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.eclipse.jetty.server.Session;
import org.eclipse.jetty.session.AbstractSessionCache;
import org.eclipse.jetty.session.ManagedSession;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.session.SessionManager;
import org.eclipse.jetty.util.annotation.ManagedAttribute;
import org.eclipse.jetty.util.annotation.ManagedObject;
import org.eclipse.jetty.util.annotation.ManagedOperation;
import org.eclipse.jetty.util.statistic.CounterStatistic;
import org.eclipse.jetty.util.thread.AutoLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jetty {@link org.eclipse.jetty.session.SessionCache} that keeps the live sessions of one context in a
 * {@link SyncMap}, as a drop-in replacement for Jetty's {@code DefaultSessionCache} (which uses a
 * {@code ConcurrentHashMap}). Session ids are written once and then read by every request of that session, which is
 * the workload SyncMap is built for: a request for a cached session finds it with one lock-free probe.
 *
 * <p>All of Jetty's cache options behave exactly as for {@code DefaultSessionCache}: the eviction policies
 * ({@code NEVER_EVICT}, {@code EVICT_ON_SESSION_EXIT}, evict after N seconds idle), {@code saveOnCreate},
 * {@code saveOnInactiveEviction}, {@code removeUnloadableSessions}, {@code flushOnResponseCommit} and
 * {@code invalidateOnShutdown} are implemented by {@link AbstractSessionCache}; this class only supplies the map
 * operations.
 *
 * <h2>Loading a session that is not cached</h2>
 * Jetty loads a missing session through {@link #doComputeIfAbsent}, whose mapping function reads the session data
 * store and fires the activation listeners, and it relies on {@code ConcurrentHashMap.computeIfAbsent}'s guarantee
 * that the function runs at most once at a time per key (otherwise two session objects could exist for one id).
 * SyncMap's {@code computeIfAbsent} may run the function more than once, so this class coordinates loads per id
 * itself: the first thread to miss registers a future in {@link #loading}, loads and publishes the session with
 * {@code putIfAbsent}; concurrent requests for the same id wait for that future. Store I/O therefore never runs
 * under a lock shared with other sessions.
 *
 * <p>Thread-safety: safe for concurrent use, as Jetty requires. Null policy: ids and sessions are never null in the
 * map; {@link #doGet(String)} returns null for a null id. Cost: {@link #doGet} is one lock-free lookup for a session
 * that has been cached for a while; adding or removing a session is amortized O(1) under SyncMap's lock.
 */
@ManagedObject("Session cache holding live sessions in a SyncMap")
public class SyncMapSessionCache extends AbstractSessionCache {

    private static final Logger LOG = LoggerFactory.getLogger(SyncMapSessionCache.class);

    /** The cached sessions by id. A session is in here while it is resident, and removed when evicted or deleted. */
    private final SyncMap<String, ManagedSession> sessions = new SyncMap<>();

    /**
     * Loads in progress by session id. Each entry is added by the thread that loads the session and removed by it
     * after the session was published to {@link #sessions}, before the future is completed. Short-lived and
     * write-heavy, so a ConcurrentHashMap rather than a SyncMap.
     */
    private final ConcurrentHashMap<String, CompletableFuture<ManagedSession>> loading = new ConcurrentHashMap<>();

    /** Sessions added to and removed from {@link #sessions}, as DefaultSessionCache counts them. */
    private final CounterStatistic sessionStats = new CounterStatistic();

    /**
     * With a store other nodes write too ({@link SessionFreshness}): a cached copy is checked before it is used. A
     * bean of this cache, so its counters show in JMX next to it.
     */
    private final CachedCopyCheck copyCheck =
            new CachedCopyCheck(this, super::getAndEnter, this::doDelete, this::doGet);

    /**
     * Creates a cache for the sessions of one context.
     *
     * @param manager the session manager (the context's SessionHandler) this cache belongs to
     */
    public SyncMapSessionCache(SessionManager manager) {
        super(manager);
        addBean(copyCheck);
    }

    /**
     * The number of sessions in the cache now.
     *
     * @return sessions currently cached
     */
    @ManagedAttribute(value = "current sessions in cache", readonly = true)
    public long getSessionsCurrent() {
        return sessionStats.getCurrent();
    }

    /**
     * The highest number of sessions in the cache at one time since start or the last {@link #resetStats()}.
     *
     * @return the maximum number of sessions cached
     */
    @ManagedAttribute(value = "max sessions in cache", readonly = true)
    public long getSessionsMax() {
        return sessionStats.getMax();
    }

    /**
     * The number of sessions added to the cache (created, or loaded from the store) since start or the last
     * {@link #resetStats()}.
     *
     * @return sessions ever added to the cache
     */
    @ManagedAttribute(value = "total sessions in cache", readonly = true)
    public long getSessionsTotal() {
        return sessionStats.getTotal();
    }

    /** Starts as Jetty's caches do; a shared store then tells the check of sessions other nodes end. */
    @Override
    protected void doStart() throws Exception {
        super.doStart();
        copyCheck.listenForSessionsEndedElsewhere();
    }

    /**
     * Gets a session for a request as Jetty's caches do, but none for an id the store's id filter refuses; with a
     * store that other nodes write too, a cached copy is first checked against the store, so that a copy another
     * node has changed or invalidated is never used (see {@link CachedCopyCheck}).
     */
    @Override
    protected ManagedSession getAndEnter(String id, boolean enter) throws Exception {
        return copyCheck.getAndEnter(id, enter);
    }

    /**
     * Saves a changed session as its response is committed, as Jetty does, with a store that other nodes write too
     * first recording the changes it finds itself ({@link CachedCopyCheck#commit}).
     */
    @Override
    public void commit(ManagedSession session) throws Exception {
        CachedCopyCheck.commit(this, session, () -> super.commit(session));
    }

    /**
     * Renews a session's id as Jetty does, with a store that other nodes write too first bringing the copy up to the
     * row ({@link CachedCopyCheck#beforeRenewal}).
     */
    @Override
    protected void renewSessionId(ManagedSession session, String newId, String newExtendedId) throws Exception {
        copyCheck.beforeRenewal(session);
        super.renewSessionId(session, newId, newExtendedId);
    }

    /**
     * Evicts an idle session as Jetty does, except that a copy another node has replaced in a shared store is
     * evicted without the save, which would write it over the newer row ({@link CachedCopyCheck#evictedIfStale}).
     */
    @Override
    public void checkInactiveSession(ManagedSession session) {
        if (!copyCheck.evictedIfStale(session)) {
            super.checkInactiveSession(session);
        }
    }

    /** Resets the current/max/total session counters; the SyncMap counters are cumulative and are not reset. */
    @ManagedOperation(value = "reset statistics", impact = "ACTION")
    public void resetStats() {
        sessionStats.reset();
    }

    /**
     * Lookups that missed SyncMap's lock-free read table and took its lock: high values mean many sessions are
     * being created and read back before the map promoted them.
     *
     * @return SyncMap misses since the cache was created
     */
    @ManagedAttribute(value = "lookups that took the SyncMap lock", readonly = true)
    public long getMapMisses() {
        return sessions.stats().misses();
    }

    /**
     * Times SyncMap promoted its dirty table to be the lock-free read table.
     *
     * @return SyncMap promotions since the cache was created
     */
    @ManagedAttribute(value = "SyncMap dirty-to-read promotions", readonly = true)
    public long getMapPromotions() {
        return sessions.stats().promotions();
    }

    /**
     * Times SyncMap rebuilt its dirty table by copying the read table (the first new session after a promotion).
     *
     * @return SyncMap dirty rebuilds since the cache was created
     */
    @ManagedAttribute(value = "SyncMap dirty table rebuilds", readonly = true)
    public long getMapDirtyRebuilds() {
        return sessions.stats().dirtyRebuilds();
    }

    /**
     * Entries copied by SyncMap's dirty table rebuilds.
     *
     * @return entries copied since the cache was created
     */
    @ManagedAttribute(value = "entries copied by SyncMap dirty rebuilds", readonly = true)
    public long getMapEntriesCopied() {
        return sessions.stats().entriesCopied();
    }

    /** Jetty's session object, with visits through {@code HttpSession.Accessor} made request visits. */
    @Override
    public ManagedSession newSession(SessionData data) {
        return new AccessorAwareSession(getSessionManager(), data, this);
    }

    /** A request's exit, as Jetty's caches do it; also how an {@link AccessorAwareSession} ends an accessor visit. */
    @Override
    public void release(ManagedSession session) throws Exception {
        if (session instanceof AccessorAwareSession aware) {
            aware.releaseByCache(() -> super.release(session));
        } else {
            super.release(session);
        }
    }

    /** {@link #release(ManagedSession)}'s work, which may throw what the store throws. */
    @FunctionalInterface
    interface Release {
        void run() throws Exception;
    }

    /**
     * Puts back a session object evicted since an accessor was made with it, if it is still the session: no other
     * object for its id is cached (no request has loaded it again) and the store's copy is the one it saved. The
     * caller holds the session's lock.
     *
     * @throws IllegalStateException if it is not the session any more, saying why
     */
    void readmit(ManagedSession session) {
        String id = session.getId();
        ManagedSession cached = doGet(id);
        String evicted = "session " + id + " was evicted from the cache since this accessor was made, and ";
        if (cached != null && cached != session) {
            throw new IllegalStateException(evicted + "a request has loaded it again; take a new accessor from a"
                    + " request of the session");
        }
        if (cached == null) {
            SessionData stored;
            try {
                stored = _sessionDataStore.load(id);
            } catch (Exception e) {
                throw new IllegalStateException(evicted + "could not be loaded to check it: " + e.getMessage(), e);
            }
            if (stored == null) {
                throw new IllegalStateException(evicted + "no longer exists");
            }
            if (stored.getLastSaved() != session.getSessionData().getLastSaved()) {
                throw new IllegalStateException(evicted + "has changed since; take a new accessor from a request of"
                        + " the session");
            }
            if (putIfAbsent(id, session) != null) {
                throw new IllegalStateException(evicted + "a request has loaded it again; take a new accessor from"
                        + " a request of the session");
            }
            if (_sessionDataStore.isPassivating()) {
                session.onSessionActivation();
            }
        }
        session.setResident(true);
    }

    /**
     * The session object cached for an id, without loading it.
     *
     * @param id the session id
     * @return the session, or null if none is cached
     */
    public ManagedSession cached(String id) {
        return doGet(id);
    }

    @Override
    protected ManagedSession doGet(String id) {
        return id == null ? null : sessions.get(id);
    }

    @Override
    protected Session doPutIfAbsent(String id, ManagedSession session) {
        return putIfAbsent(id, session);
    }

    private ManagedSession putIfAbsent(String id, ManagedSession session) {
        ManagedSession existing = sessions.putIfAbsent(id, session);
        if (existing == null) {
            sessionStats.increment();
        }
        return existing;
    }

    /**
     * Returns the cached session, or loads it with {@code mappingFunction} and caches it, with the semantics of
     * {@code ConcurrentHashMap.computeIfAbsent}: the function runs at most once at a time per id, and if it returns
     * null or throws, nothing is cached and a thread that was waiting for it runs its own function.
     * {@code mappingFunction} must not call back into this cache for the same id.
     */
    @Override
    public ManagedSession doComputeIfAbsent(String id, Function<String, ManagedSession> mappingFunction) {
        for (;;) {
            ManagedSession cached = sessions.get(id);
            if (cached != null) {
                return cached;
            }
            CompletableFuture<ManagedSession> ours = new CompletableFuture<>();
            CompletableFuture<ManagedSession> theirs = loading.putIfAbsent(id, ours);
            if (theirs == null) {
                return loadAndPublish(id, mappingFunction, ours);
            }
            ManagedSession loaded = awaitLoad(theirs);
            if (loaded != null) {
                return loaded;
            }
            // The other load found nothing or failed; as with ConcurrentHashMap, we try ourselves.
        }
    }

    private ManagedSession loadAndPublish(String id, Function<String, ManagedSession> mappingFunction,
            CompletableFuture<ManagedSession> ours) {
        ManagedSession result;
        try {
            // A load that finished between our miss and our registration has already published its session.
            result = sessions.get(id);
            if (result == null) {
                result = mappingFunction.apply(id);
                if (result != null) {
                    ManagedSession existing = putIfAbsent(id, result);
                    if (existing != null) {
                        // Only a brand-new session added under the same id can get here; keep one object per id.
                        result = existing;
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            loading.remove(id, ours);
            ours.completeExceptionally(e);
            throw e;
        }
        // Remove before completing, so that a waiter that retries registers a fresh load instead of spinning on ours.
        loading.remove(id, ours);
        ours.complete(result);
        return result;
    }

    /** Waits for another thread's load; null if it found no session or failed (its thread reports the failure). */
    private static ManagedSession awaitLoad(CompletableFuture<ManagedSession> load) {
        try {
            return load.join();
        } catch (CompletionException e) {
            return null;
        }
    }

    @Override
    protected boolean doReplace(String id, ManagedSession oldValue, ManagedSession newValue) {
        return sessions.replace(id, oldValue, newValue);
    }

    @Override
    public ManagedSession doDelete(String id) {
        ManagedSession removed = sessions.remove(id);
        if (removed != null) {
            sessionStats.decrement();
        }
        return removed;
    }

    /**
     * Invalidates (if {@code invalidateOnShutdown}) or saves and evicts every cached session, as
     * {@code DefaultSessionCache} does. SyncMap's range walks a table that no lock protects, so the deletes the
     * visits cause are safe; sessions added meanwhile are caught by the next of at most 100 passes.
     */
    @Override
    public void shutdown() {
        if (LOG.isDebugEnabled()) {
            LOG.debug("Shutdown sessions, invalidating = {}", isInvalidateOnShutdown());
        }
        for (int pass = 0; pass < 100 && !sessions.isEmpty(); pass++) {
            sessions.range((id, session) -> {
                shutdown(session);
                return true;
            });
        }
    }

    @SuppressWarnings("try") // the session lock is held for the block, its variable is not used
    private void shutdown(ManagedSession session) {
        if (isInvalidateOnShutdown()) {
            try {
                session.invalidate();
            } catch (Exception e) {
                // Already invalid, or invalidated by a concurrent request: either way it is gone.
                LOG.debug("Session {} was already invalid at shutdown", session.getId(), e);
            }
            return;
        }
        try (AutoLock lock = session.lock()) {
            if (!session.isResident()) {
                // The range saw it before a request's exit evicted it (EVICT_ON_SESSION_EXIT), which also saved
                // it: passivating a copy that is no longer resident fails, and there is nothing left to do.
                return;
            }
            if (_sessionDataStore.isPassivating()) {
                session.onSessionPassivation();
            }
            try {
                _sessionDataStore.store(session.getId(), session.getSessionData());
            } catch (Exception e) {
                // One line per session: a stop during a database outage fails every save the same way.
                LOG.warn("session {}: could not save it at stop ({}); its changes since the last save are lost",
                        session.getId(), e.toString());
                LOG.debug("the failed save of session {} at stop", session.getId(), e);
            }
            session.setResident(false);
            doDelete(session.getId());
        }
    }
}
