/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The many-nodes store's database calls as seen by the node's {@link DatabaseAvailability}: each call's outcome is
 * reported to it, so that an outage becomes visible to {@link DatabaseOutageGuard} instead of being swallowed by
 * Jetty's session manager, and a failure because the database is unavailable reaches Jetty as a
 * {@link SessionDatabaseUnavailableException}: one line, no driver trace (Jetty logs what a store throws at WARN
 * with its trace; the outage itself is logged once, by the availability record).
 *
 * <p>One per store, shared by its {@link SharedUserIndex} and {@link RevocationPoll}. Thread-safe: it keeps no
 * state of its own, and the availability record and the guard's per-request mark are thread-safe.
 */
final class OutageTracking {

    private static final Logger LOG = LoggerFactory.getLogger(OutageTracking.class);

    private final DatabaseAvailability availability;

    /** @param availability the availability record every store of the node reports to */
    OutageTracking(DatabaseAvailability availability) {
        this.availability = Objects.requireNonNull(availability, "availability");
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
            LOG.debug("a session store operation failed: the session database is unavailable", e);
            throw new SessionDatabaseUnavailableException("the session database is unavailable ("
                    + DatabaseAvailability.describe(e) + "); see the warning logged when the outage began, and this"
                    + " failure's stack trace at DEBUG of " + OutageTracking.class.getName());
        }
    }

    /**
     * A read of a session, tracked; if it fails because the database is unavailable, the guarded request is marked
     * so that it gets the 503 instead of running as if it had no session (Jetty's session manager would swallow the
     * failure, and the request could be given a new session whose cookie replaces the user's).
     */
    <T> T trackRead(DatabaseAvailability.StoreCall<T> read) throws Exception {
        try {
            return track(read);
        } catch (Exception e) {
            if (DatabaseAvailability.isUnavailability(e)) {
                DatabaseOutageGuard.noteUnavailableLoad();
            }
            throw e;
        }
    }

    /** A save of a session, tracked; one that fails because the database is unavailable is counted. */
    void trackSave(DatabaseAvailability.StoreCall<Void> save) throws Exception {
        try {
            track(save);
        } catch (Exception e) {
            if (DatabaseAvailability.isUnavailability(e)) {
                availability.saveFailed();
            }
            throw e;
        }
    }

    /**
     * Whether the database answers a tracked query now. Asked before work that is not tracked (Jetty's own expiry
     * queries, which log their failures with the driver's trace), so that it is skipped during an outage.
     *
     * @param probe a cheap tracked query, such as a primary-key read of a row that cannot exist
     */
    boolean answers(DatabaseAvailability.StoreCall<?> probe) {
        if (!availability.isAvailable()) {
            return false;
        }
        try {
            probe.call();
            return true;
        } catch (Exception e) {
            // An outage was recorded, and logged once, by the tracked read; any other failure skips this check only.
            LOG.debug("the database did not answer the probe", e);
            return false;
        }
    }

    /** The availability record this tracking reports to. */
    DatabaseAvailability availability() {
        return availability;
    }
}
