/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.syncsession.jetty.store.SyncSessionDataStore;
import java.util.Set;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.jmx.MBeanContainer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.junit.jupiter.api.Test;

/**
 * A backend's figures (records, sweeps, snapshot, cap) are one MBean per backend, however many contexts share it;
 * each context's store MBean has only what is its own.
 */
class BackendMBeanTest {

    @Test
    void twoContextsOverOneBackendShowItsFiguresOnce() throws Exception {
        MBeanServer mbeans = MBeanServerFactory.newMBeanServer();
        Server server = new Server();
        server.addBean(new MBeanContainer(mbeans));
        SyncSessions.builder().sessionCap(100).install(server);
        ServletContextHandler shop = new ServletContextHandler(ServletContextHandler.SESSIONS);
        shop.setContextPath("/shop");
        ServletContextHandler blog = new ServletContextHandler(ServletContextHandler.SESSIONS);
        blog.setContextPath("/blog");
        server.setHandler(new ContextHandlerCollection(shop, blog));
        server.start();
        try {
            Set<ObjectName> backends = mbeans.queryNames(
                    ObjectName.getInstance("dev.syncsession.jetty.store:type=backendlifecycle,*"), null);
            assertEquals(1, backends.size(), "one backend, one MBean: " + backends);
            ObjectName backend = backends.iterator().next();
            assertEquals(100L, mbeans.getAttribute(backend, "sessionCap"));
            assertSame(store(shop).getBackendLifecycle(), store(blog).getBackendLifecycle());

            Set<ObjectName> stores = mbeans.queryNames(
                    ObjectName.getInstance("dev.syncsession.jetty.store:type=syncsessiondatastore,*"), null);
            assertEquals(2, stores.size(), "one store per context: " + stores);
            for (ObjectName store : stores) {
                for (MBeanAttributeInfo attribute : mbeans.getMBeanInfo(store).getAttributes()) {
                    assertFalse(attribute.getName().startsWith("sweep") || attribute.getName().equals("sessionCap"),
                            store + " repeats the backend's " + attribute.getName());
                }
            }
        } finally {
            server.stop();
        }
    }

    private static SyncSessionDataStore store(ServletContextHandler context) {
        return (SyncSessionDataStore) context.getSessionHandler().getSessionCache().getSessionDataStore();
    }
}
