/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */

/**
 * Sessions by user: the API applications use ({@link dev.syncsession.jetty.users.UserSessions},
 * {@link dev.syncsession.jetty.users.UserSession}, the per-user limit and its exception) and the single-node engine
 * ({@link dev.syncsession.jetty.users.UserIndex} over a {@link dev.syncsession.jetty.users.SessionsByUser}, with the
 * principal found by {@link dev.syncsession.jetty.users.UserSource}). The many-nodes engine is
 * {@code nodes.SharedUserIndex}. Uses {@code internal} (the session data it watches).
 */
package dev.syncsession.jetty.users;
