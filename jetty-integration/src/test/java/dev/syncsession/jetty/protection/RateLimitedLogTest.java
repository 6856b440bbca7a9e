/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.protection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.syncsession.session.SessionScope;
import dev.syncsession.session.SyncMapSessionStore;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import dev.syncsession.jetty.internal.RateLimitedLog;

/** The two guards against log floods and heap floods, without a server. */
class RateLimitedLogTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(RateLimitedLogTest.class),
            Duration.ofSeconds(10), nanos::get);

    @Test
    void logsTheFirstWarningAndSuppressesTheRestOfTheInterval() {
        for (int i = 0; i < 10_000; i++) {
            log.warn("hostile input " + i);
        }
        assertEquals(1, log.logged());
        assertEquals(9_999, log.suppressed());
    }

    @Test
    void logsAgainOnceTheIntervalHasPassed() {
        log.warn("first");
        log.warn("suppressed");
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        log.warn("second");
        log.warn("suppressed again");
        assertEquals(2, log.logged());
        assertEquals(2, log.suppressed());
    }

    @Test
    void aPendingSessionThatExpiredWithoutEverBeingSavedFreesItsPlace() {
        SyncMapSessionStore backend = new SyncMapSessionStore();
        BackendSessionCap limit = new BackendSessionCap(backend, 2);
        SessionScope scope = new SessionScope("/shop", "");
        long now = System.currentTimeMillis();
        limit.reserve(scope.key("neverSavedExpired"), now - 1);
        limit.reserve(scope.key("neverSavedLive"), now + 60_000);

        limit.reserve(scope.key("third"), now + 60_000);

        assertEquals(2, limit.pending());
        assertThrows(SessionCapExceededException.class, () -> limit.reserve(scope.key("fourth"), now + 60_000));
        limit.settled(scope.key("neverSavedLive"));
        limit.reserve(scope.key("fourth"), now + 60_000);
        assertEquals(2, limit.live());
    }
}
