/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.users;

/**
 * A sign-in refused because the user already has as many sessions as allowed ({@link WhenUserLimitReached#REFUSE_NEW}).
 * Thrown from {@code HttpSession.setAttribute} of the user attribute; the application decides what the user
 * sees (for example "sign out elsewhere first"). The message names neither the user nor their sessions, so it can
 * be logged; tell the user in your own words.
 */
public class UserSessionLimitExceededException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final int limit;

    /**
     * @param limit the sessions a user may have at once
     */
    public UserSessionLimitExceededException(int limit) {
        super("the user already has " + limit + " session(s), the most allowed (maxSessionsPerUser); sign-in refused");
        this.limit = limit;
    }

    /**
     * The sessions a user may have at once.
     *
     * @return the limit
     */
    public int limit() {
        return limit;
    }
}
