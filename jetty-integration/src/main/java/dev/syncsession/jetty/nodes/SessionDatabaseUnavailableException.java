/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import java.sql.SQLTransientConnectionException;

/**
 * What the many-nodes store throws to Jetty when a store operation fails because the database is unavailable, in
 * place of the driver's or the pool's exception: one line, with no stack trace and no cause.
 *
 * <p>Why: Jetty's session manager and caches log every store failure at WARN with the exception, so during an
 * outage the driver's trace (dozens of lines, with its causes) would be printed for every failed load and save.
 * The outage itself is logged once by {@link DatabaseAvailability}, with the driver's message; the original exception
 * of each failure goes to DEBUG ({@code dev.syncsession.jetty.nodes.SharedJdbcSessionDataStore}). What Jetty then
 * prints per failure is its own line and this exception's one line.
 *
 * <p>It is a {@link SQLTransientConnectionException} with SQLState 08000, so that
 * {@link DatabaseAvailability#isUnavailability} and any caller that inspects it still see a connection failure.
 */
final class SessionDatabaseUnavailableException extends SQLTransientConnectionException {

    private static final long serialVersionUID = 1L;

    /**
     * @param reason why the operation failed, one line
     */
    SessionDatabaseUnavailableException(String reason) {
        super(reason, "08000");
    }

    /** No stack trace: the place Jetty called the store from says nothing an operator can act on. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
