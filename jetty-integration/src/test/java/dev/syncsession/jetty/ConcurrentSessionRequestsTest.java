/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import org.eclipse.jetty.session.AbstractSessionCacheFactory;
import org.eclipse.jetty.session.DefaultSessionCacheFactory;
import org.eclipse.jetty.session.SessionCache;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import dev.syncsession.jetty.cache.SyncMapSessionCache;

/**
 * Many concurrent requests on one session, each thread incrementing its own attribute: no increment may be lost,
 * whichever eviction policy makes the cache drop and reload the session between requests. Jetty's
 * DefaultSessionCache runs the same scenario as the reference behaviour.
 */
class ConcurrentSessionRequestsTest {

    private static final int THREADS = 8;
    private static final int INCREMENTS_PER_THREAD = 50;

    static Stream<Arguments> cachesAndPolicies() {
        IntFunction<AbstractSessionCacheFactory> syncMap = SessionTestServer::syncMapCache;
        IntFunction<AbstractSessionCacheFactory> jettyDefault = policy -> {
            DefaultSessionCacheFactory factory = new DefaultSessionCacheFactory();
            factory.setEvictionPolicy(policy);
            return factory;
        };
        List<Arguments> arguments = new ArrayList<>();
        for (int policy : new int[] {SessionCache.NEVER_EVICT, SessionCache.EVICT_ON_SESSION_EXIT, 1}) {
            arguments.add(Arguments.of("SyncMapSessionCache", policy, syncMap));
            arguments.add(Arguments.of("DefaultSessionCache", policy, jettyDefault));
        }
        return arguments.stream();
    }

    @TempDir
    Path storeDir;

    @ParameterizedTest(name = "{0}, evictionPolicy={1}")
    @MethodSource("cachesAndPolicies")
    void concurrentIncrementsOfDifferentAttributesAreAllKept(String cacheName, int evictionPolicy,
            IntFunction<AbstractSessionCacheFactory> cacheFactory) throws Exception {
        try (SessionTestServer server = SessionTestServer.withFileStore(cacheFactory.apply(evictionPolicy), storeDir)) {
            server.get("increment"); // create the session so that every thread shares its cookie
            String id = server.get("id");

            ConcurrentIncrements.run(THREADS, INCREMENTS_PER_THREAD,
                    attribute -> server.get("increment?attr=" + attribute));

            for (int t = 0; t < THREADS; t++) {
                assertEquals(Integer.toString(INCREMENTS_PER_THREAD), server.get("read?attr=t" + t), "t" + t);
            }
            assertEquals("1", server.get("read"));
            assertEquals(id, server.get("id"));
        }
    }
}
