/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.session.DatabaseAdaptor;
import org.eclipse.jetty.session.JDBCSessionDataStore;
import org.eclipse.jetty.session.JDBCSessionDataStoreFactory;
import org.eclipse.jetty.session.SessionDataStore;
import org.eclipse.jetty.session.SessionManager;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's {@link JDBCSessionDataStoreFactory}, configured the same way (database adaptor, table schema, grace and
 * save periods, from Java or Jetty XML), whose stores report every operation to one {@link StoreAvailability}
 * shared by all contexts. The stores are Jetty's own {@link JDBCSessionDataStore}: the table, its columns and the
 * SQL are Jetty's, so nodes running plain Jetty and nodes running syncsession can share one table.
 *
 * <p>Configure before the server starts; not thread-safe until then.
 */
public class SharedJdbcSessionDataStoreFactory extends JDBCSessionDataStoreFactory {

    private static final Logger LOG = LoggerFactory.getLogger(SharedJdbcSessionDataStoreFactory.class);

    /** How often a request may test an unavailable database. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    /** An id no session has: Jetty's ids never contain '!'. The probe only asks whether it exists. */
    private static final String PROBE_ID = "syncsession!probe";

    private DatabaseAdaptor adaptor;
    private JDBCSessionDataStore.SessionTableSchema schema;

    /**
     * The stores now started, which the probe asks; a store joins when it starts and leaves when it stops, so a
     * stopped (redeployed) context's store and its context are not kept. Written as contexts start and stop, read by
     * probes.
     */
    private final CopyOnWriteArrayList<SharedJdbcSessionDataStore> started = new CopyOnWriteArrayList<>();

    private final StoreAvailability availability = new StoreAvailability(this::probe, PROBE_INTERVAL);

    @Override
    public void setDatabaseAdaptor(DatabaseAdaptor adaptor) {
        super.setDatabaseAdaptor(adaptor);
        this.adaptor = adaptor;
    }

    @Override
    public void setSessionTableSchema(JDBCSessionDataStore.SessionTableSchema schema) {
        super.setSessionTableSchema(schema);
        this.schema = schema;
    }

    @Override
    public SessionDataStore getSessionDataStore(SessionManager manager) {
        if (adaptor == null) {
            throw new IllegalStateException("no DatabaseAdaptor was set on " + getClass().getSimpleName()
                    + "; give it one configured with a DataSource or a JDBC driver URL");
        }
        SharedJdbcSessionDataStore store = new SharedJdbcSessionDataStore(availability);
        store.setDatabaseAdaptor(adaptor);
        if (schema != null) {
            store.setSessionTableSchema(schema);
        }
        store.setGracePeriodSec(getGracePeriodSec());
        store.setSavePeriodSec(getSavePeriodSec());
        store.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarted(LifeCycle event) {
                started.addIfAbsent(store);
            }

            @Override
            public void lifeCycleStopped(LifeCycle event) {
                started.remove(store);
            }
        });
        return store;
    }

    /**
     * The availability of the database, as seen by every store this factory made.
     *
     * @return the shared availability record
     */
    public StoreAvailability getAvailability() {
        return availability;
    }

    /** The stores now started (for tests). */
    int startedStores() {
        return started.size();
    }

    /**
     * Asks a started store whether a session that cannot exist exists: one round trip through the store's own
     * connection path and table. Bounded by the data source's connect and socket timeouts.
     */
    private boolean probe() {
        for (SharedJdbcSessionDataStore store : started) {
            if (store.isStarted()) {
                try {
                    store.exists(PROBE_ID);
                    return true;
                } catch (Exception e) {
                    LOG.debug("session database still unavailable", e);
                    return false;
                }
            }
        }
        return false;
    }
}
