/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.protection;

import dev.syncsession.jetty.internal.RateLimitedLog;
import dev.syncsession.session.SessionCapExceededException;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;

/**
 * How both caps refuse a creation: count it, log it (at most once per {@link #LOG_INTERVAL}, with the counts and
 * the setting, for operators), tell the {@link SessionCapHandler} of the request, and make the 503.
 *
 * <p>The 503 is Jetty's {@link HttpException.RuntimeException}: every Jetty environment answers it with its status
 * rather than 500, and, being a {@code QuietException}, Jetty logs it only at debug level, so a client flooding the
 * server with new sessions cannot flood the log. Its reason, which error pages show to the client, is
 * {@link #CLIENT_MESSAGE}; the counts travel in its cause, a {@link SessionCapExceededException}. Thread-safe.
 */
final class CapRefusals {

    /** What the client is told (the 503's reason, shown on error pages): nothing about the server's settings. */
    static final String CLIENT_MESSAGE = "The server has too many sessions open right now; please try again later.";

    /** How often a refusal is logged at most. */
    static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    private final String where;
    private final RateLimitedLog log;
    private final LongAdder refused = new LongAdder();

    /**
     * @param log the cap's logger
     * @param where what is capped, as the warning and the cause's message say it
     */
    CapRefusals(Logger log, String where) {
        this.where = where;
        this.log = new RateLimitedLog(log, LOG_INTERVAL);
    }

    /**
     * Counts and logs a refusal.
     *
     * @param counted the sessions counted
     * @param cap the cap
     * @return the 503 to throw
     */
    RuntimeException refuse(long counted, long cap) {
        refused.increment();
        log.warn("refused to create a session: " + counted + " sessions " + where + ", at most " + cap
                + " allowed (sessionCap); requests that need a new session get 503 until sessions expire");
        SessionCapHandler.noteRefusal(); // so the handler completes this 503, and no other
        return new HttpException.RuntimeException(HttpStatus.SERVICE_UNAVAILABLE_503, CLIENT_MESSAGE,
                new SessionCapExceededException(where, counted, cap));
    }

    long refused() {
        return refused.sum();
    }

    /**
     * Whether a failure is a cap's refusal: a 503 caused by {@link SessionCapExceededException}.
     *
     * @param failure what a request threw
     * @return true for a refusal
     */
    static boolean isRefusal(Throwable failure) {
        return failure instanceof HttpException.RuntimeException http
                && http.getCause() instanceof SessionCapExceededException;
    }
}
