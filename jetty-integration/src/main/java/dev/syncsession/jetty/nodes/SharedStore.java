/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;
import javax.sql.DataSource;
import org.eclipse.jetty.session.DatabaseAdaptor;
import org.eclipse.jetty.session.JDBCSessionDataStore;

/**
 * The store of record that several nodes share: a database reached through Jetty's {@link JDBCSessionDataStore}.
 * Jetty creates its session table ({@code JettySessions} unless {@link #tableName(String) renamed}) on first use
 * if it is missing; the database user needs the right to create it, or an administrator creates it beforehand.
 *
 * <pre>{@code
 * SharedStore.dataSource(pool)                                            // a pooled DataSource (recommended)
 * SharedStore.jdbcUrl("jdbc:postgresql://db:5432/app?connectTimeout=5&socketTimeout=30", "app", secret)
 * }</pre>
 *
 * <p>With {@link #jdbcUrl} every store operation opens a new connection through {@link DriverManager}; that is
 * simple and fine for a few hundred requests a second, but a production deployment should give a pooled
 * {@link DataSource}. Either way, set the driver's connect and socket timeouts: they bound how long a request waits
 * for an unreachable database.
 *
 * <p>Immutable apart from {@link #tableName(String)}, which returns a copy; thread-safe.
 */
public final class SharedStore {

    private final DataSource dataSource;
    private final String url;
    private final String user;
    private final String password;
    private final String tableName;

    private SharedStore(DataSource dataSource, String url, String user, String password, String tableName) {
        this.dataSource = dataSource;
        this.url = url;
        this.user = user;
        this.password = password;
        this.tableName = tableName;
    }

    /**
     * A store reached through this data source, typically a connection pool the application already has.
     *
     * @param dataSource the data source; syncsession never closes it
     * @return the store description
     */
    public static SharedStore dataSource(DataSource dataSource) {
        return new SharedStore(Objects.requireNonNull(dataSource, "dataSource"), null, null, null, null);
    }

    /**
     * A store reached through {@link DriverManager} with this URL; the JDBC driver must be on the class path.
     *
     * @param url a JDBC URL, for example {@code jdbc:postgresql://db:5432/app}
     * @param user the database user, or null to connect as the URL says
     * @param password the user's password, or null for none
     * @return the store description
     * @throws IllegalArgumentException if the URL does not start with {@code jdbc:}
     */
    public static SharedStore jdbcUrl(String url, String user, String password) {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("JDBC URL \"" + trim(url) + "\" does not start with \"jdbc:\"; for"
                    + " PostgreSQL write jdbc:postgresql://HOST:PORT/DATABASE");
        }
        return new SharedStore(null, url, user, password, null);
    }

    /**
     * Uses a session table of another name than Jetty's default {@code JettySessions}.
     *
     * @param tableName the table name
     * @return a copy of this description with the table name
     */
    public SharedStore tableName(String tableName) {
        if (tableName == null || tableName.isBlank()) {
            throw new IllegalArgumentException("table name is blank; leave it unset for Jetty's JettySessions");
        }
        return new SharedStore(dataSource, url, user, password, tableName);
    }

    /** A Jetty store factory for this database, its grace and save periods left at Jetty's defaults. */
    SharedJdbcSessionDataStoreFactory newStoreFactory() {
        SharedJdbcSessionDataStoreFactory factory = new SharedJdbcSessionDataStoreFactory();
        DatabaseAdaptor adaptor;
        if (dataSource != null) {
            adaptor = new DatabaseAdaptor();
            adaptor.setDatasource(dataSource);
        } else {
            adaptor = new UrlDatabaseAdaptor(url, user, password);
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
        return "SharedStore[" + where + (tableName == null ? "" : ", table=" + tableName) + "]";
    }

    /**
     * Jetty's driver-based adaptor connects with the URL alone; this one also passes a user and password, and checks
     * at start that a driver accepts the URL, so that a missing driver is reported when the server starts.
     */
    private static final class UrlDatabaseAdaptor extends DatabaseAdaptor {
        private final String url;
        private final Properties credentials = new Properties();

        UrlDatabaseAdaptor(String url, String user, String password) {
            this.url = url;
            if (user != null) {
                credentials.setProperty("user", user);
            }
            if (password != null) {
                credentials.setProperty("password", password);
            }
        }

        @Override
        public void initialize() throws Exception {
            Driver driver;
            try {
                driver = DriverManager.getDriver(url);
            } catch (SQLException e) {
                throw new IllegalStateException("no JDBC driver on the class path accepts \"" + trim(url)
                        + "\"; add the database's driver (for PostgreSQL org.postgresql:postgresql)", e);
            }
            setDriverInfo(driver, url);
        }

        @Override
        protected Connection getConnection() throws SQLException {
            return DriverManager.getConnection(url, credentials);
        }
    }
}
