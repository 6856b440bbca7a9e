/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.users;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionDataStore;
import org.eclipse.jetty.session.SessionManager;
import org.eclipse.jetty.util.component.ContainerLifeCycle;

/**
 * A context's sessions by user: which sessions a principal is signed into, and "sign out everywhere". The store
 * keeps an index from principal name to session ids, written with each session it saves; the principal is Jetty's
 * authenticated user (form, basic or any authenticator that keeps its {@code SessionAuthentication} in the session),
 * or the value of the session attribute configured as the user attribute ({@code userAttribute}: a
 * {@code String}, or a {@link java.security.Principal}'s name) for applications that do their own sign-in.
 *
 * <pre>{@code
 * UserSessions users = UserSessions.of(context.getSessionHandler());
 * users.list("ada");                                  // id, created and last access (Instant), node of each
 * users.invalidateAllExcept("ada", request.getSession().getId());   // "sign out everywhere else"
 * }</pre>
 *
 * <p>The index follows every way a session ends or changes: invalidation, expiry, id renewal
 * ({@code changeSessionId}), sign-out (the attribute removed), eviction from the cache (the session stays indexed,
 * it is still in the store), restore from a snapshot and redeploy (rebuilt from the store as the context starts).
 * Only sessions that exist are listed: each id is checked against the store (and the cache, for a session not saved
 * yet) when listed. Invalidation goes through Jetty, so {@code sessionDestroyed} fires once for each.
 */
public interface UserSessions {

    /**
     * The sessions-by-user view of a context's session handler.
     *
     * @param sessions a started session handler whose store indexes sessions by user (the SyncMap store does, and
     *     the many-nodes store when {@code SharedSessions.Builder.sessionsByUser()} is on)
     * @return the view
     * @throws IllegalArgumentException if its store keeps no such index
     */
    static UserSessions of(SessionManager sessions) {
        Objects.requireNonNull(sessions, "sessions");
        SessionCache cache = sessions.getSessionCache();
        SessionDataStore store = cache == null ? null : cache.getSessionDataStore();
        UserSessions users = store instanceof UserSessions own ? own
                : store instanceof ContainerLifeCycle container ? container.getBean(UserSessions.class) : null;
        if (users != null && users.indexesSessionsByUser()) {
            return users;
        }
        throw new IllegalArgumentException("the session store of " + sessions + " keeps no index of sessions by user"
                + " (the SyncMap store does, and the many-nodes store with SharedSessions.Builder.sessionsByUser();"
                + " is the context started?)");
    }

    /**
     * Whether this store keeps the index; {@link #of} refuses a store that does not.
     *
     * @return true if sessions are indexed by user
     */
    default boolean indexesSessionsByUser() {
        return true;
    }

    /**
     * The user's sessions in this context, oldest first.
     *
     * @param principal the principal name
     * @return the sessions that exist now
     */
    List<UserSession> list(String principal);

    /**
     * Invalidates every session of the user in this context ("sign out everywhere").
     *
     * @param principal the principal name
     * @return the sessions invalidated
     */
    int invalidateAll(String principal);

    /**
     * Invalidates every session of the user but one ("sign out everywhere else").
     *
     * @param principal the principal name
     * @param keptSessionId the session to keep, usually the current request's
     * @return the sessions invalidated
     */
    int invalidateAllExcept(String principal, String keptSessionId);

    /**
     * The user a session is signed in as, by the index.
     *
     * @param sessionId a session id
     * @return the principal name, or empty if the session is not signed in (or unknown)
     */
    Optional<String> userOf(String sessionId);
}
