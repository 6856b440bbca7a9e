/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.users;

import java.time.Instant;
import java.util.Objects;

/**
 * One session of a signed-in user, as {@link UserSessions#list} reports it.
 *
 * @param id the session id (without the worker name Jetty appends in cookies)
 * @param created when the session was created, not null
 * @param lastAccessed when a request last used it, not null
 * @param node the worker name of the node that saved it last ({@code node0} unless the server sets one), or null
 *     for a session not saved yet
 */
public record UserSession(String id, Instant created, Instant lastAccessed, String node) {

    /** Checks that the id and both times are present. */
    public UserSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(lastAccessed, "lastAccessed");
    }

    /**
     * One line for an operator (JMX): {@code id created=... lastAccessed=... node=...}, times in ISO-8601.
     *
     * @return the line
     */
    public String summary() {
        return id + " created=" + created + " lastAccessed=" + lastAccessed + " node=" + node;
    }
}
