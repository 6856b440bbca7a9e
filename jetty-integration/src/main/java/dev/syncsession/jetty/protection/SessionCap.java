/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.protection;

/**
 * A cap on sessions ({@code sessionCap}): past it, a request that would create a session is refused with a 503
 * whose cause is a {@link dev.syncsession.session.SessionCapExceededException}, and requests of existing sessions
 * are served as before. Two kinds count differently: {@link BackendSessionCap} counts one node's backend exactly,
 * {@link DatabaseSessionCap} counts the many-nodes tier's database, refreshed once a second. Both log refusals at
 * most once per {@link CapRefusals#LOG_INTERVAL}, and a {@link SessionCapHandler} adds {@code Retry-After} to the
 * 503. Thread-safe.
 */
public interface SessionCap {

    /**
     * The cap.
     *
     * @return the most sessions allowed, positive
     */
    long cap();

    /**
     * Creations refused so far.
     *
     * @return the count since the cap was made
     */
    long refused();
}
