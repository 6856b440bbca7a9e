/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import dev.syncsession.jetty.protection.LiveSessionLimit;
import dev.syncsession.session.CaffeineSessionStore;
import dev.syncsession.session.EvictionSweeper;
import dev.syncsession.session.SessionScope;
import dev.syncsession.session.SessionSnapshot;
import dev.syncsession.session.SessionStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backend as used by every context whose {@link SyncMapSessionDataStore} shares it: the first store to start
 * restores the snapshot (if any, with attributes left serialized) and starts the eviction sweeper; each store then
 * reads its own context's restored sessions with its context's class loader ({@link #readRestored}); the last store to stop stops the sweeper and writes
 * the snapshot. Jetty stops a context's session cache (which flushes resident sessions into the store) before its
 * data store, so the snapshot sees every session.
 *
 * <p>No thread of its own: the server's {@link Scheduler}, given to {@link #acquire}, times the sweeps and the periodic
 * snapshot writes, and the server's thread pool runs them (the scheduler has one thread for the whole server, which
 * a sweep or a write must not hold up).
 *
 * <p>With a snapshot interval, the snapshot is also written every interval while the backend runs, off the request
 * path: each write replaces the file atomically (the previous one stays until the new one is
 * complete and synced), so a process killed without a stop ({@code kill -9}, a power cut) loses at most the changes
 * of one interval plus one write's duration. Writes never overlap; the one at stop waits for a periodic one.
 *
 * <p>A snapshot whose directory cannot be created or written is refused at the first start, before anything is
 * restored ({@link SessionSnapshot#checkWritable()}). A periodic write that fails later (a full disk, the directory
 * taken away) logs one warning for the whole streak of failures, without the stack trace (that goes to debug), and
 * one info line when a write succeeds again; the write at stop always logs its failure, since it is the last chance.
 *
 * <p>Thread-safe: {@link #acquire()} and {@link #release()} are synchronized; the sweeper is read without the lock
 * through a volatile field for statistics.
 */
final class BackendLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(BackendLifecycle.class);

    private final SessionStore store;
    private final Duration sweepInterval;
    private final Duration sweepGrace;
    private final SessionSnapshot snapshot;
    private final Duration snapshotInterval;

    /** Times the snapshot writes, for their age; the system clock but in tests. */
    private final Clock clock;

    /** Held by whoever writes the snapshot, so that a periodic write and the one at stop never overlap. */
    private final ReentrantLock writing = new ReentrantLock();

    /** Writes the snapshot every interval while {@link #users} is positive; null without an interval. */
    private PeriodicWrites periodicWrites;

    /** Stores started and not yet stopped. Guarded by {@code this}. */
    private int users;

    /** Running while {@link #users} is positive; the last one stays readable for statistics after stop. */
    private volatile EvictionSweeper sweeper;

    /** The cap on live sessions, or null for none; set before the first store starts. */
    private volatile LiveSessionLimit liveSessionLimit;

    /** What the snapshot restore at the first start did; null without a snapshot or before start. */
    private volatile SessionSnapshot.RestoreResult lastRestore;

    /** What the last snapshot write (periodic or at stop) did; null without a snapshot, before one, or if it failed. */
    private volatile SessionSnapshot.WriteResult lastWrite;

    /** Why the last snapshot write failed; null if it did not. */
    private volatile Exception lastWriteFailure;

    /** When the last snapshot write that succeeded began, in epoch milliseconds; 0 before one. */
    private volatile long lastWriteStartedMillis;

    /** Writes that failed since the last one that succeeded; a streak is warned about once. Guarded by {@link #writing}. */
    private long failedInARow;

    /**
     * @param snapshot the snapshot to restore on first start and write on last stop, or null for none
     */
    BackendLifecycle(SessionStore store, Duration sweepInterval, Duration sweepGrace, SessionSnapshot snapshot) {
        this(store, sweepInterval, sweepGrace, snapshot, Duration.ZERO);
    }

    /**
     * @param snapshot the snapshot to restore on first start and write on last stop, or null for none
     * @param snapshotInterval with a snapshot, the time between writes while the backend runs; zero to write only at
     *     the last stop
     */
    BackendLifecycle(SessionStore store, Duration sweepInterval, Duration sweepGrace, SessionSnapshot snapshot,
            Duration snapshotInterval) {
        this(store, sweepInterval, sweepGrace, snapshot, snapshotInterval, Clock.systemUTC());
    }

    /**
     * @param snapshot the snapshot to restore on first start and write on last stop, or null for none
     * @param snapshotInterval with a snapshot, the time between writes while the backend runs; zero to write only at
     *     the last stop
     * @param clock when each snapshot write began, and so how old the file's content is ({@link #snapshotAge()})
     */
    BackendLifecycle(SessionStore store, Duration sweepInterval, Duration sweepGrace, SessionSnapshot snapshot,
            Duration snapshotInterval, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.store = Objects.requireNonNull(store, "store");
        this.sweepInterval = Objects.requireNonNull(sweepInterval, "sweepInterval");
        this.sweepGrace = Objects.requireNonNull(sweepGrace, "sweepGrace");
        this.snapshot = snapshot;
        this.snapshotInterval = Objects.requireNonNull(snapshotInterval, "snapshotInterval");
    }

    SessionStore store() {
        return store;
    }

    /** The snapshot file, absolute, or null without a snapshot. */
    Path snapshotFile() {
        return snapshot == null ? null : snapshot.file().toAbsolutePath();
    }

    /** Caps the live sessions of this backend; see {@link LiveSessionLimit} for what is counted. */
    void limitLiveSessions(long max) {
        liveSessionLimit = new LiveSessionLimit(store, max);
    }

    /** The cap, or null if creation is not limited. */
    LiveSessionLimit liveSessionLimit() {
        return liveSessionLimit;
    }

    /**
     * Starts the backend for one more store; the first start checks the snapshot directory, restores the snapshot and
     * starts the sweeper and the periodic writes, timed by the scheduler and run on the executor (the first store's
     * server's; later stores' are not used).
     *
     * @param scheduler times the sweeps and the periodic writes; they never run on its thread
     * @param executor runs the sweeps and the periodic writes
     * @throws IllegalStateException if the snapshot's directory cannot be created or written; nothing is started
     */
    synchronized void acquire(Scheduler scheduler, Executor executor) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(executor, "executor");
        if (users > 0) {
            users++;
            return;
        }
        if (snapshot != null) {
            try {
                snapshot.checkWritable();
            } catch (IOException e) {
                throw new IllegalStateException("snapshot file " + snapshot.file().toAbsolutePath() + ": cannot create"
                        + " or write its directory (" + e.getMessage() + "); make the directory writable or configure"
                        + " a snapshot file elsewhere", e);
            }
        }
        users = 1;
        if (store instanceof CaffeineSessionStore caffeine
                && caffeine.retainExpired().filter(retain -> retain.compareTo(sweepGrace) < 0).isPresent()) {
            // A backend the application built itself: Caffeine drops a record before Jetty may have expired it.
            LOG.warn("the Caffeine backend drops expired sessions {} after their expiry, before the sweep grace of {}:"
                    + " Jetty may not find them, and sessionDestroyed may not fire for sessions that expire outside"
                    + " the cache; build it with CaffeineSessionStore.builder().retainExpired({}), or without"
                    + " retainExpired to leave expired sessions to the sweeper",
                    caffeine.retainExpired().get(), sweepGrace, sweepGrace);
        }
        if (snapshot != null) {
            lastRestore = snapshot.restore(store);
        }
        EvictionSweeper s = EvictionSweeper.builder(store).interval(sweepInterval).grace(sweepGrace)
                .runOn((task, delay) -> scheduler.schedule(task, delay)::cancel, executor).build();
        s.start();
        sweeper = s;
        if (snapshot != null && !snapshotInterval.isZero()) {
            periodicWrites = new PeriodicWrites(scheduler, executor);
            periodicWrites.start();
        }
    }

    synchronized void release() {
        if (users == 0 || --users > 0) {
            return;
        }
        sweeper.close();
        if (periodicWrites != null) {
            periodicWrites.stop(); // no more periodic writes; one under way finishes, and the one below waits for it
            periodicWrites = null;
        }
        if (snapshot != null) {
            writeSnapshot(true);
            SessionSnapshot.WriteResult written = lastWrite;
            if (written != null) {
                LOG.info("wrote session snapshot {} at stop: {}", snapshot.file().toAbsolutePath(), written);
            }
        }
    }

    /** The periodic write, as the timer runs it; see {@link #writeSnapshot(boolean)}. */
    void writePeriodicSnapshot() {
        writeSnapshot(false);
    }

    /**
     * The periodic snapshot writes of one run of the backend (from the first {@link #acquire} to the last
     * {@link #release}): the scheduler's thread only hands each write to the executor, and the write plans the next
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
                    writePeriodicSnapshot();
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
     * @return the age, or null without a snapshot or before the first write
     */
    Duration snapshotAge() {
        long started = lastWriteStartedMillis;
        return snapshot == null || started == 0 ? null
                : Duration.ofMillis(Math.max(0, clock.millis() - started));
    }

    /**
     * Reads the restored sessions of one context with its class loader (see
     * {@link SessionSnapshot#readDeferred}); the store calls this as its context starts, after {@link #acquire()}.
     *
     * @return what was read and refused, or null without a snapshot
     */
    SessionSnapshot.RestoreResult readRestored(SessionScope scope, ClassLoader loader) {
        return snapshot == null ? null : snapshot.readDeferred(store, scope, loader);
    }

    /** Runs a sweep now on the calling thread; null if the backend has never been started. */
    EvictionSweeper.SweepResult sweepNow() {
        EvictionSweeper s = sweeper;
        return s == null ? null : s.sweepNow();
    }

    EvictionSweeper.Stats sweeperStats() {
        EvictionSweeper s = sweeper;
        return s == null ? null : s.stats();
    }

    SessionSnapshot.RestoreResult lastRestore() {
        return lastRestore;
    }

    SessionSnapshot.WriteResult lastWrite() {
        return lastWrite;
    }

    Exception lastWriteFailure() {
        return lastWriteFailure;
    }
}
