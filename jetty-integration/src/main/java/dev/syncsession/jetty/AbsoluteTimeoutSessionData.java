/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import org.eclipse.jetty.session.SessionData;

/**
 * Jetty's session data with an absolute timeout (OWASP's): the session expires at its creation time plus the
 * timeout however active it is, or earlier when it has been idle for its max inactive interval. Jetty derives every
 * expiry decision from {@link #calcExpiry(long)} and {@link #isExpiredAt(long)} (the request that finds its session
 * expired, the inactivity timer, the housekeeper's scavenge, the store's expiry search over the saved expiry), so an
 * expired-by-age session ends like an idle one: invalidated once, {@code sessionDestroyed} once, and a request that
 * presents it gets a new session. A session that never idles out ({@code maxInactiveInterval <= 0}) still ends at its
 * absolute timeout.
 */
final class AbsoluteTimeoutSessionData extends SessionData {

    private static final long serialVersionUID = 1L;

    private final long absoluteTimeoutMs;

    AbsoluteTimeoutSessionData(String id, String contextPath, String vhost, long created, long accessed,
            long lastAccessed, long maxInactiveMs, long absoluteTimeoutMs) {
        super(id, contextPath, vhost, created, accessed, lastAccessed, maxInactiveMs);
        if (absoluteTimeoutMs <= 0) {
            throw new IllegalArgumentException("absolute timeout is " + absoluteTimeoutMs + " ms; it must be positive");
        }
        this.absoluteTimeoutMs = absoluteTimeoutMs;
        // Jetty's constructor computed the expiry before the timeout was set.
        calcAndSetExpiry();
    }

    /** The end of the session's lifetime: its creation plus the absolute timeout. */
    long deadline() {
        long deadline = getCreated() + absoluteTimeoutMs;
        return deadline < getCreated() ? Long.MAX_VALUE : deadline;
    }

    @Override
    public long calcExpiry(long time) {
        long idle = super.calcExpiry(time);
        if (absoluteTimeoutMs <= 0) {
            return idle; // still in Jetty's constructor
        }
        return idle <= 0 ? deadline() : Math.min(idle, deadline());
    }

    @Override
    public boolean isExpiredAt(long time) {
        return (absoluteTimeoutMs > 0 && deadline() <= time) || super.isExpiredAt(time);
    }
}
