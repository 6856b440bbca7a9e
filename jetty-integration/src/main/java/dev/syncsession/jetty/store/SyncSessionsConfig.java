/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.store;

import dev.syncsession.jetty.internal.AllowedPackages;
import dev.syncsession.jetty.internal.DurationChecks;
import dev.syncsession.jetty.internal.ExpirySearch;
import dev.syncsession.jetty.internal.UserSource;
import dev.syncsession.jetty.users.WhenUserLimitReached;
import dev.syncsession.session.AttributeStorage;
import dev.syncsession.session.SessionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Every option of the single-node store and its backend, checked once, here: {@link Builder} makes it (the entry's
 * {@code SyncSessions.Builder} hands its store options to one),
 * the Jetty XML factory ({@link SyncSessionDataStoreFactory}) feeds its setters to such a builder, and the store
 * and the backend's lifecycle are made from it. Jetty's own store properties (grace period, save period) stay with
 * Jetty's factory, as for Jetty's stores.
 *
 * @param backendInstance a backend the application built (never closed by syncsession), or null for a bundled one
 * @param backendKind the bundled backend, or null to choose by {@code maximumSessions}
 * @param maximumSessions the bound of a bundled Caffeine backend, or 0 for none (and the SyncMap backend)
 * @param sessionCap the cap on sessions, or 0 for none
 * @param attributeStorage how attributes are held
 * @param sweepInterval the time between sweeps, at least one second
 * @param retainExpired how long past its expiry a record stays before the sweeper removes it, or null for ten grace
 *     periods (Jetty's orphan horizon)
 * @param absoluteTimeout the longest a session lives after its creation, at least 1 s, or zero for no absolute
 *     timeout
 * @param userAttribute the session attribute holding the signed-in user, or null for Jetty's authenticated
 *     user only
 * @param maxSessionsPerUser the sessions one user may have at once in a context, or 0 for no limit
 * @param whenUserLimitReached what one more sign-in past that limit does
 * @param snapshotFile the snapshot file, or null for none
 * @param snapshotInterval the time between snapshot writes while running, zero (only at stop) or at least 1 s
 * @param allowedPackages packages whose attribute classes a snapshot may restore
 * @param keepSessionsOnStop whether a context's sessions stay (serialized) when it stops
 */
public record SyncSessionsConfig(
        SessionStore backendInstance,
        BundledBackend backendKind,
        long maximumSessions,
        long sessionCap,
        AttributeStorage attributeStorage,
        Duration sweepInterval,
        Duration retainExpired,
        Duration absoluteTimeout,
        String userAttribute,
        int maxSessionsPerUser,
        WhenUserLimitReached whenUserLimitReached,
        Path snapshotFile,
        Duration snapshotInterval,
        List<String> allowedPackages,
        boolean keepSessionsOnStop) {

    /** Default time between sweeps. */
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(60);

    /** Default time between snapshot writes while running. */
    public static final Duration DEFAULT_SNAPSHOT_INTERVAL = Duration.ofSeconds(30);

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
        if (sessionCap < 0) {
            throw new IllegalArgumentException("sessionCap is " + sessionCap
                    + "; it must be positive, or 0 for no cap");
        }
        if (backendInstance != null && (backendKind != null || maximumSessions > 0)) {
            throw new IllegalArgumentException("a backend instance was given; backend kind and maximumSessions configure"
                    + " bundled backends and cannot apply to it");
        }
        if (backendKind == BundledBackend.SYNCMAP && maximumSessions > 0) {
            throw new IllegalArgumentException("maximumSessions=" + maximumSessions + " needs the CAFFEINE backend; the SYNCMAP"
                    + " backend is unbounded");
        }
        if (backendKind == BundledBackend.CAFFEINE && maximumSessions == 0) {
            throw new IllegalArgumentException("the CAFFEINE backend needs maximumSessions, the bound it enforces");
        }
        Objects.requireNonNull(attributeStorage, "attributeStorage");
        DurationChecks.atLeastOneSecond(Objects.requireNonNull(sweepInterval, "sweepInterval"), "sweepInterval");
        if (retainExpired != null && retainExpired.isNegative()) {
            throw new IllegalArgumentException("retainExpired is " + retainExpired + "; it must be zero or more (unset:"
                    + " ten grace periods)");
        }
        if (!Objects.requireNonNull(absoluteTimeout, "absoluteTimeout").isZero()) {
            DurationChecks.atLeastOneSecond(absoluteTimeout, "absoluteTimeout");
        }
        UserSource.of(userAttribute);
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
            DurationChecks.atLeastOneSecond(snapshotInterval, "snapshotInterval");
        }
        allowedPackages = AllowedPackages.checked(allowedPackages);
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

    /**
     * Starts collecting options, with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The options as they are set, unchecked until {@link #build()}: null is "none" or "the default" where the record
     * allows it. Not thread-safe.
     */
    public static final class Builder {
        private SessionStore backendInstance;
        private BundledBackend backendKind;
        private long maximumSessions;
        private long sessionCap;
        private AttributeStorage attributeStorage = AttributeStorage.BY_REFERENCE;
        private Duration sweepInterval = DEFAULT_SWEEP_INTERVAL;
        private Duration retainExpired;
        private Duration absoluteTimeout = Duration.ZERO;
        private String userAttribute;
        private int maxSessionsPerUser;
        private WhenUserLimitReached whenUserLimitReached = WhenUserLimitReached.REFUSE_NEW;
        private Path snapshotFile;
        private Duration snapshotInterval = DEFAULT_SNAPSHOT_INTERVAL;
        private final List<String> allowedPackages = new ArrayList<>();
        private boolean keepSessionsOnStop = true;

        private Builder() {
        }

        /** @param backend a backend the application built, or null for a bundled one */
        public void backendInstance(SessionStore backend) {
            this.backendInstance = backend;
        }

        /** @param kind the bundled backend */
        public void backendKind(BundledBackend kind) {
            this.backendKind = Objects.requireNonNull(kind, "kind");
        }

        /** @param maximumSessions the bound of a bundled Caffeine backend, or 0 for none */
        public void maximumSessions(long maximumSessions) {
            this.maximumSessions = maximumSessions;
        }

        /** @param sessionCap the cap on sessions, or 0 for none */
        public void sessionCap(long sessionCap) {
            this.sessionCap = sessionCap;
        }

        /** @param storage how attributes are held */
        public void attributeStorage(AttributeStorage storage) {
            this.attributeStorage = Objects.requireNonNull(storage, "attributeStorage");
        }

        /** @param interval the time between sweeps */
        public void sweepInterval(Duration interval) {
            this.sweepInterval = Objects.requireNonNull(interval, "interval");
        }

        /** @param retainExpired how long an expired record is kept, or null for ten grace periods */
        public void retainExpired(Duration retainExpired) {
            this.retainExpired = retainExpired;
        }

        /** @param timeout the absolute timeout, or zero for none */
        public void absoluteTimeout(Duration timeout) {
            this.absoluteTimeout = Objects.requireNonNull(timeout, "timeout");
        }

        /** @param attribute the attribute holding the signed-in user, or null for Jetty's authenticated user only */
        public void userAttribute(String attribute) {
            this.userAttribute = attribute;
        }

        /** @param max the sessions one user may have at once, or 0 for no limit */
        public void maxSessionsPerUser(int max) {
            this.maxSessionsPerUser = max;
        }

        /** @param whenReached what one more sign-in past the limit does */
        public void whenUserLimitReached(WhenUserLimitReached whenReached) {
            this.whenUserLimitReached = Objects.requireNonNull(whenReached, "whenReached");
        }

        /** @param file the snapshot file, or null for none */
        public void snapshotFile(Path file) {
            this.snapshotFile = file;
        }

        /** @param interval the time between snapshot writes while running, or zero for only at stop */
        public void snapshotInterval(Duration interval) {
            this.snapshotInterval = Objects.requireNonNull(interval, "interval");
        }

        /** @param packageName a package whose attribute classes a snapshot may restore */
        public void allowPackage(String packageName) {
            allowedPackages.add(Objects.requireNonNull(packageName, "packageName"));
        }

        /** @param packageNames the packages whose attribute classes a snapshot may restore, replacing earlier ones */
        public void allowedPackages(List<String> packageNames) {
            allowedPackages.clear();
            packageNames.forEach(this::allowPackage);
        }

        /** @param keep whether a context's sessions stay (serialized) when it stops */
        public void keepSessionsOnStop(boolean keep) {
            this.keepSessionsOnStop = keep;
        }

        /**
         * The options, checked.
         *
         * @return the options as one value
         * @throws IllegalArgumentException naming the first option that is out of range or contradicts another
         */
        public SyncSessionsConfig build() {
            return new SyncSessionsConfig(backendInstance, backendKind, maximumSessions, sessionCap,
                    attributeStorage, sweepInterval, retainExpired, absoluteTimeout, userAttribute,
                    maxSessionsPerUser, whenUserLimitReached, snapshotFile, snapshotInterval, allowedPackages,
                    keepSessionsOnStop);
        }
    }
}
