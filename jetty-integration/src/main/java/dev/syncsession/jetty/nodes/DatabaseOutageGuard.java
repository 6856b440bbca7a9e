/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.cache.PresentedNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers {@code 503 Service Unavailable} to the requests it wraps while the shared session store is unavailable,
 * instead of letting them run without their sessions.
 *
 * <p>Why it is needed: when Jetty's session manager cannot load a session it logs the error and carries on as if
 * the session did not exist, so the application may create a new session whose cookie replaces the user's, and
 * the user's session, still intact in the database, is lost to them. Wrap the contexts that use sessions:
 *
 * <pre>{@code
 * SharedSessions sessions = SharedSessions.builder(store).install(server);
 * server.setHandler(sessions.guard(context));
 * }</pre>
 *
 * <p>From the first failing request on: a request whose session could not be loaded because the database is
 * unavailable gets the 503, whatever the application wrote (its response is replaced before it is sent, and no new
 * session is created for it: {@code getSession(true)} throws the same 503), and keeps its cookie. Once a store
 * operation has failed that way, each request either runs a probe (at most one per second, on the request thread,
 * bounded by the database driver's timeouts) or is refused at once; the first successful probe or store operation
 * lets requests through again. A failure of one row (see {@link DatabaseAvailability#isUnavailability}) is not an
 * outage: that one request fails, as Jetty fails it.
 *
 * <p>The 503 tells the client only that it should retry; why the database is unavailable (the driver's message,
 * which can name hosts and users) goes to the log, once per outage, and to JMX
 * ({@link DatabaseAvailability#getFailureMessage()}); each 503 is counted
 * ({@link DatabaseAvailability#getRequestsRefused()}).
 *
 * <p>While the store is available the guard costs one volatile read and one small wrapper per request. Thread-safe.
 */
public class DatabaseOutageGuard extends Handler.Wrapper {

    /** Seconds a client is told to wait before retrying. */
    static final int RETRY_AFTER_SECONDS = 2;

    /** All a client is told. */
    static final String CLIENT_MESSAGE = "The service is briefly unavailable; please try again in a few seconds.\n";

    /** The guarded request running on this thread, so that a store call can mark it. */
    private static final ThreadLocal<GuardedResponse> CURRENT = new ThreadLocal<>();

    private final DatabaseAvailability availability;

    /**
     * @param availability the availability of the store the wrapped contexts use
     * @param handler the handler to guard, usually the context that uses sessions
     */
    public DatabaseOutageGuard(DatabaseAvailability availability, Handler handler) {
        super(handler);
        this.availability = Objects.requireNonNull(availability, "availability");
    }

    /**
     * Called by the store when loading a session failed because the database is unavailable: the guarded request on
     * this thread, if any, is answered 503 instead of running without its session.
     */
    static void noteUnavailableLoad() {
        GuardedResponse current = CURRENT.get();
        if (current != null) {
            current.unavailableLoad = true;
        }
    }

    /** Whether the guarded request on this thread could not load its session because the database is unavailable. */
    static boolean currentRequestLostItsSession() {
        GuardedResponse current = CURRENT.get();
        return current != null && current.unavailableLoad;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!availability.isAvailable() && !availability.tryRecover() && availability.failure() != null) {
            availability.refused();
            refuse(response, callback);
            return true;
        }
        GuardedResponse guarded = new GuardedResponse(request, response, availability);
        GuardedResponse outer = CURRENT.get();
        CURRENT.set(guarded);
        // Which node served the session last, as the client says (Jetty's id.node suffix): see PresentedNode.
        Request outerRequest = PresentedNode.presenting(request);
        try {
            return super.handle(request, guarded, guarded.callback(callback));
        } finally {
            PresentedNode.presenting(outerRequest);
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /** Writes the 503 to a response that has not been committed. */
    private static void refuse(Response response, Callback callback) {
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE_503);
        response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, StandardCharsets.UTF_8.encode(CLIENT_MESSAGE), callback);
    }

    /**
     * The response of a guarded request: once the request is marked (its session could not be loaded), the first
     * write, or the completion if nothing was written, replaces whatever the application produced with the 503, and
     * later writes are dropped.
     */
    private static final class GuardedResponse extends Response.Wrapper {

        /** Set by {@link #noteUnavailableLoad()}; volatile because the application may write on another thread. */
        volatile boolean unavailableLoad;

        /** Whether the 503 has replaced the application's response. Guarded by {@code this}. */
        private boolean replaced;

        /** Counts the replacement as a refused request. */
        private final DatabaseAvailability availability;

        GuardedResponse(Request request, Response wrapped, DatabaseAvailability availability) {
            super(request, wrapped);
            this.availability = availability;
        }

        @Override
        public void write(boolean last, ByteBuffer content, Callback callback) {
            if (unavailableLoad && replace(callback)) {
                return;
            }
            synchronized (this) {
                if (replaced) {
                    callback.succeeded(); // the application's output after the 503: dropped
                    return;
                }
            }
            super.write(last, content, callback);
        }

        /** Replaces the response with the 503 if it has not been committed; true if this call wrote it. */
        private boolean replace(Callback callback) {
            synchronized (this) {
                if (replaced || getWrapped().isCommitted()) {
                    return false;
                }
                replaced = true;
            }
            availability.refused();
            getWrapped().reset(); // drops the application's status, headers (a new session's cookie) and content
            refuse(getWrapped(), callback);
            return true;
        }

        /** The handler's callback: a marked request that wrote nothing gets the 503 on completion. */
        Callback callback(Callback callback) {
            return new Callback.Nested(callback) {
                @Override
                public void succeeded() {
                    if (!(unavailableLoad && replace(callback))) {
                        super.succeeded();
                    }
                }
            };
        }
    }
}
