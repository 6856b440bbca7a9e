/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import dev.syncsession.jetty.cache.SessionCacheKind;

/**
 * Many requests of one session at once, each setting its own attribute, over the syncsession store: with a cache
 * that keeps one live {@code Session} object per id (SyncMap, Jetty's default), every request works on that object
 * under its lock and no update is lost, whatever the eviction policy. Jetty's {@code NullSessionCache} gives each
 * request its own copy loaded from the store, so concurrent requests of one session overwrite each other: last
 * writer wins, as in Jetty; SECURITY.md and the README say so, and it is not tested here because it promises nothing.
 */
class ConcurrentAttributesTest {

    private static final int THREADS = 8;
    private static final int INCREMENTS_PER_THREAD = 40;

    static Stream<Arguments> cachesThatKeepEveryUpdate() {
        List<Arguments> arguments = new ArrayList<>();
        for (SessionCacheKind cache : List.of(SessionCacheKind.SYNCMAP, SessionCacheKind.DEFAULT)) {
            for (boolean evictOnExit : new boolean[] {false, true}) {
                arguments.add(Arguments.of(cache, evictOnExit));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0} cache, evict on session exit: {1}")
    @MethodSource("cachesThatKeepEveryUpdate")
    void concurrentRequestsSettingDifferentAttributesLoseNone(SessionCacheKind cache, boolean evictOnExit)
            throws Exception {
        SyncSessions.Builder options = SyncSessions.builder().cache(cache);
        if (evictOnExit) {
            options.evictOnSessionExit();
        }
        try (HardenedServer server = new HardenedServer(options)) {
            String session = HardenedServer.sessionIdSetBy(server.get("increment", null));
            ConcurrentIncrements.run(THREADS, INCREMENTS_PER_THREAD,
                    attribute -> server.get("increment?attr=" + attribute, session).getContentAsString());
            for (int t = 0; t < THREADS; t++) {
                assertEquals(Integer.toString(INCREMENTS_PER_THREAD),
                        server.get("read?attr=t" + t, session).getContentAsString(), "t" + t);
            }
            assertEquals("1", server.get("read", session).getContentAsString());
            // The eviction case really evicts: every read above ran alone, so its session left the cache when it
            // exited and the next request loaded it back from the store; without eviction nothing is ever loaded.
            long loads = server.store().getSessionsLoaded();
            if (evictOnExit) {
                assertTrue(loads >= THREADS + 1, "the session was loaded from the store " + loads + " times");
            } else {
                assertEquals(0, loads);
            }
        }
    }
}
