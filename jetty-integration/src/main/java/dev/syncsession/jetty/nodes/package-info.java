/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */

/**
 * Many nodes: Jetty's {@code JDBCSessionDataStore} on a shared database is the store of record, and each node keeps
 * the sessions it serves in a {@link dev.syncsession.jetty.cache.SyncMapSessionCache}. {@link
 * dev.syncsession.jetty.nodes.SharedSessions} installs it; {@link dev.syncsession.jetty.nodes.SessionDatabase} names the
 * database; {@link dev.syncsession.jetty.nodes.DatabaseAvailability} tracks database outages and
 * {@link dev.syncsession.jetty.nodes.DatabaseOutageGuard} answers 503 while the database is down instead of handing
 * out empty sessions. The guard lives here, not with the single-node protections, because it guards only this tier.
 */
package dev.syncsession.jetty.nodes;
