/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.eclipse.jetty.util.annotation.ManagedAttribute;
import org.eclipse.jetty.util.annotation.ManagedObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the shared session store (the database behind Jetty's {@code JDBCSessionDataStore}) can be reached, as
 * learned from the outcome of the store's own operations.
 *
 * <p>Jetty's session manager logs and swallows store failures: a request whose session cannot be loaded simply sees
 * no session, and may be given a new one whose cookie replaces the old. {@link DatabaseOutageGuard} uses this class to
 * answer such requests with a clear 503 instead. Every store operation reports here: a failure caused by an
 * {@link SQLException} marks the store unavailable, any success marks it available. While it is unavailable,
 * {@link #tryRecover()} lets one caller at a time, at most once per probe interval, test the database with the
 * probe given at construction, so that service resumes on its own when the database returns.
 *
 * <p>Thread-safe and lock-free: the state is an atomic reference to the failure and an atomic probe timestamp;
 * reading it on the request path costs one volatile read while the store is available.
 */
@ManagedObject("Availability of the shared session store")
public final class DatabaseAvailability {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseAvailability.class);

    /** SQLState classes that mean the database cannot be used at all; see {@link #isUnavailability}. */
    private static final Set<String> UNAVAILABLE_STATE_CLASSES = Set.of("08", "28", "3D", "53", "57", "58");

    private final BooleanSupplier probe;
    private final long probeIntervalNanos;

    /** The clock of the probe interval, {@code System::nanoTime} but in tests that step it themselves. */
    private final LongSupplier nanoTime;

    /** The failure that made the store unavailable; null while it is available. */
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** When {@link #failure} was first recorded (epoch millis), for operators; 0 while available. */
    private volatile long unavailableSinceMillis;

    /** {@link #nanoTime} of the last probe started; claimed by CAS so that one caller probes at a time. */
    private final AtomicLong lastProbeNanos;

    /** Probes run, for tests. */
    private final AtomicLong probes = new AtomicLong();

    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong recoveries = new AtomicLong();

    /** Requests answered 503 because the store was unavailable, since start; see {@link #refused()}. */
    private final LongAdder requestsRefused = new LongAdder();

    /** Saves that failed because the store was unavailable, since start; see {@link #saveFailed()}. */
    private final LongAdder savesFailed = new LongAdder();

    /**
     * {@link #requestsRefused} and {@link #savesFailed} when the current outage began, so that the line that ends it
     * can say how many fell within it. Written by the thread that started the outage, just after it set
     * {@link #failure} (as {@link #unavailableSinceMillis} is); read by the thread that ends it. A success racing in
     * between would end the outage with the previous one's values in its line; the totals are not affected.
     */
    private volatile long refusedAtOutageStart;
    private volatile long savesFailedAtOutageStart;

    /**
     * @param probe tests the database, returning true if it answered; must itself be bounded in time (a connect or
     *     login timeout) and must not throw
     * @param probeInterval the least time between two probes
     */
    DatabaseAvailability(BooleanSupplier probe, Duration probeInterval) {
        this(probe, probeInterval, System::nanoTime);
    }

    /**
     * @param probe as for {@link #DatabaseAvailability(BooleanSupplier, Duration)}
     * @param probeInterval the least time between two probes
     * @param nanoTime the clock the probe interval is measured on, in the manner of {@link System#nanoTime()}; read
     *     by every thread that reports a failure or tries to recover, so it must be thread-safe
     */
    DatabaseAvailability(BooleanSupplier probe, Duration probeInterval, LongSupplier nanoTime) {
        this.probe = Objects.requireNonNull(probe, "probe");
        this.probeIntervalNanos = probeInterval.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.lastProbeNanos = new AtomicLong(nanoTime.getAsLong());
    }

    /**
     * Whether the last store operation (or probe) succeeded.
     *
     * @return true until a store operation fails with a database error
     */
    @ManagedAttribute(value = "whether the last store operation succeeded", readonly = true)
    public boolean isAvailable() {
        return failure.get() == null;
    }

    /**
     * The failure that made the store unavailable.
     *
     * @return the failure, or null while the store is available
     */
    public Throwable failure() {
        return failure.get();
    }

    /**
     * A one-line description of the failure, for operators.
     *
     * @return the failure's message, or null while the store is available
     */
    @ManagedAttribute(value = "why the store is unavailable", readonly = true)
    public String getFailureMessage() {
        Throwable f = failure.get();
        return f == null ? null : describe(f);
    }

    /**
     * When the store became unavailable.
     *
     * @return epoch milliseconds, or 0 while the store is available
     */
    @ManagedAttribute(value = "epoch ms at which the store became unavailable, 0 if available", readonly = true)
    public long getUnavailableSinceMillis() {
        return unavailableSinceMillis;
    }

    /**
     * The number of times the store went from available to unavailable.
     *
     * @return outages seen since start
     */
    @ManagedAttribute(value = "times the store became unavailable", readonly = true)
    public long getOutages() {
        return failures.get();
    }

    /**
     * The number of times the store came back after an outage.
     *
     * @return recoveries seen since start
     */
    @ManagedAttribute(value = "times the store became available again", readonly = true)
    public long getRecoveries() {
        return recoveries.get();
    }

    /**
     * The requests answered {@code 503 Service Unavailable} because the store was unavailable.
     *
     * @return requests refused since start, over every outage
     */
    @ManagedAttribute(value = "requests answered 503 because the session database was unavailable", readonly = true)
    public long getRequestsRefused() {
        return requestsRefused.sum();
    }

    /**
     * The session saves that failed because the store was unavailable: a request's, an idle eviction's, a
     * passivation's.
     *
     * @return saves failed since start, over every outage
     */
    @ManagedAttribute(value = "session saves that failed because the session database was unavailable",
            readonly = true)
    public long getSavesFailed() {
        return savesFailed.sum();
    }

    /** The probes run since start. */
    long probes() {
        return probes.get();
    }

    /** Counts a request answered 503 because the store is unavailable. */
    void refused() {
        requestsRefused.increment();
    }

    /** Counts a session save that failed because the store is unavailable. */
    void saveFailed() {
        savesFailed.increment();
    }

    /**
     * If the store is unavailable and no probe ran during the last probe interval, probes the database on the
     * calling thread (bounded by the probe's own timeouts); otherwise returns at once.
     *
     * @return whether the store is available after this call
     */
    public boolean tryRecover() {
        if (failure.get() == null) {
            return true;
        }
        long last = lastProbeNanos.get();
        long now = nanoTime.getAsLong();
        if (now - last < probeIntervalNanos || !lastProbeNanos.compareAndSet(last, now)) {
            return failure.get() == null;
        }
        probes.incrementAndGet();
        if (probe.getAsBoolean()) {
            succeeded();
        }
        return failure.get() == null;
    }

    /** A store operation whose outcome this tracks. */
    @FunctionalInterface
    interface StoreCall<T> {
        T call() throws Exception;
    }

    /** Runs a store operation, recording whether it reached the store; its result or exception passes through. */
    <T> T track(StoreCall<T> operation) throws Exception {
        try {
            T result = operation.call();
            succeeded();
            return result;
        } catch (Exception e) {
            failed(e);
            throw e;
        }
    }

    /**
     * Records a successful store operation or probe; if it ends an outage, logs the one line that says so, with how
     * long the outage lasted and what it cost.
     */
    void succeeded() {
        Throwable f = failure.get();
        if (f != null && failure.compareAndSet(f, null)) {
            long since = unavailableSinceMillis;
            unavailableSinceMillis = 0;
            recoveries.incrementAndGet();
            LOG.info("the session database answers again after {} ms unavailable; during the outage {} requests"
                    + " were answered 503 and {} session saves failed", System.currentTimeMillis() - since,
                    requestsRefused.sum() - refusedAtOutageStart, savesFailed.sum() - savesFailedAtOutageStart);
        }
    }

    /**
     * Records a failed store operation. Only a failure to reach a working database makes the store unavailable (see
     * {@link #isUnavailability}); a failure of one row or one value (a constraint, a value too long, an attribute
     * that cannot be serialized) fails that one operation and leaves the store available.
     */
    void failed(Throwable error) {
        if (!isUnavailability(error) || failure.get() != null) {
            return;
        }
        long refusedBefore = requestsRefused.sum();
        long savesFailedBefore = savesFailed.sum();
        if (!failure.compareAndSet(null, error)) {
            return;
        }
        refusedAtOutageStart = refusedBefore;
        savesFailedAtOutageStart = savesFailedBefore;
        // Start the probe clock now: the operation that just failed was the first probe.
        lastProbeNanos.set(nanoTime.getAsLong());
        unavailableSinceMillis = System.currentTimeMillis();
        failures.incrementAndGet();
        LOG.warn("the session database is unavailable: {}; requests of sessions are answered 503 until it answers"
                + " again (probed at most every {} ms); the failures until then are logged at DEBUG only",
                describe(error), probeIntervalNanos / 1_000_000);
        LOG.debug("the failure that began the outage", error);
    }

    /**
     * Whether a failure means the database cannot be used at all, as opposed to one bad row or value: anywhere in
     * the cause chain, a {@link SQLTransientConnectionException} (also what connection pools throw when exhausted),
     * {@link SQLNonTransientConnectionException}, {@link SQLRecoverableException} or {@link SQLTimeoutException}; an
     * SQLState of class 08 (connection exception), 28 (invalid authorization), 3D (no such database), 53 (insufficient
     * resources: too many connections, disk full), 57 (operator intervention: shutdown, statement timeout) or 58
     * (system error); or an I/O failure of the connection itself ({@link java.net.SocketException},
     * {@link java.net.SocketTimeoutException}, {@link java.net.UnknownHostException}).
     *
     * @param error the failure of a store operation
     * @return true if the store as a whole should be considered unavailable
     */
    static boolean isUnavailability(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof SQLTimeoutException
                    || t instanceof SocketException || t instanceof SocketTimeoutException
                    || t instanceof UnknownHostException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2
                    && UNAVAILABLE_STATE_CLASSES.contains(sql.getSQLState().substring(0, 2))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** The innermost message of the cause chain, which for JDBC drivers names the actual problem. */
    static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }

    @Override
    public String toString() {
        Throwable f = failure.get();
        return f == null ? "DatabaseAvailability[available]" : "DatabaseAvailability[unavailable: " + describe(f) + "]";
    }
}
