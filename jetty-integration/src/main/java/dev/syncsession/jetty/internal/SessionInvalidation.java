/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.internal;

import org.eclipse.jetty.session.SessionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invalidates a session by id through Jetty, inside its context, as both stores' sign-out everywhere does: the
 * context's session manager loads it if it is not cached, fires {@code sessionDestroyed} once and deletes it.
 *
 * <p>Stateless and thread-safe.
 */
public final class SessionInvalidation {

    private static final Logger LOG = LoggerFactory.getLogger(SessionInvalidation.class);

    private SessionInvalidation() {
    }

    /**
     * Invalidates the session.
     *
     * @param context the store's session context
     * @param id the session id
     * @return true if Jetty invalidated it (or found it gone); false if that failed, which is logged
     */
    public static boolean invalidate(SessionContext context, String id) {
        boolean[] done = new boolean[1];
        context.run(() -> {
            try {
                context.getSessionManager().invalidate(id);
                done[0] = true;
            } catch (Exception e) {
                LOG.warn("could not invalidate session {} of context {}: {}", id, context.getCanonicalContextPath(),
                        e.toString());
                LOG.debug("the failed invalidation of session {}", id, e);
            }
        });
        return done[0];
    }
}
