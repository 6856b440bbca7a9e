/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */

/**
 * What the tiers share and applications do not use: the expiry-search fix both stores apply to Jetty
 * ({@link dev.syncsession.jetty.internal.ExpirySearch}), the session data both stores make
 * ({@link dev.syncsession.jetty.internal.SyncSessionData}), what both by-user engines share (where a session's user
 * comes from, {@link dev.syncsession.jetty.internal.UserSource}; the watch on sign-ins,
 * {@link dev.syncsession.jetty.internal.UserWatch}; invalidation through Jetty,
 * {@link dev.syncsession.jetty.internal.SessionInvalidation}), duration checks and a rate-limited log. Not exported
 * by the module; public only so that the other packages of this module can use it. Uses session-core only.
 */
package dev.syncsession.jetty.internal;
