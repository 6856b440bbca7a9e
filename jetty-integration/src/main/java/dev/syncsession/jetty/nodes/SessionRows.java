/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.cache.SessionFreshness.Verdict;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import org.eclipse.jetty.session.JDBCSessionDataStore.SessionTableSchema;
import org.eclipse.jetty.session.SessionData;

/**
 * The statements on Jetty's session table that Jetty's {@code JDBCSessionDataStore} does not make: an insert and
 * update that also write the {@link SharedUserIndex#USER_COLUMN}, an update made conditional on the row's last
 * save time, the read of a row's last save time that checks a cached copy, and the count of live rows the tier's cap
 * relies on. Each names the columns as the store's {@link SessionTableSchema} does, so a renamed column of Jetty's
 * schema applies here too.
 *
 * <p>Untracked: the store reports each call to its {@link OutageTracking} (Jetty's own insert and update, which these
 * replace, run inside the store's tracked save). Thread-safe: each call opens its own connection.
 */
final class SessionRows {

    private final SharedJdbcSessionDataStore store;

    SessionRows(SharedJdbcSessionDataStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Inserts the session's row as Jetty does, at this {@link VersionedRows#VERSION_COLUMN version}, and with the user
     * column when {@code withUser}.
     */
    void insert(String id, SessionData data, byte[] attributes, boolean withUser, String user, long version)
            throws Exception {
        SessionTableSchema schema = store.schema();
        String sql = "insert into " + store.table() + " (" + schema.getIdColumn() + ", "
                + schema.getContextPathColumn() + ", " + schema.getVirtualHostColumn() + ", "
                + schema.getLastNodeColumn() + ", " + schema.getAccessTimeColumn() + ", "
                + schema.getLastAccessTimeColumn() + ", " + schema.getCreateTimeColumn() + ", "
                + schema.getCookieTimeColumn() + ", " + schema.getLastSavedTimeColumn() + ", "
                + schema.getExpiryTimeColumn() + ", " + schema.getMaxIntervalColumn() + ", " + schema.getMapColumn()
                + ", " + VersionedRows.VERSION_COLUMN + (withUser ? ", " + SharedUserIndex.USER_COLUMN : "")
                + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?" + (withUser ? ", ?" : "") + ")";
        try (Connection connection = store.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            connection.setAutoCommit(true);
            statement.setString(1, id);
            statement.setString(2, store.contextPath());
            statement.setString(3, store.virtualHost());
            statement.setString(4, data.getLastNode());
            statement.setLong(5, data.getAccessed());
            statement.setLong(6, data.getLastAccessed());
            statement.setLong(7, data.getCreated());
            statement.setLong(8, data.getCookieSet());
            statement.setLong(9, data.getLastSaved());
            statement.setLong(10, data.getExpiry());
            statement.setLong(11, data.getMaxInactiveMs());
            statement.setBinaryStream(12, new ByteArrayInputStream(attributes), attributes.length);
            statement.setLong(13, version);
            if (withUser) {
                statement.setString(14, user);
            }
            statement.executeUpdate();
        }
    }

    /** Updates the session's row as Jetty does, with its user (null if it is not signed in). */
    void updateWithUser(String id, SessionData data, byte[] attributes, String user) throws Exception {
        update(id, data, attributes, true, user, 0, -1, false);
    }

    /**
     * Updates the session's row as Jetty does, only if its last save time is still {@code lastSaved} and, when
     * {@code version} is not negative, its version still {@code version}, which the update keeps.
     *
     * @return 1, or 0 if the row is gone or another node saved it since
     */
    int updateIfUnchanged(String id, SessionData data, byte[] attributes, long lastSaved, long version)
            throws Exception {
        return update(id, data, attributes, false, null, lastSaved, version, false);
    }

    /**
     * Updates the session's row as Jetty's update does, with the user column when {@code withUser}; only if its last
     * save time is still {@code onlyIfLastSaved} when that is positive; and, when {@code onlyIfVersion} is not
     * negative, only if its {@link VersionedRows#VERSION_COLUMN} is still that, which the update then bumps when
     * {@code bumpVersion}.
     *
     * @return the rows updated: 0 if the row is gone or a condition no longer holds
     */
    int update(String id, SessionData data, byte[] attributes, boolean withUser, String user, long onlyIfLastSaved,
            long onlyIfVersion, boolean bumpVersion) throws Exception {
        boolean versioned = onlyIfVersion >= 0;
        boolean bumps = versioned && bumpVersion;
        SessionTableSchema schema = store.schema();
        String sql = "update " + store.table() + " set " + schema.getLastNodeColumn() + " = ?, "
                + schema.getAccessTimeColumn() + " = ?, " + schema.getLastAccessTimeColumn() + " = ?, "
                + schema.getLastSavedTimeColumn() + " = ?, " + schema.getExpiryTimeColumn() + " = ?, "
                + schema.getMaxIntervalColumn() + " = ?, " + schema.getMapColumn() + " = ?"
                + (bumps ? ", " + VersionedRows.VERSION_COLUMN + " = ?" : "")
                + (withUser ? ", " + SharedUserIndex.USER_COLUMN + " = ?" : "") + whereThisSession(schema)
                + (onlyIfLastSaved > 0 ? " and " + schema.getLastSavedTimeColumn() + " = ?" : "")
                + (versioned ? " and " + VersionedRows.VERSION_COLUMN + " = ?" : "");
        try (Connection connection = store.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            connection.setAutoCommit(true);
            int at = 0;
            statement.setString(++at, data.getLastNode());
            statement.setLong(++at, data.getAccessed());
            statement.setLong(++at, data.getLastAccessed());
            statement.setLong(++at, data.getLastSaved());
            statement.setLong(++at, data.getExpiry());
            statement.setLong(++at, data.getMaxInactiveMs());
            statement.setBinaryStream(++at, new ByteArrayInputStream(attributes), attributes.length);
            if (bumps) {
                statement.setLong(++at, onlyIfVersion + 1);
            }
            if (withUser) {
                statement.setString(++at, user);
            }
            at = setThisSession(statement, at + 1, id);
            if (onlyIfLastSaved > 0) {
                statement.setLong(at++, onlyIfLastSaved);
            }
            if (versioned) {
                statement.setLong(at, onlyIfVersion);
            }
            return statement.executeUpdate();
        }
    }

    /** Compares a cached copy's last save time and version with the row's: one primary-key read. */
    Verdict compareWithCopy(String id, long lastSaved, long version) throws Exception {
        SessionTableSchema schema = store.schema();
        String sql = "select " + schema.getLastSavedTimeColumn() + ", " + VersionedRows.VERSION_COLUMN + " from "
                + store.table() + whereThisSession(schema);
        try (Connection connection = store.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            connection.setAutoCommit(true);
            setThisSession(statement, 1, id);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Verdict.GONE;
                }
                return row.getLong(1) == lastSaved && (version < 0 || row.getLong(2) == version) ? Verdict.CURRENT
                        : Verdict.CHANGED;
            }
        }
    }

    /**
     * The live rows of the session table, every context's: never expiring, or expiring after now. The tier's cap
     * ({@link dev.syncsession.jetty.protection.DatabaseSessionCap}) counts with this.
     */
    long countUnexpired() throws Exception {
        SessionTableSchema schema = store.schema();
        String sql = "select count(*) from " + store.table() + " where " + schema.getExpiryTimeColumn() + " <= 0 or "
                + schema.getExpiryTimeColumn() + " > ?";
        try (Connection connection = store.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            connection.setAutoCommit(true);
            statement.setLong(1, System.currentTimeMillis());
            try (ResultSet count = statement.executeQuery()) {
                count.next();
                return count.getLong(1);
            }
        }
    }

    /** The condition that picks this store's row of a session: its id, context path and virtual host. */
    static String whereThisSession(SessionTableSchema schema) {
        return " where " + schema.getIdColumn() + " = ? and " + schema.getContextPathColumn() + " = ? and "
                + schema.getVirtualHostColumn() + " = ?";
    }

    /** Sets the parameters of {@link #whereThisSession} from parameter {@code at}; the next parameter's index. */
    int setThisSession(PreparedStatement statement, int at, String id) throws SQLException {
        statement.setString(at, id);
        statement.setString(at + 1, store.contextPath());
        statement.setString(at + 2, store.virtualHost());
        return at + 3;
    }
}
