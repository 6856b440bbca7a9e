/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */

/**
 * What the tiers share and applications do not use: the expiry-search fix both stores apply to Jetty
 * ({@link dev.syncsession.jetty.internal.ExpirySearch}), the session data both stores make
 * ({@link dev.syncsession.jetty.internal.SyncSessionData}), duration checks and a rate-limited log. Not exported by
 * the module; public only so that the other packages of this module can use it. Uses {@code users} (the principal
 * watch of the session data) and session-core.
 */
package dev.syncsession.jetty.internal;
