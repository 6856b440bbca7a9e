/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import org.eclipse.jetty.session.ManagedSession;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.session.SessionManager;
import org.eclipse.jetty.util.thread.AutoLock;

/**
 * The session object of {@link SyncMapSessionCache}: Jetty's, except that a visit through the Servlet 6.1
 * {@code HttpSession.Accessor} (a scheduled task, a WebSocket: code outside any request) is made a request's visit.
 *
 * <p>Jetty's accessor calls {@link #access(long)}, the consumer and {@link #release()} on the session object it was
 * made with. Left as Jetty has them, that visit is counted out but never in (the request count goes below zero and
 * the inactivity timer is no longer rescheduled), its changes are not saved to the store, a session whose expiry
 * has passed is revived (access moves the expiry before checking it), and a copy evicted since the accessor was
 * made takes changes nobody will see. Here, a visit while no request is in the session:
 * <ul>
 *   <li>on an expired session invalidates it ({@code sessionDestroyed} once) and fails with
 *       {@link IllegalStateException}, as the accessor does for an invalid one;</li>
 *   <li>on a copy evicted since, puts it back in the cache if it is still the latest saved and no request has
 *       loaded the session again; otherwise fails with {@link IllegalStateException}, and nothing is lost;</li>
 *   <li>is counted in (no idle eviction or expiry while the consumer runs) and out, and ends as a request's exit
 *       does: the session is saved to the store, the timer rescheduled, the eviction policy applied.</li>
 * </ul>
 * A visit while requests are in the session changes the object they use, and the last of them saves it.
 *
 * <p>Jetty calls {@code access} from a request only after it has counted the request in, and {@code release} from
 * a request only through the cache's release, so the two callers are told apart without guessing. Guarded by the
 * session's lock.
 */
final class AccessorAwareSession extends ManagedSession {

    private final SyncMapSessionCache cache;

    /** True while the cache's release, a request's exit, runs {@link #release()}. */
    private boolean releasedByCache;

    /** Accessor visits counted in and not yet out. */
    private int accessorVisits;

    AccessorAwareSession(SessionManager manager, SessionData data, SyncMapSessionCache cache) {
        super(manager, data);
        this.cache = cache;
    }

    @Override
    public boolean access(long time) {
        try (AutoLock ignored = lock()) {
            if (_requests > 0 || !isValid()) {
                return super.access(time); // a request's visit, or one while a request is in the session
            }
            if (!isExpiredAt(time)) {
                if (!isResident()) {
                    cache.readmit(this);
                }
                use();
                accessorVisits++;
                return super.access(time);
            }
        }
        // Outside the lock, as a request that finds its session expired invalidates it.
        invalidate();
        throw new IllegalStateException("session " + getId() + " has expired");
    }

    @Override
    public void release() {
        try (AutoLock ignored = lock()) {
            if (releasedByCache) {
                super.release();
                return;
            }
            if (accessorVisits == 0) {
                return; // the visit was made while a request was in the session, whose exit saves it
            }
            accessorVisits--;
        }
        try {
            cache.release(this);
        } catch (Exception e) {
            throw new IllegalStateException("session " + getId() + " could not be saved after an access through"
                    + " HttpSession.Accessor: " + e.getMessage(), e);
        }
    }

    /** Runs the cache's release of this session, a request's exit, which ends with Jetty's {@link #release()}. */
    void releaseByCache(SyncMapSessionCache.Release release) throws Exception {
        try (AutoLock ignored = lock()) {
            releasedByCache = true;
            try {
                release.run();
            } finally {
                releasedByCache = false;
            }
        }
    }
}
