/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Locale;
import org.eclipse.jetty.session.DatabaseAdaptor;
import org.eclipse.jetty.session.JDBCSessionDataStore;
import org.eclipse.jetty.session.JDBCSessionDataStore.SessionTableSchema;
import org.eclipse.jetty.session.SessionContext;
import org.eclipse.jetty.util.StringUtil;

/**
 * Jetty's session table with its expiry index over whole minutes: the column {@value #MINUTE_COLUMN} holds the
 * minute a session expires in, rounded up ({@link #minuteOf}), and Jetty's index {@code idx_<table>_expiry} covers it
 * instead of the exact expiry time. Jetty's expiry searches, which this schema's statements replace, find the
 * same sessions as Jetty's: they range over the minutes by the index, then test the exact expiry time.
 *
 * <p>Why: every save writes the session's expiry time, one request later than the last. With an index over it, each
 * save is a new row version with a new entry in every index of the table, and PostgreSQL logs all of it. A session's
 * expiry minute changes at most once a minute, so the saves of a session within a minute change no indexed column
 * and PostgreSQL updates the row in place (a heap-only update): less log and less work per save. In SQL alone, two
 * saves per request of a session of ten attributes: 1,071 &rarr; 700 WAL bytes per request at 16 characters each,
 * 1,114 &rarr; 747 at 96; over HTTP on two nodes, 0.68 &rarr; 0.45 of Jetty's store's at 100 characters (BENCHMARKS.md,
 * "The measure: ten attributes").
 *
 * <p>The schema's names are the configured schema's, copied ({@link #of}); a subclass of Jetty's schema is refused,
 * since its own statements would not be kept. Nodes running Jetty's own store on the table would write rows without
 * the minute, which these searches do not find: they cannot share the table (docs/many-nodes.md).
 */
final class ExpiryMinuteSchema extends SessionTableSchema {

    /** The column of the minute a session expires in, rounded up; null for a session that never expires. */
    static final String MINUTE_COLUMN = "syncsession_expiry_minute";

    private static final long MINUTE_MS = 60_000;

    /** This schema with the names of {@code given}, which must be Jetty's own schema class or this one. */
    static ExpiryMinuteSchema of(SessionTableSchema given) {
        if (given instanceof ExpiryMinuteSchema own) {
            return own;
        }
        if (given.getClass() != SessionTableSchema.class) {
            throw new IllegalArgumentException("the shared tier searches for expired sessions with statements of its"
                    + " own and cannot keep those of " + given.getClass().getName() + "; configure a "
                    + SessionTableSchema.class.getName() + " (table, schema and column names)");
        }
        ExpiryMinuteSchema schema = new ExpiryMinuteSchema();
        schema.setCatalogName(given.getCatalogName());
        schema.setSchemaName(given.getSchemaName());
        schema.setTableName(given.getTableName());
        schema.setIdColumn(given.getIdColumn());
        schema.setContextPathColumn(given.getContextPathColumn());
        schema.setVirtualHostColumn(given.getVirtualHostColumn());
        schema.setLastNodeColumn(given.getLastNodeColumn());
        schema.setAccessTimeColumn(given.getAccessTimeColumn());
        schema.setLastAccessTimeColumn(given.getLastAccessTimeColumn());
        schema.setCreateTimeColumn(given.getCreateTimeColumn());
        schema.setCookieTimeColumn(given.getCookieTimeColumn());
        schema.setLastSavedTimeColumn(given.getLastSavedTimeColumn());
        schema.setExpiryTimeColumn(given.getExpiryTimeColumn());
        schema.setMaxIntervalColumn(given.getMaxIntervalColumn());
        schema.setMapColumn(given.getMapColumn());
        return schema;
    }

    /** The minute an expiry time falls in, rounded up, so that {@code expiry <= t} implies the same of the minutes. */
    static long minuteOf(long expiry) {
        return Math.floorDiv(expiry + MINUTE_MS - 1, MINUTE_MS);
    }

    /** Sets the minute column's parameter for a row expiring at {@code expiry}: null if it never expires. */
    static void bindMinute(PreparedStatement statement, int at, long expiry) throws SQLException {
        if (expiry > 0) {
            statement.setLong(at, minuteOf(expiry));
        } else {
            statement.setNull(at, Types.BIGINT);
        }
    }

    /**
     * Adds the minute column to the session table and moves Jetty's expiry index onto it, once: when the index is
     * still over the expiry time, as Jetty creates it (a new table, or one Jetty's own store made), the column is
     * added, filled for every row, and the index made again over it. The store runs this holding the table's
     * {@link SchemaLock}, after Jetty's set-up; each statement commits on its own, and a step cut short is done again
     * at the next start.
     */
    void prepareMinuteIndex(SharedJdbcSessionDataStore store) throws SQLException {
        String index = "idx_" + getTableName() + "_expiry";
        try (Connection connection = store.connection()) {
            if (MINUTE_COLUMN.equalsIgnoreCase(indexColumn(connection, index))) {
                return;
            }
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("alter table " + table() + " add column if not exists " + MINUTE_COLUMN + " bigint");
                statement.execute("update " + table() + " set " + MINUTE_COLUMN + " = (" + getExpiryTimeColumn()
                        + " + " + (MINUTE_MS - 1) + ") / " + MINUTE_MS + " where " + getExpiryTimeColumn() + " > 0");
                statement.execute("drop index if exists " + qualified(index));
                statement.execute("create index " + index + " on " + table() + " (" + MINUTE_COLUMN + ")");
            }
        }
    }

    /** The first column of the named index of this table, or null if the table has no such index. */
    private String indexColumn(Connection connection, String index) throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        String table = metaData.storesLowerCaseIdentifiers() ? getTableName().toLowerCase(Locale.ENGLISH)
                : metaData.storesUpperCaseIdentifiers() ? getTableName().toUpperCase(Locale.ENGLISH) : getTableName();
        try (ResultSet indexes = metaData.getIndexInfo(getCatalogName(), getSchemaName(), table, false, true)) {
            while (indexes.next()) {
                if (index.equalsIgnoreCase(indexes.getString("INDEX_NAME"))
                        && indexes.getShort("ORDINAL_POSITION") == 1) {
                    return indexes.getString("COLUMN_NAME");
                }
            }
        }
        return null;
    }

    /** Jetty's search for the context's sessions expired at {@code expiry}, by their minutes first. */
    @Override
    public PreparedStatement getExpiredSessionsStatement(Connection connection, String canonicalContextPath,
            String vhost, long expiry) throws SQLException {
        PreparedStatement statement = connection.prepareStatement("select " + getIdColumn() + ", "
                + getExpiryTimeColumn() + " from " + table() + " where " + getContextPathColumn() + " = ? and "
                + getVirtualHostColumn() + " = ? and " + expiredBy());
        statement.setString(1, contextPath(_dbAdaptor, canonicalContextPath));
        statement.setString(2, vhost);
        bindExpiredBy(statement, 3, expiry);
        return statement;
    }

    /** Jetty's search for the context's sessions this node saved last and expired at {@code expiry}. */
    @Override
    public PreparedStatement getMyExpiredSessionsStatement(Connection connection, SessionContext sessionContext,
            long expiry) throws SQLException {
        PreparedStatement statement = connection.prepareStatement("select " + getIdColumn() + ", "
                + getExpiryTimeColumn() + " from " + table() + " where " + getLastNodeColumn() + " = ? and "
                + getContextPathColumn() + " = ? and " + getVirtualHostColumn() + " = ? and " + expiredBy());
        statement.setString(1, sessionContext.getWorkerName());
        statement.setString(2, contextPath(_dbAdaptor, sessionContext.getCanonicalContextPath()));
        statement.setString(3, sessionContext.getVhost());
        bindExpiredBy(statement, 4, expiry);
        return statement;
    }

    /** Jetty's removal of every context's sessions expired at {@code timeLimit}. */
    @Override
    public PreparedStatement getCleanOrphansStatement(Connection connection, long timeLimit) throws Exception {
        PreparedStatement statement = connection.prepareStatement("delete from " + table() + " where " + expiredBy());
        bindExpiredBy(statement, 1, timeLimit);
        return statement;
    }

    /** Expired at a time: by the index over the minutes, then by the exact time, as Jetty's condition. */
    private String expiredBy() {
        return MINUTE_COLUMN + " <= ? and " + getExpiryTimeColumn() + " > 0 and " + getExpiryTimeColumn() + " <= ?";
    }

    private static void bindExpiredBy(PreparedStatement statement, int at, long time) throws SQLException {
        statement.setLong(at, minuteOf(time));
        statement.setLong(at + 1, time);
    }

    /** The session table, qualified by its schema, as Jetty's JDBC store names it. */
    String table() {
        return qualified(getTableName());
    }

    private String qualified(String name) {
        return (getSchemaName() != null ? getSchemaName() + "." : "") + name;
    }

    /** A context path as Jetty's JDBC store writes it: blank is {@code "/"} where the database stores "" as null. */
    static String contextPath(DatabaseAdaptor adaptor, String canonicalContextPath) {
        return adaptor.isEmptyStringNull() && StringUtil.isBlank(canonicalContextPath)
                ? JDBCSessionDataStore.NULL_CONTEXT_PATH : canonicalContextPath;
    }
}
