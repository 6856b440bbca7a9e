/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.cache;

import dev.syncsession.jetty.protection.SessionIdFilter;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.jetty.session.ManagedSession;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.session.SessionDataStore;
import org.eclipse.jetty.util.annotation.ManagedAttribute;
import org.eclipse.jetty.util.annotation.ManagedObject;
import org.eclipse.jetty.util.thread.AutoLock;

/**
 * Checks a cached session against a {@link SessionFreshness} store before a request uses it. Stickiness breaks in
 * practice (a balancer failing back, rebalancing, a client whose address changes): when a session's requests go from
 * node A to node B and back, A still caches the copy it had, and without a check would serve it and write it back
 * over B's newer row, or keep a session B has invalidated. With the check, the first request of a session on a node
 * (no other request of it running there) asks the store whether the copy is current: if another node saved it since,
 * the copy is dropped, without saving, and the session loaded again; if it is gone, the copy is dropped and the
 * request has no session. Requests that overlap on one node share the copy the first of them checked; one that
 * enters while that check is under way waits for its verdict, and takes the fresh copy if the checked one is
 * dropped. An idle copy that the cache evicts, saving it first, is checked too ({@link #evictedIfStale}): if another
 * node has replaced it, it is evicted without the save, which would write the older copy over the newer row.
 *
 * <p>Cost: one read per request that enters a cached session (the many-nodes store's: the session row by its
 * primary key, with the sum of its attribute rows' versions), on stores that implement
 * {@link SessionFreshness}, unless the request shows that this node served the session last: under the many-nodes
 * guard, a request whose session cookie (or {@code ;jsessionid=}) ends in this node's worker name, which Jetty puts
 * there with every response of the node that served it, is not checked: the sticky path reads nothing. The one
 * exception: the first such request after a request that entered the copy without showing this node (stickiness
 * broke) is checked, because another node may have served that request's session at the same time and saved after
 * this copy was checked ({@link SessionFreshness#enteredFromElsewhere}). Nothing on other stores.
 *
 * <p>One per cache ({@link SyncMapSessionCache}, {@link CheckedDefaultSessionCache}), which adds it as a bean, so
 * that its counters show in JMX next to the cache; the cache's {@code getAndEnter}, {@code checkInactiveSession}
 * and {@code doStart} call it. It also refuses the ids the store's {@link SessionIdFilter} refuses, before the cache
 * registers a load for them. Thread-safe: besides counters and a thread-local, it holds only the checks under way
 * and the sessions ended elsewhere, in concurrent collections.
 */
@ManagedObject("checks of cached session copies against a store that other nodes write too")
public final class CachedCopyCheck {

    /** The cache's own {@code getAndEnter}, which is protected in Jetty's {@code AbstractSessionCache}. */
    @FunctionalInterface
    interface GetAndEnter {
        /**
         * Gets the session from the cache or loads it, entering it if asked, without this check.
         *
         * @param id the session id
         * @param enter whether the caller enters the session (a request)
         * @return the session, or null if the store does not hold it
         * @throws Exception if loading fails
         */
        ManagedSession getAndEnter(String id, boolean enter) throws Exception;
    }

    /** Checks under way, by the copy they check; a request entering a copy being checked waits for the verdict. */
    private final ConcurrentHashMap<ManagedSession, CompletableFuture<SessionFreshness.Verdict>> checking =
            new ConcurrentHashMap<>();

    /**
     * Sessions ended on another node whose copy was busy when the store said so: checked, not trusted, at their next
     * request, and dropped once idle ({@link #endedElsewhere}). Few: only copies in use at that moment.
     */
    private final Set<String> endedElsewhere = ConcurrentHashMap.newKeySet();

    private final LongAdder verified = new LongAdder();
    private final LongAdder trusted = new LongAdder();
    private final LongAdder reloaded = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    private final SessionCache cache;
    private final GetAndEnter load;
    private final Consumer<String> forget;
    private final Function<String, ManagedSession> peek;

    /**
     * A check for one cache, through the cache operations that Jetty's {@code AbstractSessionCache} keeps protected.
     *
     * @param cache the cache, whose store and eviction settings are read at each call (they are set after it is made)
     * @param load the cache's {@code getAndEnter} without this check ({@code super.getAndEnter})
     * @param forget removes a session from the cache without saving or invalidating it ({@code doDelete})
     * @param peek the session the cache holds, without loading or entering it ({@code doGet})
     */
    CachedCopyCheck(SessionCache cache, GetAndEnter load, Consumer<String> forget,
            Function<String, ManagedSession> peek) {
        this.cache = cache;
        this.load = load;
        this.forget = forget;
        this.peek = peek;
    }

    /**
     * The cache's {@code getAndEnter}: no session for an id the store's {@link SessionIdFilter} refuses (and no load
     * registered for it), otherwise what the cache finds, checked ({@link #verified}).
     *
     * @param id the session id a client sent
     * @param enter whether the caller enters the session (a request)
     * @return the session to use, or null
     * @throws Exception if the store cannot be asked or the session cannot be loaded
     */
    ManagedSession getAndEnter(String id, boolean enter) throws Exception {
        SessionDataStore store = cache.getSessionDataStore();
        if (!SessionIdFilter.admits(store, id)) {
            return null; // a hostile id: no session, and no load registered for it
        }
        return verified(id, load.getAndEnter(id, enter), enter, store);
    }

    /**
     * The session a request may use: {@code cached} if the store says it is current (or cannot be asked for it: the
     * store is not a {@link SessionFreshness}, the request does not enter it, another request of it is running here,
     * or it has never been saved), a freshly loaded copy if another node changed it, null if it is gone.
     *
     * @param id the session id
     * @param cached what the cache returned, entered by this request if {@code entered}
     * @param entered whether this request entered the session (and must be let out if its copy is dropped)
     * @param store the cache's data store
     * @return the session to use, or null
     * @throws Exception if the store cannot be asked or the session cannot be loaded again
     */
    private ManagedSession verified(String id, ManagedSession cached, boolean entered, SessionDataStore store)
            throws Exception {
        if (cached == null || !entered || !(store instanceof SessionFreshness freshness)) {
            return cached;
        }
        boolean endedHere = !endedElsewhere.isEmpty() && endedElsewhere.contains(id);
        if (!freshness.checksCachedCopies() && !endedHere) {
            return cached;
        }
        long lastSaved;
        long version = 0;
        CompletableFuture<SessionFreshness.Verdict> pending;
        CompletableFuture<SessionFreshness.Verdict> ours = new CompletableFuture<>();
        boolean servedHere = PresentedNode.lastServedHere(id, cached);
        try (AutoLock ignored = cached.lock()) {
            if (!cached.isResident() || !cached.isValid()) {
                return cached;
            }
            if (!servedHere) {
                freshness.enteredFromElsewhere(cached.getSessionData());
            }
            pending = checking.get(cached);
            if (pending == null) {
                if (cached.getRequests() > 1) {
                    return cached; // overlapping requests on this node share the copy the first one checked
                }
                lastSaved = cached.getSessionData().getLastSaved();
                if (lastSaved <= 0) {
                    return cached; // never saved: no other node can have changed it
                }
                if (!endedHere && servedHere && !freshness.forgetEnteredFromElsewhere(cached.getSessionData())) {
                    trusted.increment();
                    return cached;
                }
                version = freshness.versionOf(cached.getSessionData()); // only a check reads it
                // Under the session's lock: a request that enters the copy from now on waits for this verdict
                // instead of using a copy that may be about to be dropped.
                checking.put(cached, ours);
            } else {
                lastSaved = 0;
            }
        }
        if (pending != null) {
            return enteredFrom(afterTheirCheck(id, cached, pending), servedHere, freshness);
        }
        SessionFreshness.Verdict verdict;
        try {
            verdict = freshness.verify(id, lastSaved, version);
        } catch (Exception e) {
            leave(cached); // the request cannot use it; let it out again
            done(cached, ours, null, e);
            throw e;
        }
        verified.increment();
        if (endedHere) {
            endedElsewhere.remove(id); // checked: dropped below if it is gone
        }
        if (verdict == SessionFreshness.Verdict.CURRENT) {
            done(cached, ours, verdict, null);
            return cached;
        }
        try (AutoLock ignored = cached.lock()) {
            leave(cached);
            cached.setResident(false); // a request that still holds it sees a non-resident copy and reloads
        }
        forget.accept(id);
        // Completed only now: a request waiting for it must not find the dropped copy in the cache.
        done(cached, ours, verdict, null);
        if (verdict == SessionFreshness.Verdict.GONE) {
            dropped.increment();
            return null;
        }
        reloaded.increment();
        return enteredFrom(load.getAndEnter(id, true), servedHere, freshness);
    }

    /**
     * The copy a request entered, recorded as entered from elsewhere ({@link SessionFreshness#enteredFromElsewhere})
     * if the request did not show that this node served it last.
     */
    private static ManagedSession enteredFrom(ManagedSession copy, boolean servedHere, SessionFreshness freshness) {
        if (copy != null && !servedHere) {
            try (AutoLock ignored = copy.lock()) {
                freshness.enteredFromElsewhere(copy.getSessionData());
            }
        }
        return copy;
    }

    /**
     * Has a {@link SessionFreshness} store tell this check of the sessions other nodes end ({@link #endedElsewhere});
     * called by the cache as it starts, once its store has started.
     */
    void listenForSessionsEndedElsewhere() {
        if (cache.getSessionDataStore() instanceof SessionFreshness freshness) {
            freshness.whenEndedElsewhere(this::endedElsewhere);
        }
    }

    /**
     * Drops the copies of sessions another node ended without a request of theirs ("sign out everywhere"), which
     * this node would otherwise keep serving to requests that show it served them last. An idle copy is dropped at
     * once, without saving; one in use is left to its requests (the exit save of such a request finds no row and
     * writes nothing) and remembered: its next request checks it against the store, which drops it, and a later call
     * drops it once idle. Called by the store's thread with the ids it has learned of, and periodically with none.
     *
     * @param ids sessions ended elsewhere; may include sessions this cache never held
     */
    private void endedElsewhere(Collection<String> ids) {
        endedElsewhere.addAll(ids);
        for (String id : endedElsewhere) {
            ManagedSession copy = peek.apply(id);
            if (copy == null) {
                endedElsewhere.remove(id);
                continue;
            }
            try (AutoLock ignored = copy.lock()) {
                if (copy.getRequests() <= 0 && copy.isResident() && !checking.containsKey(copy)) {
                    copy.setResident(false);
                    forget.accept(id);
                    endedElsewhere.remove(id);
                    dropped.increment();
                }
            }
        }
    }

    /** Lets the request out of a copy it will not use, without the save of a request's exit. */
    private static void leave(ManagedSession cached) {
        if (cached instanceof AccessorAwareSession aware) {
            aware.leave();
        } else {
            cached.release();
        }
    }

    private void done(ManagedSession cached, CompletableFuture<SessionFreshness.Verdict> check,
            SessionFreshness.Verdict verdict, Exception failure) {
        checking.remove(cached, check);
        if (failure != null) {
            check.completeExceptionally(failure);
        } else {
            check.complete(verdict);
        }
    }

    /**
     * A request that entered a copy while another request of its session was checking it: it uses the copy if it is
     * current, and otherwise lets it out and takes what the other request found (a fresh copy, or none).
     */
    private ManagedSession afterTheirCheck(String id, ManagedSession cached,
            CompletableFuture<SessionFreshness.Verdict> check) throws Exception {
        SessionFreshness.Verdict verdict;
        try {
            verdict = check.join();
        } catch (CompletionException e) {
            leave(cached);
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        if (verdict == SessionFreshness.Verdict.CURRENT) {
            return cached;
        }
        leave(cached);
        return verdict == SessionFreshness.Verdict.GONE ? null : load.getAndEnter(id, true);
    }

    /**
     * Before the cache renews a session's id: the store brings the copy up to its row
     * ({@link SessionFreshness#beforeRenewal}), so that the renewed session keeps what another node saved since the
     * request's copy was checked.
     *
     * @param session the session about to be renewed, entered by the renewing request
     * @throws Exception if the store cannot be asked; the renewal fails
     */
    void beforeRenewal(ManagedSession session) throws Exception {
        if (cache.getSessionDataStore() instanceof SessionFreshness freshness) {
            try (AutoLock ignored = session.lock()) {
                freshness.beforeRenewal(session.getSessionData());
            }
        }
    }

    /** The cache's own {@code commit}, which saves a changed session as its response is committed. */
    @FunctionalInterface
    interface Commit {
        void run() throws Exception;
    }

    /**
     * The cache's {@code commit}, run between the store's {@link SessionFreshness#beforeCommit} (the store records the
     * changes it finds itself, and knows that a save now is the one at the response's commit) and
     * {@link SessionFreshness#afterCommit}, holding the session's lock throughout, as Jetty's commit holds it.
     *
     * @param cache the cache committing, whose store is asked
     * @param session the session of the response being committed
     * @param commit Jetty's commit ({@code super.commit})
     * @throws Exception as Jetty's commit throws it
     */
    static void commit(SessionCache cache, ManagedSession session, Commit commit) throws Exception {
        if (session == null || !(cache.getSessionDataStore() instanceof SessionFreshness freshness)) {
            commit.run();
            return;
        }
        try (AutoLock ignored = session.lock()) {
            SessionData data = session.getSessionData();
            freshness.beforeCommit(data);
            try {
                commit.run();
            } finally {
                freshness.afterCommit(data);
            }
        }
    }

    /**
     * Evicts an idle session without saving it, if the cache is about to evict it with a save and its copy is no
     * longer the one the store holds (another node saved or invalidated the session since): the save would put an
     * older copy over a newer row. Asks the store only when the eviction would happen now and save; if the store
     * cannot be asked, or the copy is current, it does nothing and the cache evicts as Jetty does.
     *
     * @param session the session the cache checks for idleness
     * @return true if the session was dealt with here, false if the cache is to check it as Jetty does
     */
    boolean evictedIfStale(ManagedSession session) {
        if (session == null || !staleForEviction(session, cache.getSessionDataStore(), cache.getEvictionPolicy(),
                cache.isSaveOnInactiveEviction())) {
            return false;
        }
        try (AutoLock ignored = session.lock()) {
            if (session.getRequests() <= 0 && session.isResident()) {
                session.setResident(false);
                forget.accept(session.getId());
            }
        }
        return true;
    }

    /** Whether an idle session due for eviction with a save holds a copy the store has replaced. */
    private boolean staleForEviction(ManagedSession session, SessionDataStore store, int evictionPolicy,
            boolean saveOnEviction) {
        if (!saveOnEviction || evictionPolicy <= 0 || !(store instanceof SessionFreshness freshness)
                || !freshness.checksCachedCopies()) {
            return false;
        }
        long lastSaved;
        long version;
        try (AutoLock ignored = session.lock()) {
            boolean evictsNow = session.isValid() && session.isResident() && session.getRequests() <= 0
                    && session.getSessionData().getAccessed() + evictionPolicy * 1000L <= System.currentTimeMillis();
            if (!evictsNow) {
                return false;
            }
            lastSaved = session.getSessionData().getLastSaved();
            version = freshness.versionOf(session.getSessionData());
        }
        if (lastSaved <= 0) {
            return false;
        }
        try {
            verified.increment();
            if (freshness.verify(session.getId(), lastSaved, version) == SessionFreshness.Verdict.CURRENT) {
                return false;
            }
        } catch (Exception e) {
            return false; // Jetty's eviction then tries the save, and logs its failure
        }
        dropped.increment();
        return true;
    }

    /**
     * Cached copies checked against a store that other nodes write too, before a request used them or the cache
     * evicted them; 0 with a process-local store.
     *
     * @return checks since the cache was created
     */
    @ManagedAttribute(value = "cached copies checked against a shared store", readonly = true)
    public long getCopiesVerified() {
        return verified.sum();
    }

    /**
     * Cached copies used without a check because the request showed that this node served the session last.
     *
     * @return such uses since the cache was created
     */
    @ManagedAttribute(value = "cached copies used unchecked: the client was last served by this node", readonly = true)
    public long getCopiesTrusted() {
        return trusted.sum();
    }

    /**
     * Cached copies found stale (another node saved the session since), dropped and loaded again.
     *
     * @return reloads since the cache was created
     */
    @ManagedAttribute(value = "stale cached copies reloaded from a shared store", readonly = true)
    public long getCopiesReloaded() {
        return reloaded.sum();
    }

    /**
     * Cached copies dropped without saving: sessions the store no longer holds, and idle copies another node had
     * replaced, evicted without writing them back.
     *
     * @return drops since the cache was created
     */
    @ManagedAttribute(value = "cached copies of sessions gone from a shared store, dropped", readonly = true)
    public long getCopiesDropped() {
        return dropped.sum();
    }
}
