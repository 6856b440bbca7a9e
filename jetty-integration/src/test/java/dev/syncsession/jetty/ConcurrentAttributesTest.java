/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.eclipse.jetty.session.SessionCache;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
        for (SyncSessions.Cache cache : List.of(SyncSessions.Cache.SYNCMAP, SyncSessions.Cache.DEFAULT)) {
            for (int policy : new int[] {SessionCache.NEVER_EVICT, SessionCache.EVICT_ON_SESSION_EXIT}) {
                arguments.add(Arguments.of(cache, policy));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0} cache, evictionPolicy={1}")
    @MethodSource("cachesThatKeepEveryUpdate")
    void concurrentRequestsSettingDifferentAttributesLoseNone(SyncSessions.Cache cache, int evictionPolicy)
            throws Exception {
        try (HardenedServer server = new HardenedServer(SyncSessions.builder().cache(cache)
                .evictionPolicy(evictionPolicy))) {
            String session = HardenedServer.sessionIdSetBy(server.get("increment", null));
            ConcurrentIncrements.run(THREADS, INCREMENTS_PER_THREAD,
                    attribute -> server.get("increment?attr=" + attribute, session).getContentAsString());
            for (int t = 0; t < THREADS; t++) {
                assertEquals(Integer.toString(INCREMENTS_PER_THREAD),
                        server.get("read?attr=t" + t, session).getContentAsString(), "t" + t);
            }
            assertEquals("1", server.get("read", session).getContentAsString());
        }
    }
}
