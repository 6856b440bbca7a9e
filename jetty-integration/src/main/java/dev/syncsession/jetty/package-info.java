/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */

/**
 * syncsession on one Jetty 12 node: the {@link dev.syncsession.jetty.store.SyncMapSessionDataStore} (a Jetty
 * {@code SessionDataStore} over a syncsession {@code SessionStore}), the {@link dev.syncsession.jetty.cache.SyncMapSessionCache}
 * (a {@code SessionCache} over a SyncMap), their factories for the distribution modules, and the one-line embedded
 * installation {@link dev.syncsession.jetty.SyncSessions}.
 *
 * <p>The other packages: {@code dev.syncsession.jetty.nodes} runs many nodes on Jetty's JDBC store with this
 * package's cache in front; {@code dev.syncsession.jetty.protection} holds what protects a server from hostile or
 * overwhelming clients (the live-session cap and its 503, rate-limited warnings). This package uses protection;
 * nodes uses both; neither is used by protection.
 */
package dev.syncsession.jetty;
