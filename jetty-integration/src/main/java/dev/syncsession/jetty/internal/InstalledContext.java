/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.internal;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.eclipse.jetty.server.Context;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.session.AbstractSessionManager;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionDataStore;

/**
 * A context's session handler and the data store an install gave it, found from a handler at or above it: what the
 * install handles of both tiers ({@code SyncSessions}, {@code SharedSessions}) answer {@code users(handler)} and
 * {@code stats(handler)} from. The handler may be the context, its session handler, or any wrapper around one
 * context (a guard, for example); exactly one session handler must be at or under it.
 *
 * @param sessions the context's session handler
 * @param store its data store, made by the install that asked
 */
public record InstalledContext(AbstractSessionManager sessions, SessionDataStore store) {

    /**
     * Finds the one session handler at or under a handler, and checks that the install made its store.
     *
     * @param handler the context, its session handler or a wrapper of it
     * @param madeByInstall whether the install that asks made a store
     * @param install how the messages name the install, for example {@code "SyncSessions install"}
     * @return the context's session handler and store
     * @throws IllegalArgumentException if no session handler, or more than one, is at or under the handler, or if
     *     the install did not make its store
     * @throws IllegalStateException if the session handler has no store yet (a server-wide install gives it one
     *     when it starts)
     */
    public static InstalledContext find(Handler handler, Predicate<SessionDataStore> madeByInstall, String install) {
        AbstractSessionManager sessions = sessionHandler(Objects.requireNonNull(handler, "handler"));
        SessionCache cache = sessions.getSessionCache();
        SessionDataStore store = cache == null ? null : cache.getSessionDataStore();
        if (store == null) {
            throw new IllegalStateException("the session handler of " + name(sessions) + " has no session store yet;"
                    + " an install on the server gives it one when the context starts: ask once it has started");
        }
        if (!madeByInstall.test(store)) {
            throw new IllegalArgumentException("the sessions of " + name(sessions) + " are not this " + install
                    + "'s: its session store is a " + store.getClass().getName() + "; give a context this install"
                    + " serves");
        }
        return new InstalledContext(sessions, store);
    }

    private static AbstractSessionManager sessionHandler(Handler handler) {
        if (handler instanceof AbstractSessionManager sessions) {
            return sessions;
        }
        List<AbstractSessionManager> found = handler instanceof Handler.Container container
                ? container.getDescendants(Handler.class).stream().filter(AbstractSessionManager.class::isInstance)
                        .map(AbstractSessionManager.class::cast).distinct().toList()
                : List.of();
        if (found.size() == 1) {
            return found.get(0);
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no session handler at or under " + handler + "; give the context whose"
                    + " sessions you mean, or its session handler");
        }
        throw new IllegalArgumentException(found.size() + " session handlers under " + handler + " ("
                + found.stream().map(InstalledContext::name).toList() + "); give the one context whose sessions you"
                + " mean");
    }

    /** The context's path once it has started, else the session handler itself. */
    private static String name(AbstractSessionManager sessions) {
        Context context = sessions.getContext();
        return context == null ? String.valueOf(sessions) : "context " + context.getContextPath();
    }
}
