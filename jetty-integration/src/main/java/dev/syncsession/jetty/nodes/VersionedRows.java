/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.internal.SyncSessionData;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import org.eclipse.jetty.session.JDBCSessionDataStore.SessionTableSchema;
import org.eclipse.jetty.session.UnreadableSessionDataException;

/**
 * The statements on the version column, {@value #VERSION_COLUMN}, that the tier adds to Jetty's session table: each
 * save of changed attributes bumps it, and is made conditional on it, so that a node finds out that another node
 * saved the session since its copy was loaded ({@link VersionedSave}). Adding the column, loading a row with its
 * version, the conditional update, and the read of the row as it is now, for a save to apply its changes onto.
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

    /** A session's row as it is now, for a save that found it changed: its version and what a merge needs. */
    record StoredRow(long version, long maxInactiveMs, byte[] attributes) {
    }

    private final SharedJdbcSessionDataStore store;

    /** The store's own statements on its table, whose update this one makes conditional on the version. */
    private final SessionRows sessionRows;

    VersionedRows(SharedJdbcSessionDataStore store, SessionRows sessionRows) {
        this.store = Objects.requireNonNull(store, "store");
        this.sessionRows = Objects.requireNonNull(sessionRows, "sessionRows");
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
     * Loads a session's row as Jetty's {@code doLoad} does, with its version; its attributes are read by the store's
     * deserialization (Jetty's, with the context's class loader, through the tier's allow-list).
     *
     * @return the session's data, or null if there is no row
     * @throws UnreadableSessionDataException if the attributes cannot be read, as Jetty's load throws it
     */
    SyncSessionData load(String id) throws Exception {
        SessionTableSchema schema = store.schema();
        String sql = "select " + schema.getCreateTimeColumn() + ", " + schema.getAccessTimeColumn() + ", "
                + schema.getLastAccessTimeColumn() + ", " + schema.getMaxIntervalColumn() + ", "
                + schema.getCookieTimeColumn() + ", " + schema.getLastNodeColumn() + ", "
                + schema.getLastSavedTimeColumn() + ", " + schema.getExpiryTimeColumn() + ", " + schema.getMapColumn()
                + ", " + VERSION_COLUMN + " from " + store.table() + SessionRows.whereThisSession(schema);
        try (Connection connection = store.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            connection.setAutoCommit(true);
            sessionRows.setThisSession(statement, 1, id);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                SyncSessionData data = store.sessionData(id, row.getLong(schema.getCreateTimeColumn()),
                        row.getLong(schema.getAccessTimeColumn()), row.getLong(schema.getLastAccessTimeColumn()),
                        row.getLong(schema.getMaxIntervalColumn()));
                data.setCookieSet(row.getLong(schema.getCookieTimeColumn()));
                data.setLastNode(row.getString(schema.getLastNodeColumn()));
                data.setLastSaved(row.getLong(schema.getLastSavedTimeColumn()));
                data.setExpiry(row.getLong(schema.getExpiryTimeColumn()));
                data.rowVersion(row.getLong(VERSION_COLUMN));
                try (InputStream attributes = store.blobInputStream(row, schema.getMapColumn())) {
                    store.readAttributes(data, attributes);
                } catch (Exception e) {
                    throw new UnreadableSessionDataException(id, store.context(), e);
                }
                return data;
            }
        }
    }

    /**
     * Updates the session's row with this copy's times, max inactive interval, attributes and (with sessions by
     * user) user, and bumps its version, only if the version is still {@code version}.
     *
     * @param withUser whether the user column is written
     * @return 1, or 0 if the row is gone or another node saved it since
     */
    int updateIfVersion(String id, SyncSessionData data, byte[] attributes, boolean withUser, String user,
            long version) throws Exception {
        return sessionRows.update(id, data, attributes, withUser, user, 0, version, true);
    }

    /** The session's row as it is now, or null if it is gone (invalidated or expired on some node). */
    StoredRow current(String id) throws Exception {
        SessionTableSchema schema = store.schema();
        String sql = "select " + VERSION_COLUMN + ", " + schema.getMaxIntervalColumn() + ", " + schema.getMapColumn()
                + " from " + store.table() + SessionRows.whereThisSession(schema);
        try (Connection connection = store.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            connection.setAutoCommit(true);
            sessionRows.setThisSession(statement, 1, id);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                try (InputStream attributes = store.blobInputStream(row, schema.getMapColumn())) {
                    return new StoredRow(row.getLong(VERSION_COLUMN), row.getLong(schema.getMaxIntervalColumn()),
                            attributes.readAllBytes());
                }
            }
        }
    }
}
