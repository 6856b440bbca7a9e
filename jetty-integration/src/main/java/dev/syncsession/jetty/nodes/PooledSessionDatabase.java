/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * The session database reached through a HikariCP connection pool: what {@link SessionDatabase#jdbcUrl} and the
 * {@code db-connection-type=pooled} module use. The pool is bounded ({@link #DEFAULT_MAX_SIZE} connections unless
 * told otherwise); a request that finds every connection busy waits at most the connection timeout
 * ({@link #DEFAULT_CONNECTION_TIMEOUT}) and then fails with a {@code SQLTransientConnectionException}, which the
 * guard treats as an outage. Connections are validated before use (bounded by {@link #VALIDATION_TIMEOUT}); when
 * one breaks, the pool's connections are evicted without HikariCP's stack trace for each ({@link BrokenConnections}):
 * an outage is logged once, by {@link DatabaseAvailability}. The pool registers its MBeans
 * ({@code com.zaxxer.hikari:type=Pool (<pool name>)}: active, idle, waiting connections) in the platform MBean
 * server.
 *
 * <p>Register it as a listener of the server: it closes the pool once the server has stopped, after the contexts
 * have saved their sessions, and opens a new one if the server starts again. Thread-safe.
 */
public final class PooledSessionDatabase implements DataSource, LifeCycle.Listener {

    /** Connections at most, by default. */
    public static final int DEFAULT_MAX_SIZE = 10;

    /** How long a request waits for a free connection, by default. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(3);

    /** How long a connection's validation may take before it is discarded. */
    static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(3);

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final String url;
    private final String user;
    private final String password;
    private final int maxSize;
    private final Duration connectionTimeout;
    private final String poolName = "syncsession-sessions-" + POOLS.incrementAndGet();

    /**
     * The open pool, or null before the first connection and after the server stopped. Written under {@code this};
     * read without it on the way to each connection.
     */
    private volatile HikariDataSource pool;

    /**
     * @param url a JDBC URL; set the driver's socket timeout in it (PostgreSQL: {@code socketTimeout=30})
     * @param user the database user, or null for the URL's
     * @param password the user's password, or null
     * @param maxSize connections at most, at least 1
     * @param connectionTimeoutSeconds how long a request waits for a free connection, at least 1
     */
    public PooledSessionDatabase(String url, String user, String password, int maxSize, int connectionTimeoutSeconds) {
        if (url == null || !url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("the session database URL must start with \"jdbc:\"");
        }
        checkedSize(maxSize);
        if (connectionTimeoutSeconds < 1) {
            throw new IllegalArgumentException("connection timeout is " + connectionTimeoutSeconds
                    + " s; at least 1 s is needed");
        }
        this.url = url;
        this.user = blankToNull(user);
        this.password = blankToNull(password);
        this.maxSize = maxSize;
        this.connectionTimeout = Duration.ofSeconds(connectionTimeoutSeconds);
    }

    /**
     * The pool size, if it is at least 2: a node holds two connections at once while it starts (the schema step runs
     * under an advisory lock held on a connection of its own), so a pool of one could never start a store.
     */
    static int checkedSize(int maxSize) {
        if (maxSize < 2) {
            throw new IllegalArgumentException("pool size is " + maxSize
                    + "; at least 2 connections are needed (a node holds two while it prepares the schema)");
        }
        return maxSize;
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** The pool, opened on first use and again after a stop; without a lock once open. */
    private HikariDataSource pool() {
        HikariDataSource open = pool;
        return open != null ? open : openPool();
    }

    private synchronized HikariDataSource openPool() {
        if (pool == null) {
            try {
                DriverManager.getDriver(url);
            } catch (SQLException e) {
                throw new IllegalStateException("no JDBC driver on the class path accepts the session database URL;"
                        + " add the database's driver (for PostgreSQL org.postgresql:postgresql)", e);
            }
            HikariConfig config = new HikariConfig();
            config.setPoolName(poolName);
            config.setJdbcUrl(url);
            config.setUsername(user);
            config.setPassword(password);
            config.setMaximumPoolSize(maxSize);
            config.setMinimumIdle(Math.min(2, maxSize));
            config.setConnectionTimeout(connectionTimeout.toMillis());
            config.setValidationTimeout(Math.min(VALIDATION_TIMEOUT.toMillis(), connectionTimeout.toMillis()));
            config.setInitializationFailTimeout(-1); // start without the database; the guard answers 503 meanwhile
            config.setRegisterMbeans(true);
            BrokenConnections broken = new BrokenConnections();
            config.setExceptionOverride(broken);
            pool = new HikariDataSource(config);
            broken.evictFrom(pool);
        }
        return pool;
    }

    /**
     * The pool's name, which its MBeans carry.
     *
     * @return the pool name
     */
    public String poolName() {
        return poolName;
    }

    /** The JDBC URL, which may carry credentials: not for logs as it is. */
    String url() {
        return url;
    }

    /**
     * The most connections the pool opens.
     *
     * @return the pool size
     */
    public int maxSize() {
        return maxSize;
    }

    /** Closes the pool; the next connection opens a new one. */
    public synchronized void close() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }

    /** Closes the pool once the server it listens to has stopped. */
    @Override
    public void lifeCycleStopped(LifeCycle event) {
        close();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return pool().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the session database pool connects as its configured user");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool().getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool().setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool().setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool().getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging parent logger");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        return pool().unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool().isWrapperFor(type);
    }

    @Override
    public String toString() {
        // Never the password, nor the URL's query (it may carry credentials).
        return "PooledSessionDatabase[" + poolName + ", " + url.replaceAll("\\?.*", "") + ", at most " + maxSize
                + " connections]";
    }
}
