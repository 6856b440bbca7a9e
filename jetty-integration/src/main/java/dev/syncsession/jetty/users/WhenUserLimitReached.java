/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.users;

/** What signing a user into one more session than their limit allows does. */
public enum WhenUserLimitReached {
    /**
     * The sign-in is refused: setting the user attribute throws {@link UserSessionLimitExceededException}, the
     * session stays as it was, and the user's other sessions are untouched.
     */
    REFUSE_NEW,
    /** The sign-in succeeds and the user's oldest sessions (by creation) are invalidated until the limit holds. */
    INVALIDATE_OLDEST;

    /**
     * The policy an ini property names: {@code refuse-new} or {@code invalidate-oldest} (either case, {@code -} or
     * {@code _}).
     *
     * @param name the name
     * @return the policy
     * @throws IllegalArgumentException naming the choices, if it names neither
     */
    public static WhenUserLimitReached named(String name) {
        try {
            return valueOf(name.strip().replace('-', '_').toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("whenUserLimitReached is \"" + name
                    + "\"; use refuse-new or invalidate-oldest", e);
        }
    }
}
