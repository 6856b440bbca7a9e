/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.jr.ob.JSON;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.Fields;

/**
 * One person's browser, reduced to what the tests look at: it keeps the session cookie itself (so that a test can
 * see the id change, and can replay an old id), does not follow redirects, and remembers the last Set-Cookie.
 * Closing it stops its HttpClient. Not thread-safe.
 */
final class Visitor implements AutoCloseable {

    static final String SESSION_COOKIE = "JSESSIONID";

    private final HttpClient client = new HttpClient();
    private URI base;
    private String sessionCookie;
    private String lastSetCookie;

    Visitor(URI base) throws Exception {
        this(base, null);
    }

    /** A visitor whose browser names itself {@code userAgent} (null: the HTTP client's own, {@code Jetty/12...}). */
    Visitor(URI base, String userAgent) throws Exception {
        this.base = base;
        if (userAgent != null) {
            client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, userAgent));
        }
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setFollowRedirects(false);
        client.start();
    }

    /** Points this visitor at another server (the same app after a restart), keeping its cookie. */
    void moveTo(URI newBase) {
        base = newBase;
    }

    ContentResponse get(String path) throws Exception {
        return send(client.newRequest(base.resolve(path)).method(HttpMethod.GET));
    }

    /** Posts a form; {@code fields} alternates names and values. */
    ContentResponse post(String path, String... fields) throws Exception {
        Fields form = new Fields();
        for (int i = 0; i < fields.length; i += 2) {
            form.add(fields[i], fields[i + 1]);
        }
        return send(client.newRequest(base.resolve(path)).method(HttpMethod.POST)
                .body(new FormRequestContent(form)));
    }

    /** Posts and then follows the redirect to the shop, as a browser would; returns the shop page. */
    String postAndFollow(String path, String... fields) throws Exception {
        ContentResponse posted = post(path, fields);
        if (posted.getStatus() != 303) {
            throw new AssertionError("POST " + path + " answered " + posted.getStatus() + ", expected 303: "
                    + posted.getContentAsString());
        }
        return get(posted.getHeaders().get(HttpHeader.LOCATION)).getContentAsString();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> statsJson() throws Exception {
        ContentResponse response = get("/stats.json");
        if (response.getStatus() != 200) {
            throw new AssertionError("/stats.json answered " + response.getStatus());
        }
        return (Map<String, Object>) JSON.std.anyFrom(response.getContentAsString());
    }

    /** The session id this visitor sends, or null before the server gave one (or after it was dropped). */
    String sessionId() {
        return sessionCookie;
    }

    /** Sends this id from now on, as someone who copied a cookie would. */
    void useSessionId(String id) {
        sessionCookie = id;
    }

    /** The full Set-Cookie header of the last response that set the session cookie. */
    String lastSetCookie() {
        return lastSetCookie;
    }

    private ContentResponse send(Request request) throws Exception {
        if (sessionCookie != null) {
            request.headers(headers -> headers.put(HttpHeader.COOKIE, SESSION_COOKIE + "=" + sessionCookie));
        }
        ContentResponse response = request.timeout(10, TimeUnit.SECONDS).send();
        List<String> setCookies = response.getHeaders().getValuesList(HttpHeader.SET_COOKIE);
        for (String setCookie : setCookies) {
            if (setCookie.startsWith(SESSION_COOKIE + "=")) {
                lastSetCookie = setCookie;
                String value = setCookie.substring(SESSION_COOKIE.length() + 1).split(";", 2)[0];
                boolean deleted = value.isEmpty() || setCookie.toLowerCase().contains("max-age=0");
                sessionCookie = deleted ? null : value;
            }
        }
        return response;
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP client did not stop cleanly", e);
        }
    }
}
