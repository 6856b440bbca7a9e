/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.internal.AllowedPackages;
import dev.syncsession.jetty.users.WhenUserLimitReached;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Every option of the many-nodes store, checked once, here: {@link SharedSessions.Builder} makes it, the Jetty XML
 * factory ({@link SharedJdbcSessionDataStoreFactory}) feeds its setters to such a builder, and the stores are made
 * from it. Jetty's own store properties (database adaptor, table schema, grace period, save period) stay with Jetty's
 * factory, as for Jetty's JDBC store; the node's name, its cache and its housekeeper are Jetty's too, set by
 * {@link SharedSessions.Builder#install}.
 *
 * @param sessionCap the cap on the tier's sessions, or 0 for none
 * @param checkCachedCopies whether the nodes' caches check a cached copy against its row before a request uses it
 * @param sessionsByUser whether sessions are indexed by user even without a user attribute or a per-user limit
 *     (either turns the index on too; see {@link #indexesSessionsByUser()})
 * @param userAttribute the session attribute holding the principal, or null for Jetty's authenticated user only
 * @param maxSessionsPerUser the sessions one user may have at once across the tier, or 0 for no limit
 * @param whenUserLimitReached what one more sign-in past that limit does
 * @param revocationPollInterval how often each node looks for sessions other nodes signed out, at least 10 ms
 * @param allowedPackages packages whose attribute classes the nodes may read from the session table, besides the
 *     JDK's value types and collections (none blank)
 * @param detectInPlaceChanges whether the end of each request saves, as changed, the attributes whose serialized form
 *     differs from the row's, though the request never set them ({@link InPlaceChanges})
 */
public record SharedSessionsConfig(
        long sessionCap,
        boolean checkCachedCopies,
        boolean sessionsByUser,
        String userAttribute,
        int maxSessionsPerUser,
        WhenUserLimitReached whenUserLimitReached,
        Duration revocationPollInterval,
        List<String> allowedPackages,
        boolean detectInPlaceChanges) {

    /** Default time between reads of the revocations table. */
    public static final Duration DEFAULT_REVOCATION_POLL_INTERVAL = Duration.ofSeconds(1);

    private static final Duration TEN_MILLISECONDS = Duration.ofMillis(10);

    /**
     * Checks every option, and the options against each other.
     *
     * @throws IllegalArgumentException naming the first option that is out of range or contradicts another
     * @throws NullPointerException naming a required option that is null
     */
    public SharedSessionsConfig {
        if (sessionCap < 0) {
            throw new IllegalArgumentException("sessionCap is " + sessionCap
                    + "; it must be positive, or 0 for no cap");
        }
        if (userAttribute != null && userAttribute.isBlank()) {
            throw new IllegalArgumentException("userAttribute is \"" + userAttribute + "\"; give the"
                    + " attribute's name, or leave it unset for Jetty's authenticated user only");
        }
        if (maxSessionsPerUser < 0) {
            throw new IllegalArgumentException("maxSessionsPerUser is " + maxSessionsPerUser
                    + "; it must be positive, or 0 for no limit");
        }
        Objects.requireNonNull(whenUserLimitReached, "whenUserLimitReached");
        if (whenUserLimitReached == WhenUserLimitReached.INVALIDATE_OLDEST && maxSessionsPerUser == 0) {
            throw new IllegalArgumentException("whenUserLimitReached is INVALIDATE_OLDEST and maxSessionsPerUser is"
                    + " 0 (no limit); set the limit the policy applies to");
        }
        Objects.requireNonNull(revocationPollInterval, "revocationPollInterval");
        if (revocationPollInterval.compareTo(TEN_MILLISECONDS) < 0) {
            throw new IllegalArgumentException("revocationPollInterval is " + revocationPollInterval
                    + "; at least 10 ms is needed");
        }
        allowedPackages = AllowedPackages.checked(allowedPackages);
    }

    /**
     * Whether the tier indexes sessions by user: asked for, or implied by a user attribute or a per-user limit.
     *
     * @return true if each row carries its session's principal and the nodes poll the revocations table
     */
    public boolean indexesSessionsByUser() {
        return sessionsByUser || userAttribute != null || maxSessionsPerUser > 0;
    }
}
