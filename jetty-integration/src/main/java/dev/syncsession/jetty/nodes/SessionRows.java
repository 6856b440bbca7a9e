/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.cache.SessionFreshness.Verdict;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.session.JDBCSessionDataStore.SessionTableSchema;
import org.eclipse.jetty.session.SessionData;

/**
 * The statements on Jetty's session table that Jetty's {@code JDBCSessionDataStore} does not make: the insert and the
 * save of a session row together with its rows in the {@link AttributeRows attribute table} (one statement each, with
 * the {@link SharedUserIndex#USER_COLUMN} when sessions are indexed by user), the save of a request that changed no
 * attribute (conditional on the row's last save time and version), the read of a row's last save time and version
 * that checks a cached copy, and the count of live rows the tier's cap relies on. Each names the columns as the
 * store's {@link SessionTableSchema} does, so a renamed column of Jetty's schema applies here too.
 *
 * <p>Untracked: the store reports each call to its {@link OutageTracking}. Thread-safe: each call opens its own
 * connection.
 */
final class SessionRows {

    /** The statements of this class without a shape of their own: their texts' keys in {@link StatementTexts}. */
    private enum Text { UPDATE_IF_UNCHANGED, UPDATE_IF_UNCHANGED_VERSION, COMPARE_WITH_COPY, COUNT_UNEXPIRED, REPLACE }

    /**
     * What the text of an insert or a save depends on besides the schema: the clauses of its attribute write
     * ({@link AttributeRows#clauses}: where the attributes go, whether whole, how many names set and removed, each
     * count only where it shows in the text), the user column, and (a save) whether the version is checked.
     */
    private record SaveShape(boolean insert, boolean inRow, boolean whole, int names, int removed, boolean withUser,
            boolean versioned, boolean conditional) {
        static SaveShape of(boolean insert, AttributeRows.Write write, boolean withUser, boolean versioned) {
            boolean inRow = write.inRow();
            return new SaveShape(insert, inRow, write.whole(), inRow ? 0 : write.names().length,
                    inRow || write.whole() ? 0 : write.removed().length, withUser, versioned, write.conditional());
        }
    }

    private final SharedJdbcSessionDataStore store;
    private final AttributeRows attributeRows;
    private final StatementTexts texts;

    SessionRows(SharedJdbcSessionDataStore store, AttributeRows attributeRows, StatementTexts texts) {
        this.store = Objects.requireNonNull(store, "store");
        this.attributeRows = Objects.requireNonNull(attributeRows, "attributeRows");
        this.texts = Objects.requireNonNull(texts, "texts");
    }

    /**
     * Inserts the session's row as Jetty does, at this {@link VersionedRows#VERSION_COLUMN version}, with the user
     * column when {@code withUser}, and its attributes where {@code attributes} puts them: in its map column, or in the
     * {@link AttributeRows attribute table} with the map column null. One statement.
     */
    void insert(String id, SessionData data, AttributeRows.Write attributes, boolean withUser, String user,
            long version) throws Exception {
        String sql = texts.of(SaveShape.of(true, attributes, withUser, false),
                () -> insertText(attributes, withUser));
        try (Connection connection = store.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            connection.setAutoCommit(true);
            int at = setThisSession(statement, 1, id);
            statement.setString(at++, data.getLastNode());
            statement.setLong(at++, data.getAccessed());
            statement.setLong(at++, data.getLastAccessed());
            statement.setLong(at++, data.getCreated());
            statement.setLong(at++, data.getCookieSet());
            statement.setLong(at++, data.getLastSaved());
            statement.setLong(at++, data.getExpiry());
            statement.setLong(at++, data.getMaxInactiveMs());
            ExpiryMinuteSchema.bindMinute(statement, at++, data.getExpiry());
            statement.setLong(at++, version);
            if (withUser) {
                statement.setString(at++, user);
            }
            if (attributes.inRow()) {
                statement.setBytes(at, attributes.map()); // a new row has nothing in the attribute table
            } else {
                attributeRows.bind(statement, at, id, attributes, this);
            }
            savedRows(statement);
        }
    }

    private String insertText(AttributeRows.Write attributes, boolean withUser) {
        SessionTableSchema schema = store.schema();
        return "with saved as (insert into " + store.table() + " (" + schema.getIdColumn() + ", "
                + schema.getContextPathColumn() + ", " + schema.getVirtualHostColumn() + ", "
                + schema.getLastNodeColumn() + ", " + schema.getAccessTimeColumn() + ", "
                + schema.getLastAccessTimeColumn() + ", " + schema.getCreateTimeColumn() + ", "
                + schema.getCookieTimeColumn() + ", " + schema.getLastSavedTimeColumn() + ", "
                + schema.getExpiryTimeColumn() + ", " + schema.getMaxIntervalColumn() + ", "
                + ExpiryMinuteSchema.MINUTE_COLUMN + ", " + VersionedRows.VERSION_COLUMN
                + (withUser ? ", " + SharedUserIndex.USER_COLUMN : "")
                + (attributes.inRow() ? ", " + schema.getMapColumn() : "")
                + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?" + (withUser ? ", ?" : "")
                + (attributes.inRow() ? ", ?" : "") + ") returning 1)"
                + (attributes.inRow() ? "" : attributeRows.clauses(attributes)) + " select count(*) from saved";
    }

    /**
     * Updates the session's row's times, max inactive interval and (when {@code withUser}) user, and writes its
     * attributes as {@code attributes} says, bumping its {@link VersionedRows#VERSION_COLUMN version}: one statement.
     * When {@code onlyIfVersion} is not negative, only if the row's version is still that; and when the write is not
     * whole, only if the row keeps its attributes where the write puts them (changes alone cannot be written onto a
     * map, and a map written over a row whose attributes are in the attribute table would leave its rows there).
     *
     * @param written if not null, takes the versions of the attribute rows an unconditional write in the attribute
     *     table wrote, by name, as the statement returns them
     * @return 1, or 0 if the row is gone or a condition no longer holds (nothing is written then)
     */
    int save(String id, SessionData data, AttributeRows.Write attributes, boolean withUser, String user,
            long onlyIfVersion, Map<String, Long> written) throws Exception {
        boolean versioned = onlyIfVersion >= 0;
        boolean withClauses = AttributeRows.hasClauses(attributes);
        String sql = texts.of(SaveShape.of(false, attributes, withUser, versioned),
                () -> saveText(attributes, withUser, versioned, withClauses));
        try (Connection connection = store.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            // A conditional write is all or nothing: a transaction, rolled back if an attribute row's condition failed.
            boolean conditional = withClauses && attributes.conditional();
            connection.setAutoCommit(!conditional);
            int at = bindTimes(statement, 1, data);
            if (attributes.inRow()) {
                statement.setBytes(at++, attributes.map());
            }
            if (withUser) {
                statement.setString(at++, user);
            }
            at = setThisSession(statement, at, id);
            if (versioned) {
                statement.setLong(at++, onlyIfVersion);
            }
            attributeRows.bind(statement, at, id, attributes, this);
            if (conditional) {
                return conditionalSave(connection, statement, attributes);
            }
            if (returnsVersions(attributes)) {
                return savedRows(statement, written);
            }
            return withClauses ? savedRows(statement) : statement.executeUpdate();
        }
    }

    /**
     * Runs a conditional save in its transaction and commits it only if it wrote the session row and every attribute
     * row it names (each known row still at the version the copy knows, each new one not made by another node
     * meanwhile); otherwise rolls it back, writing nothing.
     *
     * @return 1 if committed, 0 if rolled back
     */
    private static int conditionalSave(Connection connection, PreparedStatement statement,
            AttributeRows.Write attributes) throws SQLException {
        boolean committed = false;
        try (ResultSet counts = statement.executeQuery()) {
            counts.next();
            if (counts.getInt(1) == 1 && counts.getInt(2) == attributes.names().length
                    && counts.getInt(3) == attributes.removed().length) {
                connection.commit();
                committed = true;
            }
        } finally {
            if (!committed) {
                connection.rollback();
            }
            connection.setAutoCommit(true); // the pool hands the connection on as it found it
        }
        return committed ? 1 : 0;
    }

    /**
     * Writes one attribute's new value alone, without the session row, only if its row still has the version the
     * copy knows ({@link AttributeRows#replaceText}).
     *
     * @return 1, or 0 if the row is gone or another node wrote it since (nothing is written then)
     */
    int replace(String id, String name, byte[] value, long version) throws Exception {
        String sql = texts.of(Text.REPLACE, attributeRows::replaceText);
        try (Connection connection = store.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            connection.setAutoCommit(true);
            statement.setBytes(1, value);
            int at = setThisSession(statement, 2, id);
            statement.setString(at++, name);
            statement.setLong(at, version);
            return statement.executeUpdate();
        }
    }

    private String saveText(AttributeRows.Write attributes, boolean withUser, boolean versioned,
            boolean withClauses) {
        SessionTableSchema schema = store.schema();
        String update = "update " + store.table() + " set " + setTimes(schema) + ", "
                + schema.getMapColumn() + (attributes.inRow() ? " = ?, " : " = null, ") + VersionedRows.VERSION_COLUMN
                + " = " + VersionedRows.VERSION_COLUMN + " + 1"
                + (withUser ? ", " + SharedUserIndex.USER_COLUMN + " = ?" : "") + whereThisSession(schema)
                + (versioned ? " and " + VersionedRows.VERSION_COLUMN + " = ?" : "")
                + (attributes.whole() ? "" : " and " + schema.getMapColumn()
                        + (attributes.inRow() ? " is not null" : " is null"));
        // Without clauses on the attribute table (a map in the row), the update alone: PostgreSQL runs it faster.
        return withClauses ? "with saved as (" + update + " returning 1)" + attributeRows.clauses(attributes)
                + (attributes.conditional() ? AttributeRows.countsOf(attributes)
                        : returnsVersions(attributes) ? AttributeRows.writtenVersions() : " select count(*) from saved")
                : update;
    }

    /**
     * Updates the session's row's times and max inactive interval, not its attributes, only if its last save time is
     * still {@code lastSaved} and, when {@code version} is not negative, its version still {@code version}, which the
     * update keeps: the save at the end of a request that changed no attribute.
     *
     * @return 1, or 0 if the row is gone or another node saved it since
     */
    int updateIfUnchanged(String id, SessionData data, long lastSaved, long version) throws Exception {
        String sql = texts.of(version >= 0 ? Text.UPDATE_IF_UNCHANGED_VERSION : Text.UPDATE_IF_UNCHANGED,
                () -> {
                    SessionTableSchema schema = store.schema();
                    return "update " + store.table() + " set " + setTimes(schema) + whereThisSession(schema) + " and "
                            + schema.getLastSavedTimeColumn() + " = ?"
                            + (version >= 0 ? " and " + VersionedRows.VERSION_COLUMN + " = ?" : "");
                });
        try (Connection connection = store.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            connection.setAutoCommit(true);
            int at = setThisSession(statement, bindTimes(statement, 1, data), id);
            statement.setLong(at++, lastSaved);
            if (version >= 0) {
                statement.setLong(at, version);
            }
            return statement.executeUpdate();
        }
    }

    /**
     * The assignments of the columns every save writes, as Jetty's update writes them, and the expiry minute
     * ({@link ExpiryMinuteSchema}); set by {@link #bindTimes}.
     */
    private static String setTimes(SessionTableSchema schema) {
        return schema.getLastNodeColumn() + " = ?, " + schema.getAccessTimeColumn() + " = ?, "
                + schema.getLastAccessTimeColumn() + " = ?, " + schema.getLastSavedTimeColumn() + " = ?, "
                + schema.getExpiryTimeColumn() + " = ?, " + schema.getMaxIntervalColumn() + " = ?, "
                + ExpiryMinuteSchema.MINUTE_COLUMN + " = ?";
    }

    private static int bindTimes(PreparedStatement statement, int at, SessionData data) throws SQLException {
        statement.setString(at++, data.getLastNode());
        statement.setLong(at++, data.getAccessed());
        statement.setLong(at++, data.getLastAccessed());
        statement.setLong(at++, data.getLastSaved());
        statement.setLong(at++, data.getExpiry());
        statement.setLong(at++, data.getMaxInactiveMs());
        ExpiryMinuteSchema.bindMinute(statement, at++, data.getExpiry());
        return at;
    }

    /** Whether a save's statement returns the versions of the attribute rows it writes: unconditional, in the table. */
    private static boolean returnsVersions(AttributeRows.Write attributes) {
        return !attributes.inRow() && !attributes.conditional() && attributes.names().length > 0;
    }

    /**
     * Runs a statement ending in {@link AttributeRows#writtenVersions}: how many session rows it wrote; puts the
     * versions of the attribute rows it wrote into {@code written}, if not null.
     */
    private static int savedRows(PreparedStatement statement, Map<String, Long> written) throws SQLException {
        try (ResultSet saved = statement.executeQuery()) {
            saved.next();
            java.sql.Array names = saved.getArray(2);
            java.sql.Array versions = saved.getArray(3);
            if (written != null && names != null && versions != null) {
                String[] name = (String[]) names.getArray();
                Long[] version = (Long[]) versions.getArray();
                for (int i = 0; i < name.length; i++) {
                    written.put(name[i], version[i]);
                }
            }
            return saved.getInt(1);
        }
    }

    /** Runs a {@code with saved as ...} statement: how many session rows it wrote. */
    private static int savedRows(PreparedStatement statement) throws SQLException {
        try (ResultSet saved = statement.executeQuery()) {
            saved.next();
            return saved.getInt(1);
        }
    }

    /**
     * Compares a cached copy's last save time and version with the row's: a primary-key read of the session row, and
     * the sum of its attribute rows' versions, which a save of one attribute alone changes
     * ({@link VersionedRows#freshness}).
     */
    Verdict compareWithCopy(String id, long lastSaved, long version) throws Exception {
        String sql = texts.of(Text.COMPARE_WITH_COPY, () -> {
            SessionTableSchema schema = store.schema();
            return "select " + schema.getLastSavedTimeColumn() + ", " + VersionedRows.VERSION_COLUMN + ", "
                    + attributeRows.versionSum() + " from " + store.table() + whereThisSession(schema);
        });
        try (Connection connection = store.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            connection.setAutoCommit(true);
            setThisSession(statement, setThisSession(statement, 1, id), id);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Verdict.GONE;
                }
                return row.getLong(1) == lastSaved
                        && (version < 0 || VersionedRows.freshness(row.getLong(2), row.getLong(3)) == version)
                        ? Verdict.CURRENT : Verdict.CHANGED;
            }
        }
    }

    /**
     * The live rows of the session table, every context's: never expiring, or expiring after now. The tier's cap
     * ({@link dev.syncsession.jetty.protection.DatabaseSessionCap}) counts with this.
     */
    long countUnexpired() throws Exception {
        String sql = texts.of(Text.COUNT_UNEXPIRED, () -> {
            SessionTableSchema schema = store.schema();
            return "select count(*) from " + store.table() + " where " + schema.getExpiryTimeColumn() + " <= 0 or "
                    + schema.getExpiryTimeColumn() + " > ?";
        });
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
        return whereThisSession(schema, "");
    }

    /** The same condition on the columns of the table or alias {@code qualifier} (with its dot), or unqualified. */
    static String whereThisSession(SessionTableSchema schema, String qualifier) {
        return " where " + qualifier + schema.getIdColumn() + " = ? and " + qualifier + schema.getContextPathColumn()
                + " = ? and " + qualifier + schema.getVirtualHostColumn() + " = ?";
    }

    /** Sets the parameters of {@link #whereThisSession} from parameter {@code at}; the next parameter's index. */
    int setThisSession(PreparedStatement statement, int at, String id) throws SQLException {
        statement.setString(at, id);
        statement.setString(at + 1, store.contextPath());
        statement.setString(at + 2, store.virtualHost());
        return at + 3;
    }
}
