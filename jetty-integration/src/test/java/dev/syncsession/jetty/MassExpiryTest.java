/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.syncsession.jetty.cache.SyncMapSessionCache;
import dev.syncsession.jetty.store.SyncSessionDataStore;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.session.SessionCache;
import org.junit.jupiter.api.Test;

/**
 * Many sessions expiring together, end to end through Jetty's housekeeper: every one is destroyed once, removed from
 * the store, and not served again.
 */
class MassExpiryTest {

    @Test
    void sessionsExpiringTogetherAreEachDestroyedOnceAndLeaveTheStore() throws Exception {
        try (SessionTestServer server = SessionTestServer.withSyncMapStore(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT))) {
            Set<String> destroyed = ConcurrentHashMap.newKeySet();
            List<String> twice = new java.util.concurrent.CopyOnWriteArrayList<>();
            server.sessionHandler().addEventListener(new HttpSessionListener() {
                @Override
                public void sessionDestroyed(HttpSessionEvent se) {
                    if (!destroyed.add(se.getSession().getId())) {
                        twice.add(se.getSession().getId());
                    }
                }
            });
            SyncMapSessionCache cache = (SyncMapSessionCache) server.sessionCache();
            server.sessionHandler().setMaxInactiveInterval(1);

            // 300 sessions, one per request without a cookie, 30 at a time.
            HttpClient client = HttpClient.newHttpClient();
            Set<String> made = ConcurrentHashMap.newKeySet();
            for (int batch = 0; batch < 10; batch++) {
                List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    responses.add(client.sendAsync(HttpRequest.newBuilder(server.baseUri().resolve("increment")).build(),
                            HttpResponse.BodyHandlers.ofString()));
                }
                for (CompletableFuture<HttpResponse<String>> r : responses) {
                    HttpResponse<String> response = r.get(30, TimeUnit.SECONDS);
                    assertEquals(200, response.statusCode());
                    String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
                    String extendedId = cookie.substring("JSESSIONID=".length(), cookie.indexOf(';'));
                    made.add(extendedId.substring(0, extendedId.lastIndexOf('.'))); // without ".node0"
                }
            }
            assertEquals(300, made.size());

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!destroyed.containsAll(made) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Set<String> missing = new HashSet<>(made);
            missing.removeAll(destroyed);
            assertEquals(0, missing.size(), () -> missing.size() + " sessions never destroyed, e.g. "
                    + missing.iterator().next());
            server.awaitScavenges(2); // two more expiry searches and checks of the cache, which must end none again
            assertEquals(List.of(), twice, "sessions destroyed twice");
            SyncSessionDataStore store = (SyncSessionDataStore) cache.getSessionDataStore();
            for (String id : made) {
                assertEquals(false, store.exists(id), id + " still in the store");
            }
            String again = made.iterator().next();
            assertEquals("none", server.getInSession("id", again), "an expired session is not served");
        }
    }
}
