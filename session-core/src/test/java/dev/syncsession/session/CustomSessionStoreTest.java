package dev.syncsession.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncsession.session.contract.SessionStoreContract;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A user's own backend passes the same contract and works behind the manager and the sweeper. */
class CustomSessionStoreTest extends SessionStoreContract {

    @Override
    protected SessionStore newStore() {
        return new ConcurrentHashMapSessionStore();
    }

    @Test
    void managerAndSweeperWorkOnAUserBackend() {
        MutableClock clock = new MutableClock();
        SessionService manager = SessionService.builder(store()).clock(clock)
                .maxInactiveInterval(Duration.ofMinutes(5)).build();
        SessionRecord session = manager.create(Map.of("cart", "3 items"));
        assertEquals("3 items", manager.find(session.id()).orElseThrow().attributes().toMap().get("cart"));

        clock.advance(Duration.ofMinutes(6));
        ExpirySweeper sweeper = ExpirySweeper.builder(store()).clock(clock).build();
        assertEquals(1, sweeper.sweepNow().removed());
        assertTrue(manager.find(session.id()).isEmpty());
    }
}
