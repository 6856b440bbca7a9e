/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.session.JDBCSessionDataStore.SessionTableSchema;
import org.eclipse.jetty.session.SessionData;

/**
 * The tier's attribute table, {@code <session table>}{@value #SUFFIX}: one row per attribute of a session, keyed by
 * the session's key in Jetty's table and the attribute's name, holding the value's bytes ({@link AttributeValues}).
 * A save writes the rows of the attributes its request set and deletes those it removed, and leaves the others alone:
 * PostgreSQL writes a new version of each row an update touches, so a session's whole map in one column would be
 * written again, with every attribute, at each save.
 *
 * <p>A session row of Jetty's table whose map column is null keeps its attributes here; one whose map column is set
 * (written by Jetty's own store, or before the tier had this table) keeps them in its map, and its first save by the
 * tier that changes attributes moves them all here. A foreign key with {@code on delete cascade} deletes a session's
 * attribute rows with its session row, whoever deletes it (Jetty's delete, expiry and orphan sweeps).
 *
 * <p>This class makes the statement fragments; {@link SessionRows} joins them to its statements on the session row,
 * so a save is one statement, one round trip, and all or nothing. Thread-safe: immutable.
 */
final class AttributeRows {

    /** The attribute table's name is the session table's with this suffix. */
    static final String SUFFIX = "_attributes";

    static final String NAME_COLUMN = "attribute_name";
    static final String VALUE_COLUMN = "attribute_value";

    /**
     * The column that counts the writes of an attribute's row: 1 when the row is made, one more at each write. A save
     * of one attribute's new value is made conditional on it and writes that row alone ({@link #replaceText}); a
     * save that writes more makes its writes of rows it knew conditional on it too ({@link Write#conditional}).
     */
    static final String VERSION_COLUMN = "attribute_version";

    /**
     * The largest session, in bytes of Jetty's map serialization, whose attributes a save keeps in its session row's
     * map column rather than in the attribute table. One row written again costs PostgreSQL about half the time of a
     * session row and an attribute row, but logs the whole map at each save (the version column, after the map, is
     * written every time): at about 150 bytes as much write-ahead log as the two rows, and a byte more per byte of
     * map. Past the limit the attribute table, whose saves write only what changed, logs less. BENCHMARKS.md, "Two
     * layouts".
     */
    static final int IN_ROW_LIMIT = 256;

    /**
     * What a save writes of a session's attributes. In the attribute table ({@code map} null): the names set with
     * their values' bytes, and the names removed; or, when {@code whole}, every attribute, and every other row of the
     * session's is deleted. In the session row ({@code map} set, the session's whole map in Jetty's form): the map,
     * and the names set with their values' bytes (null for a value that cannot change in place) and the names
     * removed, for the copy's forms ({@link InPlaceChanges#afterWrite}); when {@code whole}, the names are every
     * attribute, and the session's rows in the attribute table, if any, are deleted.
     */
    record Write(boolean whole, String[] names, byte[][] values, String[] removed, byte[] map, long[] versions,
            long[] removedVersions) {

        /**
         * Whether the write of each attribute row is conditional on the row's version being the one the copy knows
         * ({@code versions}, {@code removedVersions}; 0 for a name the copy knows no row of, whose row must then not
         * exist): a save of the changes of a copy that knows its rows' versions. A whole write, or one in the session
         * row, is not.
         */
        boolean conditional() {
            return versions != null;
        }

        /** Whether the attributes go to the session row's map column. */
        boolean inRow() {
            return map != null;
        }

        /**
         * A save of a copy the store loaded or saved: the attributes it set or removed since, in the attribute table,
         * if its row keeps them there; else its whole map, in the row while it stays within {@link #IN_ROW_LIMIT},
         * else every attribute, into the attribute table.
         */
        static Write forSave(SharedSessionData data) throws IOException {
            if (!data.keepsMap()) {
                return changes(data);
            }
            boolean whole = data.storedForms() == null;
            return bySize(data, whole ? data.getKeys() : data.changedNames(), whole);
        }

        /**
         * Every attribute of the session, where its size puts it: a session's first save, or the save of data the
         * store did not make.
         */
        static Write all(SessionData data) throws IOException {
            return bySize(data, data.getKeys(), true);
        }

        /**
         * In the row, with these names for the forms, while the session's map is within {@link #IN_ROW_LIMIT}; else
         * every attribute, into the attribute table.
         */
        private static Write bySize(SessionData data, Collection<String> names, boolean whole) throws IOException {
            byte[] map = map(data);
            return map.length > IN_ROW_LIMIT ? whole(data) : of(data, names, whole, map);
        }

        /**
         * The attributes this copy set or removed since its load or last save, in the attribute table; conditional on
         * the versions of their rows if the copy knows them. A name removed whose row the copy does not know (set and
         * removed since) is left out then: a row of it is another node's, and this copy never had it.
         */
        static Write changes(SharedSessionData data) throws IOException {
            Write write = of(data, data.changedNames(), false, null);
            Map<String, Long> known = data.attributeVersions();
            if (known == null) {
                return write;
            }
            long[] versions = new long[write.names().length];
            for (int i = 0; i < versions.length; i++) {
                versions[i] = known.getOrDefault(write.names()[i], 0L);
            }
            String[] removed = new String[write.removed().length];
            long[] removedVersions = new long[removed.length];
            int kept = 0;
            for (String name : write.removed()) {
                Long version = known.get(name);
                if (version != null) {
                    removed[kept] = name;
                    removedVersions[kept++] = version;
                }
            }
            return new Write(false, write.names(), write.values(), Arrays.copyOf(removed, kept), null, versions,
                    Arrays.copyOf(removedVersions, kept));
        }

        /** Every attribute of the session, in the attribute table. */
        static Write whole(SessionData data) throws IOException {
            return of(data, data.getKeys(), true, null);
        }

        private static Write of(SessionData data, Collection<String> names, boolean whole, byte[] map)
                throws IOException {
            List<String> set = new ArrayList<>(names.size());
            List<byte[]> values = new ArrayList<>(names.size());
            List<String> removed = new ArrayList<>();
            for (String name : names) {
                Object value = data.getAttribute(name);
                if (value == null) {
                    removed.add(name);
                } else {
                    set.add(name);
                    // In the row, a value's own bytes serve only for its form, which one that cannot change in place
                    // does not need: null (InPlaceChanges.afterWrite).
                    values.add(map != null && InPlaceChanges.cannotChangeInPlace(value) ? null
                            : AttributeValues.write(value));
                }
            }
            return new Write(whole, set.toArray(String[]::new), values.toArray(byte[][]::new),
                    removed.toArray(String[]::new), map, null, null);
        }

        /** The session's attributes as Jetty's store writes its map column. */
        private static byte[] map(SessionData data) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                SessionData.serializeAttributes(data, out);
            }
            return bytes.toByteArray();
        }
    }

    private final SharedJdbcSessionDataStore store;

    AttributeRows(SharedJdbcSessionDataStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The attribute table, qualified by the session table's schema. */
    String table() {
        return store.table() + SUFFIX;
    }

    /**
     * Creates the attribute table if it is not there yet. The store calls this holding its {@link SchemaLock}, after
     * Jetty's table exists.
     */
    void prepareTable() throws SQLException {
        SessionTableSchema schema = store.schema();
        String key = schema.getIdColumn() + ", " + schema.getContextPathColumn() + ", "
                + schema.getVirtualHostColumn();
        try (Connection connection = store.connection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute("create table if not exists " + table() + " (" + schema.getIdColumn()
                    + " varchar(120) not null, " + schema.getContextPathColumn() + " varchar(60) not null, "
                    + schema.getVirtualHostColumn() + " varchar(60) not null, " + NAME_COLUMN + " text not null, "
                    + VALUE_COLUMN + " bytea not null, " + VERSION_COLUMN + " bigint not null default 1, primary key ("
                    + key + ", " + NAME_COLUMN + "), foreign key (" + key + ") references " + store.table() + " ("
                    + key + ") on delete cascade)");
            // A table made before the version column: its rows start at 1, as new rows do.
            statement.execute("alter table " + table() + " add column if not exists " + VERSION_COLUMN
                    + " bigint not null default 1");
        }
    }

    /**
     * The text of the save of one attribute's new value alone, with no write of the session row, only if the
     * attribute's row still has the version the copy knows; it bumps the version. Its parameters: the value's bytes,
     * the session ({@link SessionRows#whereThisSession}), the name and the version.
     */
    String replaceText() {
        return "update " + table() + " set " + VALUE_COLUMN + " = ?, " + VERSION_COLUMN + " = " + VERSION_COLUMN
                + " + 1" + SessionRows.whereThisSession(store.schema()) + " and " + NAME_COLUMN + " = ? and "
                + VERSION_COLUMN + " = ?";
    }

    /**
     * The clauses that follow a {@code with saved as (...)} clause writing the session row, and write the attribute
     * rows only if {@code saved} returned a row: the upsert of the names set and the delete of the names removed (of
     * every other name, when whole); each left out when it has nothing to do. A write in the session row has none but,
     * when whole, the delete of every row the session may have in the attribute table. Their parameters are set by
     * {@link #bind}. The names and values are listed in the statement ({@code values (?, ?), ...}) rather than passed
     * as arrays to {@code unnest}: PostgreSQL ran the save a third faster so, and a session's saves repeat a few shapes
     * that the driver prepares once each.
     */
    String clauses(Write write) {
        SessionTableSchema schema = store.schema();
        String key = schema.getIdColumn() + ", " + schema.getContextPathColumn() + ", "
                + schema.getVirtualHostColumn();
        StringBuilder sql = new StringBuilder();
        if (write.inRow()) {
            if (write.whole()) {
                sql.append(", removed as (delete from ").append(table()).append(SessionRows.whereThisSession(schema))
                        .append(" and exists (select 1 from saved))");
            }
            return sql.toString();
        }
        boolean conditional = write.conditional();
        if (write.names().length > 0) {
            sql.append(", written as (insert into ").append(table()).append(" as t (").append(key).append(", ")
                    .append(NAME_COLUMN).append(", ").append(VALUE_COLUMN).append(", ").append(VERSION_COLUMN)
                    .append(") select ?, ?, ?, n, v, ").append(conditional ? "w + 1" : "1").append(" from (values ");
            for (int i = 0; i < write.names().length; i++) {
                sql.append(i == 0 ? "" : ", ").append(conditional ? "(?, ?::bytea, ?::bigint)" : "(?, ?::bytea)");
            }
            sql.append(conditional ? ") as u(n, v, w)" : ") as u(n, v)").append(" where exists (select 1 from saved)")
                    .append(" on conflict (").append(key).append(", ").append(NAME_COLUMN).append(") do update set ")
                    .append(VALUE_COLUMN).append(" = excluded.").append(VALUE_COLUMN).append(", ")
                    .append(VERSION_COLUMN).append(" = ");
            if (conditional) {
                // The row as the copy knew it, or (version 0) none: another node's row is not written over.
                sql.append("excluded.").append(VERSION_COLUMN).append(" where t.").append(VERSION_COLUMN)
                        .append(" = excluded.").append(VERSION_COLUMN).append(" - 1 returning 1)");
            } else {
                sql.append("t.").append(VERSION_COLUMN).append(" + 1 returning ").append(NAME_COLUMN).append(", ")
                        .append(VERSION_COLUMN).append(")");
            }
        }
        if (conditional) {
            if (write.removed().length > 0) {
                sql.append(", removed as (delete from ").append(table())
                        .append(SessionRows.whereThisSession(schema)).append(" and (").append(NAME_COLUMN)
                        .append(", ").append(VERSION_COLUMN).append(") in (")
                        .append(String.join(", ", Collections.nCopies(write.removed().length, "(?, ?::bigint)")))
                        .append(") and exists (select 1 from saved) returning 1)");
            }
        } else if (write.whole()) {
            sql.append(", removed as (delete from ").append(table()).append(SessionRows.whereThisSession(schema))
                    .append(" and not (").append(NAME_COLUMN)
                    .append(" = any(?::text[])) and exists (select 1 from saved))");
        } else if (write.removed().length > 0) {
            sql.append(", removed as (delete from ").append(table()).append(SessionRows.whereThisSession(schema))
                    .append(" and ").append(NAME_COLUMN).append(" in (")
                    .append(String.join(", ", Collections.nCopies(write.removed().length, "?")))
                    .append(") and exists (select 1 from saved))");
        }
        return sql.toString();
    }

    /**
     * The select that ends a conditional write's statement ({@link Write#conditional}): the session rows it wrote,
     * then the attribute rows it wrote and deleted, for the caller to compare with the write's names.
     */
    static String countsOf(Write write) {
        return " select (select count(*) from saved), " + (write.names().length > 0
                ? "(select count(*) from written)" : "0") + ", " + (write.removed().length > 0
                ? "(select count(*) from removed)" : "0");
    }

    /**
     * The select that ends an unconditional write's statement when it writes attribute rows: the session rows it
     * wrote, then the names and versions of the attribute rows it wrote, as two arrays.
     */
    static String writtenVersions() {
        return " select (select count(*) from saved), (select array_agg(" + NAME_COLUMN + ") from written), (select"
                + " array_agg(" + VERSION_COLUMN + ") from written)";
    }

    /** Whether {@link #clauses} has any for this write. */
    static boolean hasClauses(Write write) {
        return write.whole() || !write.inRow() && (write.names().length > 0 || write.removed().length > 0);
    }

    /** Sets the parameters of {@link #clauses} from parameter {@code at}; the next parameter's index. */
    int bind(PreparedStatement statement, int at, String id, Write write, SessionRows rows) throws SQLException {
        if (write.inRow()) {
            return write.whole() ? rows.setThisSession(statement, at, id) : at;
        }
        if (write.names().length > 0) {
            at = rows.setThisSession(statement, at, id);
            for (int i = 0; i < write.names().length; i++) {
                statement.setString(at++, write.names()[i]);
                statement.setBytes(at++, write.values()[i]);
                if (write.conditional()) {
                    statement.setLong(at++, write.versions()[i]);
                }
            }
        }
        if (write.conditional()) {
            if (write.removed().length > 0) {
                at = rows.setThisSession(statement, at, id);
                for (int i = 0; i < write.removed().length; i++) {
                    statement.setString(at++, write.removed()[i]);
                    statement.setLong(at++, write.removedVersions()[i]);
                }
            }
        } else if (write.whole()) {
            at = rows.setThisSession(statement, at, id);
            statement.setArray(at++, statement.getConnection().createArrayOf("text", write.names()));
        } else if (write.removed().length > 0) {
            at = rows.setThisSession(statement, at, id);
            for (String removed : write.removed()) {
                statement.setString(at++, removed);
            }
        }
        return at;
    }

    /**
     * The branch of a {@code union all} that follows the select of a session row and adds the session's attribute
     * rows to it: {@code nulls} null columns in place of the session row's, then each attribute's name and value; its
     * parameters are those of {@link SessionRows#whereThisSession}. The session row's branch ends with a null name and
     * value, so a reader tells the rows apart by the name. Each row is sent once with its own columns: a join sent
     * the session row's columns again with every attribute. A reader ignores the attribute rows of a session row that
     * keeps a map (rows left by a save of Jetty's own store over one the tier had moved to this table).
     */
    String unionOfRows(int nulls) {
        return " union all select " + "null, ".repeat(nulls) + "a." + NAME_COLUMN + ", a." + VALUE_COLUMN + ", a."
                + VERSION_COLUMN + " from " + table() + " a" + SessionRows.whereThisSession(store.schema(), "a.");
    }

    /**
     * A scalar subquery: the sum of the versions of a session's attribute rows, 0 without any. Its parameters are
     * those of {@link SessionRows#whereThisSession}. Each write of a row adds to it; a save that removes rows also
     * bumps the session row's version, so the two together change with every save ({@link VersionedRows}).
     */
    String versionSum() {
        return "(select coalesce(sum(a." + VERSION_COLUMN + "), 0) from " + table() + " a"
                + SessionRows.whereThisSession(store.schema(), "a.") + ")";
    }
}
