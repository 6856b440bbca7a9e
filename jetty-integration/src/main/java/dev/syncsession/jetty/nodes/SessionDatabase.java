/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.internal.DurationChecks;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.DatabaseAdaptor;
import org.eclipse.jetty.session.JDBCSessionDataStore;

/**
 * The store of record that several nodes share: a database reached through Jetty's {@link JDBCSessionDataStore}.
 * Jetty creates its session table ({@code JettySessions} unless {@link #tableName(String) renamed}) on first use
 * if it is missing; the database user needs the right to create it, or an administrator creates it beforehand.
 *
 * <pre>{@code
 * SessionDatabase.dataSource(pool)                                            // a pooled DataSource (recommended)
 * SessionDatabase.jdbcUrl("jdbc:postgresql://db:5432/app?connectTimeout=5&socketTimeout=30", "app", secret)
 * }</pre>
 *
 * <p>With {@link #jdbcUrl} the store keeps a bounded HikariCP pool ({@link PooledSessionDatabase}: at most
 * {@link PooledSessionDatabase#DEFAULT_MAX_SIZE} connections, a request waits at most
 * {@link PooledSessionDatabase#DEFAULT_CONNECTION_TIMEOUT} for one, MBeans for its state), closed once the server has
 * stopped; HikariCP ({@code com.zaxxer:HikariCP}) must be on the class path. With {@link #dataSource} the application
 * gives its own pool. Either way, set the driver's connect and socket timeouts: they bound how long a request waits
 * for an unreachable database.
 *
 * <p>Immutable apart from {@link #tableName(String)}, which returns a copy; thread-safe.
 */
public final class SessionDatabase {

    private final DataSource dataSource;
    private final String url;
    private final String user;
    private final String password;
    private final String tableName;
    private final int poolSize;
    private final Duration connectionTimeout;

    private SessionDatabase(DataSource dataSource, String url, String user, String password, String tableName,
            int poolSize, Duration connectionTimeout) {
        this.dataSource = dataSource;
        this.url = url;
        this.user = user;
        this.password = password;
        this.tableName = tableName;
        this.poolSize = poolSize;
        this.connectionTimeout = connectionTimeout;
    }

    /**
     * A store reached through this data source, typically a connection pool the application already has.
     *
     * @param dataSource the data source; syncsession never closes it
     * @return the store description
     */
    public static SessionDatabase dataSource(DataSource dataSource) {
        return new SessionDatabase(Objects.requireNonNull(dataSource, "dataSource"), null, null, null, null, 0, null);
    }

    /**
     * A store reached with this URL through a bounded HikariCP pool ({@link PooledSessionDatabase}, sized with
     * {@link #poolSize} and {@link #connectionTimeout}); the JDBC driver and HikariCP must be on the class path.
     *
     * @param url a JDBC URL, for example {@code jdbc:postgresql://db:5432/app}
     * @param user the database user, or null to connect as the URL says
     * @param password the user's password, or null for none
     * @return the store description
     * @throws IllegalArgumentException if the URL does not start with {@code jdbc:}
     * @throws IllegalStateException if HikariCP is not on the class path
     */
    public static SessionDatabase jdbcUrl(String url, String user, String password) {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("JDBC URL \"" + trim(url) + "\" does not start with \"jdbc:\"; for"
                    + " PostgreSQL write jdbc:postgresql://HOST:PORT/DATABASE");
        }
        try {
            Class.forName("com.zaxxer.hikari.HikariDataSource", false, SessionDatabase.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("SessionDatabase.jdbcUrl pools its connections with HikariCP: add"
                    + " com.zaxxer:HikariCP to the class path, or give your own pool to SessionDatabase.dataSource", e);
        }
        return new SessionDatabase(null, url, user, password, null, PooledSessionDatabase.DEFAULT_MAX_SIZE,
                PooledSessionDatabase.DEFAULT_CONNECTION_TIMEOUT);
    }

    /**
     * Sets the size of the pool {@link #jdbcUrl} keeps. A node holds two connections at once while it starts (the
     * schema step runs under a lock held on a connection of its own), so the pool has at least two.
     *
     * @param connections at most this many connections, at least 2; default
     *     {@value PooledSessionDatabase#DEFAULT_MAX_SIZE}
     * @return a copy of this description with the pool size
     * @throws IllegalArgumentException if {@code connections} is less than 2
     * @throws IllegalStateException if this store was given a {@link DataSource}, whose pool is the application's
     */
    public SessionDatabase poolSize(int connections) {
        requirePool("poolSize");
        return new SessionDatabase(null, url, user, password, tableName, PooledSessionDatabase.checkedSize(connections),
                connectionTimeout);
    }

    /**
     * Sets how long a request waits for a free connection of the pool {@link #jdbcUrl} keeps, before it fails (and
     * the guard answers 503).
     *
     * @param timeout at least one second; default 3 s
     * @return a copy of this description with the timeout
     * @throws IllegalStateException if this store was given a {@link DataSource}
     */
    public SessionDatabase connectionTimeout(Duration timeout) {
        requirePool("connectionTimeout");
        return new SessionDatabase(null, url, user, password, tableName, poolSize,
                DurationChecks.atLeastOneSecond(timeout, "connection timeout"));
    }

    private void requirePool(String option) {
        if (dataSource != null) {
            throw new IllegalStateException(option + " configures the pool of SessionDatabase.jdbcUrl; a store given a"
                    + " DataSource uses that DataSource's own pool settings");
        }
    }

    /**
     * Uses a session table of another name than Jetty's default {@code JettySessions}.
     *
     * @param tableName the table name
     * @return a copy of this description with the table name
     */
    public SessionDatabase tableName(String tableName) {
        if (tableName == null || tableName.isBlank()) {
            throw new IllegalArgumentException("table name is blank; leave it unset for Jetty's JettySessions");
        }
        return new SessionDatabase(dataSource, url, user, password, tableName, poolSize, connectionTimeout);
    }

    /**
     * A Jetty store factory for this database with these options, its grace and save periods left at Jetty's
     * defaults. A pool this store keeps ({@link #jdbcUrl}) listens to the server, which closes it once stopped.
     */
    SharedJdbcSessionDataStoreFactory newStoreFactory(Server server, SharedSessionsConfig config) {
        SharedJdbcSessionDataStoreFactory factory = new SharedJdbcSessionDataStoreFactory(config);
        DatabaseAdaptor adaptor = new DatabaseAdaptor();
        if (dataSource != null) {
            adaptor.setDatasource(dataSource);
        } else {
            PooledSessionDatabase pool = new PooledSessionDatabase(url, user, password, poolSize,
                    (int) Math.min(Integer.MAX_VALUE, connectionTimeout.toSeconds()));
            server.addEventListener(pool);
            adaptor.setDatasource(pool);
        }
        factory.setDatabaseAdaptor(adaptor);
        if (tableName != null) {
            JDBCSessionDataStore.SessionTableSchema schema = new JDBCSessionDataStore.SessionTableSchema();
            schema.setTableName(tableName);
            factory.setSessionTableSchema(schema);
        }
        return factory;
    }

    private static String trim(String value) {
        return value.length() > 60 ? value.substring(0, 60) + "..." : value;
    }

    @Override
    public String toString() {
        // Never the password; the URL may carry credentials too, so only its scheme and host part.
        String where = dataSource != null ? dataSource.getClass().getName() : trim(url.replaceAll("\\?.*", ""));
        return "SessionDatabase[" + where + (tableName == null ? "" : ", table=" + tableName) + "]";
    }
}
