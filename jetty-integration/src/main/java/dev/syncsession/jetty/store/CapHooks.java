/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.store;

import dev.syncsession.jetty.protection.BackendSessionCap;
import dev.syncsession.session.SessionKey;

/**
 * A store's calls into the session cap its backend's contexts share ({@link BackendSessionCap}): a brand-new
 * session reserves its place before Jetty creates it, and is settled once saved or deleted, when the backend's
 * record count covers it (or no longer needs to). Each call does nothing when creation is not limited. Thread-safe,
 * as the cap is; O(1) each.
 */
final class CapHooks {

    private final BackendLifecycle shared;

    CapHooks(BackendLifecycle shared) {
        this.shared = shared;
    }

    /**
     * Counts a brand-new session against the cap, until it is settled or its idle timeout passes unsaved.
     *
     * @throws RuntimeException the cap's 503, whose cause is a {@code SessionCapExceededException}, if the cap is
     *         reached
     */
    void reserve(SessionKey key, long created, long maxInactiveMs) {
        BackendSessionCap cap = shared.sessionCap();
        if (cap != null) {
            cap.reserve(key, maxInactiveMs > 0 ? created + maxInactiveMs : Long.MAX_VALUE);
        }
    }

    /** The session was saved (called after the save), deleted, or will never be saved: no longer pending. */
    void settled(SessionKey key) {
        BackendSessionCap cap = shared.sessionCap();
        if (cap != null) {
            cap.settled(key);
        }
    }
}
