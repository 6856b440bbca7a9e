/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */

/**
 * What protects a server and its store from hostile or overwhelming clients: the cap on live sessions
 * ({@link dev.syncsession.jetty.protection.LiveSessionLimit}, refusing with
 * {@link dev.syncsession.jetty.protection.LiveSessionLimitExceededException}, a 503 that
 * {@link dev.syncsession.jetty.protection.SessionLimitHandler} completes with {@code Retry-After}), and warnings that
 * a client can provoke logged at most once per interval ({@link dev.syncsession.jetty.internal.RateLimitedLog}).
 * Depends on no other package of this module; the stores of {@code dev.syncsession.jetty} use it.
 */
package dev.syncsession.jetty.protection;
