/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncsession.jetty.cache.SyncMapSessionCache;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.session.ManagedSession;
import org.eclipse.jetty.session.SessionManager;
import org.junit.jupiter.api.Test;

/**
 * A hostile session id is refused before the SyncMap cache registers a load for it: it costs no entry in the cache's
 * maps, no load and no store call, and each request that sends one is counted once, by its own context's filter.
 */
class HostileIdsMakeNoCacheEntryTest {

    /** The SyncMap cache, recording every id it registers a load for. */
    static final class RecordingCache extends SyncMapSessionCache {
        final Set<String> loadsRegistered = ConcurrentHashMap.newKeySet();

        RecordingCache(SessionManager manager) {
            super(manager);
        }

        @Override
        public ManagedSession doComputeIfAbsent(String id, Function<String, ManagedSession> mappingFunction) {
            loadsRegistered.add(id);
            return super.doComputeIfAbsent(id, mappingFunction);
        }
    }

    @Test
    void hostileIdsRegisterNoLoadAndAreCountedOncePerRequest() throws Exception {
        RecordingCache[] cache = new RecordingCache[1];
        try (HardenedServer server = new HardenedServer(SyncSessions.builder(), handler -> {
            RecordingCache recording = new RecordingCache(handler);
            recording.setSessionDataStore(handler.getSessionCache().getSessionDataStore());
            handler.setSessionCache(recording);
            cache[0] = recording;
        })) {
            int requests = 20;
            for (int i = 0; i < requests; i++) {
                String tooLong = "hostile" + "A".repeat(600) + i;
                assertEquals("none", server.get("id", tooLong).getContentAsString());
                String inThePath = server.raw(("GET /session/id;jsessionid=path" + "B".repeat(600) + i
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                assertTrue(inThePath.endsWith("\r\n\r\nnone"), inThePath);
            }
            assertEquals(0, cache[0].loadsRegistered.size(), "the cache registered loads for hostile ids");
            assertEquals(2L * requests, server.store().getRefusedSessionIds(), "one count per hostile request");

            ContentResponse created = server.get("increment", null);
            String id = HardenedServer.sessionIdSetBy(created);
            assertNotNull(id, "no session was created");
            cache[0].loadsRegistered.clear();
            assertEquals("2", server.get("increment", id).getContentAsString().trim());
            assertEquals(2L * requests, server.store().getRefusedSessionIds(), "a valid id was counted as hostile");
        }
    }
}
