/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Completes the 503 answer to a request refused by {@link SyncSessions.Builder#maxLiveSessions(long)}: wrap the
 * contexts that use sessions, in any environment (core, ee10, ee11).
 *
 * <pre>{@code
 * SyncSessions.builder().maxLiveSessions(100_000).install(server);
 * server.setHandler(new SessionLimitHandler(context));
 * }</pre>
 *
 * <p>How a refusal travels: the store throws {@link LiveSessionLimitExceededException}, an {@code HttpException}
 * with status 503, out of {@code request.getSession(true)}. A servlet environment turns it into a 503 error page
 * (its error handler, and an {@code ErrorPageErrorHandler} mapping if the application has one); in the core
 * environment the exception reaches this handler, which answers 503 itself. Either way this handler adds
 * {@code Retry-After} (and {@code Cache-Control: no-store}) to every 503 its contexts send without one, just before
 * the response commits. A response already committed when the session is requested cannot be changed: create
 * sessions before writing the body, as the Servlet specification requires anyway.
 *
 * <p>In a standalone Jetty the {@code session-store-syncmap} module inserts one in front of the server's handlers
 * (as Jetty's {@code gzip} module inserts its handler), with {@code Retry-After} set by the property
 * {@code jetty.session.syncmap.retryAfter.seconds}.
 *
 * <p>Thread-safe. Cost: one small wrapper object per request, one status check per write.
 */
public class SessionLimitHandler extends Handler.Wrapper {

    /** Default seconds a refused client is told to wait. */
    public static final int DEFAULT_RETRY_AFTER_SECONDS = 30;

    private final int retryAfterSeconds;

    /**
     * A handler to be inserted in front of other handlers (Jetty XML's {@code insertHandler}), with the default
     * {@code Retry-After} of {@value #DEFAULT_RETRY_AFTER_SECONDS} seconds.
     */
    public SessionLimitHandler() {
        this(null, DEFAULT_RETRY_AFTER_SECONDS);
    }

    /**
     * A handler to be inserted in front of other handlers (Jetty XML's {@code insertHandler}).
     *
     * @param retryAfterSeconds the {@code Retry-After} value, at least 1
     * @throws IllegalArgumentException if {@code retryAfterSeconds} is less than 1
     */
    public SessionLimitHandler(int retryAfterSeconds) {
        this(null, retryAfterSeconds);
    }

    /**
     * @param handler the handler to wrap, usually the context that uses sessions
     */
    public SessionLimitHandler(Handler handler) {
        this(handler, DEFAULT_RETRY_AFTER_SECONDS);
    }

    /**
     * @param handler the handler to wrap
     * @param retryAfterSeconds the {@code Retry-After} value, at least 1
     * @throws IllegalArgumentException if {@code retryAfterSeconds} is less than 1
     */
    public SessionLimitHandler(Handler handler, int retryAfterSeconds) {
        super(handler);
        if (retryAfterSeconds < 1) {
            throw new IllegalArgumentException("retryAfterSeconds is " + retryAfterSeconds + "; at least 1");
        }
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        RetryAfterOn503 wrapped = new RetryAfterOn503(request, response);
        try {
            return super.handle(request, wrapped, callback);
        } catch (LiveSessionLimitExceededException e) {
            if (response.isCommitted()) {
                throw e;
            }
            // The core environment: nothing between the session manager and here turned it into a response.
            response.setStatus(HttpStatus.SERVICE_UNAVAILABLE_503);
            addRetryAfter(response);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
            response.write(true, StandardCharsets.UTF_8.encode(e.getReason() + "\n"), callback);
            return true;
        }
    }

    private void addRetryAfter(Response response) {
        if (!response.getHeaders().contains(HttpHeader.RETRY_AFTER)) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(retryAfterSeconds));
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        }
    }

    /** Adds Retry-After to a 503 on the write that commits it. */
    private final class RetryAfterOn503 extends Response.Wrapper {

        RetryAfterOn503(Request request, Response wrapped) {
            super(request, wrapped);
        }

        @Override
        public void write(boolean last, ByteBuffer content, Callback callback) {
            if (getStatus() == HttpStatus.SERVICE_UNAVAILABLE_503 && !isCommitted()) {
                addRetryAfter(getWrapped());
            }
            super.write(last, content, callback);
        }
    }
}
