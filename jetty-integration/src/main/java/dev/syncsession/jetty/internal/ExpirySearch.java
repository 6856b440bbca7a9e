/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * When Jetty's stores search for sessions that expired outside any cache, and when the expiry sweeper may remove
 * them instead.
 *
 * <p>Jetty 12.1.12's {@code AbstractSessionDataStore.getExpired} searches the store ({@code doGetExpired}) only when
 * a grace period has passed since its last call, but records every call as one; with a scavenge interval shorter
 * than the grace period (Jetty's defaults: 10 minutes and 1 hour) it searches once at start and never again. Sessions
 * that expire while no cache holds them (evicted, restored from a snapshot and never requested, never cached by the
 * Null cache, or held by a node that died) are then deleted only by the orphan sweep, ten grace periods later, and
 * their {@code sessionDestroyed} never fires (under the Null cache it never does: Jetty has no session object to call
 * the listeners on). Our stores put the time of the last real search back after a call that
 * did not search ({@link #searched}), so the search runs once per grace period as intended.
 *
 * <p>Used by the single-node store here and the many-nodes JDBC store ({@code dev.syncsession.jetty.nodes}); not
 * meant for applications.
 */
public final class ExpirySearch {

    /**
     * How many grace periods past its expiry a record stays for Jetty to find, before the sweeper may remove it:
     * Jetty's own orphan horizon ({@code doCleanOrphans(now - 10 * gracePeriod)}), so the sweeper removes only what
     * Jetty would remove without its listeners anyway, just sooner than Jetty's orphan sweep (every ten grace periods).
     */
    static final int RETAIN_EXPIRED_GRACE_PERIODS = 10;

    private ExpirySearch() {
    }

    /**
     * Whether a {@code getExpired} call searched the store, judged by the last-check time before and after it: Jetty
     * advances it on every call, but searches only on the first call or once a grace period has passed.
     *
     * @param lastCheckBefore Jetty's last-check time before the call, in ms
     * @param lastCheckAfter the same after the call
     * @param gracePeriodSec the store's grace period
     * @return whether the call searched the store
     */
    public static boolean searched(long lastCheckBefore, long lastCheckAfter, int gracePeriodSec) {
        return lastCheckBefore <= 0 || lastCheckAfter > lastCheckBefore + TimeUnit.SECONDS.toMillis(gracePeriodSec);
    }

    /**
     * The expired-record retention to use: the configured one, or by default {@link #RETAIN_EXPIRED_GRACE_PERIODS} of Jetty grace period
     * {@code gracePeriodSec}.
     */
    public static Duration retainExpired(Duration configured, int gracePeriodSec) {
        return configured != null ? configured
                : Duration.ofSeconds((long) RETAIN_EXPIRED_GRACE_PERIODS * Math.max(0, gracePeriodSec));
    }
}
