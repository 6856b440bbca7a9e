/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncsession.jetty.metrics.SessionStoreMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee11.servlet.SessionHandler;
import org.eclipse.jetty.session.SessionCache;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionStoreMetrics} reads what the store counts: each meter moves with the event it names, over a real
 * server with the SyncMap store and a cap of one live session.
 */
class SessionStoreMetricsTest {

    @Test
    void theMetersFollowTheStore() throws Exception {
        SyncMapSessionDataStoreFactory store = new SyncMapSessionDataStoreFactory();
        store.setMaxLiveSessions(1);
        store.setGracePeriodSec(1);
        try (SessionTestServer server = SessionTestServer.with(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT), store)) {
            MeterRegistry registry = new SimpleMeterRegistry();
            new SessionStoreMetrics(server.sessionHandler(), Tags.of("app", "test")).bindTo(registry);

            assertEquals(0, counter(registry, "syncsession.sessions.creations"));
            assertEquals(0, gauge(registry, "syncsession.sessions.active.current"));

            server.get("increment");
            assertEquals(1, counter(registry, "syncsession.sessions.creations"));
            assertEquals(1, gauge(registry, "syncsession.sessions.active.current"));

            assertEquals(503, server.statusInSession("increment", "unknown"), "past the cap of one");
            assertEquals(1, counter(registry, "syncsession.sessions.rejected"));

            assertEquals(200, server.statusInSession("read", "x".repeat(600)), "a hostile id is no session");
            assertEquals(1, counter(registry, "syncsession.sessions.ids.rejected"));

            String id = server.get("id");
            server.post("max-inactive?seconds=1");
            assertEquals(id, server.destroyedSessionIds.poll(15, TimeUnit.SECONDS));
            waitFor(() -> counter(registry, "syncsession.sessions.expired") == 1, "the expiry counted");
            assertEquals(0, gauge(registry, "syncsession.sessions.active.current"));

            server.get("increment");
            server.post("invalidate");
            assertEquals(1, counter(registry, "syncsession.sessions.expired"), "an invalidation is no expiry");
            assertEquals(2, counter(registry, "syncsession.sessions.creations"));

            SyncMapSessionDataStore dataStore = (SyncMapSessionDataStore) server.sessionHandler().getSessionCache()
                    .getSessionDataStore();
            double sweeps = counter(registry, "syncsession.sweeps");
            dataStore.sweepNow();
            assertEquals(sweeps + 1, counter(registry, "syncsession.sweeps"));
            assertTrue(counter(registry, "syncsession.map.misses") >= 0);
            assertTrue(Double.isNaN(registry.get("syncsession.snapshot.age").timeGauge().value()),
                    "no snapshot, no age");
            assertEquals("test", registry.get("syncsession.sweeps").functionCounter().getId().getTag("app"));
        }
    }

    @Test
    void bindingBeforeTheContextStartedIsRefused() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new SessionStoreMetrics(new SessionHandler()).bindTo(new SimpleMeterRegistry()));
        assertTrue(refused.getMessage().contains("once the context has started"), refused.getMessage());
    }

    @Test
    void aStoreOfAnotherKindReadsNaN() throws Exception {
        try (SessionTestServer server = SessionTestServer.withNullStore(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT))) {
            MeterRegistry registry = new SimpleMeterRegistry();
            new SessionStoreMetrics(server.sessionHandler()).bindTo(registry);
            server.get("increment");
            assertTrue(Double.isNaN(gauge(registry, "syncsession.sessions.active.current")));
        }
    }

    private static double counter(MeterRegistry registry, String name) {
        return registry.get(name).tag("context", "/").functionCounter().count();
    }

    private static double gauge(MeterRegistry registry, String name) {
        return registry.get(name).tag("context", "/").gauge().value();
    }

    private static void waitFor(java.util.function.BooleanSupplier check, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!check.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " within 15 s");
            Thread.sleep(50);
        }
    }
}
