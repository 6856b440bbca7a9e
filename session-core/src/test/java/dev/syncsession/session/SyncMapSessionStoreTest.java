package dev.syncsession.session;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncsession.map.SyncMap;
import dev.syncsession.session.contract.SessionStoreContract;
import org.junit.jupiter.api.Test;

class SyncMapSessionStoreTest extends SessionStoreContract {

    @Override
    protected SessionStore newStore() {
        return new SyncMapSessionStore();
    }

    @Test
    void statsExposeTheUnderlyingMapCounters() {
        SyncMapSessionStore syncMapStore = (SyncMapSessionStore) store();
        SyncMap.Stats before = syncMapStore.stats();
        for (int i = 0; i < 100; i++) {
            store().save(record(SHOP, "s" + i));
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 100; i++) {
                store().load(SHOP.key("s" + i));
            }
        }
        SyncMap.Stats after = syncMapStore.stats();
        assertTrue(after.misses() > before.misses(), "loads of new sessions miss the read-only part: " + after);
        assertTrue(after.promotions() > before.promotions(), "repeated misses promote the dirty map: " + after);
    }
}
