/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;

/**
 * One node at a time through the schema step of a session table (creating Jetty's table and index, adding the
 * principal column, the revocations table and their indexes), across every node of the cluster. PostgreSQL's
 * {@code create ... if not exists} is not safe against a concurrent creator: two nodes starting together on an empty
 * database both find no table, both create it, and one fails with 42P07 (duplicate_table) or 23505 (unique_violation
 * on {@code pg_type}), and that node does not start.
 *
 * <p>The step runs while this node holds a transaction-level advisory lock ({@code pg_advisory_xact_lock}) on a
 * connection of its own, keyed by the table name ({@link #key}), so the same on every node; a node that starts
 * meanwhile waits for it, then finds the schema made. The statements of the step run on other connections (Jetty's
 * {@code prepareTables} opens its own), autocommitted, so each is committed before the lock is released: the lock
 * is released by ending the lock's transaction, and so also when its connection is closed or returned to a pool
 * that rolls back. The step therefore needs two connections at once: a data source that hands out only one cannot
 * start. Nodes running plain Jetty take no lock and can still race with ours. On a database other than PostgreSQL
 * the step runs without a lock, as Jetty's own store does.
 *
 * <p>Stateless and thread-safe.
 */
final class SchemaLock {

    private SchemaLock() {
    }

    /** The statements of the schema step; each opens and commits on its own connection. */
    @FunctionalInterface
    interface SchemaStep {
        void run() throws Exception;
    }

    /**
     * Runs the schema step holding the cluster-wide lock of the table, taken on {@code lockConnection}, which this
     * method ends its transaction on but does not close.
     *
     * @param lockConnection a connection used only for the lock while the step runs
     * @param tableName the session table's name, as configured (the key ignores case)
     * @param step the step
     */
    static void holding(Connection lockConnection, String tableName, SchemaStep step) throws Exception {
        if (!"PostgreSQL".equalsIgnoreCase(lockConnection.getMetaData().getDatabaseProductName())) {
            step.run();
            return;
        }
        boolean autoCommit = lockConnection.getAutoCommit();
        lockConnection.setAutoCommit(false);
        try {
            try (PreparedStatement lock = lockConnection.prepareStatement("select pg_advisory_xact_lock(?)")) {
                lock.setLong(1, key(tableName));
                lock.execute();
            }
            step.run();
        } catch (Exception e) {
            try {
                release(lockConnection, autoCommit);
            } catch (SQLException releasing) {
                e.addSuppressed(releasing);
            }
            throw e;
        }
        release(lockConnection, autoCommit);
    }

    /** Ends the lock's transaction, which wrote nothing: this only releases the lock. */
    private static void release(Connection lockConnection, boolean autoCommit) throws SQLException {
        lockConnection.rollback();
        lockConnection.setAutoCommit(autoCommit);
    }

    /**
     * The advisory lock key of a table: the first 64 bits of SHA-256 of a fixed prefix and the lower-cased table
     * name, the same on every node and for every JVM.
     */
    static long key(String tableName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("syncsession schema " + tableName.toLowerCase(Locale.ROOT))
                            .getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256, which every Java platform has, is missing", e);
        }
    }
}
