/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.internal.SyncSessionData;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The save of a stored session whose attributes or max inactive interval a request changed, so that overlapping
 * requests of one session on two nodes lose nothing. The update is conditional on the row's version being the one
 * the copy was loaded from (or last saved as), and bumps it. If another node has saved since (no row updated, the
 * row still there), the row is read again, this copy's changes (the attributes it set or removed, its max inactive
 * interval) are applied onto the row's attributes ({@link AttributeMerge}), the copy takes the result, and the update
 * is tried again, at most {@value #ATTEMPTS} times in all; then the save fails. A row that is gone (the session was
 * invalidated or expired on another node) is not made again: the save is dropped, so a request that overlapped a
 * sign-out does not bring the session back.
 *
 * <p>The row's attributes are read by the store's own deserialization, as a load reads them: Jetty's, with the
 * context's class loader (the save runs inside the context, as Jetty's store runs it).
 *
 * <p>Stateless but for its parts; each save runs on its request's thread holding its session's lock.
 */
final class VersionedSave {

    private static final Logger LOG = LoggerFactory.getLogger(VersionedSave.class);

    /** Update attempts per save before it fails: another node would have to save the session between each. */
    static final int ATTEMPTS = 5;

    private final SharedJdbcSessionDataStore store;
    private final VersionedRows rows;

    /** Sessions by user, whose column each save writes; null if the tier does not index them. */
    private final SharedUserIndex users;

    VersionedSave(SharedJdbcSessionDataStore store, VersionedRows rows, SharedUserIndex users) {
        this.store = Objects.requireNonNull(store, "store");
        this.rows = Objects.requireNonNull(rows, "rows");
        this.users = users;
    }

    /**
     * Saves the copy's changes onto the session's row, as described above.
     *
     * @throws IllegalStateException if other nodes saved the session before each of the {@value #ATTEMPTS} attempts
     */
    void save(String id, SyncSessionData data) throws Exception {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            long version = data.rowVersion();
            if (rows.updateIfVersion(id, data, store.attributeBytes(data), users != null,
                    users == null ? null : users.rowUser(data), version) == 1) {
                data.rowVersion(version + 1);
                return;
            }
            VersionedRows.StoredRow row = rows.current(id);
            if (row == null) {
                LOG.debug("session {}: its row is gone (invalidated or expired on another node); save dropped", id);
                return;
            }
            Map<String, Object> attributes = store.readAttributes(id, row.attributes());
            AttributeMerge.applyChanges(attributes, data);
            data.adoptRow(attributes, row.maxInactiveMs(), row.version());
        }
        throw new IllegalStateException("session " + id + ": other nodes saved it before each of " + ATTEMPTS
                + " attempts to save this request's changes onto it; the changes are not saved");
    }
}
