/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */

/**
 * Sessions by user: the API applications use ({@link dev.syncsession.jetty.users.UserSessions},
 * {@link dev.syncsession.jetty.users.UserSession}, the per-user limit and its exception) and the single-node engine
 * ({@link dev.syncsession.jetty.users.UserIndex}, a bean of the store, over the package-private
 * {@code SessionsByUser}). The many-nodes engine is {@code nodes.SharedUserIndex}. What both engines share (where a
 * session's user comes from, the watch on sign-ins, invalidation through Jetty) is in {@code internal}, which it
 * uses.
 */
package dev.syncsession.jetty.users;
