/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.syncsession.session.SessionIdValidator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import dev.syncsession.jetty.protection.SessionIdFilter;
import dev.syncsession.jetty.store.SyncSessionDataStore;
import dev.syncsession.jetty.cache.SessionCacheKind;

/**
 * Session ids and cookies an attacker controls, sent as raw bytes so that nothing on the client side cleans them
 * up: each is "no session" (the request that wants one gets a fresh, valid id; the request that does not gets
 * none), never a 500, and the warnings about them are rate-limited. The store's backend records every id it is
 * asked about: an id the store's filter refuses never gets there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileSessionIdsTest {

    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3})");
    private static final Pattern SET_COOKIE = Pattern.compile("(?im)^Set-Cookie: JSESSIONID=([^;\\r\\n]*)");

    /**
     * What the store's filter lets through ({@link dev.syncsession.jetty.protection.SessionIdFilter#MAX_ID_LENGTH}, cookie-value characters);
     * checked here against what reached the backend, not against the store's own counter.
     */
    private static final SessionIdValidator WELL_FORMED =
            SessionIdValidator.cookieValues(SessionIdFilter.MAX_ID_LENGTH);

    private static HardenedServer server;

    /** Every session id the store passed to its backend, since the current test began. */
    private static RecordingSessionStore backend;

    @BeforeAll
    static void start() throws Exception {
        backend = new RecordingSessionStore();
        server = new HardenedServer(SyncSessions.builder().cache(SessionCacheKind.NULL).backend(backend));
    }

    /** Each test checks the ids its own requests sent to the backend. */
    @BeforeEach
    void forgetEarlierTestsIds() {
        backend.ids.clear();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> hostileCookieHeaders() {
        List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of("empty value", ascii("JSESSIONID=")));
        cases.add(Arguments.of("only spaces", ascii("JSESSIONID=   ")));
        cases.add(Arguments.of("10 kB id", ascii("JSESSIONID=" + "A".repeat(10 * 1024))));
        cases.add(Arguments.of("129-char id", ascii("JSESSIONID=" + "A".repeat(129))));
        cases.add(Arguments.of("UTF-8 non-ASCII", "JSESSIONID=sessi\u00f3n\u2603".getBytes(StandardCharsets.UTF_8)));
        cases.add(Arguments.of("raw high bytes",
                concat(ascii("JSESSIONID=abc"), new byte[] {(byte) 0xff, (byte) 0xfe})));
        cases.add(Arguments.of("control character", concat(ascii("JSESSIONID=abc"), new byte[] {0x01}, ascii("def"))));
        cases.add(Arguments.of("tab inside", ascii("JSESSIONID=abc\tdef")));
        cases.add(Arguments.of("NUL byte", concat(ascii("JSESSIONID=abc"), new byte[] {0}, ascii("def"))));
        cases.add(Arguments.of("quoted with escapes", ascii("JSESSIONID=\"a\\\"b\\\\c\"")));
        cases.add(Arguments.of("path traversal", ascii("JSESSIONID=../../etc/passwd")));
        cases.add(Arguments.of("SQL and markup", ascii("JSESSIONID=' OR 1=1 --<script>")));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            many.append(i == 0 ? "" : "; ").append("JSESSIONID=id").append(i);
        }
        cases.add(Arguments.of("200 session cookies", ascii(many.toString())));
        StringBuilder manyHostile = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            manyHostile.append(i == 0 ? "" : "; ").append("JSESSIONID=").append(i % 2 == 0 ? "" : "x".repeat(200));
        }
        cases.add(Arguments.of("50 hostile session cookies", ascii(manyHostile.toString())));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileCookieHeaders")
    void aHostileCookieIsNoSessionNeverAServerError(String name, byte[] cookieHeaderValue) throws Exception {
        String readOnly = server.raw(request("/session/id", cookieHeaderValue));
        int readStatus = status(readOnly);
        assertNotServerError(name, readStatus, readOnly);
        if (readStatus == 200) {
            assertTrue(readOnly.endsWith("none"), name + ": a hostile id found a session:\n" + readOnly);
        }

        String creating = server.raw(request("/session/increment", cookieHeaderValue));
        int createStatus = status(creating);
        assertNotServerError(name, createStatus, creating);
        if (createStatus == 200) {
            assertTrue(creating.endsWith("\r\n\r\n1"), name + ": expected a fresh session:\n" + head(creating));
            Matcher cookie = SET_COOKIE.matcher(creating);
            assertTrue(cookie.find(), name + ": no session cookie:\n" + head(creating));
            String id = cookie.group(1);
            assertTrue(SessionIdValidator.standard().isValid(id), name + ": the new id is not valid: " + id);
            assertFalse(new String(cookieHeaderValue, StandardCharsets.ISO_8859_1).contains("JSESSIONID=" + id),
                    name + ": the hostile id was adopted");
        } else {
            // Jetty refused the request line or headers as malformed or too large, before any session code ran.
            assertTrue(createStatus == 400 || createStatus == 431, name + ": " + head(creating));
        }
        assertNoMalformedIdReachedTheBackend(name);
    }

    /** Runs first, so that its window of the rate-limited log is fresh: its first rejection must be logged. */
    @Test
    @Order(1)
    void malformedIdsNeverReachTheBackendAndTheirWarningsAreRateLimited() throws Exception {
        SyncSessionDataStore store = server.store();
        long rejectedBefore = store.getRefusedSessionIds();
        long suppressedBefore = store.sessionIdFilter().warningsSuppressed();
        int attempts = 300;
        List<String> warnings;
        String logText;
        try (CapturedLog log = new CapturedLog()) {
            for (int i = 0; i < attempts; i++) {
                // Longer than any id manager makes (SessionIdFilter.MAX_ID_LENGTH); the marker shows
                // whether the id itself reached the log.
                String response = server.raw(request("/session/id",
                        ascii("JSESSIONID=hostileMarker" + "A".repeat(600) + i)));
                assertEquals(200, status(response), head(response));
            }
            warnings = log.linesContaining("ignored a requested session id");
            logText = log.text();
        }
        long rejected = store.getRefusedSessionIds() - rejectedBefore;
        long suppressed = store.sessionIdFilter().warningsSuppressed() - suppressedBefore;
        assertTrue(rejected >= attempts, "rejected " + rejected + " of " + attempts);
        // At most one warning per 10 s interval: a test this short logs at most two (one per interval boundary).
        assertTrue(!warnings.isEmpty() && warnings.size() <= 2,
                warnings.size() + " warnings logged for " + rejected + ":\n" + warnings);
        assertEquals(rejected - suppressed, warnings.size(), "the counters disagree with what was logged");
        assertFalse(logText.contains("hostileMarker"), "a hostile id was written to the log:\n" + logText);
        assertTrue(backend.ids.stream().noneMatch(id -> id.contains("hostileMarker")),
                "a hostile id reached the backend");
        assertNoMalformedIdReachedTheBackend("600-char ids");
    }

    @Test
    void aValidSessionIsStillFoundAmongHostileCookies() throws Exception {
        String created = server.raw(request("/session/increment", ascii("")));
        Matcher cookie = SET_COOKIE.matcher(created);
        assertTrue(cookie.find(), head(created));
        String id = cookie.group(1);
        String header = "JSESSIONID=" + "x".repeat(300) + "; JSESSIONID=; JSESSIONID=" + id + "; JSESSIONID=%00";
        String again = server.raw(request("/session/increment", ascii(header)));
        assertEquals(200, status(again), head(again));
        assertTrue(again.endsWith("\r\n\r\n2"), "the valid session was not used:\n" + again);
        // The Null cache loaded it from the backend to answer: the recording sees this store's lookups. The store
        // knows the session by its cluster id, the cookie's value without Jetty's ".<worker>" suffix.
        String clusterId = id.substring(0, id.indexOf('.') < 0 ? id.length() : id.indexOf('.'));
        assertTrue(backend.ids.contains(clusterId), "the backend was not asked about the valid id " + clusterId);
        assertNoMalformedIdReachedTheBackend("a valid id among hostile ones");
    }

    static Stream<Arguments> hostilePathParameters() {
        return Stream.of(
                Arguments.of("control characters", "%01".repeat(50)),
                Arguments.of("600-char id", "pathMarker" + "A".repeat(600)));
    }

    /**
     * A hostile id in the URL: the servlet sees no session, no cookie names it, and the backend never sees it; a
     * request that wants a session gets a fresh one.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("hostilePathParameters")
    void hostileIdsAsPathParametersAreNoSessionToo(String name, String hostile) throws Exception {
        String readOnly = server.raw(pathRequest("/session/id;jsessionid=" + hostile));
        assertEquals(200, status(readOnly), name + ":\n" + head(readOnly));
        assertTrue(readOnly.endsWith("\r\n\r\nnone"), name + ": a hostile id found a session:\n" + head(readOnly));
        assertFalse(SET_COOKIE.matcher(readOnly).find(), name + ": a cookie was set:\n" + head(readOnly));

        String creating = server.raw(pathRequest("/session/increment;jsessionid=" + hostile));
        assertEquals(200, status(creating), name + ":\n" + head(creating));
        assertTrue(creating.endsWith("\r\n\r\n1"), name + ": expected a fresh session:\n" + head(creating));
        Matcher cookie = SET_COOKIE.matcher(creating);
        assertTrue(cookie.find(), name + ": no session cookie:\n" + head(creating));
        String id = cookie.group(1);
        assertTrue(SessionIdValidator.standard().isValid(id), name + ": the new id " + trimmed(id));
        assertFalse(hostile.contains(id), name + ": the hostile id was adopted");
        assertNoMalformedIdReachedTheBackend(name);
    }

    /** Every id the backend was asked about passed the store's filter: a hostile one never got that far. */
    private static void assertNoMalformedIdReachedTheBackend(String name) {
        backend.ids.stream().filter(id -> !WELL_FORMED.isValid(id)).findAny().ifPresent(id -> {
            throw new AssertionError(name + ": the backend was asked about a malformed id: " + trimmed(id));
        });
    }

    private static String trimmed(String id) {
        return id.length() > 40 ? id.substring(0, 40) + "... (" + id.length() + " chars)" : id;
    }

    private static byte[] pathRequest(String path) {
        return ascii("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    }

    private static void assertNotServerError(String name, int status, String response) {
        assertNotEquals(500, status, name + ":\n" + head(response));
        assertTrue(status < 500, name + ": status " + status + "\n" + head(response));
    }

    private static byte[] request(String path, byte[] cookieHeaderValue) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"));
        if (cookieHeaderValue.length > 0) {
            out.writeBytes(ascii("Cookie: "));
            out.writeBytes(cookieHeaderValue);
            out.writeBytes(ascii("\r\n"));
        }
        out.writeBytes(ascii("\r\n"));
        return out.toByteArray();
    }

    private static int status(String response) {
        Matcher matcher = STATUS.matcher(response);
        if (!matcher.find()) {
            throw new AssertionError("not an HTTP/1.1 response: " + head(response));
        }
        return Integer.parseInt(matcher.group(1));
    }

    private static String head(String response) {
        return response.length() > 600 ? response.substring(0, 600) + "..." : response;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
