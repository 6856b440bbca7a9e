/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Overlapping writes to one session on two nodes, and what survives them: the lost-changes figure of BENCHMARKS.md
 * ("Overlapping requests"). {@code --sessions} drivers run for {@code --seconds}; each makes a session on node A and
 * sends it, one pair after another, {@code --pairs-per-session} pairs of requests at once, one to each node, with the
 * session cookie without its worker name (a balancer that is not sticky); then it moves on to a new session, so
 * sessions stay small (with the default 5 pairs, 11 attributes at most). {@code --mode attributes}: each request of a
 * pair sets an attribute of its own ({@code a<n>}, {@code b<n>}); {@code --mode cart}: each adds an item of its own to
 * the session's {@link BenchCart}; {@code --mode ten}: the session is made with ten String attributes of
 * {@code --value-bytes} characters (default 100), and each request of a pair changes a different one of them (the
 * issue's "session of 10 attributes where a request changes one"). At the end it reads every session back from node A and counts the acknowledged
 * changes (answered 200) that are missing. With {@code --jdbc-url}, it also reads PostgreSQL's write-ahead log
 * position before and after, for the WAL bytes per request. Prints {@code RESULT mode=... requests=...
 * acknowledged=... lost=... failed=... seconds=... p99ms=... walBytes=...} (p99: the latency of a request, sent at
 * once with its pair's other one).
 *
 * <p>{@code java -cp benchmarks.jar dev.syncsession.benchmarks.OverlapClient --a http://127.0.0.1:P1
 * --b http://127.0.0.1:P2 [--sessions 16] [--seconds 60] [--pairs-per-session 5] [--mode attributes|cart|ten]
 * [--value-bytes 100]
 * [--jdbc-url URL]}; run-http-overlap.sh starts the nodes and the database.
 */
public final class OverlapClient {

    private static final Pattern SESSION_COOKIE = Pattern.compile("JSESSIONID=([^;]*)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private OverlapClient() {
    }

    public static void main(String[] arguments) throws Exception {
        Args args = new Args(arguments);
        URI a = URI.create(args.string("a", null) + "/overlap");
        URI b = URI.create(args.string("b", null) + "/overlap");
        int sessions = (int) args.number("sessions", 16);
        long seconds = args.number("seconds", 60);
        String mode = args.string("mode", "attributes");
        if (!List.of("attributes", "cart", "ten").contains(mode)) {
            throw new IllegalArgumentException("--mode is " + mode + "; attributes, cart or ten");
        }
        int valueBytes = (int) args.number("value-bytes", 100);
        int pairsPerSession = (int) args.number("pairs-per-session", 5);
        String jdbcUrl = args.string("jdbc-url", null);
        long walBefore = jdbcUrl == null ? 0 : walPosition(jdbcUrl);
        long started = System.nanoTime();
        long deadline = started + Duration.ofSeconds(seconds).toNanos();
        ExecutorService drivers = Executors.newFixedThreadPool(sessions);
        List<Future<List<Driven>>> results = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            results.add(drivers.submit(() -> {
                List<Driven> driven = new ArrayList<>();
                while (System.nanoTime() < deadline) {
                    driven.add(drive(newSession(a, mode, valueBytes), a, b, mode, pairsPerSession, valueBytes));
                }
                return driven;
            }));
        }
        List<Driven> all = new ArrayList<>();
        for (Future<List<Driven>> result : results) {
            all.addAll(result.get());
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        long walAfter = jdbcUrl == null ? 0 : walPosition(jdbcUrl);
        drivers.shutdown();
        long requests = 0;
        long acknowledged = 0;
        long failed = 0;
        long lost = 0;
        long[] latencies = all.stream().flatMapToLong(d -> java.util.Arrays.stream(d.latencyNanos)).sorted().toArray();
        double p99Millis = latencies.length == 0 ? 0 : latencies[(int) Math.min(latencies.length - 1,
                Math.ceil(latencies.length * 0.99) - 1)] / 1e6;
        for (Driven driven : all) {
            requests += 2 * driven.pairs;
            acknowledged += driven.acknowledged.size();
            failed += driven.failed;
            String listing = switch (mode) {
                case "cart" -> "items";
                case "ten" -> "values";
                default -> "names";
            };
            Set<String> kept = new HashSet<>(List.of(get(a, driven.id, listing).split("\n")));
            for (String change : driven.acknowledged) {
                if (!kept.contains(change)) {
                    lost++;
                }
            }
        }
        System.out.printf("RESULT mode=%s drivers=%d sessions=%d requests=%d acknowledged=%d lost=%d failed=%d"
                + " seconds=%.1f p99ms=%.2f walBytes=%d%n", mode, sessions, all.size(), requests, acknowledged, lost,
                failed, elapsed, p99Millis, walAfter - walBefore);
    }

    /** PostgreSQL's write-ahead log position, in bytes. */
    private static long walPosition(String jdbcUrl) throws Exception {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(jdbcUrl);
                java.sql.ResultSet row = connection.createStatement()
                        .executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
            row.next();
            return row.getLong(1);
        }
    }

    /**
     * What was sent to one session: the pairs, the changes acknowledged with 200, the requests that were not.
     */
    private record Driven(String id, long pairs, List<String> acknowledged, long failed, long[] latencyNanos) {
    }

    private static Driven drive(String id, URI a, URI b, String mode, int pairsPerSession, int valueBytes) {
        List<String> acknowledged = new ArrayList<>();
        long pairs = 0;
        long failed = 0;
        String parameter = mode.equals("cart") ? "cart" : "set";
        long[] latencies = new long[2 * pairsPerSession];
        while (pairs < pairsPerSession) {
            pairs++;
            long sentAt = System.nanoTime();
            List<String> changes;
            List<String> queries;
            if (mode.equals("ten")) { // A and B each change one of the ten attributes, a different one
                String onA = "f" + (2 * (pairs - 1)) % 10 + "=a" + pairs;
                String onB = "f" + (2 * (pairs - 1) + 1) % 10 + "=b" + pairs;
                changes = List.of(onA, onB);
                queries = changes.stream().map(c -> "put=" + c.replace("=", "&value=") + "&bytes=" + valueBytes)
                        .toList();
            } else {
                changes = List.of("a" + pairs, "b" + pairs);
                queries = changes.stream().map(c -> parameter + "=" + c).toList();
            }
            List<CompletableFuture<HttpResponse<String>>> sent = List.of(send(a, id, queries.get(0)),
                    send(b, id, queries.get(1)));
            for (int i = 0; i < 2; i++) {
                try {
                    HttpResponse<String> response = sent.get(i).join();
                    latencies[(int) (2 * (pairs - 1) + i)] = System.nanoTime() - sentAt;
                    if (response.statusCode() == 200) {
                        String change = changes.get(i);
                        // an attribute changed again by a later pair keeps only that pair's value
                        String attribute = change.contains("=") ? change.substring(0, change.indexOf('=') + 1) : null;
                        if (attribute != null) {
                            acknowledged.removeIf(c -> c.startsWith(attribute));
                        }
                        acknowledged.add(change);
                    } else {
                        failed++;
                    }
                } catch (RuntimeException e) {
                    failed++;
                }
            }
        }
        return new Driven(id, pairs, acknowledged, failed, latencies);
    }

    private static CompletableFuture<HttpResponse<String>> send(URI node, String id, String query) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node + "?" + query))
                .header("Cookie", "JSESSIONID=" + id).timeout(Duration.ofSeconds(30)).build();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String get(URI node, String id, String query) throws Exception {
        HttpResponse<String> response = send(node, id, query).get();
        if (response.statusCode() != 200) {
            throw new IllegalStateException(node + " answered " + response.statusCode() + " to " + query);
        }
        return response.body();
    }

    /** A new session on the node; its id without the worker name, as a balancer that is not sticky sends it. */
    private static String newSession(URI node, String mode, int valueBytes) throws Exception {
        String query = mode.equals("ten") ? "fill=10&bytes=" + valueBytes : "set=created";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(node + "?" + query)).build(),
                HttpResponse.BodyHandlers.ofString());
        for (String cookie : response.headers().allValues("Set-Cookie")) {
            Matcher m = SESSION_COOKIE.matcher(cookie);
            if (m.find()) {
                String id = m.group(1);
                int dot = id.lastIndexOf('.');
                return dot < 0 ? id : id.substring(0, dot);
            }
        }
        throw new IllegalStateException(node + " made no session: " + response.statusCode());
    }
}
