package dev.syncsession.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncsession.session.contract.SessionStoreContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CaffeineSessionStoreTest extends SessionStoreContract {

    private final MutableClock clock = new MutableClock();
    private final List<String> evictions = new CopyOnWriteArrayList<>();

    @Override
    protected SessionStore newStore() {
        return CaffeineSessionStore.builder().executor(Runnable::run).build();
    }

    private CaffeineSessionStore.Builder recordingBuilder() {
        return CaffeineSessionStore.builder().executor(Runnable::run).clock(clock)
                .evictionListener((record, cause) -> evictions.add(record.id() + ":" + cause));
    }

    private SessionRecord expiringAt(String id, long expiry) {
        return record(SHOP, id).toBuilder().maxInactiveMs(1000).expiry(expiry).build();
    }

    @Test
    void sessionCountBoundEvictsAndReportsSize() {
        try (CaffeineSessionStore bounded = recordingBuilder().maximumSessions(10).build()) {
            for (int i = 0; i < 100; i++) {
                bounded.save(record(SHOP, "s" + i));
            }
            bounded.cleanUp();
            assertTrue(bounded.size() <= 10, "size " + bounded.size());
            assertEquals(100 - bounded.size(), evictions.size());
            assertTrue(evictions.stream().allMatch(e -> e.endsWith(":SIZE")), evictions.toString());
        }
    }

    @Test
    void weightBoundKeepsTotalRecordBytesUnderTheLimit() {
        long limit = 20_000;
        try (CaffeineSessionStore bounded = recordingBuilder().maximumWeightBytes(limit).build()) {
            for (int i = 0; i < 100; i++) {
                SessionAttributes kilobyte = AttributeStorage.SERIALIZED.of(Map.of("blob", new byte[1000]));
                bounded.save(record(SHOP, "s" + i).toBuilder().attributes(kilobyte).build());
            }
            bounded.cleanUp();
            long[] total = {0};
            bounded.range(r -> {
                total[0] += r.weightBytes();
                return true;
            });
            assertTrue(total[0] <= limit, "total weight " + total[0]);
            assertTrue(bounded.size() >= 10, "kept " + bounded.size() + " records of about 1.2 kB");
            assertEquals(100 - bounded.size(), evictions.size());
        }
    }

    /**
     * Jetty's rule, by default: an expired record stays loadable and listed (so the container can end it and fire its
     * listeners) until it is deleted, however long ago it expired, as in the SyncMap store.
     */
    @Test
    void byDefaultAnExpiredRecordStaysUntilDeleted() {
        try (CaffeineSessionStore store = recordingBuilder().maximumSessions(100).build()) {
            assertEquals(Optional.empty(), store.retainExpired());
            store.save(expiringAt("expired", clock.millis() + 1_000));

            clock.advance(Duration.ofDays(365));
            store.cleanUp();
            assertNotNull(store.load(SHOP.key("expired")), "an expired record must stay until it is deleted");
            List<String> listed = new ArrayList<>();
            store.range(r -> listed.add(r.id()));
            assertEquals(List.of("expired"), listed);
            assertEquals(List.of(), evictions);

            assertNotNull(store.delete(SHOP.key("expired")));
            assertNull(store.load(SHOP.key("expired")));
        }
    }

    @Test
    void eachRecordExpiresAtItsOwnExpiryTimeAndIsReported() {
        try (CaffeineSessionStore expiring = recordingBuilder().retainExpired(Duration.ZERO).build()) {
            long now = clock.millis();
            expiring.save(expiringAt("soon", now + 1_000));
            expiring.save(expiringAt("later", now + 60_000));
            expiring.save(record(SHOP, "never"));

            clock.advance(Duration.ofMillis(1_001));
            expiring.cleanUp();
            assertNull(expiring.load(SHOP.key("soon")));
            assertNotNull(expiring.load(SHOP.key("later")));
            assertNotNull(expiring.load(SHOP.key("never")));
            assertEquals(List.of("soon:EXPIRED"), evictions);
        }
    }

    /**
     * Jetty's rule: an expired record is still loadable and listed (so the container can end it and fire its
     * listeners) until it is removed on purpose; a retained record leaves only once the retention has passed too.
     */
    @Test
    void expiredRecordsAreRetainedForTheConfiguredTimeThenLeave() {
        try (CaffeineSessionStore retaining = recordingBuilder().maximumSessions(100)
                .retainExpired(Duration.ofMinutes(10)).build()) {
            long now = clock.millis();
            retaining.save(expiringAt("soon", now + 1_000));

            clock.advance(Duration.ofMillis(1_001));
            retaining.cleanUp();
            SessionRecord expired = retaining.load(SHOP.key("soon"));
            assertNotNull(expired, "an expired record must stay loadable until the container has ended it");
            assertTrue(expired.isExpiredAt(clock.millis()));
            List<String> listed = new ArrayList<>();
            retaining.range(r -> listed.add(r.id()));
            assertEquals(List.of("soon"), listed);
            assertEquals(List.of(), evictions);

            clock.advance(Duration.ofMinutes(10));
            retaining.cleanUp();
            assertNull(retaining.load(SHOP.key("soon")));
            assertEquals(List.of("soon:EXPIRED"), evictions);
        }
    }

    @Test
    void aNegativeRetentionIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CaffeineSessionStore.builder().retainExpired(Duration.ofSeconds(-1)));
        assertEquals("retainExpired is PT-1S; must be zero or more", e.getMessage());
    }

    @Test
    void replacingARecordMovesItsExpiry() {
        try (CaffeineSessionStore expiring = recordingBuilder().retainExpired(Duration.ZERO).build()) {
            SessionRecord first = expiringAt("a", clock.millis() + 1_000);
            expiring.save(first);
            clock.advance(Duration.ofMillis(800));
            assertTrue(expiring.replace(first, first.touch(clock.millis())));

            clock.advance(Duration.ofMillis(800));
            expiring.cleanUp();
            assertNotNull(expiring.load(SHOP.key("a")), "touched at 800 ms with 1 s to live, alive at 1600 ms");
        }
    }

    @Test
    void countAndWeightBoundsTogetherAreRejectedWithBothValues() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CaffeineSessionStore.builder().maximumSessions(10).maximumWeightBytes(1000).build());
        assertTrue(e.getMessage().contains("maximumSessions(10)") && e.getMessage().contains("1000"), e.getMessage());
    }

    @Test
    void nonPositiveBoundsAreRejectedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CaffeineSessionStore.builder().maximumSessions(0));
        assertEquals("maximumSessions is 0; must be at least 1", e.getMessage());
    }
}
