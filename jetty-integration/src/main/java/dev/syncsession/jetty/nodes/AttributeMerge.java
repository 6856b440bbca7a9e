/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.session.MergeableAttribute;
import java.util.Map;

/**
 * Applies one request's attribute changes onto a session's attributes as another node saved them: what the request
 * removed is removed, what it set is set, and a value set by the request that is a {@link MergeableAttribute} of the
 * stored value's class is merged with the stored value, unless the copy's stored forms show that the other node did not
 * change it (a copy the store neither loaded nor saved has no forms, and its values are always merged). The
 * attributes the request did not touch stay as stored, so two overlapping requests that change different attributes
 * both keep their change, and a removal by one is not undone by the other.
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
     * @param storedForms the forms of the row's attributes ({@link InPlaceChanges})
     * @param data the request's copy, with the names it set or removed
     * @return how many values were merged by {@link MergeableAttribute#mergeWith}
     * @throws IllegalStateException if a merge returns null
     */
    static int applyChanges(Map<String, Object> stored, Map<String, byte[]> storedForms, SharedSessionData data) {
        int merged = 0;
        for (String name : data.changedNames()) {
            Object value = data.getAttribute(name);
            if (value == null) {
                stored.remove(name);
                continue;
            }
            Object before = stored.get(name);
            if (value instanceof MergeableAttribute<?> mergeable && before != null
                    && before.getClass() == value.getClass()
                    && InPlaceChanges.changedSince(data.storedForms(), name, storedForms.get(name))) {
                value = merge(mergeable, before);
                if (value == null) {
                    throw new IllegalStateException(mergeable.getClass().getName()
                            + ".mergeWith returned null for session attribute '" + name + "'; return a value");
                }
                merged++;
            }
            stored.put(name, value);
        }
        return merged;
    }

    /** {@code value.mergeWith(stored)}: the caller checked that both are of the same class, the type argument. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object merge(MergeableAttribute value, Object stored) {
        return value.mergeWith((MergeableAttribute) stored);
    }
}
