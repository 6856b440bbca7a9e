/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.benchmarks;

import dev.syncsession.jetty.SyncSessions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.session.DatabaseAdaptor;
import org.eclipse.jetty.session.FileSessionDataStoreFactory;
import org.eclipse.jetty.session.JDBCSessionDataStoreFactory;

/**
 * HTTP load against an embedded Jetty (ee11) running {@link SessionServlet}, once per session configuration, all in
 * one run. The load generator is Jetty's {@link HttpClient} on loopback: {@code --clients} virtual clients, each
 * with its own session cookie, and {@code --concurrency} requests in flight (closed loop: each response sends the
 * next request, for the next client in turn). Each configuration gets {@code --warmup-seconds} of unrecorded load
 * (which also creates every client's session), then {@code --seconds} measured: requests/s and latency percentiles
 * from HdrHistogram.
 *
 * <p>Configurations ({@code --configs}, comma-separated): {@code jetty-default} (DefaultSessionCache +
 * NullSessionDataStore), {@code syncsession-default-cache}, {@code syncsession-null-cache},
 * {@code syncsession-syncmap-cache}, {@code syncsession-caffeine}, {@code jetty-file} (DefaultSessionCache +
 * FileSessionDataStore), {@code jetty-jdbc} (DefaultSessionCache + JDBCSessionDataStore on an embedded
 * PostgreSQL, which refuses to run as root: run the tool as an unprivileged user).
 *
 * <p>{@code --rounds} runs every configuration that many times in turn, every other round in reverse order, with a
 * full GC before each configuration; the last {@code --measured-rounds}
 * (default 1) are recorded, and with more than one the round with the median req/s is reported, all rounds' req/s
 * listed after it.
 *
 * <p>Only 127.0.0.1 is ever contacted; every phase is bounded in time.
 */
public final class HttpBench {

    static final String ALL_CONFIGS = "jetty-default,syncsession-default-cache,syncsession-null-cache,"
            + "syncsession-syncmap-cache,syncsession-caffeine,jetty-file,jetty-jdbc";

    private HttpBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int clients = (int) args.number("clients", 1000);
        int concurrency = (int) args.number("concurrency", 32);
        long warmupSeconds = args.number("warmup-seconds", 10);
        long seconds = args.number("seconds", 20);
        System.out.printf(Locale.ROOT, "http: %d clients, %d in flight, %d s warmup + %d s measured per config%n",
                clients, concurrency, warmupSeconds, seconds);
        int rounds = (int) args.number("rounds", 2);
        int measuredRounds = (int) Math.min(rounds, args.number("measured-rounds", 1));
        String[] configs = args.string("configs", ALL_CONFIGS).split(",");
        Map<String, List<Measured>> results = new LinkedHashMap<>(); // in --configs order, whatever the round's
        for (String config : configs) {
            results.put(config.trim(), new ArrayList<>());
        }
        for (int round = 1; round <= rounds; round++) {
            boolean measured = round > rounds - measuredRounds;
            // Earlier rounds only warm the JVM (JIT, class loading) for every configuration alike; without them the
            // configurations measured first would lose to the ones measured after the JIT has settled. Measured
            // rounds alternate the configurations, so a slow spell of the machine hits one round, not one config.
            // Every other round runs them in reverse order, so no configuration always follows the same other one
            // (whose garbage it would inherit), and a full GC before each one gives them all the same heap to start
            // from.
            System.out.printf(Locale.ROOT, "%s round %d of %d%n", measured ? "measured" : "warm-up", round, rounds);
            System.out.println("config                         req/s     p50_us    p99_us  p99.9_us    max_us"
                    + "  errors");
            for (int i = 0; i < configs.length; i++) {
                String config = configs[round % 2 == 1 ? i : configs.length - 1 - i];
                System.gc();
                Measured r = runConfig(config.trim(), clients, concurrency, warmupSeconds, seconds);
                if (measured) {
                    results.get(config.trim()).add(r);
                }
            }
        }
        if (measuredRounds > 1) {
            System.out.printf(Locale.ROOT, "median of %d measured rounds (by req/s)%n", measuredRounds);
        }
        for (Map.Entry<String, List<Measured>> e : results.entrySet()) {
            List<Measured> rs = new ArrayList<>(e.getValue());
            rs.sort(Comparator.comparingDouble(Measured::rps));
            Measured median = rs.get(rs.size() / 2);
            StringBuilder all = new StringBuilder();
            for (Measured r : e.getValue()) {
                all.append(all.length() == 0 ? "" : ";").append(String.format(Locale.ROOT, "%.0f", r.rps));
            }
            if (measuredRounds > 1) {
                System.out.printf(Locale.ROOT, "%-26s %9.0f (rounds: %s)%n", e.getKey(), median.rps, all);
            }
            args.record(String.format(Locale.ROOT, "http,%s,%.1f,%.1f,%.1f,%.1f,%.1f,%d,%d,%s", e.getKey(),
                    median.rps, median.p50, median.p99, median.p999, median.max, median.requests, median.errors,
                    all));
        }
    }

    /** One configuration's measured window: req/s, latency percentiles in µs, requests and errors. */
    private record Measured(double rps, double p50, double p99, double p999, double max, long requests, long errors) {
    }

    /** Runs one configuration and prints its line. */
    private static Measured runConfig(String config, int clients, int concurrency, long warmupSeconds, long seconds)
            throws Exception {
        try (Fixture fixture = new Fixture(config)) {
            Server server = fixture.server;
            server.start();
            int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
            Load load = new Load("http://127.0.0.1:" + port + "/s", clients, concurrency);
            try {
                load.run(warmupSeconds, seconds);
            } finally {
                load.close();
                server.stop();
            }
            Histogram h = load.histogram;
            double rps = load.measured.get() / (double) seconds;
            System.out.printf(Locale.ROOT, "%-26s %9.0f %10.1f %9.1f %9.1f %9.1f %7d%n", config, rps,
                    h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                    h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3, load.errors.get());
            return new Measured(rps, h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                    h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3, load.measured.get(),
                    load.errors.get());
        }
    }

    /** A server configured for one session configuration, and whatever it needs (a directory, a database). */
    private static final class Fixture implements AutoCloseable {
        final Server server = new Server();
        private Path directory;
        private EmbeddedPostgres postgres;

        Fixture(String config) throws IOException {
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
            context.setContextPath("/");
            context.addServlet(new ServletHolder(new SessionServlet()), "/s");
            server.setHandler(context);
            switch (config) {
                case "jetty-default" -> {
                    // No factories: Jetty's DefaultSessionCache over a NullSessionDataStore.
                }
                case "syncsession-default-cache" ->
                        SyncSessions.builder().cache(SyncSessions.Cache.DEFAULT).install(server);
                case "syncsession-null-cache" -> SyncSessions.builder().cache(SyncSessions.Cache.NULL).install(server);
                case "syncsession-syncmap-cache" ->
                        SyncSessions.builder().cache(SyncSessions.Cache.SYNCMAP).install(server);
                case "syncsession-caffeine" -> SyncSessions.builder().backend(SyncSessions.Backend.CAFFEINE)
                        .lruBound(1_000_000).install(server);
                case "jetty-file" -> {
                    directory = Files.createTempDirectory("syncsession-bench-sessions");
                    FileSessionDataStoreFactory files = new FileSessionDataStoreFactory();
                    files.setStoreDir(directory.toFile());
                    server.addBean(files);
                }
                case "jetty-jdbc" -> {
                    postgres = EmbeddedPostgres.builder().start();
                    DatabaseAdaptor adaptor = new DatabaseAdaptor();
                    adaptor.setDatasource(postgres.getPostgresDatabase());
                    JDBCSessionDataStoreFactory jdbc = new JDBCSessionDataStoreFactory();
                    jdbc.setDatabaseAdaptor(adaptor);
                    server.addBean(jdbc);
                }
                default -> throw new IllegalArgumentException("unknown config '" + config + "'; known: "
                        + ALL_CONFIGS);
            }
        }

        @Override
        public void close() throws IOException {
            if (postgres != null) {
                postgres.close();
            }
            if (directory != null) {
                try (Stream<Path> files = Files.walk(directory)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    /** The closed-loop load generator. */
    private static final class Load {
        private final HttpClient client = new HttpClient();
        private final String uri;
        private final int clients;
        private final int concurrency;
        private final AtomicReferenceArray<String> cookies;
        private final AtomicInteger nextClient = new AtomicInteger();
        private final Recorder recorder = new Recorder(3);
        final AtomicLong measured = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        Histogram histogram;
        private volatile boolean measuring;
        private volatile boolean stopping;
        private CountDownLatch drained;

        Load(String uri, int clients, int concurrency) throws Exception {
            this.uri = uri;
            this.clients = clients;
            this.concurrency = concurrency;
            this.cookies = new AtomicReferenceArray<>(clients);
            // Each virtual client carries its own cookie, so the shared cookie store must stay empty.
            client.setHttpCookieStore(new HttpCookieStore.Empty());
            client.setMaxConnectionsPerDestination(concurrency);
            client.setMaxRequestsQueuedPerDestination(concurrency * 4);
            client.start();
        }

        void run(long warmupSeconds, long seconds) throws InterruptedException {
            drained = new CountDownLatch(concurrency);
            for (int i = 0; i < concurrency; i++) {
                send();
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));
            recorder.reset();
            measured.set(0);
            errors.set(0);
            measuring = true;
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            measuring = false;
            histogram = recorder.getIntervalHistogram();
            stopping = true;
            if (!drained.await(30, TimeUnit.SECONDS)) {
                System.out.println("warning: requests still in flight 30 s after the load stopped");
            }
        }

        private void send() {
            if (stopping) {
                drained.countDown();
                return;
            }
            int c = Math.floorMod(nextClient.getAndIncrement(), clients);
            String cookie = cookies.get(c);
            long started = System.nanoTime();
            client.newRequest(uri).headers(h -> {
                if (cookie != null) {
                    h.put(HttpHeader.COOKIE, cookie);
                }
            }).timeout(30, TimeUnit.SECONDS).send(new BufferingResponseListener() {
                @Override
                public void onComplete(Result result) {
                    long elapsed = System.nanoTime() - started;
                    boolean ok = result.isSucceeded() && result.getResponse().getStatus() == 200;
                    if (ok) {
                        String setCookie = result.getResponse().getHeaders().get(HttpHeader.SET_COOKIE);
                        if (setCookie != null) {
                            int semicolon = setCookie.indexOf(';');
                            cookies.set(c, semicolon < 0 ? setCookie : setCookie.substring(0, semicolon));
                        }
                    }
                    if (measuring) {
                        if (ok) {
                            recorder.recordValue(elapsed);
                            measured.incrementAndGet();
                        } else {
                            errors.incrementAndGet();
                        }
                    }
                    send();
                }
            });
        }

        void close() throws Exception {
            client.stop();
        }
    }
}
