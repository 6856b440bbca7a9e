/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */

/**
 * The single-node store: {@link dev.syncsession.jetty.store.SyncSessionDataStore}, a Jetty
 * {@code SessionDataStore} per context over a syncsession backend, its factory (Jetty XML, and what
 * {@code SyncSessions} installs), and what the contexts of one backend share: the
 * {@link dev.syncsession.jetty.store.BackendLifecycle} (sweeper, snapshot, cap, and their figures, once per backend
 * as a server bean) with its snapshot writes. Each store has a {@link dev.syncsession.jetty.store.RedeployDetach}
 * child bean for what a context's stop does to its sessions. Uses the entry's options, {@code cache} (to see an
 * unsaved session), {@code users}, {@code protection} and {@code internal}.
 */
package dev.syncsession.jetty.store;
