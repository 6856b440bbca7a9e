/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.internal.RateLimitedLog;
import dev.syncsession.jetty.protection.SessionCapExceededException;
import dev.syncsession.jetty.protection.SessionCapHandler;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cap on sessions of the many-nodes tier, counted globally: the unexpired rows of the session table (not yet
 * expired), counted with one {@code SELECT count(*)} at most once per {@link #REFRESH_INTERVAL} per node, plus the
 * sessions this node created since that count. A creation past the cap is refused with
 * {@link SessionCapExceededException} (HTTP 503, with {@code Retry-After} behind a
 * {@link SessionCapHandler}); requests of existing sessions are never refused.
 *
 * <p>Cost per creation: an atomic increment, and once per interval on one creating thread a count of the unexpired rows
 * (an index range scan over the expiry column, which Jetty creates). Precision: between two counts a node does not
 * see what the others create, so the tier may overshoot the cap by what the other nodes create within one interval;
 * it never overshoots by more. Sessions invalidated meanwhile are seen at the next count. Thread-safe.
 */
final class DatabaseSessionCap {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseSessionCap.class);

    /** The longest a node relies on its last count of the unexpired rows. */
    static final Duration REFRESH_INTERVAL = Duration.ofSeconds(1);

    /** Counts the unexpired rows of the table; the store's own query. */
    @FunctionalInterface
    interface RowCount {
        long unexpiredRows() throws Exception;
    }

    private final long max;
    private final RowCount rows;
    private final ReentrantLock refreshing = new ReentrantLock();
    private final RateLimitedLog refusals = new RateLimitedLog(LOG, Duration.ofSeconds(10));
    private final LongAdder refused = new LongAdder();

    /** The live rows at the last count; -1 before the first. */
    private volatile long countedRows = -1;
    private volatile long countedAtNanos;

    /** Sessions this node created since {@link #countedRows} was taken. */
    private final AtomicLong createdSinceCount = new AtomicLong();

    DatabaseSessionCap(long max, RowCount rows) {
        if (max <= 0) {
            throw new IllegalArgumentException("sessionCap is " + max + "; it must be positive");
        }
        this.max = max;
        this.rows = rows;
    }

    /**
     * Counts a session being created, or refuses it. If the unexpired rows cannot be counted (the database is down), the
     * last count stands: the creation itself then fails, and the guard answers 503.
     *
     * @throws SessionCapExceededException if the cap has been reached
     */
    void reserve() {
        refreshIfStale();
        long live = countedRows + createdSinceCount.get();
        if (live >= max) {
            refused.increment();
            refusals.warn("refused to create a session: about " + live + " live sessions in the shared store, at most "
                    + max + " allowed (sessionCap); requests that need a new session get 503 until sessions"
                    + " expire");
            SessionCapHandler.noteRefusal();
            throw new SessionCapExceededException(live, max);
        }
        createdSinceCount.incrementAndGet();
    }

    private void refreshIfStale() {
        boolean first = countedRows < 0;
        if (!first && System.nanoTime() - countedAtNanos < REFRESH_INTERVAL.toNanos()) {
            return;
        }
        // The first count is waited for; later ones are taken by one thread while the others use the last one.
        if (first) {
            refreshing.lock();
        } else if (!refreshing.tryLock()) {
            return;
        }
        try {
            if (countedRows >= 0 && System.nanoTime() - countedAtNanos < REFRESH_INTERVAL.toNanos()) {
                return;
            }
            long before = createdSinceCount.get();
            long counted;
            try {
                counted = rows.unexpiredRows();
            } catch (Exception e) {
                LOG.debug("could not count the live sessions; the last count stands", e);
                if (countedRows < 0) {
                    countedRows = 0;
                }
                countedAtNanos = System.nanoTime();
                return;
            }
            // The count includes this node's sessions saved so far (they are saved on creation); start again from it.
            createdSinceCount.addAndGet(-before);
            countedRows = counted;
            countedAtNanos = System.nanoTime();
        } finally {
            refreshing.unlock();
        }
    }

    long max() {
        return max;
    }

    long refused() {
        return refused.sum();
    }
}
