/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.store;

/** The backends syncsession bundles for the single-node store. */
public enum BundledBackend {
    /** {@link dev.syncsession.session.SyncMapSessionStore}: unbounded, in-process, the default. */
    SYNCMAP,
    /** {@link dev.syncsession.session.CaffeineSessionStore}: bounded by its maximum number of sessions. */
    CAFFEINE
}
