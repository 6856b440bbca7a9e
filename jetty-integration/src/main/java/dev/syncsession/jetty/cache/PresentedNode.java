/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.cache;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.session.ManagedSession;

/**
 * Which node a request says served its session last: the worker name Jetty appends to the session id it gives the
 * client ({@code id.node}), presented back in the session cookie or a {@code ;jsessionid=} path parameter.
 * {@link CachedCopyCheck} trusts a cached copy unchecked when the request names this node. The many-nodes guard
 * records each guarded request on its thread ({@link #presenting}); outside one nothing is known, and a copy is
 * checked. Thread-safe: the record is a thread-local.
 */
public final class PresentedNode {

    private PresentedNode() {
    }

    /**
     * The guarded request on this thread, whose session cookie or {@code ;jsessionid=} says which node served the
     * session last; set by the many-nodes guard, null outside such a request. Read only when a cached copy is about
     * to be used, so requests without a session pay nothing for it.
     */
    private static final ThreadLocal<Request> PRESENTING = new ThreadLocal<>();

    /**
     * Records the request on this thread, whose presented session ids {@link #lastServedHere} reads; the caller
     * restores the previous value when the request leaves it.
     *
     * @param request the guarded request, or null to forget
     * @return the previous value
     */
    public static Request presenting(Request request) {
        Request previous = PRESENTING.get();
        if (request == null) {
            PRESENTING.remove();
        } else {
            PRESENTING.set(request);
        }
        return previous;
    }

    /**
     * Whether the request presents the session with this node's worker name as its suffix ({@code id.node}): Jetty
     * gives the client that suffix with every response of a node that has not served the session's previous request,
     * so the client's last response came from this node, and no other node has served the session since. Not known
     * outside a guarded request, and then false: the copy is checked.
     */
    static boolean lastServedHere(String id, ManagedSession cached) {
        Request request = PRESENTING.get();
        String worker = cached.getSessionManager() == null || cached.getSessionManager().getSessionIdManager() == null
                ? null : cached.getSessionManager().getSessionIdManager().getWorkerName();
        if (request == null || worker == null || worker.isEmpty()) {
            return false;
        }
        String extended = id + "." + worker;
        if (presents(request.getHttpURI().getPath(), extended)) {
            return true;
        }
        for (String cookies : request.getHeaders().getValuesList(HttpHeader.COOKIE)) {
            if (presents(cookies, extended)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code text} (a Cookie header, or a path with {@code ;jsessionid=}) holds the value {@code extended}. */
    private static boolean presents(String text, String extended) {
        if (text == null) {
            return false;
        }
        for (int at = text.indexOf(extended); at >= 0; at = text.indexOf(extended, at + 1)) {
            int end = at + extended.length();
            boolean startsValue = at > 0 && text.charAt(at - 1) == '=';
            boolean endsValue = end == text.length() || ";,/?# \t".indexOf(text.charAt(end)) >= 0;
            if (startsValue && endsValue) {
                return true;
            }
        }
        return false;
    }
}
