/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import java.util.Objects;
import java.util.Set;
import org.eclipse.jetty.session.JDBCSessionDataStore;
import org.eclipse.jetty.session.SessionData;
import dev.syncsession.jetty.ExpirySearch;

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

    @Override
    public SessionData load(String id) throws Exception {
        return availability.track(() -> super.load(id));
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
