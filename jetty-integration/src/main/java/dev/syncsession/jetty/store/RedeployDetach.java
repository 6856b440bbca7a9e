/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.store;

import dev.syncsession.jetty.internal.SyncSessionData;
import dev.syncsession.session.AttributeStorage;
import dev.syncsession.session.SessionRecord;
import dev.syncsession.session.SessionScope;
import dev.syncsession.session.SessionStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.util.annotation.ManagedAttribute;
import org.eclipse.jetty.util.annotation.ManagedObject;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a context's stop does to its sessions in the shared backend, a child bean of the context's store. Kept (the
 * default), they are serialized, so that they hold no object of the stopping application's class loader: a
 * redeployed application (a new class loader) reads them with its own loader, and the old loader can be collected.
 * A session with a value that cannot be serialized cannot be kept that way; it is deleted, with a warning that names
 * the attribute. Dropped, every session of the context is deleted from the backend (and from the snapshot written
 * after it), without listeners, as a restart of Jetty's default in-memory store forgets them.
 *
 * <p>Either way, a save that reaches the store once the stop has begun (a request's exit save, which Jetty makes
 * after the client has its response) is not made, through the {@link SaveGate} the store's saves pass: it would
 * bring back a deleted session, or the old loader's objects into a serialized one. Jetty stops the session cache,
 * which stores every resident session, before the store, so every session of the context is in the backend when
 * this bean stops. O(records in the backend) per stop.
 */
@ManagedObject("what a context's stop does to its sessions: kept (serialized) for a redeploy, or deleted")
public final class RedeployDetach extends AbstractLifeCycle {

    private static final Logger LOG = LoggerFactory.getLogger(RedeployDetach.class);

    private final SessionStore backend;
    private final SessionScope scope;
    private final boolean keep;
    private final SaveGate saves = new SaveGate();

    /** Sessions deleted at a stop because they could not be made independent of the context's class loader. */
    private final LongAdder dropped = new LongAdder();

    RedeployDetach(SessionStore backend, SessionScope scope, boolean keep) {
        this.backend = backend;
        this.scope = scope;
        this.keep = keep;
    }

    /** Which run of the store this is: counted up at each start. Written only while the gate is closed. */
    private volatile long generation;

    /**
     * Lets one save into the backend, unless the stop has begun, or the data was made before the store's last stop
     * (an exit save of a request that began before a stop may come after the restart: the stop has deleted or
     * serialized what it would write).
     *
     * @param data the data to save
     * @return a stamp for {@link #saved}, or 0 if the save must not be made
     */
    long saving(SessionData data) {
        long stamp = saves.enter();
        if (stamp != 0 && data instanceof SyncSessionData ours && ours.generation() != generation) {
            saves.exit(stamp);
            return 0;
        }
        return stamp;
    }

    /** Marks session data as made by this run of the store. */
    void stamp(SyncSessionData data) {
        data.generation(generation);
    }

    /** Ends a save that {@link #saving} let through. */
    void saved(long stamp) {
        saves.exit(stamp);
    }

    @Override
    protected void doStart() {
        generation++; // the gate is closed: no save reads it now
        saves.open();
    }

    @Override
    protected void doStop() {
        saves.close();
        try {
            detach();
        } catch (RuntimeException e) {
            // A failing backend must not stop the shutdown, nor the snapshot that follows.
            LOG.warn("context {} stopped: could not detach its sessions from its class loader; a redeployed "
                    + "application may not read them", scope, e);
        }
    }

    /** Deletes or serializes the context's records; deleted records are deleted by key, whatever they hold now. */
    private void detach() {
        List<SessionRecord> records = new ArrayList<>();
        backend.range(record -> {
            if (record.key().scope().equals(scope)
                    && (!keep || record.attributes().storage() == AttributeStorage.BY_REFERENCE)) {
                records.add(record);
            }
            return true;
        });
        long droppedNow = 0;
        String firstReason = null;
        for (SessionRecord record : records) {
            if (!keep) {
                backend.delete(record.key());
                continue;
            }
            try {
                backend.replace(record, record.toBuilder().attributes(record.attributes().serialized()).build());
            } catch (IllegalArgumentException e) {
                // A value that is not Serializable: keeping it would pin the old class loader and hand its objects to
                // the next deployment. Jetty's passivating stores lose such a session on stop, too.
                if (backend.deleteIfUnchanged(record)) {
                    droppedNow++;
                    if (firstReason == null) {
                        firstReason = e.getMessage();
                    }
                }
            }
        }
        if (droppedNow > 0) {
            dropped.add(droppedNow);
            LOG.warn("context {} stopped: {} session(s) could not be kept, because a value cannot be serialized, and "
                    + "were deleted; the first: {}", scope, droppedNow, firstReason);
        }
    }

    /**
     * Whether the context's sessions stay in the backend when it stops.
     *
     * @return true if they are kept (serialized), false if they are deleted
     */
    @ManagedAttribute(value = "whether this context's sessions are kept (serialized) when it stops", readonly = true)
    public boolean isKeepSessionsOnStop() {
        return keep;
    }

    /**
     * Sessions deleted when the context stopped because a value could not be serialized.
     *
     * @return sessions dropped at stops since the context's store was created
     */
    @ManagedAttribute(value = "sessions deleted at a context stop because a value cannot be serialized",
            readonly = true)
    public long getSessionsDroppedOnStop() {
        return dropped.sum();
    }
}
