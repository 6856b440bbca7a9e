/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Why a device was signed out by something other than its own "Sign out", told once to it: the sign-in form of a
 * device whose session another device ended says why. Remembered by session id when "Sign out everywhere (else)"
 * ends a session, or when a sign-in past the per-user limit is about to end the user's oldest; taken by the next
 * request that presents that id.
 *
 * <p>Thread-safe (one monitor). Kept in this process's memory only and bounded to {@link #MAX_REMEMBERED} ids, the
 * oldest forgotten first: after a restart, on another node, or for a device that never came back, the sign-in form
 * simply has no reason.
 */
final class SignOuts {

    /** The short messages the shop shows above its sign-in form; {@code key} is also its {@code notice} parameter. */
    enum Notice {
        SIGNED_OUT_ELSEWHERE("signed-out-elsewhere", "You were signed out from another device."),
        TOO_MANY_SESSIONS("too-many-sessions", "Signed out: too many sessions. Signing in on one more device signs"
                + " out the oldest."),
        SIGN_IN_FOR_SESSIONS("sign-in-for-sessions", "Sign in to see your sessions.");

        final String key;
        final String text;

        Notice(String key, String text) {
            this.key = key;
            this.text = text;
        }

        /** The notice a {@code notice} query parameter names; empty for null or any other value. */
        static Optional<Notice> ofKey(String key) {
            return Arrays.stream(values()).filter(notice -> notice.key.equals(key)).findFirst();
        }
    }

    static final int MAX_REMEMBERED = 10_000;

    /** Guarded by itself; insertion order, so the eldest entry is the one to forget. */
    private final Map<String, Notice> bySessionId = new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Notice> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    /** Remembers why the session {@code sessionId} (as {@code UserSession.id()} gives it) is being ended. */
    void remember(String sessionId, Notice why) {
        synchronized (bySessionId) {
            bySessionId.put(sessionId, why);
        }
    }

    /**
     * Why the session a request asked for was ended, once.
     *
     * @param requestedSessionId {@code HttpServletRequest.getRequestedSessionId()}, possibly with Jetty's worker
     *     name after a dot ({@code id.node0}), or null
     */
    Optional<Notice> take(String requestedSessionId) {
        if (requestedSessionId == null) {
            return Optional.empty();
        }
        // As Jetty's DefaultSessionIdManager.getId: the worker name, if any, follows the last dot.
        int dot = requestedSessionId.lastIndexOf('.');
        String id = dot > 0 ? requestedSessionId.substring(0, dot) : requestedSessionId;
        synchronized (bySessionId) {
            return Optional.ofNullable(bySessionId.remove(id));
        }
    }
}
