/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import dev.syncsession.jetty.SyncSessions;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import dev.syncsession.jetty.cache.SessionCacheKind;
import dev.syncsession.jetty.store.BundledBackend;

/**
 * The example app under mixed load for {@code soak.minutes} (the {@code soak} profile; 30 by default): virtual users
 * create sessions, read them, update their carts, sign in (which renews the id), sign out (invalidate) and abandon
 * sessions to expire (20 s timeout, 5 s sweeps). Every request must get its expected status. After a warm-up (a
 * fifth of the run, 1 to 3 minutes, until the live sessions level off), used heap after a full GC and the thread
 * count are sampled under load; the mean of the second half of the samples must be within 10% (heap) and 2 threads
 * of the mean of the first half. About twelve samples, 5 s to a minute apart; needs at least 2 minutes. The samples
 * go to {@code target/soak-report.md}.
 *
 * <p>Run it with {@code mvn -B verify -Psoak -pl jetty-integration,examples -am -Dsoak.minutes=N}. The default
 * build skips it.
 */
@EnabledIfSystemProperty(named = "soak.minutes", matches = "[0-9]+(\\.[0-9]+)?")
class SoakIT {

    private static final Duration DURATION = Duration.ofSeconds(
            Math.round(Double.parseDouble(System.getProperty("soak.minutes", "30")) * 60));
    private static final int USERS = Integer.getInteger("soak.users", 6);
    /** Think time between a user's requests; keeps the box usable for others while the soak runs. */
    private static final long PAUSE_MILLIS = Long.getLong("soak.pauseMillis", 2);
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(5);

    private final Map<String, LongAdder> operations = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final List<String> firstErrors = Collections.synchronizedList(new ArrayList<>());

    record Sample(Duration at, long heapBytes, int threads, long storedSessions, long operations) {
    }

    @Test
    void mixedLoadRunsWithoutErrorsAndWithFlatHeapAndThreads() throws Exception {
        // Until the live sessions level off: created ones start to expire after the timeout, plus a sweep and grace.
        Duration warmUp = clamp(DURATION.dividedBy(5), Duration.ofSeconds(60), Duration.ofMinutes(3));
        // About twelve samples after the warm-up, 5 s to a minute apart.
        Duration sampleEvery = clamp(DURATION.minus(warmUp).dividedBy(12), Duration.ofSeconds(5),
                Duration.ofMinutes(1));
        ExampleOptions options = new ExampleOptions("127.0.0.1", 0, BundledBackend.SYNCMAP, 0,
                SessionCacheKind.SYNCMAP, RunningExample.newSnapshotDir("soak"), SESSION_TIMEOUT, SWEEP_INTERVAL);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Sample> samples = new ArrayList<>();
        Instant started = Instant.now();
        try (RunningExample app = RunningExample.start(options)) {
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(USERS);
            List<Future<?>> users = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                long seed = 1_000L + u;
                users.add(pool.submit(() -> {
                    runUser(app, seed, running);
                    return null;
                }));
            }
            Instant end = started.plus(DURATION);
            Instant nextSample = started.plus(warmUp);
            while (Instant.now().isBefore(end)) {
                if (!Instant.now().isBefore(nextSample)) {
                    samples.add(new Sample(Duration.between(started, Instant.now()), usedHeapAfterGc(memory),
                            threads.getThreadCount(), app.server().stats().storedSessions(), total(operations)));
                    nextSample = nextSample.plus(sampleEvery);
                }
                Thread.sleep(200);
            }
            running.set(false);
            for (Future<?> user : users) {
                user.get(1, TimeUnit.MINUTES);
            }
            pool.shutdown();
        }

        // Halves rather than single samples: heap after GC follows the live sessions, which swing with the load.
        Sample first = average(samples.subList(0, samples.size() / 2));
        Sample last = average(samples.subList(samples.size() / 2, samples.size()));
        report(started, warmUp, samples, first, last);

        assertEquals(0, total(errors), "errors: " + errors + "; first: " + firstErrors);
        assertTrue(samples.size() >= 4, "too few samples for a trend: " + samples.size());
        assertTrue(last.heapBytes() <= first.heapBytes() * 1.10, "heap after GC grew more than 10%: "
                + mb(first.heapBytes()) + " -> " + mb(last.heapBytes()));
        assertTrue(last.threads() <= first.threads() + 2, "threads grew: " + first.threads() + " -> " + last.threads());
    }

    private static Duration clamp(Duration value, Duration min, Duration max) {
        return value.compareTo(min) < 0 ? min : value.compareTo(max) > 0 ? max : value;
    }

    /** One virtual user: a loop of weighted actions on its current session until told to stop. */
    private void runUser(RunningExample app, long seed, AtomicBoolean running) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        try (Visitor visitor = new Visitor(app.uri())) {
            while (running.get()) {
                double roll = random.nextDouble();
                try {
                    if (visitor.sessionId() == null || roll < 0.05) {
                        visitor.useSessionId(null);
                        expect("create", visitor.get("/"), 200);
                        if (visitor.sessionId() == null) {
                            error("create", "no session cookie");
                        }
                    } else if (roll < 0.50) {
                        expect("read", visitor.get("/"), 200);
                    } else if (roll < 0.75) {
                        expect("cart-add", visitor.post("/cart", "product", "mug", "action", "add"), 303);
                    } else if (roll < 0.83) {
                        expect("cart-remove", visitor.post("/cart", "product", "mug", "action", "remove"), 303);
                    } else if (roll < 0.90) {
                        expect("sign-in", visitor.post("/signin", "name", "soak" + seed), 303);
                    } else if (roll < 0.96) {
                        expect("invalidate", visitor.post("/signout"), 303);
                        visitor.useSessionId(null);
                    } else {
                        // Walk away: the session is left to expire and be swept.
                        operations.computeIfAbsent("abandon", k -> new LongAdder()).increment();
                        visitor.useSessionId(null);
                    }
                } catch (Exception e) {
                    error("exception", e.toString());
                }
                if (PAUSE_MILLIS > 0) {
                    Thread.sleep(PAUSE_MILLIS);
                }
            }
        }
    }

    private void expect(String operation, ContentResponse response, int status) {
        operations.computeIfAbsent(operation, k -> new LongAdder()).increment();
        if (response.getStatus() != status) {
            error(operation, "status " + response.getStatus() + " (expected " + status + ")");
        }
    }

    private void error(String operation, String what) {
        errors.computeIfAbsent(operation, k -> new LongAdder()).increment();
        if (firstErrors.size() < 10) {
            firstErrors.add(operation + ": " + what);
        }
    }

    private static long total(Map<String, LongAdder> counters) {
        return counters.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private static Sample average(List<Sample> samples) {
        long heap = 0;
        long threadCount = 0;
        for (Sample s : samples) {
            heap += s.heapBytes();
            threadCount += s.threads();
        }
        int n = Math.max(1, samples.size());
        Sample last = samples.get(samples.size() - 1);
        return new Sample(last.at(), heap / n, (int) Math.round((double) threadCount / n), last.storedSessions(),
                last.operations());
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private void report(Instant started, Duration warmUp, List<Sample> samples, Sample first, Sample last)
            throws IOException {
        StringBuilder text = new StringBuilder();
        text.append("# Soak\n\n").append(String.format("Run %s for %s (%d virtual users, %d ms think time, session "
                + "timeout %s, sweeps every %s, warm-up %s), example app in process, SyncMap backend and cache, "
                + "%d cores, max heap %s.%n%n", started, DURATION, USERS, PAUSE_MILLIS, SESSION_TIMEOUT,
                SWEEP_INTERVAL, warmUp, Runtime.getRuntime().availableProcessors(),
                mb(Runtime.getRuntime().maxMemory())));
        text.append("Requests by kind: ").append(new TreeMap<>(operations)).append("; errors: ")
                .append(total(errors)).append(errors.isEmpty() ? "" : " " + errors + " " + firstErrors).append("\n\n");
        text.append(String.format("Heap after GC, mean of the first and the second half of the samples: %s -> %s"
                + " (%+.1f%%); threads %d -> %d.%n%n", mb(first.heapBytes()), mb(last.heapBytes()),
                100.0 * (last.heapBytes() - first.heapBytes()) / first.heapBytes(), first.threads(), last.threads()));
        text.append("| time | used heap after GC | threads | live sessions | operations so far |\n")
                .append("|---|---|---|---|---|\n");
        for (Sample s : samples) {
            text.append(String.format("| %d:%02d | %s | %d | %,d | %,d |%n", s.at().toMinutes(), s.at().toSecondsPart(),
                    mb(s.heapBytes()), s.threads(), s.storedSessions(), s.operations()));
        }
        System.out.println(text);
        Path file = Path.of(System.getProperty("soak.report", "target/soak-report.md"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text);
    }

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / (1024.0 * 1024.0));
    }
}
