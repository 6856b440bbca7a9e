/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.internal.InstalledLine;
import javax.sql.DataSource;
import org.eclipse.jetty.session.DatabaseAdaptor;
import org.eclipse.jetty.session.SessionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The many-nodes tier's {@link InstalledLine}, logged as each context's store starts: after the cache, the database
 * (its JDBC URL without credentials, or the data source's JNDI name or class, never its {@code toString}, which may
 * carry a password), this node's worker name and the tier's session cap. Under the store's logger category, as the
 * single-node store logs its own. Stateless.
 */
final class SharedInstalledLine {

    private static final Logger LOG = LoggerFactory.getLogger(SharedJdbcSessionDataStore.class);

    private SharedInstalledLine() {
    }

    /**
     * Logs the line for a store that has just started.
     *
     * @param context the store's context
     * @param adaptor the database adaptor the store was given
     * @param config the tier's options
     */
    static void log(SessionContext context, DatabaseAdaptor adaptor, SharedSessionsConfig config) {
        InstalledLine.log(LOG, context, context.getCanonicalContextPath(), "database " + database(adaptor)
                + ", worker " + context.getWorkerName() + ", "
                + (config.sessionCap() > 0 ? "sessions capped at " + config.sessionCap() : "no session cap")
                + (config.detectInPlaceChanges() ? ", in-place changes detected" : ""));
    }

    /** How the line names the database the adaptor reaches. */
    static String database(DatabaseAdaptor adaptor) {
        DataSource dataSource = adaptor.getDatasource();
        if (dataSource instanceof PooledSessionDatabase pool) {
            return withoutCredentials(pool.url()) + " (pool " + pool.poolName() + ", at most " + pool.maxSize()
                    + " connections)";
        }
        if (adaptor.getDatasourceName() != null) {
            return "data source " + adaptor.getDatasourceName();
        }
        if (dataSource != null) {
            return "data source " + dataSource.getClass().getName();
        }
        return withoutCredentials(adaptor.getConnectionUrl()) + " (driver " + adaptor.getDriverClassName() + ")";
    }

    /**
     * A JDBC URL without what can carry credentials: its properties (after {@code ?} or {@code ;}) and a user
     * before {@code @} ({@code jdbc:postgresql://ada:secret@db/app}, {@code jdbc:oracle:thin:ada/secret@db:1521/app}).
     */
    static String withoutCredentials(String url) {
        if (url == null) {
            return "(no URL)";
        }
        int properties = url.indexOf('?') >= 0 ? url.indexOf('?') : url.indexOf(';');
        String bare = properties >= 0 ? url.substring(0, properties) : url;
        int at = bare.indexOf('@');
        if (at < 0) {
            return bare;
        }
        int slashes = bare.lastIndexOf("//", at);
        int userStart = slashes >= 0 ? slashes + 2 : bare.lastIndexOf(':', at) + 1;
        return bare.substring(0, userStart) + bare.substring(at + 1);
    }
}
