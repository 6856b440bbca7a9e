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

    /** Inserts the session's row as Jetty does, with its user (null if it is not signed in). */
    void insertWithUser(String id, SessionData data, byte[] attributes, String user) throws Exception {
        SessionTableSchema schema = store.schema();
        String sql = "insert into " + store.table() + " (" + schema.getIdColumn() + ", "
                + schema.getContextPathColumn() + ", " + schema.getVirtualHostColumn() + ", "
                + schema.getLastNodeColumn() + ", " + schema.getAccessTimeColumn() + ", "
                + schema.getLastAccessTimeColumn() + ", " + schema.getCreateTimeColumn() + ", "
                + schema.getCookieTimeColumn() + ", " + schema.getLastSavedTimeColumn() + ", "
                + schema.getExpiryTimeColumn() + ", " + schema.getMaxIntervalColumn() + ", " + schema.getMapColumn()
                + ", " + SharedUserIndex.USER_COLUMN + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
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
            statement.setString(13, user);
            statement.executeUpdate();
        }
    }

    /** Updates the session's row as Jetty does, with its user (null if it is not signed in). */
    void updateWithUser(String id, SessionData data, byte[] attributes, String user) throws Exception {
        update(id, data, attributes, true, user, 0);
    }

    /**
     * Updates the session's row as Jetty does, only if its last save time is still {@code lastSaved}.
     *
     * @return 1, or 0 if the row is gone or another node saved it since
     */
    int updateIfLastSaved(String id, SessionData data, byte[] attributes, long lastSaved) throws Exception {
        return update(id, data, attributes, false, null, lastSaved);
    }

    private int update(String id, SessionData data, byte[] attributes, boolean withUser, String user,
            long onlyIfLastSaved) throws Exception {
        SessionTableSchema schema = store.schema();
        String sql = "update " + store.table() + " set " + schema.getLastNodeColumn() + " = ?, "
                + schema.getAccessTimeColumn() + " = ?, " + schema.getLastAccessTimeColumn() + " = ?, "
                + schema.getLastSavedTimeColumn() + " = ?, " + schema.getExpiryTimeColumn() + " = ?, "
                + schema.getMaxIntervalColumn() + " = ?, " + schema.getMapColumn() + " = ?"
                + (withUser ? ", " + SharedUserIndex.USER_COLUMN + " = ?" : "") + " where "
                + schema.getIdColumn() + " = ? and " + schema.getContextPathColumn() + " = ? and "
                + schema.getVirtualHostColumn() + " = ?"
                + (onlyIfLastSaved > 0 ? " and " + schema.getLastSavedTimeColumn() + " = ?" : "");
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
            if (withUser) {
                statement.setString(++at, user);
            }
            statement.setString(++at, id);
            statement.setString(++at, store.contextPath());
            statement.setString(++at, store.virtualHost());
            if (onlyIfLastSaved > 0) {
                statement.setLong(++at, onlyIfLastSaved);
            }
            return statement.executeUpdate();
        }
    }

    /** Compares a cached copy's last save time with the row's: one primary-key read. */
    Verdict compareLastSaved(String id, long lastSaved) throws Exception {
        SessionTableSchema schema = store.schema();
        String sql = "select " + schema.getLastSavedTimeColumn() + " from " + store.table() + " where "
                + schema.getIdColumn() + " = ? and " + schema.getContextPathColumn() + " = ? and "
                + schema.getVirtualHostColumn() + " = ?";
        try (Connection connection = store.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            connection.setAutoCommit(true);
            statement.setString(1, id);
            statement.setString(2, store.contextPath());
            statement.setString(3, store.virtualHost());
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Verdict.GONE;
                }
                return row.getLong(1) == lastSaved ? Verdict.CURRENT : Verdict.CHANGED;
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
}
