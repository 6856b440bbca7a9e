/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import dev.syncsession.jetty.store.BackendLifecycle;
import dev.syncsession.jetty.store.SyncSessionsConfig;
import dev.syncsession.session.SessionStore;
import dev.syncsession.session.SyncMapSessionStore;
import java.time.Duration;

/** Stores for tests that make one outside a factory, to override a step of it. */
final class TestStores {

    private TestStores() {
    }

    /** The default options, checked. */
    static SyncSessionsConfig defaults() {
        return SyncSessions.builder().config();
    }

    /** A backend's lifecycle with the default sweep, no snapshot, over this backend. */
    static BackendLifecycle lifecycle(SessionStore backend) {
        return new BackendLifecycle(backend, SyncSessionsConfig.DEFAULT_SWEEP_INTERVAL, Duration.ofHours(10), null);
    }

    /** A backend's lifecycle with the default sweep, no snapshot, over a new SyncMap backend. */
    static BackendLifecycle lifecycle() {
        return lifecycle(new SyncMapSessionStore());
    }
}
