/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.internal.SyncSessionData;
import java.util.Map;

/**
 * Applies one request's attribute changes onto a session's attributes as another node saved them: what the request
 * removed is removed, what it set is set. The attributes the request did not touch stay as stored, so
 * two overlapping requests that change different attributes both keep their change, and a removal by one is not
 * undone by the other.
 *
 * <p>Stateless; called on the saving thread, which holds the session's lock.
 */
final class AttributeMerge {

    private AttributeMerge() {
    }

    /**
     * Applies the changes {@code data} records onto {@code stored}.
     *
     * @param stored the row's attributes, changed in place into the attributes to save
     * @param data the request's copy, with the names it set or removed
     */
    static void applyChanges(Map<String, Object> stored, SyncSessionData data) {
        for (String name : data.changedNames()) {
            Object value = data.getAttribute(name);
            if (value == null) {
                stored.remove(name);
            } else {
                stored.put(name, value);
            }
        }
    }
}
