/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.internal;

import dev.syncsession.session.CopyOnWriteAttributes;
import dev.syncsession.session.SessionAttributes;
import org.eclipse.jetty.session.SessionData;

/**
 * The session data the SyncMap store makes: Jetty's, with the store's absolute timeout and its sign-in check.
 *
 * <p>With an absolute timeout (OWASP's), the session expires at its creation time plus the
 * timeout however active it is, or earlier when it has been idle for its max inactive interval. Jetty derives every
 * expiry decision from {@link #calcExpiry(long)} and {@link #isExpiredAt(long)} (the request that finds its session
 * expired, the inactivity timer, the housekeeper's scavenge, the store's expiry search over the saved expiry), so an
 * expired-by-age session ends like an idle one: invalidated once, {@code sessionDestroyed} once, and a request that
 * presents it gets a new session. A session that never idles out ({@code maxInactiveInterval <= 0}) still ends at its
 * absolute timeout. Without one (0), expiry is Jetty's.
 *
 * <p>With a principal watch, setting or removing an attribute that names the session's principal (Jetty's
 * authenticated user or the user attribute) so that the principal changes tells the watch first: the index of
 * sessions by user follows a sign-in or sign-out as it happens, and may refuse a sign-in by throwing (the per-user
 * session limit), in which case the attribute is left as it was.
 *
 * <p>Its attributes are a {@link CopyOnWriteAttributes}: each change replaces an immutable set of them, which the SyncMap
 * store keeps as its record's attributes without copying ({@link #sharedAttributes()}).
 *
 * <p>The many-nodes store's copies are a subclass of its own ({@code nodes.SharedSessionData}), which also records
 * what each request changed and what the tier keeps of the row.
 *
 * <p>Thread-safety as Jetty's: the session's lock ({@code ManagedSession.lock()}) guards every change, and the
 * stores' save, which runs under it too.
 *
 * <p>Made by the SyncMap store, and as its subclass by the many-nodes store; public only to cross packages.
 */
public class SyncSessionData extends SessionData {

    private static final long serialVersionUID = 1L;

    private final long absoluteTimeoutMs;

    /** Which run of its store made this data (see the store's {@code RedeployDetach}); 0 if not counted. */
    private transient long generation;

    /** Told before the principal changes, and the source of which attributes name it; null for no watch. */
    private final transient UserWatch userWatch;

    public SyncSessionData(String id, String contextPath, String vhost, long created, long accessed,
            long lastAccessed, long maxInactiveMs, long absoluteTimeoutMs) {
        this(id, contextPath, vhost, created, accessed, lastAccessed, maxInactiveMs, absoluteTimeoutMs, null);
    }

    /**
     * @param id the session id
     * @param contextPath the canonical context path
     * @param vhost the virtual host
     * @param created creation time, epoch milliseconds
     * @param accessed this access, epoch milliseconds
     * @param lastAccessed the previous access, epoch milliseconds
     * @param maxInactiveMs the idle timeout, milliseconds, or 0 or less for none
     * @param absoluteTimeoutMs 0 for none
     * @param userWatch told before the principal changes, and its {@link UserWatch#userSource()} which attributes name
     *     the user; null for no watch
     */
    public SyncSessionData(String id, String contextPath, String vhost, long created, long accessed,
            long lastAccessed, long maxInactiveMs, long absoluteTimeoutMs, UserWatch userWatch) {
        super(id, contextPath, vhost, created, accessed, lastAccessed, maxInactiveMs);
        if (absoluteTimeoutMs < 0) {
            throw new IllegalArgumentException("absolute timeout is " + absoluteTimeoutMs + " ms; use 0 for none");
        }
        this.absoluteTimeoutMs = absoluteTimeoutMs;
        this.userWatch = userWatch;
        // Jetty's constructor computed the expiry before the timeout was set.
        calcAndSetExpiry();
        _attributes = new CopyOnWriteAttributes();
    }

    public long generation() {
        return generation;
    }

    public void generation(long generation) {
        this.generation = generation;
    }

    /**
     * The attributes as they are now, for a store that keeps them by reference: the same immutable object until the
     * next change, so the store's record and this session share one copy. Null when Jetty replaced the map (its
     * JDBC and file stores' deserialization installs a map of their own), and the store must copy.
     */
    public SessionAttributes sharedAttributes() {
        return _attributes instanceof CopyOnWriteAttributes live ? live.snapshot() : null;
    }

    @Override
    public Object setAttribute(String name, Object value) {
        UserSource userSource = userWatch == null ? null : userWatch.userSource();
        if (userSource != null && userSource.isUserAttribute(name)) {
            boolean jetty = UserSource.JETTY_AUTHENTICATED_ATTRIBUTE.equals(name);
            String application = userSource.attribute();
            Object authenticated = jetty ? value : getAttribute(UserSource.JETTY_AUTHENTICATED_ATTRIBUTE);
            Object applicationValue = jetty ? (application == null ? null : getAttribute(application)) : value;
            String next = userSource.userOf(authenticated, applicationValue);
            if (!java.util.Objects.equals(next, userSource.userOf(this))) {
                userWatch.userChanging(this, next);
            }
        }
        return super.setAttribute(name, value);
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
