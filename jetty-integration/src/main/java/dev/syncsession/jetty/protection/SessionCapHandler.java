/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.protection;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

/**
 * Completes the 503 answer to a request refused by {@code SyncSessions.Builder.sessionCap}: wrap the
 * contexts that use sessions, in any environment (core, ee10, ee11).
 *
 * <pre>{@code
 * SyncSessions sessions = SyncSessions.builder().sessionCap(100_000).install(server);
 * server.setHandler(sessions.guard(context));      // a SessionCapHandler around the context
 * }</pre>
 *
 * <p>How a refusal travels: the store throws {@link SessionCapExceededException}, an {@code HttpException}
 * with status 503, out of {@code request.getSession(true)}. A servlet environment turns it into a 503 error page
 * (its error handler, and an {@code ErrorPageErrorHandler} mapping if the application has one); in the core
 * environment the exception reaches this handler, which answers 503 itself. Either way this handler adds
 * {@code Retry-After} (and {@code Cache-Control: no-store}) to that 503, just before the response commits, and to no
 * other response: the application's own 503s pass unchanged. (The refusal marks the request through a thread-local
 * set while this handler runs, so a session created on another thread, after an async dispatch, gets a plain 503.)
 * A response already committed when the session is requested cannot be changed: create sessions before writing the
 * body, as the Servlet specification requires anyway.
 *
 * <p>In a standalone Jetty the {@code session-store-syncmap} module inserts one in front of the server's handlers
 * when {@code jetty.session.syncmap.sessionCap} sets a cap ({@link #insertWhenCapped}), with
 * {@code Retry-After} set by the property {@code jetty.session.syncmap.retryAfter.seconds}.
 *
 * <p>Thread-safe. Cost: one small wrapper object per request, one status check per write.
 */
public class SessionCapHandler extends Handler.Wrapper {

    /** Default seconds a refused client is told to wait. */
    public static final int DEFAULT_RETRY_AFTER_SECONDS = 30;

    private final int retryAfterSeconds;

    /**
     * A handler to be inserted in front of other handlers (Jetty XML's {@code insertHandler}), with the default
     * {@code Retry-After} of {@value #DEFAULT_RETRY_AFTER_SECONDS} seconds.
     */
    public SessionCapHandler() {
        this(null, DEFAULT_RETRY_AFTER_SECONDS);
    }

    /**
     * A handler to be inserted in front of other handlers (Jetty XML's {@code insertHandler}).
     *
     * @param retryAfterSeconds the {@code Retry-After} value, at least 1
     * @throws IllegalArgumentException if {@code retryAfterSeconds} is less than 1
     */
    public SessionCapHandler(int retryAfterSeconds) {
        this(null, retryAfterSeconds);
    }

    /**
     * @param handler the handler to wrap, usually the context that uses sessions
     */
    public SessionCapHandler(Handler handler) {
        this(handler, DEFAULT_RETRY_AFTER_SECONDS);
    }

    /**
     * @param handler the handler to wrap
     * @param retryAfterSeconds the {@code Retry-After} value, at least 1
     * @throws IllegalArgumentException if {@code retryAfterSeconds} is less than 1
     */
    public SessionCapHandler(Handler handler, int retryAfterSeconds) {
        super(handler);
        if (retryAfterSeconds < 1) {
            throw new IllegalArgumentException("retryAfterSeconds is " + retryAfterSeconds + "; at least 1");
        }
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * The response of the request this thread is handling inside a SessionCapHandler, so that a refusal, which
     * is raised deep inside {@code getSession(true)} without access to the request, can mark it as this handler's.
     */
    private static final ThreadLocal<RetryAfterOnRefusal> HANDLING = new ThreadLocal<>();

    /**
     * Inserts a SessionCapHandler in front of the server's handlers if {@code sessionCap} sets a cap, and
     * does nothing otherwise: the {@code session-store-syncmap} module's XML calls this, so a server without a cap
     * pays nothing per request.
     *
     * @param server the server
     * @param sessionCap the store's cap on sessions; 0 (or less) for none
     * @param retryAfterSeconds the {@code Retry-After} value, at least 1
     * @return whether a handler was inserted
     */
    public static boolean insertWhenCapped(Server server, long sessionCap, int retryAfterSeconds) {
        SessionCapHandler handler = new SessionCapHandler(retryAfterSeconds); // validates retryAfterSeconds
        if (sessionCap <= 0) {
            return false;
        }
        server.insertHandler(handler);
        return true;
    }

    /**
     * Called by a refusal ({@link BackendSessionCap}, the many-nodes tier's cap): marks the 503 the current request
     * is about to get as this handler's to complete. Does nothing outside a request this handler wraps.
     */
    public static void noteRefusal() {
        RetryAfterOnRefusal handling = HANDLING.get();
        if (handling != null) {
            handling.refused = true;
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        RetryAfterOnRefusal wrapped = new RetryAfterOnRefusal(request, response);
        RetryAfterOnRefusal outer = HANDLING.get();
        HANDLING.set(wrapped);
        try {
            return super.handle(request, wrapped, callback);
        } catch (SessionCapExceededException e) {
            if (response.isCommitted()) {
                throw e;
            }
            // The core environment: nothing between the session manager and here turned it into a response.
            response.setStatus(HttpStatus.SERVICE_UNAVAILABLE_503);
            addRetryAfter(response);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
            response.write(true, StandardCharsets.UTF_8.encode(e.getReason() + "\n"), callback);
            return true;
        } finally {
            if (outer == null) {
                HANDLING.remove();
            } else {
                HANDLING.set(outer);
            }
        }
    }

    private void addRetryAfter(Response response) {
        if (!response.getHeaders().contains(HttpHeader.RETRY_AFTER)) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(retryAfterSeconds));
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        }
    }

    /**
     * Adds Retry-After, on the write that commits it, to a 503 that a refusal of this request caused; leaves every
     * other response, the application's own 503s included, as it is.
     */
    private final class RetryAfterOnRefusal extends Response.Wrapper {

        /** Set by {@link #noteRefusal()}; volatile because an error page may be written by another thread. */
        volatile boolean refused;

        RetryAfterOnRefusal(Request request, Response wrapped) {
            super(request, wrapped);
        }

        @Override
        public void write(boolean last, ByteBuffer content, Callback callback) {
            if (refused && getStatus() == HttpStatus.SERVICE_UNAVAILABLE_503 && !isCommitted()) {
                addRetryAfter(getWrapped());
            }
            super.write(last, content, callback);
        }
    }
}
