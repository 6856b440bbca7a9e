/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.session;

/**
 * A session was not created because the cap on sessions ({@code sessionCap}) was reached. The one exception of
 * every syncsession cap: {@link SessionService#create} throws it, and the Jetty integration's caps throw it as the
 * cause of the 503 they answer with. Its message names the counts and the setting, so it is for operators and logs,
 * never for clients.
 */
public class SessionCapExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long counted;
    private final long cap;

    /**
     * Creates the exception.
     *
     * @param where what is capped, for the message (for example a scope, or "the backend")
     * @param counted the sessions counted when the creation was refused
     * @param cap the configured cap
     */
    public SessionCapExceededException(String where, long counted, long cap) {
        super("cannot create a session in " + where + ": " + counted + " sessions, at most " + cap
                + " allowed (sessionCap)");
        this.counted = counted;
        this.cap = cap;
    }

    /**
     * The sessions counted when the creation was refused.
     *
     * @return the count the cap was compared with
     */
    public long counted() {
        return counted;
    }

    /**
     * The cap that was reached.
     *
     * @return the configured cap
     */
    public long cap() {
        return cap;
    }
}
