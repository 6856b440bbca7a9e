/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */

/**
 * The entry: {@link dev.syncsession.jetty.SyncSessions}, the one-line embedded installation of the single-node tier and
 * the handle it returns (the backend, a context's sessions by user and refusals, the guard), and the session cookie
 * defaults ({@link dev.syncsession.jetty.SessionCookieDefaults}). It wires the other packages and no other package
 * uses it.
 *
 * <p>The other packages: {@code cache} (the SyncMap session cache both tiers put in front of their store),
 * {@code store} (the single-node data store, its factory and the lifecycle of the backend its contexts share),
 * {@code nodes} (many nodes on Jetty's JDBC store), {@code users} (sessions by user: the API and both engines),
 * {@code metrics} (Micrometer), {@code protection} (the session cap and its 503, the session id filter) and
 * {@code internal} (what the tiers share and applications do not use; not exported by the module). See
 * docs/architecture.md.
 */
package dev.syncsession.jetty;
