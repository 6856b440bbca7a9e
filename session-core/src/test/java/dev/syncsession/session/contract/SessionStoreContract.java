package dev.syncsession.session.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncsession.session.AttributeStorage;
import dev.syncsession.session.SessionKey;
import dev.syncsession.session.SessionRecord;
import dev.syncsession.session.SessionScope;
import dev.syncsession.session.SessionStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link SessionStore} contract as tests, the ones every bundled store passes: absent keys load null, save
 * replaces and insert only adds, the same id in two scopes is two sessions, {@code replace} and
 * {@code deleteIfUnchanged} compare records by identity and fail once the record changed or left, {@code range}
 * visits each record once, stops when told and lets its visitor delete, {@code size} counts, null arguments throw
 * {@link NullPointerException}, every operation after {@code close()} throws {@link IllegalStateException}, and
 * concurrent compare-and-set updates of one session lose none. To run it against your own store, depend on
 * session-core's {@code test-jar} and on JUnit Jupiter (both at test scope), extend this class and return a new,
 * empty store from {@link #newStore()}; each test gets its own store, closed after it:
 *
 * <pre>{@code
 * class MyStoreContractTest extends SessionStoreContract {
 *     @Override
 *     protected SessionStore newStore() {
 *         return new MyStore();
 *     }
 * }
 * }</pre>
 *
 * <p>A subclass may add tests of its own, using {@link #store()} and the helpers {@link #SHOP}, {@link #ADMIN} and
 * {@link #record(SessionScope, String)}.
 */
public abstract class SessionStoreContract {

    /** A scope, context {@code /shop} on the default virtual host. */
    protected static final SessionScope SHOP = new SessionScope("/shop", "");
    /** Another scope, context {@code /admin}: the same id there is another session. */
    protected static final SessionScope ADMIN = new SessionScope("/admin", "");

    private SessionStore store;

    /**
     * Returns a new, empty store of the backend under test; called before each test.
     *
     * @return the store, which the contract closes after the test
     */
    protected abstract SessionStore newStore();

    /**
     * Returns the store of the running test, the one {@link #newStore()} made for it.
     *
     * @return the store under test
     */
    protected final SessionStore store() {
        return store;
    }

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /**
     * Returns a new record for {@code id} in {@code scope}: created and accessed at 1000 ms, no expiry, and the
     * attribute {@code user=alice} held by reference. Each call makes a distinct record (records compare by
     * identity).
     *
     * @param scope the record's scope
     * @param id the session id
     * @return the record
     */
    protected static SessionRecord record(SessionScope scope, String id) {
        return SessionRecord.builder(scope.key(id)).created(1000).accessed(1000).lastAccessed(1000)
                .attributes(AttributeStorage.BY_REFERENCE.of(Map.of("user", "alice"))).build();
    }

    @Test
    void loadOfUnknownKeyReturnsNull() {
        assertNull(store.load(SHOP.key("nobody")));
        assertFalse(store.exists(SHOP.key("nobody")));
    }

    @Test
    void loadReturnsTheSavedRecord() {
        SessionRecord saved = record(SHOP, "a");
        store.save(saved);
        assertSame(saved, store.load(SHOP.key("a")));
        assertTrue(store.exists(SHOP.key("a")));
    }

    @Test
    void saveReplacesTheRecordUnderTheSameKey() {
        store.save(record(SHOP, "a"));
        SessionRecord second = record(SHOP, "a");
        store.save(second);
        assertSame(second, store.load(SHOP.key("a")));
        assertEquals(1, store.size());
    }

    /** saveAll is save one after the other: a later record of a key wins, into an empty store or one that is not. */
    @Test
    void saveAllIsSaveInOrder() {
        List<SessionRecord> records = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            records.add(record(SHOP, "s" + i));
        }
        SessionRecord later = record(SHOP, "s7");
        records.add(later);
        store.saveAll(records);
        assertEquals(50L, store.size());
        assertSame(later, store.load(SHOP.key("s7")));
        assertSame(records.get(3), store.load(SHOP.key("s3")));

        SessionRecord again = record(SHOP, "s3");
        store.saveAll(List.of(again, record(SHOP, "new")));
        assertSame(again, store.load(SHOP.key("s3")));
        assertEquals(51L, store.size());
    }

    @Test
    void insertStoresOnlyWhenTheKeyIsAbsent() {
        SessionRecord first = record(SHOP, "a");
        assertTrue(store.insert(first));
        assertFalse(store.insert(record(SHOP, "a")));
        assertSame(first, store.load(SHOP.key("a")));
    }

    @Test
    void sameIdInTwoScopesIsTwoSessions() {
        SessionRecord shop = record(SHOP, "same");
        SessionRecord admin = record(ADMIN, "same");
        store.save(shop);
        store.save(admin);
        assertSame(shop, store.load(SHOP.key("same")));
        assertSame(admin, store.load(ADMIN.key("same")));
        assertSame(shop, store.delete(SHOP.key("same")));
        assertSame(admin, store.load(ADMIN.key("same")));
    }

    @Test
    void replaceSucceedsWhenTheStoreHoldsTheExpectedRecord() {
        SessionRecord original = record(SHOP, "a");
        store.save(original);
        SessionRecord touched = original.touch(2000);
        assertTrue(store.replace(original, touched));
        assertSame(touched, store.load(SHOP.key("a")));
    }

    @Test
    void replaceFailsWhenTheRecordChangedSinceItWasRead() {
        SessionRecord seen = record(SHOP, "a");
        store.save(seen);
        SessionRecord concurrent = seen.touch(2000);
        store.save(concurrent);
        assertFalse(store.replace(seen, seen.touch(3000)));
        assertSame(concurrent, store.load(SHOP.key("a")));
    }

    @Test
    void replaceComparesIdentityNotContent() {
        SessionRecord stored = record(SHOP, "a");
        store.save(stored);
        SessionRecord lookalike = stored.toBuilder().build();
        assertFalse(store.replace(lookalike, stored.touch(2000)));
        assertSame(stored, store.load(SHOP.key("a")));
    }

    @Test
    void replaceFailsWhenTheRecordWasDeleted() {
        SessionRecord seen = record(SHOP, "a");
        store.save(seen);
        store.delete(SHOP.key("a"));
        assertFalse(store.replace(seen, seen.touch(2000)));
        assertNull(store.load(SHOP.key("a")));
    }

    @Test
    void replaceRejectsARecordWithAnotherKey() {
        SessionRecord seen = record(SHOP, "a");
        store.save(seen);
        assertThrows(IllegalArgumentException.class, () -> store.replace(seen, seen.withId("b")));
    }

    @Test
    void deleteReturnsTheRemovedRecord() {
        SessionRecord saved = record(SHOP, "a");
        store.save(saved);
        assertSame(saved, store.delete(SHOP.key("a")));
        assertNull(store.delete(SHOP.key("a")));
        assertFalse(store.exists(SHOP.key("a")));
    }

    @Test
    void deleteIfUnchangedRemovesTheExactRecord() {
        SessionRecord saved = record(SHOP, "a");
        store.save(saved);
        assertTrue(store.deleteIfUnchanged(saved));
        assertNull(store.load(SHOP.key("a")));
    }

    @Test
    void deleteIfUnchangedKeepsARecordReplacedSinceItWasRead() {
        SessionRecord seen = record(SHOP, "a");
        store.save(seen);
        SessionRecord touched = seen.touch(5000);
        assertTrue(store.replace(seen, touched));
        assertFalse(store.deleteIfUnchanged(seen));
        assertSame(touched, store.load(SHOP.key("a")));
    }

    @Test
    void rangeVisitsEveryRecordOnce() {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            store.save(record(SHOP, "s" + i));
            expected.add("s" + i);
        }
        List<String> visited = new ArrayList<>();
        assertTrue(store.range(r -> visited.add(r.id())));
        assertEquals(500, visited.size());
        assertEquals(expected, new HashSet<>(visited));
    }

    @Test
    void rangeStopsWhenTheVisitorReturnsFalse() {
        for (int i = 0; i < 10; i++) {
            store.save(record(SHOP, "s" + i));
        }
        int[] visits = {0};
        assertFalse(store.range(r -> ++visits[0] < 3));
        assertEquals(3, visits[0]);
    }

    @Test
    void rangeVisitorMayDeleteFromTheStore() {
        for (int i = 0; i < 100; i++) {
            store.save(record(SHOP, "s" + i));
        }
        assertTrue(store.range(store::deleteIfUnchanged));
        assertEquals(0, store.size());
    }

    @Test
    void sizeCountsStoredRecords() {
        assertEquals(0, store.size());
        store.save(record(SHOP, "a"));
        store.save(record(ADMIN, "a"));
        assertEquals(2, store.size());
        store.delete(SHOP.key("a"));
        assertEquals(1, store.size());
    }

    @Test
    void nullArgumentsAreRejected() {
        assertThrows(NullPointerException.class, () -> store.load(null));
        assertThrows(NullPointerException.class, () -> store.save(null));
        assertThrows(NullPointerException.class, () -> store.insert(null));
        assertThrows(NullPointerException.class, () -> store.delete(null));
        assertThrows(NullPointerException.class, () -> store.deleteIfUnchanged(null));
        assertThrows(NullPointerException.class, () -> store.exists(null));
        assertThrows(NullPointerException.class, () -> store.range(null));
    }

    @Test
    void operationsAfterCloseFail() {
        store.save(record(SHOP, "a"));
        store.close();
        assertThrows(IllegalStateException.class, () -> store.load(SHOP.key("a")));
        assertThrows(IllegalStateException.class, () -> store.save(record(SHOP, "b")));
        assertThrows(IllegalStateException.class, () -> store.range(r -> true));
        assertThrows(IllegalStateException.class, () -> store.size());
        store.close();
    }

    @Test
    void concurrentCompareAndSetUpdatesLoseNothing() throws Exception {
        SessionKey key = SHOP.key("counter");
        store.save(SessionRecord.builder(key).build());
        int threads = 8;
        int incrementsPerThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < incrementsPerThread; i++) {
                        while (true) {
                            SessionRecord current = store.load(key);
                            SessionRecord next = current.toBuilder().lastSaved(current.lastSaved() + 1).build();
                            if (store.replace(current, next)) {
                                break;
                            }
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * incrementsPerThread, store.load(key).lastSaved());
    }
}
