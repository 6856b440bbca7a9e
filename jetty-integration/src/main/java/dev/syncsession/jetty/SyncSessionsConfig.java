/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import dev.syncsession.jetty.internal.ExpirySearch;
import dev.syncsession.jetty.store.SyncSessionDataStoreFactory;
import dev.syncsession.jetty.users.PrincipalSource;
import dev.syncsession.jetty.users.WhenUserLimitReached;
import dev.syncsession.session.AttributeStorage;
import dev.syncsession.session.SessionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Every option of the single-node store and its backend, checked once, here: {@link SyncSessions.Builder} makes it,
 * the Jetty XML factory ({@link SyncSessionDataStoreFactory}) feeds its setters to such a builder, and the store
 * and the backend's lifecycle are made from it. Jetty's own store properties (grace period, save period) stay with
 * Jetty's factory, as for Jetty's stores.
 *
 * @param backendInstance a backend the application built (never closed by syncsession), or null for a bundled one
 * @param backendKind the bundled backend, or null to choose by {@code maximumSessions}
 * @param maximumSessions the bound of a bundled Caffeine backend, or 0 for none (and the SyncMap backend)
 * @param maxLiveSessions the cap on live sessions, or 0 for none
 * @param attributeStorage how attributes are held
 * @param sweepInterval the time between sweeps, at least one second
 * @param retainExpired how long past its expiry a record stays before the sweeper removes it, or null for ten grace
 *     periods (Jetty's orphan horizon)
 * @param absoluteTimeout the longest a session lives after its creation, at least 1 s, or zero for no absolute
 *     timeout
 * @param principalAttribute the session attribute holding the signed-in user, or null for Jetty's authenticated
 *     user only
 * @param maxSessionsPerUser the sessions one user may have at once in a context, or 0 for no limit
 * @param whenUserLimitReached what one more sign-in past that limit does
 * @param snapshotFile the snapshot file, or null for none
 * @param snapshotInterval the time between snapshot writes while running, zero (only at stop) or at least 1 s
 * @param snapshotAllowedPackages packages whose attribute classes a snapshot may restore
 * @param keepSessionsOnStop whether a context's sessions stay (serialized) when it stops
 */
public record SyncSessionsConfig(
        SessionStore backendInstance,
        SyncSessions.Backend backendKind,
        long maximumSessions,
        long maxLiveSessions,
        AttributeStorage attributeStorage,
        Duration sweepInterval,
        Duration retainExpired,
        Duration absoluteTimeout,
        String principalAttribute,
        int maxSessionsPerUser,
        WhenUserLimitReached whenUserLimitReached,
        Path snapshotFile,
        Duration snapshotInterval,
        List<String> snapshotAllowedPackages,
        boolean keepSessionsOnStop) {

    /** Default time between sweeps. */
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(60);

    /** Default time between snapshot writes while running. */
    public static final Duration DEFAULT_SNAPSHOT_INTERVAL = Duration.ofSeconds(30);

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    /**
     * Checks every option, and the options against each other.
     *
     * @throws IllegalArgumentException naming the first option that is out of range or contradicts another
     * @throws NullPointerException naming a required option that is null
     */
    public SyncSessionsConfig {
        if (maximumSessions < 0) {
            throw new IllegalArgumentException("maximumSessions is " + maximumSessions + "; it must be positive, or 0 for none");
        }
        if (maxLiveSessions < 0) {
            throw new IllegalArgumentException("maxLiveSessions is " + maxLiveSessions
                    + "; it must be positive, or 0 for no cap");
        }
        if (backendInstance != null && (backendKind != null || maximumSessions > 0)) {
            throw new IllegalArgumentException("a backend instance was given; backend kind and maximumSessions configure"
                    + " bundled backends and cannot apply to it");
        }
        if (backendKind == SyncSessions.Backend.SYNCMAP && maximumSessions > 0) {
            throw new IllegalArgumentException("maximumSessions=" + maximumSessions + " needs the CAFFEINE backend; the SYNCMAP"
                    + " backend is unbounded");
        }
        if (backendKind == SyncSessions.Backend.CAFFEINE && maximumSessions == 0) {
            throw new IllegalArgumentException("the CAFFEINE backend needs maximumSessions, the bound it enforces");
        }
        Objects.requireNonNull(attributeStorage, "attributeStorage");
        atLeastOneSecond(Objects.requireNonNull(sweepInterval, "sweepInterval"), "sweepInterval");
        if (retainExpired != null && retainExpired.isNegative()) {
            throw new IllegalArgumentException("retainExpired is " + retainExpired + "; it must be zero or more (unset:"
                    + " ten grace periods)");
        }
        if (!Objects.requireNonNull(absoluteTimeout, "absoluteTimeout").isZero()) {
            atLeastOneSecond(absoluteTimeout, "absoluteTimeout");
        }
        PrincipalSource.of(principalAttribute);
        if (maxSessionsPerUser < 0) {
            throw new IllegalArgumentException("maxSessionsPerUser is " + maxSessionsPerUser
                    + "; it must be positive, or 0 for no limit");
        }
        Objects.requireNonNull(whenUserLimitReached, "whenUserLimitReached");
        if (whenUserLimitReached == WhenUserLimitReached.INVALIDATE_OLDEST && maxSessionsPerUser == 0) {
            throw new IllegalArgumentException("whenUserLimitReached is INVALIDATE_OLDEST and maxSessionsPerUser is"
                    + " 0 (no limit); set the limit the policy applies to");
        }
        Objects.requireNonNull(snapshotInterval, "snapshotInterval");
        if (!snapshotInterval.isZero()) {
            atLeastOneSecond(snapshotInterval, "snapshotInterval");
        }
        snapshotAllowedPackages = List.copyOf(snapshotAllowedPackages);
    }

    private static void atLeastOneSecond(Duration value, String option) {
        if (value.compareTo(ONE_SECOND) < 0) {
            throw new IllegalArgumentException(option + " is " + value + "; at least 1 s is needed");
        }
    }

    /**
     * The expired-record retention in force for a store with this Jetty grace period.
     *
     * @param gracePeriodSec Jetty's grace period of the store
     * @return {@link #retainExpired()}, or ten grace periods when it is not set
     */
    public Duration retainExpiredFor(int gracePeriodSec) {
        return ExpirySearch.retainExpired(retainExpired, gracePeriodSec);
    }
}
