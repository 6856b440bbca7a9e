/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.syncsession.jetty.store.SyncSessionDataStore;
import dev.syncsession.jetty.SyncSessions;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;
import dev.syncsession.jetty.cache.SessionCacheKind;
import dev.syncsession.jetty.store.BundledBackend;

/** {@code /stats.json} and the dashboard page that shows it. */
class StatsJsonIT {

    @Test
    void statsJsonHasEveryNumberTheDashboardShows() throws Exception {
        try (RunningExample app = RunningExample.start(SessionCacheKind.SYNCMAP,
                RunningExample.newSnapshotDir("stats-shape"));
                Visitor visitor = new Visitor(app.uri())) {
            visitor.get("/");
            // The new session's id went to the index's dirty table; a range promotes it (as Go's Range does), unless a
            // sweep (also a range) did already: either way the counters are no longer both zero.
            SyncSessionDataStore store = app.server().stats().store();
            store.getBackend().range(record -> true);
            long missesBefore = store.getBackendLifecycle().getMapMisses();
            long promotionsBefore = store.getBackendLifecycle().getMapPromotions();
            assertTrue(missesBefore + promotionsBefore > 0, "the index reported no slow-path work");
            Map<String, Object> stats = visitor.statsJson();
            long missesAfter = store.getBackendLifecycle().getMapMisses();
            long promotionsAfter = store.getBackendLifecycle().getMapPromotions();
            assertEquals(Set.of("timeMillis", "config", "sessions", "sweeps", "syncMap", "history",
                    "snapshotAgeSeconds"), stats.keySet());
            assertInstanceOf(Number.class, stats.get("timeMillis"));
            // No snapshot written yet (the first periodic write is 30 s after start): no age.
            assertNull(stats.get("snapshotAgeSeconds"));

            Map<String, Object> config = object(stats, "config");
            assertEquals("syncmap", config.get("backend"));
            assertEquals("syncmap", config.get("cache"));
            assertEquals(0, number(config, "maximumSessions"));
            assertEquals(1800, number(config, "sessionTimeoutSeconds"));
            assertEquals(10, number(config, "sweepIntervalSeconds"));
            assertEquals(app.server().snapshot().toString(), config.get("snapshot"));

            Map<String, Object> sessions = object(stats, "sessions");
            assertEquals(Set.of("live", "created", "expired"), sessions.keySet());
            assertEquals(1, number(sessions, "live"));
            assertEquals(1, number(sessions, "created"));
            assertEquals(0, number(sessions, "expired"));

            Map<String, Object> sweeps = object(stats, "sweeps");
            assertEquals(Set.of("count", "lastDurationMillis", "removed"), sweeps.keySet());
            assertInstanceOf(Number.class, sweeps.get("count"));
            assertInstanceOf(Number.class, sweeps.get("removed"));

            Map<String, Object> syncMap = object(stats, "syncMap");
            assertEquals(Set.of("source", "misses", "promotions"), syncMap.keySet());
            assertEquals("store", syncMap.get("source"), "the SyncMap backend reports its index's counters");
            // The dashboard reports the index's own counters, read between the two readings above.
            long misses = number(syncMap, "misses");
            long promotions = number(syncMap, "promotions");
            assertTrue(missesBefore <= misses && misses <= missesAfter, missesBefore + " <= " + misses + " <= "
                    + missesAfter);
            assertTrue(promotionsBefore <= promotions && promotions <= promotionsAfter, promotionsBefore + " <= "
                    + promotions + " <= " + promotionsAfter);

            Map<String, Object> history = object(stats, "history");
            assertEquals(StoreStats.SAMPLE_SECONDS, number(history, "intervalSeconds"));
            List<?> live = assertInstanceOf(List.class, history.get("live"));
            assertFalse(live.isEmpty(), "the first sample is taken at start");
            assertTrue(live.size() <= StoreStats.HISTORY_SAMPLES);
            live.forEach(sample -> assertInstanceOf(Number.class, sample));
        }
    }

    @Test
    void liveAndCreatedFollowSignInAndSignOut() throws Exception {
        try (RunningExample app = RunningExample.start(SessionCacheKind.SYNCMAP,
                RunningExample.newSnapshotDir("stats-counts"));
                Visitor ada = new Visitor(app.uri());
                Visitor bob = new Visitor(app.uri());
                Visitor watcher = new Visitor(app.uri())) {
            ada.get("/");
            bob.get("/");
            ada.postAndFollow("/signin", "name", "Ada");
            Map<String, Object> sessions = object(watcher.statsJson(), "sessions");
            assertEquals(2, number(sessions, "live"), "sign-in renames a session, it does not add one");
            assertEquals(2, number(sessions, "created"));

            bob.postAndFollow("/signout");
            sessions = object(watcher.statsJson(), "sessions");
            assertEquals(3, number(sessions, "created"), "after sign-out the shop page starts a new session");
            assertEquals(2, number(sessions, "live"));
            assertEquals(0, number(sessions, "expired"), "a sign-out is not an expiry");
            assertNull(watcher.sessionId(), "watching the stats never creates a session");
        }
    }

    @Test
    void idleSessionsExpireAndSweepsAreCounted() throws Exception {
        try (RunningExample app = RunningExample.start(SessionCacheKind.SYNCMAP,
                RunningExample.newSnapshotDir("stats-expiry"), Duration.ofSeconds(1), Duration.ofSeconds(1));
                Visitor visitor = new Visitor(app.uri());
                Visitor watcher = new Visitor(app.uri())) {
            visitor.get("/");
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            Map<String, Object> stats = watcher.statsJson();
            while (number(object(stats, "sessions"), "expired") < 1 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                stats = watcher.statsJson();
            }
            Map<String, Object> sessions = object(stats, "sessions");
            assertEquals(1, number(sessions, "expired"), "the idle session expires within 15 s: " + stats);
            assertEquals(0, number(sessions, "live"));
            Map<String, Object> sweeps = object(stats, "sweeps");
            assertTrue(number(sweeps, "count") >= 1, "the store was swept: " + stats);
            assertInstanceOf(Number.class, sweeps.get("lastDurationMillis"));
        }
    }

    @Test
    void theFirstSweepIsCountedOneIntervalAfterStart() throws Exception {
        Duration interval = Duration.ofSeconds(5);
        long started = System.nanoTime();
        try (RunningExample app = RunningExample.start(SessionCacheKind.SYNCMAP,
                RunningExample.newSnapshotDir("stats-first-sweep"), Duration.ofMinutes(30), interval);
                Visitor watcher = new Visitor(app.uri())) {
            // The first sweep runs one interval after the store started, which was before the server answered.
            assertFirstSweepCounted(watcher, started, interval, () -> "start");
        }
    }

    /**
     * Polls /stats.json until it counts a sweep, at most one interval after {@code sinceNanos} plus a slack for a
     * loaded machine that is shorter than a second interval, and fails if it does not.
     */
    private static void assertFirstSweepCounted(Visitor watcher, long sinceNanos, Duration interval,
            Callable<String> since) throws Exception {
        long deadline = sinceNanos + interval.plusMillis(4500).toNanos();
        Map<String, Object> sweeps = object(watcher.statsJson(), "sweeps");
        while (number(sweeps, "count") < 1 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            sweeps = object(watcher.statsJson(), "sweeps");
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - sinceNanos);
        if (number(sweeps, "count") < 1) {
            fail("no sweep counted " + waited.toMillis() + " ms after " + since.call() + ", with a sweep every "
                    + interval + ": " + sweeps);
        }
        assertInstanceOf(Number.class, sweeps.get("lastDurationMillis"));
    }

    /**
     * The runnable jar as the README starts it, with no sweep option: its /stats.json counts the first sweep one
     * default interval (10 s) after the server started serving. A report had the dashboard at 0 sweeps after 17 s.
     */
    @Test
    void theRunnableJarWithItsDefaultsCountsItsFirstSweepOneIntervalAfterItServes() throws Exception {
        Duration interval = Duration.ofSeconds(10);
        try (JarProcess process = JarProcess.start(SnapshotRestartIT.runnableJar(),
                RunningExample.newSnapshotDir("jar-first-sweep"));
                Visitor watcher = new Visitor(process.uri)) {
            long serving = System.nanoTime();
            assertEquals(interval.toSeconds(), number(object(watcher.statsJson(), "config"), "sweepIntervalSeconds"),
                    "the example's default sweep interval");
            // The store, and its sweeper, started before the jar printed its address.
            assertFirstSweepCounted(watcher, serving, interval,
                    () -> "the jar served (its output:\n" + process.output() + ")");
        }
    }

    @Test
    void caffeineBackendReportsItsBoundAndTheCacheSyncMapCounters() throws Exception {
        ExampleOptions options = new ExampleOptions("127.0.0.1", 0, BundledBackend.CAFFEINE, 50,
                SessionCacheKind.SYNCMAP, RunningExample.newSnapshotDir("stats-caffeine"), Duration.ofMinutes(30),
                Duration.ofSeconds(10));
        try (RunningExample app = RunningExample.start(options);
                Visitor visitor = new Visitor(app.uri())) {
            visitor.get("/");
            Map<String, Object> stats = visitor.statsJson();
            Map<String, Object> config = object(stats, "config");
            assertEquals("caffeine", config.get("backend"));
            assertEquals(50, number(config, "maximumSessions"));
            assertEquals(1, number(object(stats, "sessions"), "live"));
            assertEquals("cache", object(stats, "syncMap").get("source"),
                    "with a Caffeine backend the SyncMap is the session cache's");
        }
    }

    @Test
    void withoutAnySyncMapTheCountersAreNull() throws Exception {
        ExampleOptions options = new ExampleOptions("127.0.0.1", 0, BundledBackend.CAFFEINE, 50,
                SessionCacheKind.DEFAULT, RunningExample.newSnapshotDir("stats-nosyncmap"), Duration.ofMinutes(30),
                Duration.ofSeconds(10));
        try (RunningExample app = RunningExample.start(options);
                Visitor visitor = new Visitor(app.uri())) {
            Map<String, Object> syncMap = object(visitor.statsJson(), "syncMap");
            assertTrue(syncMap.containsKey("misses"), "null fields are written, not left out: " + syncMap);
            assertNull(syncMap.get("source"));
            assertNull(syncMap.get("misses"));
            assertNull(syncMap.get("promotions"));
        }
    }

    @Test
    void dashboardIsServedByTheAppAloneAndPollsStatsJson() throws Exception {
        try (RunningExample app = RunningExample.start(SessionCacheKind.SYNCMAP,
                RunningExample.newSnapshotDir("stats-page"));
                Visitor visitor = new Visitor(app.uri())) {
            ContentResponse page = visitor.get("/stats");
            assertEquals(200, page.getStatus());
            assertTrue(page.getHeaders().get(HttpHeader.CONTENT_TYPE).startsWith("text/html"));
            String html = page.getContentAsString();
            assertNull(visitor.sessionId(), "the dashboard creates no session");

            Matcher references = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(html);
            int count = 0;
            while (references.find()) {
                String target = references.group(1);
                assertTrue(target.startsWith("/"), "the page loads only from the app, not " + target);
                assertEquals(200, visitor.get(target).getStatus(), target + " is served");
                count++;
            }
            assertTrue(count >= 3, "stylesheet, script and navigation links: " + html);

            String script = visitor.get("/static/stats.js").getContentAsString();
            assertTrue(script.contains("fetch('/stats.json'"), "the dashboard polls the JSON endpoint");
            assertFalse(Pattern.compile("https?://(?!www\\.w3\\.org/2000/svg)").matcher(script).find(),
                    "the script fetches nothing from elsewhere (the SVG namespace is a name, not a request)");
        }
    }

    /**
     * The layout promises of the dashboard, read from what the app serves (DashboardBrowserIT measures them in a
     * browser where Chromium is installed): seven cards, seven columns at 1280 px and none of the media queries
     * that change it applying there; the snapshot file by its name, with the full path in the tooltip, in a code
     * element that may wrap anywhere, and no break-all that cuts the words around it.
     */
    @Test
    void dashboardCardsFillOneRowAt1280PixelsAndTheSnapshotPathWrapsOnlyInside() throws Exception {
        try (RunningExample app = RunningExample.start(SessionCacheKind.SYNCMAP,
                RunningExample.newSnapshotDir("stats-layout"));
                Visitor visitor = new Visitor(app.uri())) {
            String html = visitor.get("/stats").getContentAsString();
            String css = visitor.get("/static/style.css").getContentAsString();
            String script = visitor.get("/static/stats.js").getContentAsString();

            Matcher cards = Pattern.compile("<div class=\"card\">").matcher(html);
            int count = 0;
            while (cards.find()) {
                count++;
            }
            Matcher columns = Pattern.compile("\\.cards \\{[^}]*grid-template-columns: repeat\\((\\d+),").matcher(css);
            assertTrue(columns.find(), "no column count for .cards:\n" + css);
            assertEquals(count, Integer.parseInt(columns.group(1)), "one row of all " + count + " cards");
            Matcher narrower = Pattern.compile("@media \\(max-width: (\\d+)px\\) \\{ \\.cards").matcher(css);
            while (narrower.find()) {
                assertTrue(Integer.parseInt(narrower.group(1)) < 1280, "a media query changes the cards at 1280 px: "
                        + narrower.group());
            }
            Matcher dashboardWidth = Pattern.compile("\\.dashboard \\{[^}]*max-width: (\\d+)px").matcher(css);
            assertTrue(dashboardWidth.find() && Integer.parseInt(dashboardWidth.group(1)) / count >= 150,
                    "each of " + count + " cards gets at least 150 px at 1280 px:\n" + css);

            assertFalse(css.contains("break-all"), "break-all cuts words mid-word");
            assertTrue(css.contains(".config code { overflow-wrap: anywhere; }"), css);
            assertTrue(html.contains("<code id=\"snapshot-file\">"), html);
            assertTrue(script.contains("file.textContent = config.snapshot.split(")
                    && script.contains("file.title = config.snapshot;"), "the file name, the full path as title");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> parent, String field) {
        return (Map<String, Object>) assertInstanceOf(Map.class, parent.get(field), field + " in " + parent);
    }

    private static long number(Map<String, Object> parent, String field) {
        return assertInstanceOf(Number.class, parent.get(field), field + " in " + parent).longValue();
    }
}
