/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link PooledSessionDatabase}'s pool does when a connection breaks, in place of HikariCP's own handling, which
 * logs "Connection ... marked as broken" at WARN with the driver's whole stack trace for every connection that breaks:
 * during a database outage, one trace per pooled connection, while the outage itself is already logged once by
 * {@link DatabaseAvailability}. HikariCP has no setting for that line; the only way to skip it is to tell HikariCP
 * not to evict the connection, so this evicts instead: every connection of the pool, softly (idle ones are closed
 * now, those in use when they are returned), since a connection broken with a connection-class SQLSTATE almost
 * always means the database went away or restarted, and then every pooled connection is broken. The pool refills
 * with new connections as requests need them. The failure and its trace are logged at DEBUG.
 *
 * <p>Which failures count as broken is HikariCP's rule (as of HikariCP 7.1, {@code ProxyConnection}): an SQLSTATE
 * of class 08, or one of {@code 0A000}, {@code 01002}, {@code 57P01}, {@code 57P02}, {@code 57P03}, {@code JZ0C0},
 * {@code JZ0C1}, or a vendor code 500150, 2399 or 1105. Any other failure is left to HikariCP, which does not evict
 * for it.
 *
 * <p>Thread-safe: HikariCP calls it from any thread that uses a connection; the pool it evicts is set once, right
 * after the pool is made, and read through a volatile field.
 */
final class BrokenConnections implements SQLExceptionOverride {

    private static final Logger LOG = LoggerFactory.getLogger(BrokenConnections.class);

    private static final Set<String> BROKEN_STATES = Set.of("0A000", "01002", "57P01", "57P02", "57P03", "JZ0C0",
            "JZ0C1");
    private static final Set<Integer> BROKEN_CODES = Set.of(500150, 2399, 1105);

    /** The pool whose connections this evicts; null until {@link #evictFrom} sets it. */
    private volatile HikariDataSource pool;

    /** Sets the pool to evict from, once it is made (HikariCP takes this override in the pool's configuration). */
    void evictFrom(HikariDataSource pool) {
        this.pool = pool;
    }

    @java.lang.Override // Override alone is SQLExceptionOverride's enum here
    public Override adjudicate(SQLException failure) {
        if (!isBroken(failure)) {
            return Override.CONTINUE_EVICT;
        }
        LOG.debug("a pooled connection broke (SQLSTATE {}, vendor code {}); evicting the pool's connections",
                failure.getSQLState(), failure.getErrorCode(), failure);
        HikariDataSource evicting = pool;
        HikariPoolMXBean connections = evicting == null ? null : evicting.getHikariPoolMXBean();
        if (connections != null) {
            connections.softEvictConnections();
        }
        return Override.DO_NOT_EVICT;
    }

    /** Whether HikariCP would evict the connection for this failure: see the class comment. */
    static boolean isBroken(SQLException failure) {
        String state = failure.getSQLState();
        return state != null && (state.startsWith("08") || BROKEN_STATES.contains(state))
                || BROKEN_CODES.contains(failure.getErrorCode());
    }
}
