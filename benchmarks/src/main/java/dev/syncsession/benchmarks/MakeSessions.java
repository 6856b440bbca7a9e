/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.benchmarks;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Creates sessions on a benchmark server over HTTP, from its own JVM: {@code --count} cookieless requests to
 * {@code --url}, {@code --concurrency} in flight, each of which creates a session; the first {@code --keep} session
 * cookies are written to {@code --out}, one {@code JSESSIONID} value per line, for wrk to replay. This is how the
 * HTTP benchmark both makes its replayed sessions and pre-fills a server with 1,000,000 live ones: over HTTP, before
 * the measurement, never inside the server.
 */
public final class MakeSessions {

    private MakeSessions() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String url = args.string("url", null);
        long count = args.number("count", 1000);
        int keep = (int) args.number("keep", 1000);
        int concurrency = (int) args.number("concurrency", 32);
        Path out = Path.of(args.string("out", "cookies.txt"));
        List<String> kept = new ArrayList<>();
        AtomicLong failures = new AtomicLong();
        HttpClient client = new HttpClient();
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setMaxConnectionsPerDestination(concurrency);
        client.start();
        try {
            Semaphore inFlight = new Semaphore(concurrency);
            for (long i = 0; i < count; i++) {
                inFlight.acquire();
                client.newRequest(url).send(result -> {
                    try {
                        String cookie = null;
                        if (result.isSucceeded() && result.getResponse().getStatus() == 200) {
                            for (HttpField field : result.getResponse().getHeaders().getFields(HttpHeader.SET_COOKIE)) {
                                String value = field.getValue();
                                if (value.startsWith("JSESSIONID=")) {
                                    cookie = value.substring("JSESSIONID=".length()).split(";", 2)[0];
                                }
                            }
                        }
                        if (cookie == null) {
                            failures.incrementAndGet();
                        } else {
                            synchronized (kept) {
                                if (kept.size() < keep) {
                                    kept.add(cookie);
                                }
                            }
                        }
                    } finally {
                        inFlight.release();
                    }
                });
            }
            if (!inFlight.tryAcquire(concurrency, 120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("requests still in flight after 120 s");
            }
        } finally {
            client.stop();
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.US_ASCII))) {
            kept.forEach(w::println);
        }
        System.out.println("sessions made: " + (count - failures.get()) + ", failures: " + failures.get()
                + ", cookies kept: " + kept.size());
        if (failures.get() > 0) {
            System.exit(1);
        }
    }
}
