/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.store;

import dev.syncsession.jetty.internal.SyncSessionData;
import dev.syncsession.session.AttributeStorage;
import dev.syncsession.session.SessionAttributes;
import dev.syncsession.session.SessionKey;
import dev.syncsession.session.SessionRecord;
import dev.syncsession.session.SessionScope;
import dev.syncsession.session.SessionStore;
import dev.syncsession.session.UnreadableSessionException;
import java.util.Map;
import org.eclipse.jetty.session.SessionContext;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.session.UnreadableSessionDataException;
import org.eclipse.jetty.session.UnwriteableSessionDataException;

/**
 * Converts between Jetty's {@link SessionData} and one context's records in the backend: an id becomes a key of the
 * context's scope, the data a save hands over becomes a {@link SessionRecord}, and a loaded record fills the data
 * Jetty gets back, every field round-tripping. Made by the store's {@code initialize}, once the context is known.
 * Thread-safe: it holds only final references, and reads the backend only to reuse a record's attributes.
 */
final class SessionRecords {

    private final SessionStore backend;
    private final SessionScope scope;
    private final AttributeStorage attributeStorage;
    private final SessionContext context;

    SessionRecords(SessionStore backend, SessionContext context, AttributeStorage attributeStorage) {
        this.backend = backend;
        this.scope = new SessionScope(context.getCanonicalContextPath(), context.getVhost());
        this.attributeStorage = attributeStorage;
        this.context = context;
    }

    /** The context's records are keyed by id, canonical context path and virtual host. */
    SessionScope scope() {
        return scope;
    }

    SessionKey key(String id) {
        return scope.key(id);
    }

    /**
     * The record a save of {@code data} writes.
     *
     * @throws UnwriteableSessionDataException if an attribute cannot be serialized; the message names it and its class
     */
    SessionRecord toRecord(String id, SessionData data) throws UnwriteableSessionDataException {
        SessionKey key = key(id);
        try {
            return SessionRecord.builder(key)
                    .created(data.getCreated())
                    .accessed(data.getAccessed())
                    .lastAccessed(data.getLastAccessed())
                    .cookieSetTime(data.getCookieSet())
                    .lastSaved(data.getLastSaved())
                    .maxInactiveMs(data.getMaxInactiveMs())
                    .expiry(data.getExpiry())
                    .lastNode(data.getLastNode())
                    .attributes(attributesToStore(key, data))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new UnwriteableSessionDataException(id, context, e);
        }
    }

    /**
     * The attributes a save stores. Held by reference, the session data this store made hands over its current
     * immutable attributes, which the record then shares with the live session (no copy). For other session data,
     * a save that changes no attribute (Jetty's save of the access time at a request's exit, after the one at
     * response commit) keeps the copy the record holds: the values are the session's own objects either way, and
     * only setAttribute, which marks the data dirty, changes which ones there are. Serialized attributes are
     * serialized on every save, as Jetty's stores write the whole map on every save, so a value changed in place is
     * saved too.
     */
    private SessionAttributes attributesToStore(SessionKey key, SessionData data) {
        if (attributeStorage == AttributeStorage.BY_REFERENCE && data instanceof SyncSessionData ours) {
            SessionAttributes shared = ours.sharedAttributes();
            if (shared != null) {
                return shared;
            }
        }
        if (attributeStorage == AttributeStorage.BY_REFERENCE && !data.isDirty()) {
            SessionRecord previous = backend.load(key);
            if (previous != null && previous.attributes().storage() == AttributeStorage.BY_REFERENCE
                    && previous.attributes().size() == data.getKeys().size()) {
                return previous.attributes();
            }
        }
        return attributeStorage.of(data.getAllAttributes());
    }

    /**
     * Fills the session data a load returns (made with the record's id and times) with the rest of the record.
     * Attributes are deserialized with the thread's context class loader, the web application's when Jetty calls.
     *
     * @throws UnreadableSessionDataException if the attributes cannot be read
     */
    SessionData filled(SessionData data, SessionRecord record) throws UnreadableSessionDataException {
        Map<String, Object> attributes;
        try {
            attributes = record.attributes().toMap(Thread.currentThread().getContextClassLoader());
        } catch (UnreadableSessionException e) {
            throw new UnreadableSessionDataException(record.id(), context, e);
        }
        data.setExpiry(record.expiry());
        data.setCookieSet(record.cookieSetTime());
        data.setLastNode(record.lastNode());
        data.setLastSaved(record.lastSaved());
        data.putAllAttributes(attributes);
        return data;
    }
}
