package dev.syncsession.session;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes expired sessions that no request will ever touch again. Every {@linkplain Builder#interval interval} it
 * walks the store with {@link SessionStore#range} and deletes each record whose expiry time is more than the
 * {@linkplain Builder#retainExpired the retention} in the past, using {@link SessionStore#deleteIfUnchanged} so that a session
 * touched by a request after the sweep read it survives. Each removal is reported to the listeners as
 * {@link SessionListener#expired}.
 *
 * <p>Threads: given a {@linkplain Builder#runOn timer and an executor} (a container's, such as Jetty's
 * {@code Scheduler} and {@code ThreadPool}), the sweeper waits out each interval on the timer and sweeps on the
 * executor, and has no thread of its own; given none, {@link #start()} creates one daemon thread named
 * {@value #THREAD_NAME} that does both, and {@link #close()} ends it.
 *
 * <p>Lifecycle: {@link #start()} plans the first sweep one interval ahead, and each sweep plans the next one when it
 * ends, so scheduled sweeps never overlap. {@link #close()} cancels the planned sweep and waits for a running one to
 * end. A failing sweep is logged and the next one runs as planned: the schedule never dies (unless the timer itself
 * refuses to plan it, which is logged). {@link #sweepNow()} sweeps on the calling thread, started or not.
 *
 * <p>Thread-safe. At most one sweep runs at a time; a sweep costs O(stored records) and holds no store-wide lock.
 */
public final class ExpirySweeper implements AutoCloseable {

    /** The name of the sweeper's own thread, when it is given no {@linkplain Builder#runOn timer and executor}. */
    public static final String THREAD_NAME = "syncsession-sweeper";

    /** How long {@link #close()} waits for a running sweep. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(ExpirySweeper.class);

    private final SessionStore store;
    private final Duration interval;
    private final long retainExpiredMillis;
    private final Clock clock;
    private final Listeners listeners;
    private final Timer givenTimer;
    private final Executor givenExecutor;

    /** Serialises sweeps, so a scheduled sweep and {@link #sweepNow()} never walk the store together. */
    private final ReentrantLock sweepLock = new ReentrantLock();

    /** Replaced, under {@link #sweepLock}, after every sweep; read by any thread without the lock. */
    private volatile Stats stats = new Stats(0, 0, Duration.ZERO, 0, 0);

    /**
     * The sweeper's own thread, without a given timer and executor: created by {@link #start()}, shut down by
     * {@link #close()}. Guarded by {@code this}, as are the fields below.
     */
    private ScheduledExecutorService ownThread;

    /** What plans the next sweep and what runs it: the given ones, or {@link #ownThread}; set by {@link #start()}. */
    private Timer timer;
    private Executor executor;

    /** Cancels the planned sweep; null when none is planned. */
    private Runnable cancelPlanned;

    /** The thread running a scheduled sweep, or null: {@link #close()} waits for it, and is notified when it ends. */
    private Thread sweeping;

    private boolean started;
    private boolean closed;

    /** Set by {@link #close()} so that a running sweep stops at its next record. */
    private volatile boolean stopping;

    private ExpirySweeper(Builder builder) {
        this.store = builder.store;
        this.interval = builder.interval;
        this.retainExpiredMillis = builder.retainExpired.toMillis();
        this.clock = builder.clock;
        this.listeners = new Listeners(builder.listeners);
        this.givenTimer = builder.timer;
        this.givenExecutor = builder.executor;
    }

    /**
     * Starts configuring a sweeper for the store.
     *
     * @param store the store to sweep, not null
     * @return a new builder
     */
    public static Builder builder(SessionStore store) {
        return new Builder(Objects.requireNonNull(store, "store"));
    }

    /**
     * Starts periodic sweeping: the first sweep runs one interval from now, on the given timer and executor, or
     * else on a daemon thread this method creates.
     *
     * @throws IllegalStateException if already started or closed
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("sweeper is closed; build a new one");
        }
        if (started) {
            throw new IllegalStateException("sweeper already started");
        }
        started = true;
        if (givenTimer != null) {
            timer = givenTimer;
            executor = givenExecutor;
        } else {
            ScheduledExecutorService own = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, THREAD_NAME);
                thread.setDaemon(true);
                return thread;
            });
            ownThread = own;
            timer = (task, delay) -> {
                ScheduledFuture<?> planned = own.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                return () -> planned.cancel(false);
            };
            executor = Runnable::run; // the timer's thread is ours: the sweep may run on it
        }
        planNext();
    }

    /**
     * Tells whether periodic sweeping is running.
     *
     * @return true between {@link #start()} and {@link #close()}
     */
    public synchronized boolean isRunning() {
        return started && !closed;
    }

    /**
     * Sweeps now on the calling thread, after any sweep in progress has finished.
     *
     * @return what this sweep did
     * @throws RuntimeException whatever the store or clock threw; counted as a failure in {@link #stats()}
     */
    public SweepResult sweepNow() {
        sweepLock.lock();
        try {
            return sweepLocked();
        } finally {
            sweepLock.unlock();
        }
    }

    /**
     * Returns counters over the sweeper's lifetime.
     *
     * @return an immutable snapshot; O(1)
     */
    public Stats stats() {
        return stats;
    }

    /**
     * Stops periodic sweeping: cancels the planned sweep, stops a scheduled sweep in progress at its next record and
     * waits up to ten seconds for it. If it has not ended by then, its thread is interrupted when it is the
     * sweeper's own; a thread of the given executor is not the sweeper's to interrupt, so the sweep is left to end
     * at its next record, and a warning says so. Idempotent. {@link #sweepNow()} still works afterwards.
     */
    @Override
    public void close() {
        ScheduledExecutorService own;
        boolean fromTheSweep;
        Thread stillSweeping;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (cancelPlanned != null) {
                cancelPlanned.run();
                cancelPlanned = null;
            }
            own = ownThread;
            // A listener of the sweep may close the sweeper; the sweep cannot wait for itself.
            fromTheSweep = sweeping == Thread.currentThread();
            stillSweeping = fromTheSweep ? null : awaitScheduledSweep();
        }
        if (stillSweeping != null) {
            LOG.warn(own != null
                    ? "session sweep still running when close() stopped waiting (at most {}); interrupting {}"
                    : "session sweep still running when close() stopped waiting (at most {}); leaving it on {}, a"
                            + " thread of the given executor that the sweeper does not interrupt: the sweep ends at"
                            + " the next record it visits",
                    CLOSE_WAIT, stillSweeping.getName());
        }
        if (own == null) {
            return;
        }
        if (stillSweeping != null) {
            own.shutdownNow();
        } else if (fromTheSweep) {
            own.shutdown(); // the thread ends once the sweep that called this returns
        } else {
            awaitOwnThread(own);
        }
    }

    /** Ends the sweeper's own thread once it is idle (no sweep runs on it any more: only a planned one, cancelled). */
    private static void awaitOwnThread(ScheduledExecutorService own) {
        own.shutdown();
        try {
            if (!own.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                own.shutdownNow();
            }
        } catch (InterruptedException e) {
            own.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits, with the monitor held (released while waiting), for the scheduled sweep in progress, telling it to stop.
     *
     * @return the thread still sweeping when the wait ended, or null
     */
    private Thread awaitScheduledSweep() {
        if (sweeping == null) {
            return null;
        }
        stopping = true;
        try {
            long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
            long left = CLOSE_WAIT.toNanos();
            while (sweeping != null && left > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
                left = deadline - System.nanoTime();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopping = false;
        }
        return sweeping;
    }

    /** Plans the next scheduled sweep, one interval from now, unless closed. Holding the monitor. */
    private void planNext() {
        if (closed) {
            return;
        }
        try {
            cancelPlanned = timer.schedule(this::dispatch, interval);
        } catch (RuntimeException e) {
            cancelPlanned = null;
            LOG.warn("session sweeps have stopped: the timer refused to plan the next one ({})", e.toString());
        }
    }

    /** On the timer's thread: hands the sweep to the executor, since a sweep costs O(stored records). */
    private void dispatch() {
        Executor runner;
        synchronized (this) {
            cancelPlanned = null;
            if (closed) {
                return;
            }
            runner = executor;
        }
        try {
            runner.execute(this::scheduledSweep);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                if (!closed) {
                    LOG.warn("session sweep not run: the executor refused it ({}); next sweep in {}", e.toString(),
                            interval);
                }
                planNext();
            }
        }
    }

    private void scheduledSweep() {
        synchronized (this) {
            if (closed) {
                return;
            }
            sweeping = Thread.currentThread();
        }
        try {
            SweepResult result = sweepNow();
            if (result.removed() > 0) {
                LOG.debug("session sweep removed {} of {} sessions in {}", result.removed(), result.scanned(),
                        result.duration());
            }
        } catch (RuntimeException e) {
            // Thrown out of here, the exception would end the schedule: the next sweep is planned below.
            LOG.warn("session sweep failed; next sweep in {}", interval, e);
        } finally {
            synchronized (this) {
                sweeping = null;
                notifyAll();
                planNext();
            }
        }
    }

    private SweepResult sweepLocked() {
        long started = System.nanoTime();
        Sweep sweep = new Sweep(clock.millis() - retainExpiredMillis);
        Stats before = stats;
        try {
            store.range(sweep);
        } catch (RuntimeException e) {
            stats = before.after(sweep, System.nanoTime() - started, true);
            throw e;
        }
        long elapsed = System.nanoTime() - started;
        stats = before.after(sweep, elapsed, false);
        return new SweepResult(sweep.scanned, sweep.removed, Duration.ofNanos(elapsed));
    }

    /**
     * One walk over the store; a single object per sweep, so the scan allocates nothing per record. Its counters are
     * touched only by the thread holding {@link #sweepLock}, which publishes them through {@link #stats}.
     */
    private final class Sweep implements Predicate<SessionRecord> {

        private final long expiredAtOrBefore;
        private long scanned;
        private long removed;

        Sweep(long expiredAtOrBefore) {
            this.expiredAtOrBefore = expiredAtOrBefore;
        }

        @Override
        public boolean test(SessionRecord record) {
            scanned++;
            if (record.isExpiredAt(expiredAtOrBefore) && store.deleteIfUnchanged(record)) {
                removed++;
                listeners.expired(record);
            }
            return !stopping;
        }
    }

    /**
     * Runs a task once after a delay, on a thread of its own: the part of a container's scheduler that a sweeper
     * needs (see {@link Builder#runOn}). Session-core has no container dependency, so the caller adapts its scheduler
     * in one lambda.
     */
    @FunctionalInterface
    public interface Timer {

        /**
         * Plans the task; must not run it on the calling thread.
         *
         * @param task what to run once the delay has passed
         * @param delay at least one millisecond
         * @return what cancels the task if it has not started yet
         */
        Runnable schedule(Runnable task, Duration delay);
    }

    /**
     * What one sweep did.
     *
     * @param scanned records visited
     * @param removed expired records deleted
     * @param duration how long the sweep took
     */
    public record SweepResult(long scanned, long removed, Duration duration) {
    }

    /**
     * Counters over a sweeper's lifetime.
     *
     * @param runs sweeps started, including failed ones
     * @param failures sweeps that ended with an exception
     * @param lastDuration how long the latest sweep took
     * @param scanned records visited by all sweeps
     * @param removed records deleted by all sweeps
     */
    public record Stats(long runs, long failures, Duration lastDuration, long scanned, long removed) {

        private Stats after(Sweep sweep, long elapsedNanos, boolean failed) {
            return new Stats(runs + 1, failures + (failed ? 1 : 0), Duration.ofNanos(elapsedNanos),
                    scanned + sweep.scanned, removed + sweep.removed);
        }
    }

    /**
     * Configures an {@link ExpirySweeper}. Not thread-safe.
     */
    public static final class Builder {

        private final SessionStore store;
        private Duration interval = Duration.ofSeconds(60);
        private Duration retainExpired = Duration.ZERO;
        private Clock clock = Clock.systemUTC();
        private final List<SessionListener> listeners = new ArrayList<>();
        private Timer timer;
        private Executor executor;

        private Builder(SessionStore store) {
            this.store = store;
        }

        /**
         * Sets the time between the end of one sweep and the start of the next. Default: 60 seconds.
         *
         * @param interval at least one millisecond
         * @return this builder
         * @throws IllegalArgumentException if shorter than one millisecond
         */
        public Builder interval(Duration interval) {
            if (interval.toMillis() < 1) {
                throw new IllegalArgumentException("sweep interval is " + interval + "; must be at least 1 ms");
            }
            this.interval = interval;
            return this;
        }

        /**
         * Sets how long past its expiry a record is kept before a sweep deletes it, for example to leave time for a
         * container's own expiry handling. Default: zero.
         *
         * @param retainExpired zero or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder retainExpired(Duration retainExpired) {
            if (retainExpired.isNegative()) {
                throw new IllegalArgumentException("retainExpired is " + retainExpired + "; must be zero or more");
            }
            this.retainExpired = retainExpired;
            return this;
        }

        /**
         * Sets the clock that decides what has expired. Default: the system clock.
         *
         * @param clock the clock, not null
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Adds a listener told about each removal, through {@link SessionListener#expired}. Calls it on the sweeping
         * thread.
         *
         * @param listener the listener, not null
         * @return this builder
         */
        public Builder listener(SessionListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Runs the scheduled sweeps on the caller's threads instead of a thread of the sweeper's own: the timer waits
         * out each interval, then the executor runs the sweep. A sweep costs O(stored records), so the timer hands it
         * over rather than run it on its own thread (which, for Jetty's {@code Scheduler}, is shared by the whole
         * server). For Jetty: {@code runOn((task, delay) -> server.getScheduler().schedule(task, delay)::cancel,
         * server.getThreadPool())}. Default: none, and {@link #start()} creates a thread named
         * {@value ExpirySweeper#THREAD_NAME}.
         *
         * @param timer plans each sweep, not null
         * @param executor runs each sweep, not null; a refused sweep is logged and the next one planned
         * @return this builder
         */
        public Builder runOn(Timer timer, Executor executor) {
            this.timer = Objects.requireNonNull(timer, "timer");
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Creates the sweeper, not yet started.
         *
         * @return a new sweeper
         */
        public ExpirySweeper build() {
            return new ExpirySweeper(this);
        }
    }
}
