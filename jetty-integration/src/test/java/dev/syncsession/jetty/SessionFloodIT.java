/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;

/**
 * A client creating sessions as fast as it can against a cap on sessions: once the cap is reached, every
 * attempt gets 503 with Retry-After, the heap stays at the cap's footprint, and the existing sessions keep being
 * served; their latency before and during the flood is measured. The default build runs a small flood (cap 2,000,
 * 20,000 attempts); the {@code soak} profile runs the full one ({@code -Dflood.cap=100000
 * -Dflood.attempts=1000000}). The numbers go to {@code target/flood-report.md}.
 *
 * <p>Server and clients share this JVM, so the heap measured is both; the clients keep no per-attempt state.
 */
class SessionFloodIT {

    private static final int CAP = Integer.getInteger("flood.cap", 2_000);
    private static final int ATTEMPTS = Integer.getInteger("flood.attempts", 20_000);
    private static final int FLOODERS = 4;
    /** Existing sessions whose requests are timed during the flood. */
    private static final int WATCHED = 100;

    @Test
    void aSessionFloodIsRefusedWith503WhileHeapStaysAtTheCapAndExistingSessionsAreServed() throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (HardenedServer server = new HardenedServer(SyncSessions.builder().sessionCap(CAP))) {
            server.get("id", null); // warm up Jetty before the empty-heap reading
            long heapEmpty = usedHeapAfterGc(memory);

            List<String> watched = new ArrayList<>();
            for (int i = 0; i < CAP; i++) {
                ContentResponse created = server.get("increment", null);
                assertEquals(200, created.getStatus());
                if (i < WATCHED) {
                    watched.add(HardenedServer.sessionIdSetBy(created));
                }
            }
            assertEquals(503, server.get("increment", null).getStatus(), "the cap is not enforced");
            long heapAtCap = usedHeapAfterGc(memory);
            long[] latencyBefore = timeRequests(server, watched, 2_000);

            AtomicLong refused = new AtomicLong();
            AtomicLong missingRetryAfter = new AtomicLong();
            AtomicLong unexpected = new AtomicLong();
            AtomicLong next = new AtomicLong();
            AtomicBoolean flooding = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(FLOODERS + 1);
            Instant started = Instant.now();
            List<Future<?>> flooders = new ArrayList<>();
            for (int f = 0; f < FLOODERS; f++) {
                flooders.add(pool.submit(() -> {
                    while (next.getAndIncrement() < ATTEMPTS) {
                        ContentResponse response = server.get("increment", null);
                        if (response.getStatus() == 503) {
                            refused.incrementAndGet();
                            if (response.getHeaders().get(HttpHeader.RETRY_AFTER) == null) {
                                missingRetryAfter.incrementAndGet();
                            }
                        } else {
                            unexpected.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            Future<long[]> during = pool.submit(() -> {
                List<Long> samples = new ArrayList<>();
                int i = 0;
                while (flooding.get()) {
                    long t0 = System.nanoTime();
                    ContentResponse response = server.get("read", watched.get(i++ % watched.size()));
                    samples.add(System.nanoTime() - t0);
                    if (response.getStatus() != 200 || response.getContentAsString().equals("none")) {
                        throw new AssertionError("an existing session was not served: " + response.getStatus());
                    }
                }
                return samples.stream().mapToLong(Long::longValue).toArray();
            });
            for (Future<?> flooder : flooders) {
                flooder.get(60, TimeUnit.MINUTES);
            }
            flooding.set(false);
            long[] latencyDuring = during.get(1, TimeUnit.MINUTES);
            Duration floodTime = Duration.between(started, Instant.now());
            pool.shutdown();

            long heapAfter = usedHeapAfterGc(memory);
            long perSession = (heapAtCap - heapEmpty) / CAP;
            report(heapEmpty, heapAtCap, heapAfter, perSession, floodTime, refused.get(), latencyBefore,
                    latencyDuring, server.store().getBackendLifecycle().getSessionsRefused());

            assertEquals(ATTEMPTS, refused.get(), "attempts past the cap that were not refused with 503");
            assertEquals(0, unexpected.get());
            assertEquals(0, missingRetryAfter.get(), "503s without Retry-After");
            assertEquals(CAP, server.store().getBackend().size(), "sessions in the backend");
            // Flat: the flood adds nothing that survives a GC beyond noise (10% of the footprint, plus 8 MB).
            long slack = (heapAtCap - heapEmpty) / 10 + 8L * 1024 * 1024;
            assertTrue(heapAfter <= heapAtCap + slack, "heap grew during the flood: " + mb(heapAtCap) + " at the cap, "
                    + mb(heapAfter) + " after " + ATTEMPTS + " attempts");
            for (String id : watched) {
                assertEquals(200, server.get("read", id).getStatus());
            }
        }
    }

    private static long[] timeRequests(HardenedServer server, List<String> sessions, int count) throws Exception {
        long[] samples = new long[count];
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            assertEquals(200, server.get("read", sessions.get(i % sessions.size())).getStatus());
            samples[i] = System.nanoTime() - t0;
        }
        return samples;
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static void report(long heapEmpty, long heapAtCap, long heapAfter, long perSession, Duration floodTime,
            long refused, long[] before, long[] during, long refusedByServer) throws IOException {
        String text = String.format("""
                # Session flood

                Run %s: cap %,d live sessions, %,d creation attempts past the cap from %d client threads, \
                SyncMap cache and backend, one JVM for server and clients (%d cores, max heap %s).

                | measure | value |
                |---|---|
                | used heap after GC, server started, no sessions | %s |
                | used heap after GC, %,d sessions (the cap) | %s (%,d bytes per session) |
                | used heap after GC, after the flood | %s |
                | flood duration | %.1f s (%,.0f attempts/s) |
                | attempts answered 503 with Retry-After | %,d (server-side refusals, with the probe: %,d) |
                | existing-session request latency before the flood, p50 / p99 / max | %s |
                | existing-session request latency during the flood, p50 / p99 / max | %s (%,d requests) |
                """, Instant.now(), CAP, ATTEMPTS, FLOODERS, Runtime.getRuntime().availableProcessors(),
                mb(Runtime.getRuntime().maxMemory()), mb(heapEmpty), CAP, mb(heapAtCap), perSession, mb(heapAfter),
                floodTime.toMillis() / 1000.0, ATTEMPTS / Math.max(0.001, floodTime.toMillis() / 1000.0), refused,
                refusedByServer, percentiles(before), percentiles(during), during.length);
        System.out.println(text);
        Path file = Path.of(System.getProperty("flood.report", "target/flood-report.md"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text);
    }

    private static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("%.2f / %.2f / %.2f ms", sorted[sorted.length / 2] / 1e6,
                sorted[(int) (sorted.length * 0.99)] / 1e6, sorted[sorted.length - 1] / 1e6);
    }

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / (1024.0 * 1024.0));
    }
}
