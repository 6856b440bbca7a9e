/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.users;

/** What signing a user into one more session than their limit allows does. */
public enum WhenUserLimitReached {
    /**
     * The sign-in is refused: setting the principal attribute throws {@link UserSessionLimitExceededException}, the
     * session stays as it was, and the user's other sessions are untouched.
     */
    REFUSE_NEW,
    /** The sign-in succeeds and the user's oldest sessions (by creation) are invalidated until the limit holds. */
    INVALIDATE_OLDEST
}
