/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The request loop of the concurrent-attribute tests: {@code threads} threads released together, thread t
 * incrementing attribute {@code "t" + t} of one session {@code increments} times and checking that each reply is the
 * count it expects, so a lost update fails the thread that lost it.
 */
final class ConcurrentIncrements {

    /** Sends one increment request for {@code attribute} in the shared session and returns the reply's body. */
    @FunctionalInterface
    interface Increment {
        String send(String attribute) throws Exception;
    }

    private ConcurrentIncrements() {
    }

    static void run(int threads, int increments, Increment increment) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String attribute = "t" + t;
                workers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 1; i <= increments; i++) {
                        assertEquals(Integer.toString(i), increment.send(attribute), attribute + " lost an update");
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
