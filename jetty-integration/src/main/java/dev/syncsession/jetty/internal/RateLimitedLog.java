/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs one kind of warning that clients can provoke (a hostile session id, a refused session creation) at most once
 * per interval, so that an attacker cannot flood the log or fill the disk with it. The warnings in between are
 * counted, and the next one that is logged says how many were suppressed.
 *
 * <p>Thread-safe and lock-free: one compare-and-set decides which thread logs; the others add to a counter.
 */
public final class RateLimitedLog {

    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoClock;

    /** The {@link #nanoClock} time before which warnings are suppressed. */
    private final AtomicLong quietUntil;

    /** Warnings suppressed since the last one logged; reset by the thread that logs. */
    private final AtomicLong suppressedSinceLogged = new AtomicLong();

    private final LongAdder logged = new LongAdder();
    private final LongAdder suppressed = new LongAdder();

    /**
     * @param log where the warnings go
     * @param interval at most one warning per interval is logged
     */
    public RateLimitedLog(Logger log, Duration interval) {
        this(log, interval, System::nanoTime);
    }

    public RateLimitedLog(Logger log, Duration interval, LongSupplier nanoClock) {
        this.log = Objects.requireNonNull(log, "log");
        this.intervalNanos = interval.toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.quietUntil = new AtomicLong(nanoClock.getAsLong());
    }

    /**
     * Logs the warning if none was logged during the last interval, otherwise counts it.
     *
     * @param message the complete message; it must not contain client input that was not trimmed or escaped
     */
    public void warn(String message) {
        long now = nanoClock.getAsLong();
        long until = quietUntil.get();
        if (now - until < 0 || !quietUntil.compareAndSet(until, now + intervalNanos)) {
            suppressedSinceLogged.incrementAndGet();
            suppressed.increment();
            return;
        }
        long skipped = suppressedSinceLogged.getAndSet(0);
        logged.increment();
        if (skipped > 0) {
            log.warn("{} ({} similar warnings suppressed; at most one is logged every {} s)", message, skipped,
                    intervalNanos / 1_000_000_000L);
        } else {
            log.warn(message);
        }
    }

    /** Warnings written to the log. */
    public long logged() {
        return logged.sum();
    }

    /** Warnings counted but not written. */
    public long suppressed() {
        return suppressed.sum();
    }
}
