/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.internal.RateLimitedLog;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.util.annotation.ManagedAttribute;
import org.eclipse.jetty.util.annotation.ManagedObject;
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
 * context's class loader (the save runs inside the context, as Jetty's store runs it), through the tier's allow-list
 * ({@link RowAttributeFilter}). A row that cannot be read (a class off the list, a corrupt row) fails the save with
 * Jetty's {@code UnreadableSessionDataException}; the row is left as it is, and the next load of the session, on
 * any node, finds it unloadable.
 *
 * <p>Counts the saves that met another node's save ({@link #getSaveConflicts()}) and the values merged by
 * {@code MergeableAttribute} ({@link #getMergedAttributes()}), adds both to the node's {@link SaveConflicts}, and
 * logs the first conflict of each minute. A bean of
 * its store; public only so that Jetty's JMX can read its counts (JMX
 * {@code dev.syncsession.jetty.nodes:type=versionedsave}). Thread-safe: the counters are adders, and each save runs
 * on its request's thread holding its session's lock.
 */
@ManagedObject("the saves of changed sessions onto their rows as other nodes left them")
public final class VersionedSave {

    private static final Logger LOG = LoggerFactory.getLogger(VersionedSave.class);

    /** Update attempts per save before it fails: another node would have to save the session between each. */
    static final int ATTEMPTS = 5;

    private final VersionedRows rows;

    /** Sessions by user, whose column each save writes; null if the tier does not index them. */
    private final SharedUserIndex users;

    private final LongAdder conflicts = new LongAdder();
    private final LongAdder mergedValues = new LongAdder();
    private final RateLimitedLog conflictLog = new RateLimitedLog(LOG, Duration.ofMinutes(1));

    /** The node's counts, which this store's conflicts and merges add to. */
    private final SaveConflicts node;

    VersionedSave(VersionedRows rows, SharedUserIndex users, SaveConflicts node) {
        this.node = Objects.requireNonNull(node, "node");
        this.rows = Objects.requireNonNull(rows, "rows");
        this.users = users;
    }

    /**
     * Saves the copy's changes onto the session's row, as described above.
     *
     * @throws IllegalStateException if other nodes saved the session before each of the {@value #ATTEMPTS} attempts
     * @throws org.eclipse.jetty.session.UnreadableSessionDataException if the row's attributes cannot be read
     */
    void save(String id, SharedSessionData data, long lastSaveTime) throws Exception {
        if (replacedAlone(id, data, lastSaveTime)) {
            return;
        }
        boolean conflicted = false;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            long version = data.rowVersion();
            AttributeRows.Write write = AttributeRows.Write.forSave(data);
            Map<String, Long> written = new HashMap<>();
            if (rows.saveIfVersion(id, data, write, users != null, users == null ? null : users.rowUser(data),
                    version, written) == 1) {
                data.rowVersion(version + 1);
                data.keepsMap(write.inRow());
                data.attributeVersions(versionsAfter(write, data.attributeVersions(), written));
                InPlaceChanges.afterWrite(data, write);
                return;
            }
            VersionedRows.StoredRow row = rows.current(id);
            if (row == null) {
                LOG.debug("session {}: its row is gone (invalidated or expired on another node); save dropped", id);
                return;
            }
            if (!conflicted) {
                conflicted = true;
                conflicts.increment();
                node.conflict();
                conflictLog.warn("a session save found that another node had saved the same session since it was "
                        + "loaded (overlapping requests); its changes were applied onto the other node's "
                        + "(saveConflicts counts these)");
            }
            adopt(id, data, row);
        }
        throw new IllegalStateException("session " + id + ": other nodes saved it before each of " + ATTEMPTS
                + " attempts to save this request's changes onto it; the changes are not saved");
    }

    /**
     * The save at a response's commit of a request that set one attribute the row already had, and changed nothing
     * else the session row holds: the attribute's row alone is written, only if it still has the version this copy
     * knows ({@link VersionedRows#replaceIfVersion}), and the session row is left to the save at the request's end,
     * which writes its times. One row fewer per such request. The copy keeps the session row's last save time, which
     * that save is conditional on. False, having written nothing, for any other save, or if another node wrote the
     * attribute's row since (the caller then finds the conflict).
     */
    private boolean replacedAlone(String id, SharedSessionData data, long lastSaveTime) throws Exception {
        Map<String, Long> versions = data.attributeVersions();
        Set<String> changed = data.changedNames();
        if (!data.committing() || versions == null || data.keepsMap() || users != null || data.maxInactiveChanged()
                || changed.size() != 1 || lastSaveTime <= 0) {
            return false;
        }
        String name = changed.iterator().next();
        Long version = versions.get(name);
        if (version == null || data.getAttribute(name) == null) {
            return false;
        }
        AttributeRows.Write write = AttributeRows.Write.changes(data);
        if (rows.replaceIfVersion(id, name, write.values()[0], version) != 1) {
            return false;
        }
        versions.put(name, version + 1);
        data.setLastSaved(lastSaveTime); // the session row's, which this save did not write
        InPlaceChanges.afterWrite(data, write);
        return true;
    }

    /**
     * The versions of a session's attribute rows after a save wrote {@code write}, from those the copy knew before:
     * each row the write made or wrote conditionally is one past the version it was written on (1 if new), and each
     * it deleted is gone. A whole write, unconditional, leaves exactly the rows it wrote, at the versions the
     * statement returned ({@code written}); any other unconditional write leaves them unknown (null). A write in the
     * session row leaves the attribute table alone, or when whole empties it.
     */
    static Map<String, Long> versionsAfter(AttributeRows.Write write, Map<String, Long> known,
            Map<String, Long> written) {
        if (write.inRow()) {
            return write.whole() ? new HashMap<>() : known;
        }
        if (!write.conditional()) {
            return write.whole() && written.size() == write.names().length ? written : null;
        }
        if (known == null) {
            return null;
        }
        for (int i = 0; i < write.names().length; i++) {
            known.put(write.names()[i], write.versions()[i] + 1);
        }
        for (String removed : write.removed()) {
            known.remove(removed);
        }
        return known;
    }

    /** The versions of a new session's attribute rows: 1 each, in the attribute table; none in the row. */
    static Map<String, Long> versionsAfterInsert(AttributeRows.Write write) {
        Map<String, Long> versions = new HashMap<>(Math.max(4, write.names().length * 2));
        if (!write.inRow()) {
            for (String name : write.names()) {
                versions.put(name, 1L);
            }
        }
        return versions;
    }

    /**
     * Brings a copy up to its row before its id is renewed (the renewal writes the copy under the new id and deletes
     * this row): if another node saved the session since the copy was loaded or last saved, the copy takes the row
     * with its own changes applied, as a save that meets another node's does, and it is counted as such. A row that
     * is gone leaves the copy as it is.
     *
     * @throws org.eclipse.jetty.session.UnreadableSessionDataException if the row's attributes cannot be read
     */
    void catchUp(String id, SharedSessionData data) throws Exception {
        VersionedRows.StoredRow row = rows.current(id);
        if (row == null || (data.attributeVersions() == null ? row.version() == data.rowVersion()
                : VersionedRows.freshness(row.version(), VersionedRows.versionSum(row.attributeVersions()))
                        == data.freshness())) {
            return; // without its rows' versions, the copy is compared by the session row's, as before them
        }
        conflicts.increment();
        node.conflict();
        conflictLog.warn("a session's id was renewed after another node had saved the same session since it was "
                + "loaded (overlapping requests); its changes were applied onto the other node's "
                + "(saveConflicts counts these)");
        adopt(id, data, row);
    }

    /**
     * The copy takes the row's attributes with its own changes applied, the row's version, and the forms of the row's
     * attributes (those it changed are written by the next attempt, which updates their forms).
     */
    private void adopt(String id, SharedSessionData data, VersionedRows.StoredRow row) throws Exception {
        Map<String, Object> attributes = rows.readAttributes(id, row);
        Map<String, byte[]> rowForms = InPlaceChanges.rowForms(row, attributes); // before the changes apply
        int merged = AttributeMerge.applyChanges(attributes, rowForms, data);
        mergedValues.add(merged);
        node.merged(merged);
        data.adoptRow(attributes, row.maxInactiveMs(), row.version());
        data.keepsMap(row.keepsMap());
        data.attributeVersions(row.attributeVersions());
        data.storedForms(rowForms);
    }

    /** Saves that found another node's save of the same session since the copy was loaded. */
    @ManagedAttribute("saves that found another node's save of the same session since its load, and merged onto it")
    public long getSaveConflicts() {
        return conflicts.sum();
    }

    /** Attribute values combined by {@code MergeableAttribute.mergeWith} in such saves. */
    @ManagedAttribute("attribute values combined by MergeableAttribute.mergeWith in saves that met another node's")
    public long getMergedAttributes() {
        return mergedValues.sum();
    }
}
