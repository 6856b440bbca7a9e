/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.protection;

import dev.syncsession.jetty.internal.RateLimitedLog;
import dev.syncsession.session.SessionKey;
import dev.syncsession.session.SessionStore;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cap on sessions of one backend, shared by every context that uses it.
 *
 * <p><b>What it counts:</b> the records in the backend ({@link SessionStore#size()}: every context and scope that
 * shares it, including expired records the sweeper has not removed yet, since they still take memory), plus the
 * sessions created but not yet saved for the first time ({@link #pending}). That sum is what the heap holds, so a
 * cap of N bounds the heap to about N sessions whatever clients do. Expired records stop counting when Jetty
 * invalidates them or the sweeper removes them.
 *
 * <p><b>Atomicity:</b> {@link #reserve} checks and adds under this object's lock, and nothing else adds a session
 * that is not already counted: a pending session is saved to the backend before it leaves {@link #pending}, so
 * during that step it is counted twice (refusing early), never zero times. Concurrent creations therefore never
 * overshoot the cap. Records added behind Jetty's back (a snapshot restore at start, another program writing the
 * same backend) are counted as soon as they are in the backend, but may push the count above the cap; creation is
 * then refused until it is below again.
 *
 * <p>Cost: {@link #reserve} is O(1) under a lock held for two counter reads; creations are serialised on it, loads
 * and saves of existing sessions do not take it.
 */
public final class BackendSessionCap {

    private static final Logger LOG = LoggerFactory.getLogger(BackendSessionCap.class);

    /** How often a refusal is logged at most. */
    static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    private final SessionStore backend;
    private final long max;

    /**
     * Sessions created and not yet stored or deleted, with the time they expire if that never happens (a session
     * whose first save failed, with a cache that then forgets it). Added to under the lock; removed from by any
     * thread.
     */
    private final ConcurrentHashMap<SessionKey, Long> pending = new ConcurrentHashMap<>();

    private final LongAdder refused = new LongAdder();
    private final RateLimitedLog refusals = new RateLimitedLog(LOG, LOG_INTERVAL);

    /**
     * @param backend the store whose records count as live sessions
     * @param max the cap, positive
     */
    public BackendSessionCap(SessionStore backend, long max) {
        if (max <= 0) {
            throw new IllegalArgumentException("sessionCap is " + max + "; it must be positive");
        }
        this.backend = Objects.requireNonNull(backend, "backend");
        this.max = max;
    }

    /**
     * Counts a session that is being created, or refuses it.
     *
     * @param expiresAt when the new session expires if it is never saved, in epoch milliseconds
     * @throws SessionCapExceededException if the cap has been reached
     */
    public void reserve(SessionKey key, long expiresAt) {
        long live;
        synchronized (this) {
            live = live();
            if (live >= max && forgetExpiredPending(System.currentTimeMillis())) {
                live = live();
            }
            if (live < max) {
                pending.put(key, expiresAt);
                return;
            }
        }
        refused.increment();
        refusals.warn("refused to create a session: " + live + " live sessions, at most " + max
                + " allowed (sessionCap); requests that need a new session get 503 until sessions expire");
        SessionCapHandler.noteRefusal(); // so the handler completes this 503, and no other
        throw new SessionCapExceededException(live, max);
    }

    /** Drops pending sessions that expired without ever being saved; O(pending), only run at the cap. */
    private boolean forgetExpiredPending(long now) {
        return pending.values().removeIf(expiresAt -> expiresAt <= now);
    }

    /** The session is in the backend now (called after the save), or was deleted: it no longer counts as pending. */
    public void settled(SessionKey key) {
        pending.remove(key);
    }

    /** The cap. */
    public long max() {
        return max;
    }

    /**
     * The count the cap is compared with, now. Pending first: a session is saved to the backend before it leaves
     * {@code pending} ({@link #settled}), outside the lock, so counting in this order can count one in transit twice
     * (the cap errs on the safe side) but never miss it, which counting the backend first did (101 sessions under a
     * cap of 100 when a save landed between the two counts).
     */
    long live() {
        long notYetSaved = pending.size();
        return notYetSaved + backend.size();
    }

    /** Creations refused so far. */
    public long refused() {
        return refused.sum();
    }

    long pending() {
        return pending.size();
    }
}
