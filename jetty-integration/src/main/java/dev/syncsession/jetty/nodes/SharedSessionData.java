/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.internal.SyncSessionData;
import dev.syncsession.jetty.internal.UserWatch;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The many-nodes store's copy of a session: the SyncMap store's data ({@link SyncSessionData}), and what this tier
 * keeps of the row it came from. It records what changed since it was loaded or last saved: the names of the
 * attributes set or removed, and whether the max inactive interval changed ({@link #changedNames()},
 * {@link #maxInactiveChanged()}), forgotten by {@link #clean()} after a successful save; the store saves those changes
 * onto the row as another node may have left it, under the row's version ({@link #rowVersion()}). It also holds a
 * digest of each attribute's serialized form as the row holds it ({@link #storedForms()}), by which each save finds the
 * attributes changed in place. The SyncMap store's data, which keeps every session of a node, carries none of this.
 *
 * <p>Thread-safety as Jetty's: the session's lock guards every change, and the store's save, which runs under it too;
 * so do the change record and the row version.
 */
final class SharedSessionData extends SyncSessionData {

    private static final long serialVersionUID = 1L;

    /** The attributes set or removed since the load or the last save; null until the first change. Session lock. */
    private transient Set<String> changedNames;

    /** Whether the max inactive interval was set since the load or the last save. Session lock. */
    private transient boolean maxInactiveChanged;

    /** The version of the row this copy was loaded from or last saved as. Session lock. */
    private transient long rowVersion;

    /**
     * Whether the row this copy was loaded from or last adopted keeps its attributes in Jetty's map column rather than
     * the tier's attribute table: its next save that changes attributes then writes the whole map again, or, once it
     * has outgrown the row, all of them into the table. Session lock.
     */
    private transient boolean keepsMap;

    /**
     * The digests of the attributes' serialized forms as the row holds them, taken at the load and updated by each
     * save; null for data the many-nodes store neither loaded nor saved. Session lock.
     */
    private transient Map<String, byte[]> storedForms;

    /**
     * Whether a request entered this copy, cached, without showing that this node served the session last, since its
     * last check ({@code SessionFreshness.enteredFromElsewhere}). Session lock.
     */
    private transient boolean enteredFromElsewhere;

    /**
     * The versions of the session's attribute rows as this copy last loaded or wrote them, by attribute name (with a
     * row that keeps a map, those of rows left in the attribute table); null when not known (the copy was not loaded,
     * or a save wrote rows without knowing their versions). Session lock.
     */
    private transient Map<String, Long> attributeVersions;

    /**
     * Whether the copy's response is being committed: a save now is the cache's at the commit, and the session's
     * request will save it again when it ends. Session lock.
     */
    private transient boolean committing;

    /** @param userWatch told before the principal changes; null for no watch */
    SharedSessionData(String id, String contextPath, String vhost, long created, long accessed, long lastAccessed,
            long maxInactiveMs, UserWatch userWatch) {
        super(id, contextPath, vhost, created, accessed, lastAccessed, maxInactiveMs, 0, userWatch);
    }

    /** Records the change, then lets Jetty mark the data dirty; Jetty calls this for each set or removal. */
    @Override
    public void setDirty(String name) {
        if (changedNames == null) {
            changedNames = new HashSet<>();
        }
        changedNames.add(name);
        super.setDirty(name);
    }

    @Override
    public void setMaxInactiveMs(long maxInactive) {
        maxInactiveChanged |= maxInactive != getMaxInactiveMs();
        super.setMaxInactiveMs(maxInactive);
    }

    /** Jetty's, after a successful save: also forgets the recorded changes. */
    @Override
    public void clean() {
        super.clean();
        // Dropped, not cleared: a cached copy waits for its next request, and an empty set kept there would cost it
        // about 144 bytes (its map and table).
        changedNames = null;
        maxInactiveChanged = false;
    }

    /** The names of the attributes set or removed since the load or the last save; a view, empty if none. */
    Set<String> changedNames() {
        return changedNames == null ? Set.of() : changedNames;
    }

    /** Whether the max inactive interval was set to another value since the load or the last save. */
    boolean maxInactiveChanged() {
        return maxInactiveChanged;
    }

    /** The version of the session's row this copy was loaded from or last saved as; 0 for a new session. */
    long rowVersion() {
        return rowVersion;
    }

    void rowVersion(long version) {
        rowVersion = version;
    }

    /** Records that a request entered this copy from elsewhere: see the field. */
    void enteredFromElsewhere() {
        enteredFromElsewhere = true;
    }

    /** Whether a request entered this copy from elsewhere since the last call, forgetting it. */
    boolean forgetEnteredFromElsewhere() {
        boolean entered = enteredFromElsewhere;
        enteredFromElsewhere = false;
        return entered;
    }

    /** Whether the copy's response is being committed: see the field. */
    boolean committing() {
        return committing;
    }

    void committing(boolean committing) {
        this.committing = committing;
    }

    /** The versions of the attribute rows: see the field; null if not known. */
    Map<String, Long> attributeVersions() {
        return attributeVersions;
    }

    void attributeVersions(Map<String, Long> versions) {
        attributeVersions = versions;
    }

    /**
     * What the store's row is compared with ({@link VersionedRows#freshness}): the row version and the sum of the
     * attribute rows' versions; when those are not known, a number no row has, so that a check reloads the copy.
     */
    long freshness() {
        return attributeVersions == null ? Long.MAX_VALUE
                : VersionedRows.freshness(rowVersion, VersionedRows.versionSum(attributeVersions));
    }

    /** Whether the row this copy was loaded from or last adopted keeps a map: see the field. */
    boolean keepsMap() {
        return keepsMap;
    }

    void keepsMap(boolean keepsMap) {
        this.keepsMap = keepsMap;
    }

    /** The digests of the attributes' serialized forms as the row holds them, by attribute name; null if none. */
    Map<String, byte[]> storedForms() {
        return storedForms;
    }

    void storedForms(Map<String, byte[]> forms) {
        storedForms = forms;
    }

    /**
     * Takes the row another node saved since this copy was loaded, with this copy's changes applied to it: its
     * attributes become {@code merged}, without being recorded as changes (they still are, and the retried save writes
     * them all); unless this copy changed the max inactive interval, the row's is taken and the expiry recomputed
     * from this access.
     *
     * @param merged the row's attributes with this copy's changes applied
     * @param rowMaxInactiveMs the row's max inactive interval
     * @param version the row's version
     */
    void adoptRow(Map<String, Object> merged, long rowMaxInactiveMs, long version) {
        for (String name : List.copyOf(_attributes.keySet())) {
            if (!merged.containsKey(name)) {
                _attributes.remove(name);
            }
        }
        _attributes.putAll(merged);
        if (!maxInactiveChanged) {
            _maxInactiveMs = rowMaxInactiveMs;
            setExpiry(calcExpiry(getAccessed()));
        }
        rowVersion = version;
    }
}
