/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncsession.jetty.SyncSessions;
import dev.syncsession.jetty.cache.SessionCacheKind;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics}: the store's meters in Prometheus' text format, moving with what users do. */
class MetricsIT {

    private static final Pattern CREATED =
            Pattern.compile("(?m)^syncsession_sessions_creations_total\\{context=\"/\"} (\\S+)$");

    @Test
    void theMetricsPageCountsWhatUsersDo() throws Exception {
        try (RunningExample app = RunningExample.start(SessionCacheKind.SYNCMAP,
                RunningExample.newSnapshotDir("metrics"));
                Visitor watcher = new Visitor(app.uri());
                Visitor shopper = new Visitor(app.uri())) {
            ContentResponse before = watcher.get("/metrics");
            assertEquals(200, before.getStatus());
            assertTrue(before.getMediaType().startsWith("text/plain"), before.getMediaType());
            double createdBefore = created(before.getContentAsString());

            shopper.get("/");
            shopper.postAndFollow("/signin", "name", "Ada");

            String after = watcher.get("/metrics").getContentAsString();
            assertEquals(createdBefore + 1, created(after), after);
            for (String meter : new String[] {"syncsession_sessions_active_current_sessions",
                    "syncsession_sessions_expired_total", "syncsession_sessions_refused_total",
                    "syncsession_sessions_ids_refused_total", "syncsession_sweeps_total",
                    "syncsession_sweep_duration_seconds", "syncsession_map_misses_total",
                    "syncsession_map_promotions_total", "syncsession_snapshot_age_seconds"}) {
                assertTrue(after.contains(meter + "{context=\"/\"}"), meter + " missing:\n" + after);
            }
            assertNull(watcher.sessionId(), "reading the metrics made a session");
        }
    }

    private static double created(String metrics) {
        Matcher m = CREATED.matcher(metrics);
        assertTrue(m.find(), "no created counter in:\n" + metrics);
        return Double.parseDouble(m.group(1));
    }
}
