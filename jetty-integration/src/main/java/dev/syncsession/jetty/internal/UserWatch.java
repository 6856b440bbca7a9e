/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.internal;

import org.eclipse.jetty.session.SessionData;

/** Told by a session's data before its principal changes: how an index of sessions by user follows sign-ins. */
public interface UserWatch {
    /** Which attributes name a session's principal. */
    UserSource userSource();

    /**
     * @param data the session's data, before the change
     * @param principal the principal the session is about to have, or null if it is being signed out
     * @throws RuntimeException to refuse a sign-in; the attribute is then left as it was
     */
    void userChanging(SessionData data, String principal);
}
