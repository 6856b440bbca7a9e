/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.ExpirySearch;
import java.util.Objects;
import java.util.Set;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.session.JDBCSessionDataStore;
import org.eclipse.jetty.session.SessionData;

/**
 * Jetty's {@link JDBCSessionDataStore} with two changes:
 * <ul>
 *   <li>the outcome of every load, store, exists and delete is reported to a {@link StoreAvailability}, so that a
 *       database outage becomes visible to {@link SessionStoreGuard} instead of being swallowed by Jetty's session
 *       manager;</li>
 *   <li>sessions that expired while another node (perhaps a dead one) held them are searched for once per grace
 *       period whatever the scavenge interval. Jetty's {@code getExpired} searches only when a grace period has
 *       passed since its last call, but records every call, so with a scavenge interval shorter than the grace
 *       period (as with Jetty's defaults, 10 minutes and 1 hour) it searches once at start and never again, and a
 *       dead node's abandoned sessions are deleted, without their listeners, only by the orphan sweep ten grace
 *       periods later.</li>
 * </ul>
 *
 * <p>Thread-safety as {@link JDBCSessionDataStore}: Jetty calls it concurrently from request and scavenger threads.
 */
final class SharedJdbcSessionDataStore extends JDBCSessionDataStore {

    private final StoreAvailability availability;

    SharedJdbcSessionDataStore(StoreAvailability availability) {
        this.availability = Objects.requireNonNull(availability, "availability");
    }

    /**
     * Jetty's expiry check; afterwards, if Jetty skipped the search for other nodes' expired sessions, the time of
     * the last search is put back, so that the search runs once a grace period has passed since it last ran. Only
     * the housekeeper thread calls this.
     */
    @Override
    public Set<String> getExpired(Set<String> candidates) {
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
        try {
            return availability.track(() -> super.load(id));
        } catch (Exception e) {
            if (StoreAvailability.isUnavailability(e)) {
                SessionStoreGuard.noteUnavailableLoad();
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
        if (SessionStoreGuard.currentRequestLostItsSession()) {
            throw new HttpException.RuntimeException(HttpStatus.SERVICE_UNAVAILABLE_503,
                    "the session store is unavailable");
        }
        return super.newSessionData(id, created, accessed, lastAccessed, maxInactiveMs);
    }

    @Override
    public void store(String id, SessionData data) throws Exception {
        availability.track(() -> {
            super.store(id, data);
            return null;
        });
    }

    @Override
    public boolean exists(String id) throws Exception {
        return availability.track(() -> super.exists(id));
    }

    @Override
    public boolean delete(String id) throws Exception {
        return availability.track(() -> super.delete(id));
    }
}
