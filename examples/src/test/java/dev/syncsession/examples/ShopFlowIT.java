/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import dev.syncsession.jetty.SyncSessions;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import dev.syncsession.jetty.cache.SessionCacheKind;

/** The shop against the running app, over HTTP: the session is visible in what the pages show. */
class ShopFlowIT {

    @ParameterizedTest(name = "cache {0}")
    @EnumSource(SessionCacheKind.class)
    void cartSurvivesSignInWhichRotatesTheSessionId(SessionCacheKind cache) throws Exception {
        try (RunningExample app = RunningExample.start(cache, RunningExample.newSnapshotDir("shop-" + cache));
                Visitor visitor = new Visitor(app.uri())) {
            assertEquals(1, new ShopPage(visitor.get("/").getContentAsString()).visits());
            String anonymousId = visitor.sessionId();
            assertNotNull(anonymousId, "the first visit sets a session cookie");

            visitor.postAndFollow("/cart", "product", "mug", "action", "add");
            visitor.postAndFollow("/cart", "product", "mug", "action", "add");
            ShopPage beforeSignIn = new ShopPage(
                    visitor.postAndFollow("/cart", "product", "tee", "action", "add"));
            assertEquals(Map.of("mug", 2, "tee", 1), beforeSignIn.cart());
            assertEquals("$49.00", beforeSignIn.total());

            ContentResponse signIn = visitor.post("/signin", "name", "Ada");
            assertEquals(303, signIn.getStatus());
            String signedInId = visitor.sessionId();
            assertNotNull(signedInId);
            assertNotEquals(anonymousId, signedInId, "sign-in must give the session a new id");

            ShopPage afterSignIn = new ShopPage(visitor.get("/").getContentAsString());
            assertEquals("Ada", afterSignIn.user());
            assertEquals(Map.of("mug", 2, "tee", 1), afterSignIn.cart(), "the cart moves with the new id");
            assertEquals(beforeSignIn.visits() + 1, afterSignIn.visits(), "the visit count moves with it too");
            assertEquals(signedInId, visitor.sessionId(), "the id stays put between sign-ins");
        }
    }

    @Test
    void theIdFromBeforeSignInNoLongerReachesTheSession() throws Exception {
        try (RunningExample app = RunningExample.start(SessionCacheKind.SYNCMAP,
                RunningExample.newSnapshotDir("fixation"));
                Visitor victim = new Visitor(app.uri());
                Visitor attacker = new Visitor(app.uri())) {
            victim.get("/");
            String plantedId = victim.sessionId();
            victim.postAndFollow("/signin", "name", "Grace");

            attacker.useSessionId(plantedId);
            ShopPage seenByAttacker = new ShopPage(attacker.get("/").getContentAsString());
            assertNull(seenByAttacker.user(), "the pre-sign-in id must not be signed in");
            assertEquals(1, seenByAttacker.visits(), "the old id gets a brand-new session");
            assertNotEquals(victim.sessionId(), attacker.sessionId());
        }
    }

    @Test
    void signOutInvalidatesTheSession() throws Exception {
        try (RunningExample app = RunningExample.start(SessionCacheKind.SYNCMAP,
                RunningExample.newSnapshotDir("signout"));
                Visitor visitor = new Visitor(app.uri())) {
            visitor.get("/");
            visitor.postAndFollow("/signin", "name", "Ada");
            visitor.postAndFollow("/cart", "product", "poster", "action", "add");
            String signedInId = visitor.sessionId();

            ShopPage afterSignOut = new ShopPage(visitor.postAndFollow("/signout"));
            assertNull(afterSignOut.user());
            assertTrue(afterSignOut.cart().isEmpty(), "the cart went with the session");
            assertEquals(1, afterSignOut.visits(), "a fresh session starts counting again");
            assertNotEquals(signedInId, visitor.sessionId());

            visitor.useSessionId(signedInId);
            ShopPage replayed = new ShopPage(visitor.get("/").getContentAsString());
            assertNull(replayed.user(), "an invalidated id must not come back to life");
        }
    }

    @Test
    void visitCounterCountsPageViewsPerSession() throws Exception {
        try (RunningExample app = RunningExample.start(SessionCacheKind.SYNCMAP,
                RunningExample.newSnapshotDir("visits"));
                Visitor first = new Visitor(app.uri());
                Visitor second = new Visitor(app.uri())) {
            first.get("/");
            first.get("/");
            assertEquals(3, new ShopPage(first.get("/").getContentAsString()).visits());
            assertEquals(1, new ShopPage(second.get("/").getContentAsString()).visits());
        }
    }

    @Test
    void cartRemovesOneAtATime() throws Exception {
        try (RunningExample app = RunningExample.start(SessionCacheKind.SYNCMAP,
                RunningExample.newSnapshotDir("cart"));
                Visitor visitor = new Visitor(app.uri())) {
            visitor.get("/");
            visitor.postAndFollow("/cart", "product", "sticker", "action", "add");
            visitor.postAndFollow("/cart", "product", "sticker", "action", "add");
            assertEquals(Map.of("sticker", 1),
                    new ShopPage(visitor.postAndFollow("/cart", "product", "sticker", "action", "remove")).cart());
            assertTrue(new ShopPage(visitor.postAndFollow("/cart", "product", "sticker", "action", "remove"))
                    .cart().isEmpty());
            assertEquals(400, visitor.post("/cart", "product", "spaceship", "action", "add").getStatus());
            assertEquals(400, visitor.post("/cart", "product", "mug", "action", "steal").getStatus());
        }
    }

    @Test
    void sessionCookieIsHttpOnlyAndSameSiteLaxAndNotSecureOverPlainHttp() throws Exception {
        try (RunningExample app = RunningExample.start(SessionCacheKind.SYNCMAP,
                RunningExample.newSnapshotDir("cookie"));
                Visitor visitor = new Visitor(app.uri())) {
            visitor.get("/");
            String setCookie = visitor.lastSetCookie().toLowerCase();
            assertTrue(setCookie.contains("; httponly"), setCookie);
            assertTrue(setCookie.contains("; samesite=lax"), setCookie);
            assertFalse(setCookie.contains("; secure"), "Secure only over HTTPS: " + setCookie);
        }
    }

    @Test
    void signInRejectsBadNamesAndEscapesGoodOnes() throws Exception {
        try (RunningExample app = RunningExample.start(SessionCacheKind.SYNCMAP,
                RunningExample.newSnapshotDir("names"));
                Visitor visitor = new Visitor(app.uri())) {
            visitor.get("/");
            ContentResponse empty = visitor.post("/signin", "name", "   ");
            assertEquals(400, empty.getStatus());
            assertTrue(empty.getContentAsString().contains("Enter a name"));
            ContentResponse tooLong = visitor.post("/signin", "name", "x".repeat(33));
            assertEquals(400, tooLong.getStatus());
            assertTrue(tooLong.getContentAsString().contains("33 characters long; at most 32"));

            ShopPage page = new ShopPage(visitor.postAndFollow("/signin", "name", "<b>Bob</b> & co"));
            assertEquals("&lt;b&gt;Bob&lt;/b&gt; &amp; co", page.user());
        }
    }
}
