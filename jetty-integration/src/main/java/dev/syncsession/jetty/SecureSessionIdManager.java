/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import dev.syncsession.session.SessionIdGenerator;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.DefaultSessionIdManager;

/**
 * Jetty's session id manager with ids of 128 random bits from {@link java.security.SecureRandom}, encoded as 22
 * URL-safe Base64 characters ({@link SessionIdGenerator}), after the worker name as Jetty does. Jetty's own
 * {@link DefaultSessionIdManager} builds ids from two non-negative {@code long}s, 126 bits at most; everything else
 * (worker name, the {@code .node} suffix, invalidating an id in every context) is Jetty's.
 *
 * <p>{@link SyncSessions.Builder#install(Server)} registers one when the server has no session id manager yet.
 * Thread-safe: the generator is.
 */
public class SecureSessionIdManager extends DefaultSessionIdManager {

    private final SessionIdGenerator generator = SessionIdGenerator.create();

    /**
     * @param server the server whose contexts share this id manager
     */
    public SecureSessionIdManager(Server server) {
        super(server);
    }

    @Override
    public String newSessionId(long seedTerm) {
        String workerName = getWorkerName();
        String random = generator.newId();
        return workerName == null || workerName.isEmpty() ? random : workerName + random;
    }
}
