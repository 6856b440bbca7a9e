/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpCookie;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import dev.syncsession.jetty.store.SyncSessionDataStore;
import dev.syncsession.jetty.cache.SyncMapSessionCache;

/**
 * Makes a fresh jetty-base of the real Jetty 12.1 distribution by running the README's standalone recipe as typed
 * (its setup block, then its Caffeine block), deploys a session-using web application, starts Jetty as a separate
 * process on 127.0.0.1 and checks what the README promises: a session survives across requests and a graceful
 * restart, the module properties reach the cache and store, the cookie defaults, the session cap. Run by failsafe after {@code package}: the Maven build unpacks jetty-home and collects
 * the jars and passes their locations as system properties ({@code it.*}, see the module pom).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneJettyIT {

    /** The session cap Jetty is started with: more than the other tests create, filled by the last. */
    private static final int SESSION_CAP = 20;
    private static final int RETRY_AFTER_SECONDS = 7;
    private static final int ABSOLUTE_TIMEOUT_SECONDS = 86_400;

    /** A context's cache in the server dump (AbstractSessionCache.toString), with the options set on the command line. */
    private static final Pattern CONFIGURED_CACHE =
            Pattern.compile("SyncMapSessionCache@\\p{XDigit}+\\[evict=-1,removeUnloadable=true,saveOnCreate=true,");

    /** A context's store in the server dump (SyncSessionDataStore.toString). */
    private static final Pattern CONFIGURED_STORE =
            Pattern.compile("SyncSessionDataStore@\\p{XDigit}+\\[backend=SyncMapSessionStore.*absoluteTimeoutSec="
                    + ABSOLUTE_TIMEOUT_SECONDS + "\\]");

    private static JettyBase base;
    private static Path snapshotFile;
    private static JettyBase.Running jetty;
    private static HttpClient client;
    private static URI appUri;

    @BeforeAll
    static void startJetty() throws Exception {
        base = JettyBase.fromReadme("jetty-base");
        base.runReadmeBlock("caffeine");
        snapshotFile = base.base().resolve("sessions/syncmap.snapshot");
        client = new HttpClient();
        client.start();
        launchJetty();
    }

    /** Starts Jetty as a separate process on a port the kernel chooses, and waits until it serves. */
    private static void launchJetty() throws IOException, InterruptedException {
        jetty = base.launch(List.of(
                // Non-default cache options, to see in the server dump that the module's properties, Jetty's own names
                // (as session-cache-hash reads them), reach the cache.
                "jetty.session.removeUnloadableSessions=true", "jetty.session.saveOnCreate=true",
                "jetty.session.syncmap.snapshotFile=" + snapshotFile,
                // A cap the other tests stay under and the last one fills.
                "jetty.session.syncmap.sessionCap=" + SESSION_CAP,
                "jetty.session.syncmap.retryAfter.seconds=" + RETRY_AFTER_SECONDS,
                // Seen in the store's entry of the dump.
                "jetty.session.syncmap.absoluteTimeout.seconds=" + ABSOLUTE_TIMEOUT_SECONDS));
        appUri = URI.create("http://127.0.0.1:" + jetty.port() + "/counter/");
    }

    @AfterAll
    static void stopJetty() throws Exception {
        try {
            if (client != null) {
                client.stop();
            }
        } finally {
            if (jetty != null && jetty.isAlive()) {
                jetty.stop();
            }
        }
    }

    @Test
    void contextsUseTheSyncMapSessionCacheConfiguredByTheModuleProperties() throws IOException {
        String log = jetty.logText();
        assertTrue(CONFIGURED_CACHE.matcher(log).find(),
                "the server dump shows no SyncMapSessionCache with the configured options; see " + jetty.log());
    }

    @Test
    void theReadmeFetchesTheJettyAndCaffeineVersionsThisBuildUses() throws IOException {
        String readme = Files.readString(JettyBase.readme());
        String jetty = JettyBase.requiredProperty("it.jetty.version");
        assertTrue(readme.contains("-Dartifact=org.eclipse.jetty:jetty-home:" + jetty + ":tar.gz")
                && readme.contains("JETTY_HOME=$PWD/target/jetty/jetty-home-" + jetty), "README: jetty-home " + jetty);
        String caffeine = JettyBase.requiredProperty("it.caffeine.version");
        assertTrue(JettyBase.readmeBlock("caffeine").contains("caffeine:caffeine:" + caffeine + " "),
                "README: caffeine " + caffeine);
    }

    @Test
    void sessionCookiesGetTheDefaultsTheReadmePromises() throws Exception {
        client.getHttpCookieStore().clear();
        ContentResponse response = client.GET(appUri);
        String setCookie = response.getHeaders().get("Set-Cookie");
        assertTrue(setCookie != null && setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax"),
                "the module's cookie defaults: " + setCookie);
    }

    @Test
    void withTheCaffeineJarMaximumSessionsGivesACaffeineBackend() throws Exception {
        JettyBase.Running bounded = base.launch(List.of("jetty.session.syncmap.maximumSessions=1000"));
        try {
            assertTrue(bounded.logText().contains("backend=CaffeineSessionStore"),
                    "the server dump shows no store over a CaffeineSessionStore; see " + bounded.log());
            HttpClient own = new HttpClient();
            own.start();
            try {
                URI uri = URI.create("http://127.0.0.1:" + bounded.port() + "/counter/");
                assertTrue(own.GET(uri).getContentAsString().startsWith("visits=1 "));
                assertTrue(own.GET(uri).getContentAsString().startsWith("visits=2 "));
            } finally {
                own.stop();
            }
        } finally {
            bounded.stop();
        }
    }

    @Test
    void contextsUseTheSyncSessionDataStore() throws IOException {
        String log = jetty.logText();
        assertTrue(CONFIGURED_STORE.matcher(log).find(),
                "the server dump shows no SyncSessionDataStore over a SyncMapSessionStore; see " + jetty.log());
    }

    /** Runs next to last: it restarts Jetty. */
    @Test
    @Order(Integer.MAX_VALUE - 1)
    void aSessionSurvivesAGracefulRestartThroughTheSnapshot() throws Exception {
        client.getHttpCookieStore().clear();
        visit();
        String before = visit();
        assertTrue(before.startsWith("visits=2 "), before);

        jetty.stop();
        assertTrue(Files.size(snapshotFile) > 0, "no snapshot was written at shutdown: " + snapshotFile);
        launchJetty();

        String after = visit();
        assertEquals(sessionOf(before), sessionOf(after), "the restarted server did not recognise the session");
        assertTrue(after.startsWith("visits=3 "), "the session's attributes did not survive the restart: " + after);
    }

    /**
     * Runs last: it fills the session cap. Past it, a new client gets the 503 that the module's
     * SessionCapHandler completes with Retry-After, while a client with a session keeps being served.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void pastTheLiveSessionCapNewClientsGet503WithRetryAfterAndExistingSessionsKeepWorking() throws Exception {
        client.getHttpCookieStore().clear();
        String existing = visit();
        List<HttpCookie> existingCookies = List.copyOf(client.getHttpCookieStore().all());

        ContentResponse refused = null;
        for (int attempt = 0; attempt <= SESSION_CAP && refused == null; attempt++) {
            client.getHttpCookieStore().clear();
            ContentResponse response = client.GET(appUri);
            if (response.getStatus() == 503) {
                refused = response;
            } else {
                assertEquals(200, response.getStatus(), response.getContentAsString());
            }
        }
        assertTrue(refused != null, "no 503 after " + (SESSION_CAP + 1) + " new clients, with a cap of "
                + SESSION_CAP + " live sessions");
        assertEquals(Integer.toString(RETRY_AFTER_SECONDS), refused.getHeaders().get("Retry-After"),
                "the module's SessionCapHandler adds Retry-After to the refusal");
        assertEquals("no-store", refused.getHeaders().get("Cache-Control"));
        assertTrue(refused.getHeaders().get("Set-Cookie") == null, "a refused client must get no session cookie: "
                + refused.getHeaders());

        client.getHttpCookieStore().clear();
        existingCookies.forEach(cookie -> client.getHttpCookieStore().add(appUri, cookie));
        assertEquals("visits=2 session=" + sessionOf(existing), visit(),
                "a session created before the cap was reached keeps working");
    }

    @Test
    void theRecipeListensOnLoopbackOnly() {
        assertEquals("127.0.0.1", jetty.host(), "the README's recipe must bind jetty.http.host=127.0.0.1; see "
                + jetty.log());
    }

    @Test
    void theRecipesSampleAppCountsVisitsInTheSession() throws Exception {
        HttpClient own = new HttpClient();
        own.start();
        try {
            URI sample = URI.create("http://127.0.0.1:" + jetty.port() + "/visits/");
            ContentResponse first = own.GET(sample);
            assertEquals(200, first.getStatus(), first.getContentAsString());
            String setCookie = first.getHeaders().get("Set-Cookie");
            assertTrue(setCookie != null && setCookie.startsWith("JSESSIONID="), "no session cookie: "
                    + first.getHeaders());
            assertEquals("visits=1\n", first.getContentAsString());
            ContentResponse second = own.GET(sample);
            assertEquals("visits=2\n", second.getContentAsString(), "the sample app lost its session");
        } finally {
            own.stop();
        }
    }

    /**
     * One request with an id no id manager issues gets one warning, as embedded, although Jetty asks every
     * context's store whether that id is in use when it makes the new session.
     */
    @Test
    void aRejectedIdIsLoggedOncePerRequestWithTwoWebApplicationsDeployed() throws Exception {
        // A fresh server, so that no earlier rejection has started the warnings' rate-limit window.
        JettyBase.Running fresh = base.launch(List.of());
        try {
            HttpClient own = new HttpClient();
            own.start();
            try {
                URI uri = URI.create("http://127.0.0.1:" + fresh.port() + "/counter/");
                ContentResponse response = own.newRequest(uri)
                        .headers(headers -> headers.put("Cookie", "JSESSIONID=" + "A".repeat(600))).send();
                assertTrue(response.getContentAsString().startsWith("visits=1 "), response.getContentAsString());
            } finally {
                own.stop();
            }
        } finally {
            fresh.stop();
        }
        List<String> warnings = fresh.logText().lines()
                .filter(line -> line.contains("ignored a requested session id")).toList();
        assertEquals(1, warnings.size(), "warnings for one rejected id:\n" + String.join("\n", warnings));
    }

    @Test
    void sessionSurvivesAcrossRequests() throws Exception {
        client.getHttpCookieStore().clear();

        String first = visit();
        String second = visit();

        assertTrue(first.startsWith("visits=1 "), first);
        assertTrue(second.startsWith("visits=2 "), second);
        assertEquals(sessionOf(first), sessionOf(second), "the session id changed between requests");
    }

    @Test
    void newClientsGetNewSessions() throws Exception {
        client.getHttpCookieStore().clear();
        String mine = visit();
        client.getHttpCookieStore().clear();
        String theirs = visit();

        assertTrue(theirs.startsWith("visits=1 "), theirs);
        assertNotEquals(sessionOf(mine), sessionOf(theirs), "two clients share a session");
    }

    private static String visit() throws Exception {
        ContentResponse response = client.GET(appUri);
        assertEquals(200, response.getStatus(), response.getContentAsString());
        return response.getContentAsString();
    }

    private static String sessionOf(String body) {
        return body.substring(body.indexOf("session=") + "session=".length());
    }
}
