/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.protection;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;

/**
 * Thrown when a request would create a session while the backend already holds the cap set with
 * {@code SyncSessions.Builder.sessionCap}. Its message, which error pages show to the client, is generic;
 * the counts and the setting are for operators ({@link #live()}, {@link #limit()}, and the warning
 * {@link BackendSessionCap} logs). It is an {@link HttpException} with status 503, so every
 * Jetty environment answers {@code 503 Service Unavailable} instead of 500, and, being a {@code QuietException},
 * Jetty logs it only at debug level: a client flooding the server with new sessions cannot flood the log.
 * {@link BackendSessionCap} logs the refusals itself, at most once per interval. {@link SessionCapHandler} adds
 * {@code Retry-After} to the 503.
 *
 * <p>Requests of existing sessions are never refused: only creation is capped.
 */
public class SessionCapExceededException extends HttpException.RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What the client is told (the 503's reason, shown on error pages): nothing about the server's settings. */
    static final String CLIENT_MESSAGE = "The server has too many sessions open right now; please try again later.";

    private final long live;
    private final long limit;

    /**
     * @param live the sessions counted when the creation was refused
     * @param limit the configured cap
     */
    public SessionCapExceededException(long live, long limit) {
        super(HttpStatus.SERVICE_UNAVAILABLE_503, CLIENT_MESSAGE);
        this.live = live;
        this.limit = limit;
    }

    /**
     * The sessions counted when the creation was refused.
     *
     * @return the live sessions at the refusal
     */
    public long live() {
        return live;
    }

    /**
     * The cap that was reached.
     *
     * @return the configured maximum of live sessions
     */
    public long limit() {
        return limit;
    }
}
