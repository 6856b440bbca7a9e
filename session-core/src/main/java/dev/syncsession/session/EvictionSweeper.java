package dev.syncsession.session;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes expired sessions that no request will ever touch again. Every {@linkplain Builder#interval interval} it
 * walks the store with {@link SessionStore#range} and deletes each record whose expiry time is more than the
 * {@linkplain Builder#grace grace} in the past, using {@link SessionStore#deleteIfUnchanged} so that a session
 * touched by a request after the sweep read it survives. Each removal is reported to the listeners as
 * {@link SessionListener#expired}.
 *
 * <p>Lifecycle: {@link #start()} schedules sweeps on one daemon thread named {@value #THREAD_NAME};
 * {@link #close()} stops it and waits for a running sweep to end. A failing sweep is logged and the next one runs
 * as planned: the schedule never dies. {@link #sweepNow()} sweeps on the calling thread, started or not.
 *
 * <p>Thread-safe. At most one sweep runs at a time; a sweep costs O(stored records) and holds no store-wide lock.
 */
public final class EvictionSweeper implements AutoCloseable {

    /** The name of the sweeper thread. */
    public static final String THREAD_NAME = "syncsession-sweeper";

    private static final Logger LOG = LoggerFactory.getLogger(EvictionSweeper.class);

    private final SessionStore store;
    private final Duration interval;
    private final long graceMillis;
    private final Clock clock;
    private final Listeners listeners;

    /** Serialises sweeps, so a scheduled sweep and {@link #sweepNow()} never walk the store together. */
    private final ReentrantLock sweepLock = new ReentrantLock();

    /** Replaced, under {@link #sweepLock}, after every sweep; read by any thread without the lock. */
    private volatile Stats stats = new Stats(0, 0, Duration.ZERO, 0, 0);

    /** Guarded by {@code this}: created by {@link #start()}, shut down by {@link #close()}. */
    private ScheduledExecutorService scheduler;
    private boolean closed;

    /** Set by {@link #close()} so that a running sweep stops at its next record. */
    private volatile boolean stopping;

    private EvictionSweeper(Builder builder) {
        this.store = builder.store;
        this.interval = builder.interval;
        this.graceMillis = builder.grace.toMillis();
        this.clock = builder.clock;
        this.listeners = new Listeners(builder.listeners);
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
     * Starts periodic sweeping: the first sweep runs one interval from now.
     *
     * @throws IllegalStateException if already started or closed
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("sweeper is closed; build a new one");
        }
        if (scheduler != null) {
            throw new IllegalStateException("sweeper already started");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, THREAD_NAME);
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::scheduledSweep, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Tells whether periodic sweeping is running.
     *
     * @return true between {@link #start()} and {@link #close()}
     */
    public synchronized boolean isRunning() {
        return scheduler != null && !closed;
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
     * Stops periodic sweeping, stops a sweep in progress at its next record and waits up to ten seconds for it.
     * Idempotent. {@link #sweepNow()} still works afterwards.
     */
    @Override
    public void close() {
        ScheduledExecutorService toStop;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toStop = scheduler;
        }
        if (toStop == null) {
            return;
        }
        stopping = true;
        toStop.shutdown();
        try {
            if (!toStop.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("session sweep did not stop within 10 s; interrupting {}", THREAD_NAME);
                toStop.shutdownNow();
            }
        } catch (InterruptedException e) {
            toStop.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            stopping = false;
        }
    }

    private void scheduledSweep() {
        try {
            SweepResult result = sweepNow();
            if (result.removed() > 0) {
                LOG.debug("session sweep removed {} of {} sessions in {}", result.removed(), result.scanned(),
                        result.duration());
            }
        } catch (RuntimeException e) {
            // Thrown out of here, the exception would cancel every future run of scheduleWithFixedDelay.
            LOG.warn("session sweep failed; next sweep in {}", interval, e);
        }
    }

    private SweepResult sweepLocked() {
        long started = System.nanoTime();
        Sweep sweep = new Sweep(clock.millis() - graceMillis);
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
     * Configures an {@link EvictionSweeper}. Not thread-safe.
     */
    public static final class Builder {

        private final SessionStore store;
        private Duration interval = Duration.ofSeconds(60);
        private Duration grace = Duration.ZERO;
        private Clock clock = Clock.systemUTC();
        private final List<SessionListener> listeners = new ArrayList<>();

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
         * @param grace zero or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder grace(Duration grace) {
            if (grace.isNegative()) {
                throw new IllegalArgumentException("sweep grace is " + grace + "; must be zero or more");
            }
            this.grace = grace;
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
         * Creates the sweeper, not yet started.
         *
         * @return a new sweeper
         */
        public EvictionSweeper build() {
            return new EvictionSweeper(this);
        }
    }
}
