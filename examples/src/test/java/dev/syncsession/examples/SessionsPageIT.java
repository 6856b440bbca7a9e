/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.syncsession.jetty.SyncSessions;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;
import dev.syncsession.jetty.cache.SessionCacheKind;

/** "Your sessions" ({@code /sessions}) and what a device signed out from elsewhere sees, over HTTP. */
class SessionsPageIT {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern CURRENT_SIGNED_IN =
            Pattern.compile("<tr class=\"current\"><td>[^<]*</td><td class=\"signed-in\">([^<]*)</td>");

    @Test
    void signedInShowsWhenTheSessionSignedInNotWhenItWasCreated() throws Exception {
        try (RunningExample app = RunningExample.start(SessionCacheKind.SYNCMAP,
                RunningExample.newSnapshotDir("sessions-signed-in"));
                Visitor ada = new Visitor(app.uri())) {
            ada.get("/");
            Instant created = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            // The page shows seconds: wait for the clock's next second, so that sign-in and creation differ.
            while (!Instant.now().truncatedTo(ChronoUnit.SECONDS).isAfter(created)) {
                Thread.sleep(20);
            }
            Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            ada.postAndFollow("/signin", "name", "Ada");
            Instant after = Instant.now();

            String page = ada.get("/sessions").getContentAsString();
            Matcher signedIn = CURRENT_SIGNED_IN.matcher(page);
            assertTrue(signedIn.find(), "no sign-in time for this session:\n" + page);
            Instant shown = Instant.from(TIME.parse(signedIn.group(1)));
            assertTrue(!shown.isBefore(before) && !shown.isAfter(after), "signed in at " + shown
                    + ", between " + before + " and " + after + "; the session was created at or before " + created);
        }
    }

    @Test
    void signOutEverywhereElseIsOfferedOnlyWhenThereIsSomewhereElse() throws Exception {
        try (RunningExample app = RunningExample.start(SessionCacheKind.SYNCMAP,
                RunningExample.newSnapshotDir("sessions-elsewhere"));
                Visitor laptop = new Visitor(app.uri());
                Visitor phone = new Visitor(app.uri())) {
            laptop.postAndFollow("/signin", "name", "Ada");
            String alone = laptop.get("/sessions").getContentAsString();
            assertFalse(alone.contains("id=\"signout-others\""), "offered with one session:\n" + alone);
            assertTrue(alone.contains("id=\"signout-all\""), alone);

            phone.postAndFollow("/signin", "name", "Ada");
            String two = laptop.get("/sessions").getContentAsString();
            assertTrue(two.contains("id=\"signout-others\""), "not offered with two sessions:\n" + two);
        }
    }

    @Test
    void aDeviceSignedOutFromAnotherIsToldWhyOnce() throws Exception {
        try (RunningExample app = RunningExample.start(SessionCacheKind.SYNCMAP,
                RunningExample.newSnapshotDir("sessions-told"));
                Visitor laptop = new Visitor(app.uri());
                Visitor phone = new Visitor(app.uri())) {
            laptop.postAndFollow("/signin", "name", "Ada");
            phone.postAndFollow("/signin", "name", "Ada");
            assertEquals(303, laptop.post("/sessions", "action", "others").getStatus());

            ShopPage signedOut = new ShopPage(phone.get("/").getContentAsString());
            assertNull(signedOut.user());
            assertEquals("You were signed out from another device.", signedOut.notice(), signedOut.html());
            assertNull(new ShopPage(phone.get("/").getContentAsString()).notice(), "told once is enough");
            assertNull(new ShopPage(laptop.get("/").getContentAsString()).notice(), "the laptop stays signed in");
        }
    }

    @Test
    void aDeviceSignedOutByThePerUserLimitIsToldWhy() throws Exception {
        try (RunningExample app = RunningExample.start(SessionCacheKind.SYNCMAP,
                RunningExample.newSnapshotDir("sessions-limit"))) {
            List<Visitor> devices = new ArrayList<>();
            try {
                for (int i = 0; i <= SessionSetup.MAX_SESSIONS_PER_USER; i++) {
                    Visitor device = new Visitor(app.uri());
                    devices.add(device);
                    device.postAndFollow("/signin", "name", "Bob");
                }
                // The limit signs the oldest out on a background thread, just after the last sign-in.
                Visitor oldest = devices.get(0);
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                ShopPage page = new ShopPage(oldest.get("/").getContentAsString());
                while (page.user() != null && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                    page = new ShopPage(oldest.get("/").getContentAsString());
                }
                assertNull(page.user(), "the oldest of " + devices.size() + " sessions is still signed in");
                assertTrue(page.notice() != null && page.notice().contains("too many sessions"), page.html());
                assertNull(new ShopPage(devices.get(1).get("/").getContentAsString()).notice());
            } finally {
                devices.forEach(Visitor::close);
            }
        }
    }

    @Test
    void visitingYourSessionsSignedOutSaysWhyAtTheSignInForm() throws Exception {
        try (RunningExample app = RunningExample.start(SessionCacheKind.SYNCMAP,
                RunningExample.newSnapshotDir("sessions-signed-out"));
                Visitor visitor = new Visitor(app.uri())) {
            ContentResponse redirect = visitor.get("/sessions");
            assertEquals(303, redirect.getStatus());
            String location = redirect.getHeaders().get(HttpHeader.LOCATION);
            assertEquals("/?notice=sign-in-for-sessions", location);
            ShopPage page = new ShopPage(visitor.get(location).getContentAsString());
            assertEquals("Sign in to see your sessions.", page.notice(), page.html());

            String forged = visitor.get("/?notice=%3Cscript%3Ealert(1)%3C/script%3E").getContentAsString();
            assertNull(new ShopPage(forged).notice(), "only the app's own notices are shown");
            assertFalse(forged.contains("<script>alert"), forged);
        }
    }
}
