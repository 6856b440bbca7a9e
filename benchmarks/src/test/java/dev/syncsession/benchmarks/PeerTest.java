/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each peer is a correct ConcurrentMap for the operations the benchmarks call, so numbers compare like with like. */
class PeerTest {

    @ParameterizedTest
    @EnumSource(Peer.class)
    void everyPeerStoresLoadsAndRemovesLikeAConcurrentMap(Peer peer) {
        ConcurrentMap<String, Integer> map = peer.create();
        assertNull(map.put("a", 1));
        assertEquals(1, map.put("a", 2));
        assertNull(map.putIfAbsent("b", 3));
        assertEquals(3, map.putIfAbsent("b", 4));
        assertEquals(2, map.get("a"));
        assertNull(map.get("missing"));
        assertFalse(map.replace("a", 1, 5));
        assertTrue(map.replace("a", 2, 5));
        assertFalse(map.remove("b", 4));
        assertTrue(map.remove("b", 3));
        assertEquals(1, map.size());
        assertEquals(5, map.remove("a"));
        assertNull(map.remove("a"));
        assertTrue(map.isEmpty());
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void rangeVisitsEveryMappingAndStopsWhenAsked(Peer peer) {
        ConcurrentMap<Integer, Integer> map = peer.create();
        for (int i = 0; i < 100; i++) {
            map.put(i, i * 2);
        }
        Map<Integer, Integer> seen = new HashMap<>();
        assertTrue(Peer.range(map, (k, v) -> seen.put(k, v) == null));
        assertEquals(100, seen.size());
        seen.forEach((k, v) -> assertEquals(k * 2, v));
        int[] visits = {0};
        assertFalse(Peer.range(map, (k, v) -> ++visits[0] < 3));
        assertEquals(3, visits[0]);
        map.clear();
        assertTrue(map.isEmpty());
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void sessionIdsAre26LowerCaseBase32Characters(Peer peer) {
        SessionIds ids = new SessionIds(peer.ordinal());
        ConcurrentMap<String, Boolean> seen = peer.create();
        for (int i = 0; i < 1000; i++) {
            String id = ids.next();
            assertTrue(id.matches("[a-z2-7]{26}"), id);
            assertNull(seen.putIfAbsent(id, true), "duplicate id " + id);
        }
    }
}
