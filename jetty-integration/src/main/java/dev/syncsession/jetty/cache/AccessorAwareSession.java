/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.cache;

import java.util.HashSet;
import java.util.Set;
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
 * made takes changes nobody will see. Here, every accessor visit is counted in and out like a request, and ends as
 * a request's exit does (the last one out saves the session, reschedules its timer, applies the eviction policy);
 * a visit while no request is in the session also:
 * <ul>
 *   <li>on an expired session invalidates it ({@code sessionDestroyed} once) and fails with
 *       {@link IllegalStateException}, as the accessor does for an invalid one;</li>
 *   <li>on a copy evicted since, puts it back in the cache if it is still the latest saved and no request has
 *       loaded the session again; otherwise fails with {@link IllegalStateException}, and nothing is lost;</li>
 * </ul>
 *
 * <p>Jetty calls {@code access} from a request on the thread that has just entered the session ({@link #use()}), and
 * {@code release} from a request only through the cache's release, so the two callers are told apart without
 * guessing: an {@code access} on a thread that did not just enter is the accessor's. Guarded by the session's lock.
 */
final class AccessorAwareSession extends ManagedSession {

    private final SyncMapSessionCache cache;

    /** True while the cache's release, a request's exit, runs {@link #release()}. */
    private boolean releasedByCache;

    /** Accessor visits counted in and not yet out. */
    private int accessorVisits;

    /**
     * Threads that entered the session for a request and have not yet accessed it (a new session never does): one
     * in a field, more (overlapping requests) in a set made only then, so that a session costs no set.
     */
    private Thread entered;
    private Set<Thread> alsoEntered;

    AccessorAwareSession(SessionManager manager, SessionData data, SyncMapSessionCache cache) {
        super(manager, data);
        this.cache = cache;
    }

    @Override
    protected void use() {
        try (AutoLock ignored = lock()) {
            super.use();
            Thread thread = Thread.currentThread();
            if (entered == null || entered == thread) {
                entered = thread;
            } else {
                if (alsoEntered == null) {
                    alsoEntered = new HashSet<>(4);
                }
                alsoEntered.add(thread);
            }
        }
    }

    @Override
    public boolean access(long time) {
        try (AutoLock ignored = lock()) {
            if (forgetEntered(Thread.currentThread()) || !isValid()) {
                return super.access(time); // a request's visit (or Jetty's answer for an invalid session)
            }
            if (_requests > 0 || !isExpiredAt(time)) {
                if (!isResident()) {
                    cache.readmit(this);
                }
                super.use(); // counted in as a request is, not as a thread that is entering one
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
                if (_requests <= 0) {
                    forgetAllEntered(); // threads that entered a new session, which they never access
                }
                return;
            }
            if (accessorVisits == 0) {
                return; // not an accessor visit this session counted (Jetty's accessor on an invalid session)
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

    /**
     * Lets a request out that entered the session but will not use it (the cached-copy check dropped the copy, or
     * could not check it): Jetty's release, without the save of a request's exit.
     */
    void leave() {
        try (AutoLock ignored = lock()) {
            forgetEntered(Thread.currentThread());
            super.release();
            if (_requests <= 0) {
                forgetAllEntered();
            }
        }
    }

    /** Whether the thread had entered and not yet accessed the session; it no longer has. Under the lock. */
    private boolean forgetEntered(Thread thread) {
        if (entered == thread) {
            entered = null;
            return true;
        }
        return alsoEntered != null && alsoEntered.remove(thread);
    }

    private void forgetAllEntered() {
        entered = null;
        alsoEntered = null;
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
