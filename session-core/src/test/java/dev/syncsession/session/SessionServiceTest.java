package dev.syncsession.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import dev.syncsession.session.contract.ForwardingSessionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SessionServiceTest {

    private static final SessionScope SHOP = new SessionScope("/shop", "");

    private final MutableClock clock = new MutableClock();
    private final SessionStore store = new SyncMapSessionStore();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final SessionListener recorder = new SessionListener() {
        @Override
        public void created(SessionRecord session) {
            events.add("created");
        }

        @Override
        public void attributeChanged(SessionRecord session, String name, Object oldValue, Object newValue) {
            events.add("attribute " + name + ": " + oldValue + " -> " + newValue);
        }

        @Override
        public void expired(SessionRecord session) {
            events.add("expired");
        }

        @Override
        public void invalidated(SessionRecord session) {
            events.add("invalidated");
        }

        @Override
        public void idChanged(SessionRecord oldSession, SessionRecord newSession) {
            events.add("idChanged");
        }
    };

    private SessionService.Builder manager() {
        return SessionService.builder(store).scope(SHOP).clock(clock).listener(recorder)
                .maxInactiveInterval(Duration.ofMinutes(30));
    }

    @Test
    void createStoresASessionWithItsTimesExpiryAndNode() {
        SessionRecord created = manager().node("node1").build().create(Map.of("user", "alice"));

        assertTrue(created.id().endsWith(".node1"), created.id());
        assertEquals(SHOP, created.scope());
        assertEquals(clock.millis(), created.created());
        assertEquals(clock.millis(), created.accessed());
        assertEquals(clock.millis() + 30 * 60_000, created.expiry());
        assertEquals("node1", created.lastNode());
        assertEquals(Map.of("user", "alice"), created.attributes().toMap());
        assertTrue(store.exists(created.key()));
        assertEquals(List.of("created"), events);
    }

    @Test
    void findRecordsTheAccessAndMovesTheExpiry() {
        SessionService manager = manager().build();
        SessionRecord created = manager.create();
        long createdAt = clock.millis();
        clock.advance(Duration.ofMinutes(10));

        SessionRecord found = manager.find(created.id()).orElseThrow();

        assertEquals(clock.millis(), found.accessed());
        assertEquals(createdAt, found.lastAccessed());
        assertEquals(clock.millis() + 30 * 60_000, found.expiry());
        assertTrue(store.load(created.key()) == found, "the touched record is stored");
    }

    @Test
    void anExpiredSessionIsNeverReturnedAndIsRemoved() {
        SessionService manager = manager().build();
        SessionRecord created = manager.create();
        clock.advance(Duration.ofMinutes(30));

        assertTrue(manager.find(created.id()).isEmpty());
        assertFalse(store.exists(created.key()));
        assertEquals(List.of("created", "expired"), events);
    }

    @Test
    void sessionsWithoutMaxInactiveIntervalNeverExpire() {
        SessionService manager = manager().maxInactiveInterval(Duration.ZERO).build();
        SessionRecord created = manager.create();
        clock.advance(Duration.ofDays(3650));
        assertTrue(manager.find(created.id()).isPresent());
    }

    @Test
    void badIdsFromClientsAreTreatedAsNoSession() {
        SessionService manager = manager().build();
        for (String bad : new String[] {null, "", "a".repeat(10_240), "caf\u00e9", "abc\u0007", "a b", "../etc"}) {
            assertTrue(manager.find(bad).isEmpty());
            assertTrue(manager.update(bad, attributes -> attributes.put("x", 1)).isEmpty());
            assertTrue(manager.changeId(bad).isEmpty());
            assertFalse(manager.invalidate(bad));
        }
    }

    @Test
    void theSameIdInAnotherScopeFindsNothing() {
        SessionService shop = manager().build();
        SessionService admin = SessionService.builder(store).scope(new SessionScope("/admin", "")).clock(clock).build();
        SessionRecord created = shop.create();
        assertTrue(admin.find(created.id()).isEmpty());
        assertTrue(shop.find(created.id()).isPresent());
    }

    @Test
    void invalidateRemovesTheSessionAndReportsIt() {
        SessionService manager = manager().build();
        SessionRecord created = manager.create();
        assertTrue(manager.invalidate(created.id()));
        assertFalse(manager.invalidate(created.id()));
        assertTrue(manager.find(created.id()).isEmpty());
        assertEquals(List.of("created", "invalidated"), events);
    }

    @Test
    void changeIdKeepsTheAttributesUnderANewIdAndForgetsTheOldOne() {
        SessionService manager = manager().build();
        SessionRecord created = manager.create(Map.of("user", "alice"));

        SessionRecord moved = manager.changeId(created.id()).orElseThrow();

        assertNotEquals(created.id(), moved.id());
        assertTrue(manager.find(created.id()).isEmpty());
        assertEquals(Map.of("user", "alice"), manager.find(moved.id()).orElseThrow().attributes().toMap());
        assertEquals(created.created(), moved.created());
        assertEquals(1, store.size());
        assertEquals(List.of("created", "idChanged"), events);
    }

    @Test
    void updateAddsReplacesAndRemovesAttributesAndReportsEachChange() {
        SessionService manager = manager().build();
        SessionRecord created = manager.create(Map.of("a", 1, "b", 2));

        SessionRecord updated = manager.update(created.id(), attributes -> {
            attributes.put("a", 10);
            attributes.remove("b");
            attributes.put("c", 3);
        }).orElseThrow();

        assertEquals(Map.of("a", 10, "c", 3), updated.attributes().toMap());
        assertEquals(List.of("attribute a: 1 -> 10", "attribute b: 2 -> null", "attribute c: null -> 3", "created"),
                events.stream().sorted().toList());
    }

    @Test
    void puttingNullRemovesAnAttribute() {
        SessionService manager = manager().build();
        SessionRecord created = manager.create(Map.of("a", 1));
        SessionRecord updated = manager.update(created.id(), attributes -> attributes.put("a", null)).orElseThrow();
        assertEquals(Map.of(), updated.attributes().toMap());
    }

    @Test
    void updateOfAnExpiredSessionFindsNothing() {
        SessionService manager = manager().build();
        SessionRecord created = manager.create();
        clock.advance(Duration.ofHours(1));
        assertTrue(manager.update(created.id(), attributes -> attributes.put("a", 1)).isEmpty());
        assertFalse(store.exists(created.key()));
    }

    @ParameterizedTest
    @EnumSource(AttributeStorage.class)
    void twentyThreadsUpdatingOneSessionLoseNothing(AttributeStorage storage) throws Exception {
        SessionService manager = manager().attributeStorage(storage).build();
        String id = manager.create().id();
        int threads = 20;
        int attributesPerThread = 25;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < attributesPerThread; i++) {
                        String name = "t" + thread + "-" + i;
                        manager.update(id, attributes -> attributes.put(name, thread)).orElseThrow();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, Object> attributes = manager.find(id).orElseThrow().attributes().toMap();
        assertEquals(threads * attributesPerThread, attributes.size());
        assertEquals(7, attributes.get("t7-24"));
    }

    @Test
    void serializedStorageIsolatesSessionsFromLaterChangesToValues() {
        SessionService manager = manager().attributeStorage(AttributeStorage.SERIALIZED).build();
        List<String> cart = new ArrayList<>(List.of("apple"));
        SessionRecord created = manager.create(Map.of("cart", cart));
        cart.add("pear");
        assertEquals(List.of("apple"), manager.attributes(manager.find(created.id()).orElseThrow()).get("cart"));
    }

    @Test
    void creatingPastTheCapFailsButExistingSessionsKeepWorking() {
        SessionService manager = manager().sessionCap(2).build();
        SessionRecord first = manager.create();
        manager.create();

        SessionCapExceededException e = assertThrows(SessionCapExceededException.class, manager::create);
        assertEquals("cannot create a session in /shop: 2 sessions, at most 2 allowed (sessionCap)", e.getMessage());
        assertEquals(2, e.cap());
        assertEquals(2, e.counted());
        assertTrue(manager.update(first.id(), attributes -> attributes.put("still", "works")).isPresent());

        manager.invalidate(first.id());
        manager.create();
        assertEquals(2, store.size());
    }

    @Test
    void concurrentCreatesNeverExceedTheCapEvenOnASlowStore() throws Exception {
        int cap = 100;
        // A store that takes a while to insert widens the window between counting and inserting.
        SessionStore slow = new ForwardingSessionStore(store) {
            @Override
            public boolean insert(SessionRecord record) {
                LockSupport.parkNanos(20_000);
                return super.insert(record);
            }
        };
        SessionService manager = SessionService.builder(slow).scope(SHOP).clock(clock).sessionCap(cap).build();
        int threads = 8;
        int attemptsPerThread = 40;
        AtomicInteger created = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < attemptsPerThread; i++) {
                        try {
                            manager.create();
                            created.incrementAndGet();
                        } catch (SessionCapExceededException e) {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(cap, store.size());
        assertEquals(cap, created.get());
        assertEquals(threads * attemptsPerThread - cap, refused.get());
    }

    @Test
    void aListenerThatThrowsDoesNotBreakTheOperation() {
        SessionListener broken = new SessionListener() {
            @Override
            public void created(SessionRecord session) {
                throw new IllegalStateException("listener bug");
            }
        };
        SessionService manager = manager().listener(broken).build();
        SessionRecord created = manager.create();
        assertTrue(manager.find(created.id()).isPresent());
        assertEquals(List.of("created"), events, "later listeners still hear the event");
    }

    @Test
    void unreadableAttributesAreReportedDistinctlyFromAbsence() {
        SessionService manager = manager().attributeStorage(AttributeStorage.SERIALIZED)
                .classLoader(new ClassLoader(null) { }).build();
        SessionRecord created = manager.create(Map.of("cart", new SessionAttributesTest.Cart(List.of("apple"))));

        assertTrue(manager.find(created.id()).isPresent());
        UnreadableSessionException e = assertThrows(UnreadableSessionException.class,
                () -> manager.update(created.id(), attributes -> attributes.put("x", 1)));
        assertEquals("cart", e.attributeName());
    }

    @Test
    void aValidatorThatRejectsGeneratedIdsIsAConfigurationError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> manager().idValidator(SessionIdValidator.withMaxLength(10)).build());
        assertTrue(e.getMessage().contains("session id is 22 chars; at most 10 allowed"), e.getMessage());
    }

    @Test
    void aNegativeCapIsRefusedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> manager().sessionCap(-1));
        assertEquals("sessionCap is -1; it must be positive, or 0 for none", e.getMessage());
    }

    @Test
    void aCapOfZeroIsNoCap() {
        SessionService manager = manager().sessionCap(0).build();
        for (int i = 0; i < 5; i++) {
            manager.create();
        }
        assertEquals(5, store.size());
    }
}
