/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers {@code 503 Service Unavailable} with a plain-text reason to every request it wraps while the shared
 * session store is unavailable, instead of letting the request run without its session.
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
 * <p>While the store is available the guard costs one volatile read per request. Once a store operation has failed
 * with a database error, each request either runs a probe (at most one per second, on the request thread, bounded
 * by the database driver's timeouts) or is refused at once; the first successful probe or store operation lets
 * requests through again. A request that was already past the guard when the database went away can still fail;
 * Jetty then logs the error and that one request may run without its session.
 *
 * <p>Thread-safe.
 */
public class SessionStoreGuard extends Handler.Wrapper {

    /** Seconds a client is told to wait before retrying. */
    static final int RETRY_AFTER_SECONDS = 2;

    private final StoreAvailability availability;

    /**
     * @param availability the availability of the store the wrapped contexts use
     * @param handler the handler to guard, usually the context that uses sessions
     */
    public SessionStoreGuard(StoreAvailability availability, Handler handler) {
        super(handler);
        this.availability = Objects.requireNonNull(availability, "availability");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (availability.isAvailable() || availability.tryRecover()) {
            return super.handle(request, response, callback);
        }
        String failure = availability.getFailureMessage();
        if (failure == null) {
            // Another request's store operation succeeded since we looked.
            return super.handle(request, response, callback);
        }
        String reason = "session store unavailable: " + failure
                + "; sessions are kept in the database, retry in a few seconds\n";
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE_503);
        response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, StandardCharsets.UTF_8.encode(reason), callback);
        return true;
    }
}
