/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */

/**
 * What protects a server and its store from hostile or overwhelming clients: the cap on sessions
 * ({@link dev.syncsession.jetty.protection.BackendSessionCap}, refusing with
 * {@link dev.syncsession.jetty.protection.SessionCapExceededException}, a 503 that
 * {@link dev.syncsession.jetty.protection.SessionCapHandler} completes with {@code Retry-After}), and the filter
 * that refuses malformed session ids before any cache or store sees them
 * ({@link dev.syncsession.jetty.protection.SessionIdFilter}). Uses {@code internal} (its rate-limited warnings);
 * the stores and the caches of both tiers use it.
 */
package dev.syncsession.jetty.protection;
