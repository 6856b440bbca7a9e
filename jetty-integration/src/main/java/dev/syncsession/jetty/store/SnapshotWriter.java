/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.store;

import dev.syncsession.session.SessionSnapshot;
import dev.syncsession.session.SessionStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a store's snapshot: every interval while the store runs, off the request path, and once at stop. Each write
 * replaces the file atomically (the previous one stays until the new one is complete and synced), so a process killed
 * without a stop ({@code kill -9}, a power cut) loses at most the changes of one interval plus one write's duration.
 * Writes never overlap; the one at stop waits for a periodic one, and no periodic write follows it.
 *
 * <p>No thread of its own: the server's {@link Scheduler} times the writes and the server's thread pool runs them
 * (the scheduler has one thread for the whole server, which a write must not hold up).
 *
 * <p>A periodic write that fails (a full disk, the directory taken away) logs one warning for the whole streak of
 * failures, without the stack trace (that goes to debug), and one info line when a write succeeds again; the write at
 * stop always logs its failure, since it is the last chance. Thread-safe.
 */
final class SnapshotWriter {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotWriter.class);

    private final SessionSnapshot snapshot;
    private final SessionStore store;
    private final Duration snapshotInterval;

    /** Times the writes, for their age; the system clock but in tests. */
    private final Clock clock;

    /** Held by whoever writes, so that a periodic write and the one at stop never overlap. */
    private final ReentrantLock writing = new ReentrantLock();

    /** Writes every interval between {@link #start} and {@link #stop}; null then, or without an interval. */
    private PeriodicWrites periodicWrites;

    /** What the last write (periodic or at stop) did; null before one, or if it failed. */
    private volatile SessionSnapshot.WriteResult lastWrite;

    /** Why the last write failed; null if it did not. */
    private volatile Exception lastWriteFailure;

    /** When the last write that succeeded began, in epoch milliseconds; 0 before one. */
    private volatile long lastWriteStartedMillis;

    /** Writes that failed since the last one that succeeded; a streak is warned about once. Guarded by {@link #writing}. */
    private long failedInARow;

    /**
     * @param snapshotInterval the time between writes while the store runs; zero to write only at stop
     * @param clock when each write began, and so how old the file's content is ({@link #snapshotAge()})
     */
    SnapshotWriter(SessionSnapshot snapshot, SessionStore store, Duration snapshotInterval, Clock clock) {
        this.snapshot = snapshot;
        this.store = store;
        this.snapshotInterval = snapshotInterval;
        this.clock = clock;
    }

    /** Starts the periodic writes, timed by the scheduler and run on the executor; none without an interval. */
    synchronized void start(Scheduler scheduler, Executor executor) {
        if (!snapshotInterval.isZero()) {
            periodicWrites = new PeriodicWrites(scheduler, executor);
            periodicWrites.start();
        }
    }

    /** Stops the periodic writes and writes once more, the last chance before the process may end. */
    synchronized void stop() {
        if (periodicWrites != null) {
            periodicWrites.stop(); // no more periodic writes; one under way finishes, and the one below waits for it
            periodicWrites = null;
        }
        writeSnapshot(true);
        SessionSnapshot.WriteResult written = lastWrite;
        if (written != null) {
            LOG.info("wrote session snapshot {} at stop: {}", snapshot.file().toAbsolutePath(), written);
        }
    }

    /** The periodic write, as the timer runs it; see {@link #writeSnapshot(boolean)}. */
    void writePeriodicSnapshot() {
        writeSnapshot(false);
    }

    /**
     * The periodic writes of one run of the store (from {@link #start} to {@link #stop}): the scheduler's thread only hands each write to the executor, and the write plans the next
     * one as it ends, so writes never overlap. At a fixed rate: a write begins every interval after the previous
     * one began, or right after the previous one ended if that took longer (a write that late is not made up for).
     */
    private final class PeriodicWrites implements Runnable {

        private final Scheduler scheduler;
        private final Executor executor;
        private final long intervalNanos = snapshotInterval.toNanos();

        /** When the next write is due, on {@link System#nanoTime()}'s scale. Guarded by {@code this}. */
        private long dueNanos;

        /** The planned write, to cancel at stop; null while one is being handed over or written. Guarded by this. */
        private Scheduler.Task planned;

        /** Set by {@link #stop()}, after which nothing is planned or written. Guarded by {@code this}. */
        private boolean stopped;

        PeriodicWrites(Scheduler scheduler, Executor executor) {
            this.scheduler = scheduler;
            this.executor = executor;
        }

        synchronized void start() {
            dueNanos = System.nanoTime();
            planNext();
        }

        synchronized void stop() {
            stopped = true;
            if (planned != null) {
                planned.cancel();
                planned = null;
            }
        }

        private synchronized boolean isStopped() {
            return stopped;
        }

        /** Holding the monitor: plans the next write at its due time. */
        private void planNext() {
            if (stopped) {
                return;
            }
            long now = System.nanoTime();
            dueNanos = Math.max(dueNanos + intervalNanos, now);
            planned = scheduler.schedule(this::handOver, dueNanos - now, TimeUnit.NANOSECONDS);
        }

        /** On the scheduler's thread, which a write must not hold up. */
        private void handOver() {
            synchronized (this) {
                planned = null;
                if (stopped) {
                    return;
                }
            }
            try {
                executor.execute(this);
            } catch (RejectedExecutionException e) {
                synchronized (this) {
                    if (!stopped) {
                        LOG.warn("periodic session snapshot write not run: the server's thread pool refused it ({});"
                                + " next write in {}", e.toString(), snapshotInterval);
                    }
                    planNext();
                }
            }
        }

        /** On a thread of the executor: the write, unless the backend stopped meanwhile; then the next one. */
        @Override
        public void run() {
            // Checked holding the write lock, so that once the write at stop has begun, no periodic write follows it.
            writing.lock();
            try {
                if (!isStopped()) {
                    writeSnapshot(false);
                }
            } finally {
                writing.unlock();
            }
            synchronized (this) {
                planNext();
            }
        }
    }

    /**
     * Writes the snapshot, recording the outcome; a failure leaves the previous file intact (written to a temporary
     * file and renamed). A periodic failure is warned about only when it starts a streak, so that a lasting problem
     * gives one line rather than one per interval; a write that ends a streak says so. Never throws, so that a
     * periodic write that fails runs again next interval.
     */
    private void writeSnapshot(boolean atStop) {
        writing.lock();
        try {
            long started = clock.millis();
            lastWrite = null;
            lastWriteFailure = null;
            try {
                lastWrite = snapshot.write(store); // logs what it wrote
                lastWriteStartedMillis = started;
                if (failedInARow > 0) {
                    LOG.info("wrote session snapshot {} again, after {} failed writes", snapshot.file(),
                            failedInARow);
                    failedInARow = 0;
                }
            } catch (IOException | RuntimeException e) {
                lastWriteFailure = e;
                LOG.debug("session snapshot write failed", e);
                if (atStop) {
                    LOG.warn("could not write session snapshot {} at stop ({}); the previous snapshot, if any, is kept,"
                            + " without the changes made since it was written", snapshot.file(), e.toString());
                } else if (failedInARow == 0) {
                    LOG.warn("could not write session snapshot {} ({}); the previous snapshot, if any, is kept. Further"
                            + " failures are not logged until a write succeeds again (stack trace at debug level)",
                            snapshot.file(), e.toString());
                }
                failedInARow++;
            }
        } finally {
            writing.unlock();
        }
    }

    /**
     * How old the snapshot file's content is: the time since the last write that succeeded began (a session changed
     * after that may be missing from the file).
     *
     * @return the age, or null before the first write
     */
    Duration snapshotAge() {
        long started = lastWriteStartedMillis;
        return started == 0 ? null
                : Duration.ofMillis(Math.max(0, clock.millis() - started));
    }

    SessionSnapshot.WriteResult lastWrite() {
        return lastWrite;
    }

    Exception lastWriteFailure() {
        return lastWriteFailure;
    }
}
