/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncsession.jetty.internal.SyncSessionData;
import dev.syncsession.jetty.store.BundledBackend;
import dev.syncsession.jetty.store.SyncSessionDataStore;
import dev.syncsession.session.AttributeStorage;
import dev.syncsession.session.CaffeineSessionStore;
import dev.syncsession.session.SessionAttributes;
import dev.syncsession.session.SessionRecord;
import dev.syncsession.session.SessionStore;
import dev.syncsession.session.SyncMapSessionStore;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.session.UnreadableSessionDataException;
import org.eclipse.jetty.session.UnwriteableSessionDataException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code SessionDataStore} contract of {@link SyncSessionDataStore}, called directly on started stores of
 * real ee11 contexts (no connector: nothing goes over the network). Each test builds its contexts with
 * {@link #start}; several contexts share one backend, as they do behind one factory.
 */
class SyncSessionDataStoreTest {

    private static final long HOUR = 3_600_000L;

    @TempDir
    Path tmp;

    private Server server;
    private final List<ServletContextHandler> contexts = new ArrayList<>();

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    /** Starts one context per path (optionally "path@vhost"), all installed with the given builder. */
    private List<SyncSessionDataStore> start(SyncSessions.Builder builder, String... paths) throws Exception {
        server = new Server();
        builder.install(server);
        for (String path : paths) {
            ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
            String[] parts = path.split("@");
            context.setContextPath(parts[0]);
            if (parts.length > 1) {
                context.setVirtualHosts(List.of(parts[1]));
            }
            contexts.add(context);
        }
        server.setHandler(new ContextHandlerCollection(contexts.toArray(new ContextHandler[0])));
        server.start();
        List<SyncSessionDataStore> stores = new ArrayList<>();
        for (ServletContextHandler context : contexts) {
            stores.add((SyncSessionDataStore) context.getSessionHandler().getSessionCache().getSessionDataStore());
        }
        return stores;
    }

    private SyncSessionDataStore startOne(SyncSessions.Builder builder) throws Exception {
        return start(builder, "/app").get(0);
    }

    /** Session data last accessed at {@code accessed}, with the expiry Jetty would compute from that access. */
    private static SessionData newData(SyncSessionDataStore store, String id, long accessed, long maxInactiveMs) {
        SessionData data = store.newSessionData(id, accessed - 1000, accessed, accessed - 500, maxInactiveMs);
        data.setExpiry(data.calcExpiry(accessed));
        return data;
    }

    @Test
    void theSameIdUnderAnotherVirtualHostIsAnotherSession() throws Exception {
        List<SyncSessionDataStore> stores = start(SyncSessions.builder(), "/@one.example", "/@two.example");
        SyncSessionDataStore one = stores.get(0);
        SyncSessionDataStore two = stores.get(1);
        one.store("vh", newData(one, "vh", System.currentTimeMillis(), HOUR));
        assertTrue(one.exists("vh"));
        assertFalse(two.exists("vh"));
        assertNull(two.load("vh"));
    }

    @Test
    void anExpiredRecordDoesNotExistButAnImmortalOneAlways() throws Exception {
        SyncSessionDataStore store = startOne(SyncSessions.builder());
        long longAgo = System.currentTimeMillis() - 10 * HOUR;
        store.store("expired", newData(store, "expired", longAgo, 1000));
        store.store("immortal", newData(store, "immortal", longAgo, -1));

        assertFalse(store.exists("expired"));
        assertTrue(store.exists("immortal"));
        assertEquals(0, store.load("immortal").getExpiry(), "expiry 0 means the session never expires");
        Set<String> expired = store.getExpired(Set.of("expired", "immortal"));
        assertTrue(expired.contains("expired"));
        assertFalse(expired.contains("immortal"));
    }

    @Test
    void checkExpiredCountsACandidateTheBackendNoLongerHoldsAsExpired() throws Exception {
        SyncSessionDataStore store = startOne(SyncSessions.builder());
        long now = System.currentTimeMillis();
        store.store("live", newData(store, "live", now, HOUR));
        Set<String> expired = store.doCheckExpired(Set.of("live", "gone"), now);
        assertEquals(Set.of("gone"), expired);
    }

    @Test
    void getExpiredScansOnlyThisContext() throws Exception {
        List<SyncSessionDataStore> stores = start(SyncSessions.builder(), "/a", "/b");
        long longAgo = System.currentTimeMillis() - 10 * HOUR;
        stores.get(0).store("old-a", newData(stores.get(0), "old-a", longAgo, 1000));
        stores.get(1).store("old-b", newData(stores.get(1), "old-b", longAgo, 1000));
        stores.get(0).store("fresh-a", newData(stores.get(0), "fresh-a", System.currentTimeMillis(), HOUR));

        assertEquals(Set.of("old-a"), stores.get(0).doGetExpired(System.currentTimeMillis()));
        assertEquals(Set.of("old-b"), stores.get(1).doGetExpired(System.currentTimeMillis()));
    }

    @Test
    void cleanOrphansRemovesExpiredRecordsOfEveryContextAndNothingElse() throws Exception {
        SessionStore backend = new SyncMapSessionStore();
        List<SyncSessionDataStore> stores = start(SyncSessions.builder().backend(backend), "/a", "/b");
        long now = System.currentTimeMillis();
        long longAgo = now - 10 * HOUR;
        stores.get(1).store("orphan", newData(stores.get(1), "orphan", longAgo, 1000));
        stores.get(0).store("fresh", newData(stores.get(0), "fresh", now, HOUR));
        stores.get(0).store("immortal", newData(stores.get(0), "immortal", longAgo, -1));

        stores.get(0).doCleanOrphans(now);

        assertEquals(2, backend.size());
        assertFalse(stores.get(1).exists("orphan"));
        assertTrue(stores.get(0).exists("fresh"));
        assertTrue(stores.get(0).exists("immortal"));
    }

    @Test
    void aRecordWhoseAttributesCannotBeReadThrowsUnreadableSessionDataException() throws Exception {
        SyncSessionDataStore store = startOne(SyncSessions.builder().attributeStorage(AttributeStorage.SERIALIZED));
        SessionData data = newData(store, "bad", System.currentTimeMillis(), HOUR);
        data.setAttribute("explosive", new FailsToDeserialize());
        store.store("bad", data);

        UnreadableSessionDataException e = assertThrows(UnreadableSessionDataException.class, () -> store.load("bad"));
        assertEquals("bad", e.getId());
        assertTrue(store.exists("bad"), "the record is still there: it must not look absent, or the id could be reused");
    }

    @Test
    void storingAnAttributeThatCannotBeSerializedThrowsUnwriteableSessionDataException() throws Exception {
        SyncSessionDataStore store = startOne(SyncSessions.builder().attributeStorage(AttributeStorage.SERIALIZED));
        SessionData data = newData(store, "unwritable", System.currentTimeMillis(), HOUR);
        data.setAttribute("thread", new Object());
        assertThrows(UnwriteableSessionDataException.class, () -> store.store("unwritable", data));
        assertFalse(store.exists("unwritable"));
    }

    @Test
    void isPassivatingExactlyWhenAttributesAreSerialized() throws Exception {
        assertFalse(startOne(SyncSessions.builder()).isPassivating());
        server.stop();
        contexts.clear();
        assertTrue(startOne(SyncSessions.builder().attributeStorage(AttributeStorage.SERIALIZED)).isPassivating());
    }

    @Test
    void serializedAttributesAreReadWithTheWebApplicationsClassLoader() throws Exception {
        URL testClasses = SyncSessionDataStoreTest.class.getProtectionDomain().getCodeSource().getLocation();
        ClassLoader webAppLoader = new ChildFirstLoader(testClasses, Pet.class.getName());
        server = new Server();
        SyncSessions.builder().attributeStorage(AttributeStorage.SERIALIZED).install(server);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/pets");
        context.setClassLoader(webAppLoader);
        server.setHandler(context);
        server.start();
        SyncSessionDataStore store =
                (SyncSessionDataStore) context.getSessionHandler().getSessionCache().getSessionDataStore();

        Class<?> webAppPet = webAppLoader.loadClass(Pet.class.getName());
        assertSame(webAppLoader, webAppPet.getClassLoader());
        SessionData data = newData(store, "pet", System.currentTimeMillis(), HOUR);
        data.setAttribute("pet", webAppPet.getConstructor().newInstance());
        store.store("pet", data);

        Object loaded = store.load("pet").getAttribute("pet");
        assertSame(webAppPet, loaded.getClass(), "the attribute class must come from the web application's loader");
    }

    @Test
    void theSweeperRemovesOnlyRecordsExpiredLongerThanTheGrace() throws Exception {
        SessionStore backend = new SyncMapSessionStore();
        SyncSessionDataStore store = startOne(SyncSessions.builder().backend(backend)
                .sweepInterval(Duration.ofHours(1)).retainExpired(Duration.ofMinutes(10)));
        long now = System.currentTimeMillis();
        store.store("long-expired", newData(store, "long-expired", now - HOUR, 1000));
        store.store("just-expired", newData(store, "just-expired", now - 5000, 1000));
        store.store("live", newData(store, "live", now, HOUR));

        assertEquals(1, store.getBackendLifecycle().sweepNow());
        assertEquals(2, backend.size());
        assertFalse(store.exists("long-expired"));
        assertNotNull(store.load("just-expired"), "within the grace Jetty expires it, with its listeners");
        assertEquals(1, store.getBackendLifecycle().getSweepRemoved());
        assertEquals(1, store.getBackendLifecycle().getSweepRuns());
    }

    /** Jetty's orphan horizon: ten grace periods, so Jetty finds every expired session before the sweeper could. */
    @Test
    void theRetentionOfExpiredRecordsDefaultsToTenGracePeriods() throws Exception {
        SyncSessionDataStore store = startOne(SyncSessions.builder().gracePeriod(Duration.ofSeconds(60)));
        long now = System.currentTimeMillis();
        store.store("expired-2min-ago", newData(store, "expired-2min-ago", now - 121_000, 1000));
        store.store("expired-9min-ago", newData(store, "expired-9min-ago", now - 541_000, 1000));
        store.store("expired-11min-ago", newData(store, "expired-11min-ago", now - 661_000, 1000));
        assertEquals(1, store.getBackendLifecycle().sweepNow());
        assertNotNull(store.load("expired-2min-ago"));
        assertNotNull(store.load("expired-9min-ago"));
        assertNull(store.load("expired-11min-ago"));
    }

    @Test
    void aSnapshotWrittenAtStopIsRestoredAtTheNextStart() throws Exception {
        Path snapshot = tmp.resolve("snap/sessions.snap");
        Files.createDirectories(snapshot.getParent());
        SyncSessionDataStore first = startOne(SyncSessions.builder().snapshotFile(snapshot));
        SessionData data = newData(first, "keep-me", System.currentTimeMillis(), HOUR);
        data.setAttribute("user", "alice");
        first.store("keep-me", data);
        server.stop();
        contexts.clear();
        assertTrue(Files.size(snapshot) > 0);

        SyncSessionDataStore second = startOne(SyncSessions.builder().snapshotFile(snapshot));
        SessionData restored = second.load("keep-me");
        assertNotNull(restored, "the session must survive the restart");
        assertEquals("alice", restored.getAttribute("user"));
        assertEquals(1, second.getSnapshotRestored());
        assertEquals(0, second.getSnapshotLost());
    }

    @Test
    void maximumSessionsWithTheSyncMapBackendIsRefusedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SyncSessions.builder().backend(BundledBackend.SYNCMAP).maximumSessions(10).config());
        assertTrue(e.getMessage().contains("CAFFEINE"), e.getMessage());
    }

    @Test
    void theRecordInTheBackendCarriesTheContextAndVirtualHost() throws Exception {
        SessionStore backend = new SyncMapSessionStore();
        SyncSessionDataStore store = start(SyncSessions.builder().backend(backend), "/shop@shop.example").get(0);
        SessionData data = newData(store, "k", System.currentTimeMillis(), HOUR);
        store.store("k", data);
        List<SessionRecord> records = new ArrayList<>();
        backend.range(records::add);
        assertEquals(1, records.size());
        // Jetty's canonical forms, as its own stores key records: "/shop" becomes "_shop".
        assertEquals("_shop", data.getContextPath());
        assertEquals(data.getContextPath(), records.get(0).scope().contextPath());
        assertEquals("shop.example", records.get(0).scope().virtualHost());
    }

    /**
     * Held by reference, the record keeps the session's own immutable attributes: one copy per live session, not two,
     * and a later change to the session is not seen in what was saved until the next save.
     */
    @Test
    void aRecordSharesTheSessionsAttributesUntilTheSessionChangesThem() throws Exception {
        SessionStore backend = new SyncMapSessionStore();
        SyncSessionDataStore store = start(SyncSessions.builder().backend(backend), "/app").get(0);
        SessionData data = newData(store, "shared", System.currentTimeMillis(), HOUR);
        data.setAttribute("user", "ann");
        data.setAttribute("visits", 1);
        store.store("shared", data);
        SessionAttributes saved = onlyRecord(backend).attributes();
        assertSame(((SyncSessionData) data).sharedAttributes(), saved);

        data.setAttribute("visits", 2);
        assertEquals(Map.of("user", "ann", "visits", 1), onlyRecord(backend).attributes().toMap(),
                "the record is what was saved");
        assertEquals(Map.of("user", "ann", "visits", 1), store.load("shared").getAllAttributes());
        store.store("shared", data);
        assertEquals(Map.of("user", "ann", "visits", 2), store.load("shared").getAllAttributes());

        SessionData loaded = store.load("shared");
        loaded.setAttribute("visits", 3);
        assertEquals(2, store.load("shared").getAttribute("visits"), "a loaded copy's change is its own");
    }

    private static SessionRecord onlyRecord(SessionStore backend) {
        List<SessionRecord> records = new ArrayList<>();
        backend.range(records::add);
        assertEquals(1, records.size());
        return records.get(0);
    }

    @Test
    void aCaffeineBackendThatDropsExpiredSessionsTooSoonIsWarnedAbout() throws Exception {
        String log;
        try (CapturedLog captured = new CapturedLog();
                CaffeineSessionStore early = CaffeineSessionStore.builder().maximumSessions(100)
                        .retainExpired(Duration.ofMinutes(1)).build()) {
            startOne(SyncSessions.builder().backend(early));
            log = captured.text();
        }
        assertTrue(log.contains("build it with CaffeineSessionStore.builder().retainExpired(PT"), log);
    }

    @Test
    void aCaffeineBackendBuiltWithItsDefaultsIsNotWarnedAbout() throws Exception {
        String log;
        try (CapturedLog captured = new CapturedLog();
                CaffeineSessionStore bounded = CaffeineSessionStore.builder().maximumSessions(100).build()) {
            startOne(SyncSessions.builder().backend(bounded));
            log = captured.text();
        }
        assertFalse(log.contains("retainExpired"), log);
    }

    @Test
    void aCaffeineBackendThatRetainsExpiredSessionsLongEnoughIsNotWarnedAbout() throws Exception {
        String log;
        try (CapturedLog captured = new CapturedLog();
                CaffeineSessionStore retaining = CaffeineSessionStore.builder().maximumSessions(100)
                        .retainExpired(Duration.ofDays(1)).build()) {
            startOne(SyncSessions.builder().backend(retaining).gracePeriod(Duration.ofMinutes(10)));
            log = captured.text();
        }
        assertFalse(log.contains("retainExpired"), log);
    }

    /** Serializes fine and always fails to deserialize. */
    static final class FailsToDeserialize implements Serializable {
        private static final long serialVersionUID = 1L;

        private void readObject(ObjectInputStream in) throws IOException {
            throw new InvalidObjectException("this attribute can never be read back");
        }
    }

    /** An attribute class that the web application's own loader defines (see {@link ChildFirstLoader}). */
    public static final class Pet implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** Defines the named class itself instead of asking its parent, as a web application class loader does. */
    static final class ChildFirstLoader extends URLClassLoader {
        private final String childFirstClass;

        ChildFirstLoader(URL classes, String childFirstClass) {
            super(new URL[] {classes}, SyncSessionDataStoreTest.class.getClassLoader());
            this.childFirstClass = childFirstClass;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(childFirstClass)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                return c != null ? c : findClass(name);
            }
        }
    }
}
