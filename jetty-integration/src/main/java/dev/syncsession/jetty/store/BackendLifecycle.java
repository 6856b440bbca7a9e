/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.store;

import dev.syncsession.jetty.protection.BackendSessionCap;
import dev.syncsession.session.CaffeineSessionStore;
import dev.syncsession.session.ExpirySweeper;
import dev.syncsession.session.SessionScope;
import dev.syncsession.session.SessionSnapshot;
import dev.syncsession.session.SessionStore;
import dev.syncsession.session.SyncMapSessionStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.eclipse.jetty.util.annotation.ManagedAttribute;
import org.eclipse.jetty.util.annotation.ManagedObject;
import org.eclipse.jetty.util.annotation.ManagedOperation;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backend as used by every context whose {@link SyncSessionDataStore} shares it, and its figures, once per
 * backend: its factory registers it as a bean of the server, so JMX shows it once, however many contexts use it.
 * The first store to start ({@link #acquire}) starts it: it checks the snapshot's directory, restores the snapshot
 * (if any, with attributes left serialized) and starts the expiry sweeper and the periodic snapshot writes
 * ({@link SnapshotWriter}); each store then reads its own context's restored sessions with its context's class loader
 * ({@link #readRestored}); the last store to stop ({@link #release}) stops it: the sweeper stops and the snapshot is
 * written. Jetty stops a context's session cache (which flushes resident sessions into the store) before its data
 * store, so the snapshot sees every session.
 *
 * <p>No thread of its own: the server's {@link Scheduler}, given to {@link #acquire}, times the sweeps and the
 * periodic snapshot writes, and the server's thread pool runs them.
 *
 * <p>A snapshot whose directory cannot be created or written is refused at the first start, before anything is
 * restored ({@link SessionSnapshot#checkWritable()}).
 *
 * <p>Thread-safe: {@link #acquire} and {@link #release} are synchronized; the figures are read without the lock.
 */
@ManagedObject("a session backend shared by the contexts of a server: its records, sweeper, snapshot and cap")
public final class BackendLifecycle extends AbstractLifeCycle {

    private static final Logger LOG = LoggerFactory.getLogger(BackendLifecycle.class);

    private final SessionStore store;
    private final Duration sweepInterval;
    private final Duration retainExpired;
    private final SessionSnapshot snapshot;

    /** Writes the snapshot; null without one. */
    private final SnapshotWriter snapshotWriter;

    /** Stores started and not yet stopped. Guarded by {@code this}. */
    private int users;

    /** What the first store's server gives for the timed work; set before each start. Guarded by {@code this}. */
    private Scheduler scheduler;
    private Executor executor;

    /** Running while started; the last one stays readable for statistics after stop. */
    private volatile ExpirySweeper sweeper;

    /** The cap on sessions, or null for none; set before the first store starts. */
    private volatile BackendSessionCap sessionCap;

    /** What the snapshot restore at the first start did; null without a snapshot or before start. */
    private volatile SessionSnapshot.RestoreResult lastRestore;

    /**
     * @param snapshot the snapshot to restore on first start and write on last stop, or null for none
     */
    public BackendLifecycle(SessionStore store, Duration sweepInterval, Duration retainExpired, SessionSnapshot snapshot) {
        this(store, sweepInterval, retainExpired, snapshot, Duration.ZERO);
    }

    /**
     * @param snapshot the snapshot to restore on first start and write on last stop, or null for none
     * @param snapshotInterval with a snapshot, the time between writes while the backend runs; zero to write only at
     *     the last stop
     */
    public BackendLifecycle(SessionStore store, Duration sweepInterval, Duration retainExpired, SessionSnapshot snapshot,
            Duration snapshotInterval) {
        this(store, sweepInterval, retainExpired, snapshot, snapshotInterval, Clock.systemUTC());
    }

    /**
     * @param snapshot the snapshot to restore on first start and write on last stop, or null for none
     * @param snapshotInterval with a snapshot, the time between writes while the backend runs; zero to write only at
     *     the last stop
     * @param clock when each snapshot write began, and so how old the file's content is ({@link #snapshotAge()})
     */
    public BackendLifecycle(SessionStore store, Duration sweepInterval, Duration retainExpired, SessionSnapshot snapshot,
            Duration snapshotInterval, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.sweepInterval = Objects.requireNonNull(sweepInterval, "sweepInterval");
        this.retainExpired = Objects.requireNonNull(retainExpired, "retainExpired");
        this.snapshot = snapshot;
        this.snapshotWriter = snapshot == null ? null : new SnapshotWriter(snapshot, store,
                Objects.requireNonNull(snapshotInterval, "snapshotInterval"), Objects.requireNonNull(clock, "clock"));
    }

    public SessionStore store() {
        return store;
    }

    /** The snapshot file, absolute, or null without a snapshot. */
    Path snapshotFile() {
        return snapshot == null ? null : snapshot.file().toAbsolutePath();
    }

    /** Caps the sessions of this backend; see {@link BackendSessionCap} for what is counted. */
    void capSessions(long max) {
        sessionCap = new BackendSessionCap(store, max);
    }

    /** The cap, or null if creation is not limited. */
    BackendSessionCap sessionCap() {
        return sessionCap;
    }

    /**
     * Starts the backend for one more store; the first one starts it, with the sweeps and the periodic writes timed
     * by its server's scheduler and run on its server's thread pool (later stores' are not used).
     *
     * @param scheduler times the sweeps and the periodic writes; they never run on its thread
     * @param executor runs the sweeps and the periodic writes
     * @throws IllegalStateException if the snapshot's directory cannot be created or written; nothing is started
     */
    public synchronized void acquire(Scheduler scheduler, Executor executor) throws Exception {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(executor, "executor");
        if (users > 0) {
            users++;
            return;
        }
        this.scheduler = scheduler;
        this.executor = executor;
        start();
        users = 1;
    }

    /** Stops the backend for one store; the last one stops it. */
    public synchronized void release() throws Exception {
        if (users == 0 || --users > 0) {
            return;
        }
        stop();
    }

    @Override
    protected void doStart() {
        if (snapshot != null) {
            try {
                snapshot.checkWritable();
            } catch (IOException e) {
                throw new IllegalStateException("snapshot file " + snapshot.file().toAbsolutePath() + ": cannot create"
                        + " or write its directory (" + e.getMessage() + "); make the directory writable or configure"
                        + " a snapshot file elsewhere", e);
            }
        }
        if (store instanceof CaffeineSessionStore caffeine
                && caffeine.retainExpired().filter(retain -> retain.compareTo(retainExpired) < 0).isPresent()) {
            // A backend the application built itself: Caffeine drops a record before Jetty may have expired it.
            LOG.warn("the Caffeine backend drops expired sessions {} after their expiry, before the expired-record retention of {}:"
                    + " Jetty may not find them, and sessionDestroyed may not fire for sessions that expire outside"
                    + " the cache; build it with CaffeineSessionStore.builder().retainExpired({}), or without"
                    + " retainExpired to leave expired sessions to the sweeper",
                    caffeine.retainExpired().get(), retainExpired, retainExpired);
        }
        if (snapshot != null) {
            lastRestore = snapshot.restore(store);
        }
        Scheduler timer = scheduler;
        ExpirySweeper s = ExpirySweeper.builder(store).interval(sweepInterval).retainExpired(retainExpired)
                .runOn((task, delay) -> timer.schedule(task, delay)::cancel, executor).build();
        s.start();
        sweeper = s;
        if (snapshotWriter != null) {
            snapshotWriter.start(scheduler, executor);
        }
    }

    @Override
    protected void doStop() {
        sweeper.close();
        if (snapshotWriter != null) {
            snapshotWriter.stop();
        }
    }

    /** The periodic write, as the timer runs it. */
    public void writePeriodicSnapshot() {
        snapshotWriter.writePeriodicSnapshot();
    }

    /**
     * How old the snapshot file's content is: the time since the last write that succeeded began (a session changed
     * after that may be missing from the file).
     *
     * @return the age, or null without a snapshot or before the first write
     */
    public Duration snapshotAge() {
        return snapshotWriter == null ? null : snapshotWriter.snapshotAge();
    }

    /**
     * Reads the restored sessions of one context with its class loader (see
     * {@link SessionSnapshot#readDeferred}); the store calls this as its context starts, after {@link #acquire}.
     *
     * @return what was read and refused, or null without a snapshot
     */
    SessionSnapshot.RestoreResult readRestored(SessionScope scope, ClassLoader loader) {
        return snapshot == null ? null : snapshot.readDeferred(store, scope, loader);
    }

    public SessionSnapshot.RestoreResult lastRestore() {
        return lastRestore;
    }

    public SessionSnapshot.WriteResult lastWrite() {
        return snapshotWriter == null ? null : snapshotWriter.lastWrite();
    }

    public Exception lastWriteFailure() {
        return snapshotWriter == null ? null : snapshotWriter.lastWriteFailure();
    }

    /**
     * Records in the backend now, for every context that shares it, including expired ones not yet removed.
     *
     * @return the backend's record count
     */
    @ManagedAttribute(value = "session records in the backend (all contexts sharing it)", readonly = true)
    public long getRecords() {
        return store.size();
    }

    /**
     * The cap on sessions of the backend.
     *
     * @return the cap, or 0 if creation is not limited
     */
    @ManagedAttribute(value = "cap on sessions of the backend (0: none)", readonly = true)
    public long getSessionCap() {
        BackendSessionCap limit = sessionCap;
        return limit == null ? 0 : limit.max();
    }

    /**
     * Session creations refused because the cap was reached, by every context sharing the backend.
     *
     * @return refusals since start
     */
    @ManagedAttribute(value = "session creations refused by the session cap", readonly = true)
    public long getSessionsRefused() {
        BackendSessionCap limit = sessionCap;
        return limit == null ? 0 : limit.refused();
    }

    /**
     * Completed sweeps of the backend.
     *
     * @return sweeps since the backend was first started
     */
    @ManagedAttribute(value = "expiry sweeps run", readonly = true)
    public long getSweepRuns() {
        ExpirySweeper.Stats s = sweeperStats();
        return s == null ? 0 : s.runs();
    }

    /**
     * How long the last sweep took.
     *
     * @return milliseconds, 0 before the first sweep
     */
    @ManagedAttribute(value = "duration of the last expiry sweep in ms", readonly = true)
    public long getLastSweepDurationMs() {
        ExpirySweeper.Stats s = sweeperStats();
        return s == null ? 0 : s.lastDuration().toMillis();
    }

    /**
     * Records the sweeper has looked at, over all sweeps.
     *
     * @return records scanned
     */
    @ManagedAttribute(value = "records scanned by expiry sweeps", readonly = true)
    public long getSweepScanned() {
        ExpirySweeper.Stats s = sweeperStats();
        return s == null ? 0 : s.scanned();
    }

    /**
     * Expired records the sweeper removed, over all sweeps.
     *
     * @return records removed
     */
    @ManagedAttribute(value = "expired records removed by expiry sweeps", readonly = true)
    public long getSweepRemoved() {
        ExpirySweeper.Stats s = sweeperStats();
        return s == null ? 0 : s.removed();
    }

    /**
     * Lookups that took the lock of the SyncMap index; -1 if the backend is not a {@link SyncMapSessionStore}.
     *
     * @return SyncMap misses
     */
    @ManagedAttribute(value = "SyncMap lookups that took its lock (-1: not a SyncMap backend)", readonly = true)
    public long getMapMisses() {
        return store instanceof SyncMapSessionStore ? ((SyncMapSessionStore) store).stats().misses() : -1;
    }

    /**
     * Promotions of the SyncMap index's dirty table; -1 if the backend is not a {@link SyncMapSessionStore}.
     *
     * @return SyncMap promotions
     */
    @ManagedAttribute(value = "SyncMap dirty-to-read promotions (-1: not a SyncMap backend)", readonly = true)
    public long getMapPromotions() {
        return store instanceof SyncMapSessionStore ? ((SyncMapSessionStore) store).stats().promotions() : -1;
    }

    /**
     * Sessions written by the last snapshot write: the periodic one while the server runs, the one at stop after it.
     *
     * @return sessions written, or -1 without a snapshot, before the first write, or if the last one failed (see
     *     {@link #getSnapshotWriteFailure()})
     */
    @ManagedAttribute(value = "sessions written by the last snapshot write (-1: none written)", readonly = true)
    public long getSnapshotWritten() {
        SessionSnapshot.WriteResult write = lastWrite();
        return write == null ? -1 : write.written();
    }

    /**
     * Why the last snapshot write failed; the previous snapshot file, if any, is intact. For operators (logs, JMX),
     * never for clients.
     *
     * @return the failure, or null if the last write succeeded or none was attempted
     */
    @ManagedAttribute(value = "why the last snapshot write failed (null: it did not)", readonly = true)
    public String getSnapshotWriteFailure() {
        Exception failure = lastWriteFailure();
        return failure == null ? null : failure.toString();
    }

    /**
     * How old the snapshot file's content is: the time since the last write that succeeded began. After a crash, at
     * most the changes of this long are lost.
     *
     * @return milliseconds, or -1 without a snapshot or before the first write
     */
    @ManagedAttribute(value = "age of the snapshot file's content in ms (-1: no snapshot written yet)",
            readonly = true)
    public long getSnapshotAgeMillis() {
        Duration age = snapshotAge();
        return age == null ? -1 : age.toMillis();
    }

    /**
     * Sweeps the backend now, on the calling thread.
     *
     * @return the number of expired records removed, or -1 if the backend has not been started
     */
    @ManagedOperation(value = "sweep expired records now", impact = "ACTION")
    public long sweepNow() {
        ExpirySweeper s = sweeper;
        ExpirySweeper.SweepResult result = s == null ? null : s.sweepNow();
        return result == null ? -1 : result.removed();
    }

    /**
     * The sweeper's counters, or null before the first start.
     *
     * @return sweeper statistics
     */
    public ExpirySweeper.Stats sweeperStats() {
        ExpirySweeper s = sweeper;
        return s == null ? null : s.stats();
    }
}
