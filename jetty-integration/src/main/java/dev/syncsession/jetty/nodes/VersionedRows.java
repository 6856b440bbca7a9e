/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.session.JDBCSessionDataStore.SessionTableSchema;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.session.UnreadableSessionDataException;

/**
 * The statements on the version column, {@value #VERSION_COLUMN}, that the tier adds to Jetty's session table: each
 * save of changed attributes bumps it, and is made conditional on it, so that a node finds out that another node
 * saved the session since its copy was loaded ({@link VersionedSave}). Adding the column, loading a row with its
 * version, the conditional update, and the read of the row as it is now, for a save to apply its changes onto.
 *
 * <p>A load and the read of the row as it is now also read each attribute row's version
 * ({@link AttributeRows#VERSION_COLUMN}), which a save of one attribute alone bumps instead of this column; a cached
 * copy is compared with both ({@link #freshness}).
 *
 * <p>The column has a default (0), so Jetty's own insert, which names its columns, still works on the table; Jetty's
 * update does not bump it, so a save by a node running Jetty's own store is not seen by the check.
 *
 * <p>Untracked: the store reports each call to its {@link OutageTracking}. Thread-safe: each call opens its own
 * connection.
 */
final class VersionedRows {

    /** The column of Jetty's session table that counts the saves of a session's attributes. */
    static final String VERSION_COLUMN = "syncsession_version";

    /**
     * A session's row as it is now, for a save that found it changed: its version, its max inactive interval and its
     * attributes' bytes: the map column's when the row keeps a map ({@code map} not null), else each attribute's from
     * the attribute table ({@code attributes}). A row that keeps a map may still have rows in the attribute table,
     * left there by a save of Jetty's own store over a row the tier had moved; its readers read the map alone.
     */
    record StoredRow(long version, long maxInactiveMs, byte[] map, Map<String, byte[]> attributes,
            Map<String, Long> attributeVersions) {

        /** Whether the row keeps its attributes in Jetty's map column, not in the attribute table. */
        boolean keepsMap() {
            return map != null;
        }
    }

    /**
     * What a cached copy is compared with ({@code SessionFreshness.versionOf}): the session row's version and the sum
     * of its attribute rows' versions in one number. A save of one attribute's value alone adds 1 to the sum and
     * leaves the session row; every other save that changes attributes bumps the session row's version; so the
     * number changes with every save. (The sum of a session's few rows stays far below 2<sup>32</sup>.)
     *
     * @param rowVersion the session row's {@value #VERSION_COLUMN}
     * @param attributeVersionSum the sum of its attribute rows' versions
     */
    static long freshness(long rowVersion, long attributeVersionSum) {
        return (rowVersion << 32) + attributeVersionSum;
    }

    /** The sum of these attribute rows' versions, for {@link #freshness}. */
    static long versionSum(Map<String, Long> versions) {
        long sum = 0;
        for (long version : versions.values()) {
            sum += version;
        }
        return sum;
    }

    private final SharedJdbcSessionDataStore store;

    /** The store's own statements on its table, whose update this one makes conditional on the version. */
    private final SessionRows sessionRows;

    /** The attribute table, whose rows a load joins to the session's row. */
    private final AttributeRows attributeRows;

    private final StatementTexts texts;

    /** The reader of the attribute table's values, through the store's stream, behind the tier's allow-list. */
    private final AttributeValues attributeValues;

    /** The two selects of this class: their texts' keys in {@link StatementTexts}. */
    private enum Text { LOAD, CURRENT }

    VersionedRows(SharedJdbcSessionDataStore store, SessionRows sessionRows, AttributeRows attributeRows,
            StatementTexts texts) {
        this.store = Objects.requireNonNull(store, "store");
        this.sessionRows = Objects.requireNonNull(sessionRows, "sessionRows");
        this.attributeRows = Objects.requireNonNull(attributeRows, "attributeRows");
        this.texts = Objects.requireNonNull(texts, "texts");
        this.attributeValues = new AttributeValues(store::newObjectInputStream);
    }

    /**
     * Adds the version column to Jetty's table if it is not there yet; the rows already there get version 0.
     * PostgreSQL's {@code if not exists} does not keep two nodes doing it at once from failing: the store calls this
     * holding its {@link SchemaLock}.
     */
    void prepareColumn() throws SQLException {
        try (Connection connection = store.connection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute("alter table " + store.table() + " add column if not exists " + VERSION_COLUMN
                    + " bigint not null default 0");
        }
    }

    /**
     * Loads a session's row as Jetty's {@code doLoad} does, with its version, and its attributes: from its map column
     * if it keeps one, as Jetty's load reads it, else from the attribute table, each value on its own; both through
     * the tier's allow-list, by the context's class loader. One statement.
     *
     * @return the session's data, or null if there is no row
     * @throws UnreadableSessionDataException if the attributes cannot be read, as Jetty's load throws it
     */
    SharedSessionData load(String id) throws Exception {
        String sql = texts.of(Text.LOAD, () -> {
            SessionTableSchema schema = store.schema();
            return withAttributeRows(List.of(schema.getCreateTimeColumn(), schema.getAccessTimeColumn(),
                    schema.getLastAccessTimeColumn(), schema.getMaxIntervalColumn(), schema.getCookieTimeColumn(),
                    schema.getLastNodeColumn(), schema.getLastSavedTimeColumn(), schema.getExpiryTimeColumn(),
                    VERSION_COLUMN));
        });
        RowWithAttributes<SharedSessionData> read = read(id, sql, row -> {
            SharedSessionData data = store.sessionData(id, row.getLong(1), row.getLong(2), row.getLong(3),
                    row.getLong(4));
            data.setCookieSet(row.getLong(5));
            data.setLastNode(row.getString(6));
            data.setLastSaved(row.getLong(7));
            data.setExpiry(row.getLong(8));
            data.rowVersion(row.getLong(9));
            return data;
        });
        if (read == null) {
            return null;
        }
        SharedSessionData data = read.session();
        StoredRow stored = read.stored(data.rowVersion(), data.getMaxInactiveMs());
        data.keepsMap(stored.keepsMap());
        data.attributeVersions(stored.attributeVersions());
        Map<String, Object> attributes = readAttributes(id, stored);
        data.putAllAttributes(attributes);
        data.storedForms(InPlaceChanges.rowForms(stored, attributes));
        return data;
    }

    /**
     * A row's attributes, read as Jetty's load reads them, into a map of their own: from its map column if it keeps
     * one, else each from its row of the attribute table.
     *
     * @throws UnreadableSessionDataException if they cannot be read (a class off the allow-list, a corrupt row), as
     *     Jetty's load throws it
     */
    Map<String, Object> readAttributes(String id, StoredRow row) throws UnreadableSessionDataException {
        try {
            if (row.keepsMap()) {
                SessionData stored = new SessionData(id, store.context().getCanonicalContextPath(),
                        store.virtualHost(), 0, 0, 0, 0);
                store.readMap(stored, row.map());
                return new HashMap<>(stored.getAllAttributes());
            }
            Map<String, Object> attributes = new HashMap<>(Math.max(4, row.attributes().size() * 2));
            for (Map.Entry<String, byte[]> attribute : row.attributes().entrySet()) {
                attributes.put(attribute.getKey(), attributeValues.read(attribute.getValue()));
            }
            return attributes;
        } catch (Exception e) {
            throw new UnreadableSessionDataException(id, store.context(), e);
        }
    }

    /**
     * Writes these attributes of the copy with its times, max inactive interval and (with sessions by user) user, and
     * bumps the row's version, only if the version is still {@code version}.
     *
     * @param withUser whether the user column is written
     * @param written takes the versions of the attribute rows an unconditional write wrote ({@link SessionRows#save})
     * @return 1, or 0 if the row is gone or another node saved it since
     */
    int saveIfVersion(String id, SharedSessionData data, AttributeRows.Write write, boolean withUser, String user,
            long version, Map<String, Long> written) throws Exception {
        return sessionRows.save(id, data, write, withUser, user, version, written);
    }

    /**
     * Writes one attribute's new value alone, only if its row's version is still {@code version}
     * ({@link SessionRows#replace}).
     *
     * @return 1, or 0 if the row is gone or another node wrote it since
     */
    int replaceIfVersion(String id, String name, byte[] value, long version) throws Exception {
        return sessionRows.replace(id, name, value, version);
    }

    /** The session's row as it is now, or null if it is gone (invalidated or expired on some node). */
    StoredRow current(String id) throws Exception {
        String sql = texts.of(Text.CURRENT, () -> withAttributeRows(List.of(VERSION_COLUMN,
                store.schema().getMaxIntervalColumn())));
        RowWithAttributes<Versioned> read = read(id, sql, row -> new Versioned(row.getLong(1), row.getLong(2)));
        return read == null ? null : read.stored(read.session().version(), read.session().maxInactiveMs());
    }

    /** The version and max inactive interval of a session's row, which a save's re-read needs of its columns. */
    private record Versioned(long version, long maxInactiveMs) {
    }

    /** Reads what a request needs of a session row's own columns. */
    @FunctionalInterface
    private interface SessionColumns<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** A session row as {@link #read} read it: its columns' reading, its map column and its attribute rows' bytes. */
    private record RowWithAttributes<T>(T session, byte[] map, Map<String, byte[]> attributes,
            Map<String, Long> versions) {
        StoredRow stored(long version, long maxInactiveMs) {
            return new StoredRow(version, maxInactiveMs, map, attributes, versions);
        }
    }

    /**
     * The text of a select of these columns of the session's row and its map column, then (as a union, one result row
     * each) its attribute rows ({@link AttributeRows#unionOfRows}): one statement, one snapshot.
     */
    private String withAttributeRows(List<String> columns) {
        SessionTableSchema schema = store.schema();
        return "select " + String.join(", ", columns) + ", " + schema.getMapColumn() + ", null, null, null"
                + " from " + store.table() + SessionRows.whereThisSession(schema)
                + attributeRows.unionOfRows(columns.size() + 1);
    }

    /**
     * Runs a select made by {@link #withAttributeRows}: the session row's columns read by {@code session}, its map
     * column, and each attribute row's name, bytes and version; null if the session has no row. The session row is
     * the one whose attribute name, the third column from the end, is null.
     */
    private <T> RowWithAttributes<T> read(String id, String sql, SessionColumns<T> session) throws Exception {
        try (Connection connection = store.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            connection.setAutoCommit(true);
            sessionRows.setThisSession(statement, sessionRows.setThisSession(statement, 1, id), id);
            try (ResultSet row = statement.executeQuery()) {
                int map = row.getMetaData().getColumnCount() - 3;
                T read = null;
                byte[] mapBytes = null;
                Map<String, byte[]> attributes = new HashMap<>();
                Map<String, Long> versions = new HashMap<>();
                while (row.next()) {
                    String name = row.getString(map + 1);
                    if (name != null) {
                        attributes.put(name, row.getBytes(map + 2));
                        versions.put(name, row.getLong(map + 3));
                        continue;
                    }
                    read = session.read(row);
                    mapBytes = row.getBytes(map); // PostgreSQL's bytea, as Jetty's adaptor reads it there
                }
                return read == null ? null : new RowWithAttributes<>(read, mapBytes, attributes, versions);
            }
        }
    }
}
