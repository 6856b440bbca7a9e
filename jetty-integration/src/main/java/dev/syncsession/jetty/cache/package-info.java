/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */

/**
 * The session cache both tiers put in front of their store: {@link dev.syncsession.jetty.cache.SyncMapSessionCache}
 * (a Jetty {@code SessionCache} over a SyncMap, found by lock-free lookups), its factory for the distribution
 * module, the session object that tells accessor visits from request visits
 * ({@link dev.syncsession.jetty.cache.AccessorAwareSession}), and the check of a cached copy against a store that
 * other nodes write ({@link dev.syncsession.jetty.cache.CachedCopyCheck}, asking a store that implements
 * {@link dev.syncsession.jetty.cache.SessionFreshness}; Jetty's Default cache gets it too, for the many-nodes tier,
 * through {@link dev.syncsession.jetty.cache.SessionCacheKind#factoryCheckingCopies()}). Uses session-core's
 * SyncMap and the id filter of {@code protection}; knows no store.
 */
package dev.syncsession.jetty.cache;
