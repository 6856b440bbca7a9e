/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.benchmarks;

import dev.syncsession.jetty.SyncSessions;
import dev.syncsession.jetty.cache.SessionCacheKind;
import dev.syncsession.jetty.nodes.PooledSessionDatabase;
import dev.syncsession.jetty.nodes.SharedSessions;
import dev.syncsession.jetty.nodes.SessionDatabase;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.session.DatabaseAdaptor;
import org.eclipse.jetty.session.DefaultSessionIdManager;
import org.eclipse.jetty.session.FileSessionDataStoreFactory;
import org.eclipse.jetty.session.HouseKeeper;
import org.eclipse.jetty.session.JDBCSessionDataStore;
import org.eclipse.jetty.session.JDBCSessionDataStoreFactory;
import org.eclipse.jetty.session.NullSessionCacheFactory;
import org.eclipse.jetty.session.SessionIdManager;

/**
 * One server of the out-of-process HTTP benchmark ({@code benchmarks/run-http-wrk.sh}): an embedded Jetty (ee11) on
 * 127.0.0.1 running {@link SessionServlet} at {@code /s} with one session setup, in its own JVM, so that the load
 * generator (wrk, another process) shares neither its GC nor its JIT. Prints {@code LISTENING <port> <pid>} once it
 * serves, then runs until killed.
 *
 * <p>Setups ({@code --setup}): {@code jetty-default} (Jetty's DefaultSessionCache, no store: what Jetty does without
 * configuration), {@code syncsession-default} ({@code SyncSessions.install(server)}: SyncMap cache over the SyncMap
 * store), {@code syncsession-by-user} (the same, with the servlet's {@code user} attribute as the principal
 * attribute: every session is signed in at its creation and indexed by user),
 * {@code syncsession-snapshot} (the default install writing its periodic snapshot every
 * {@code --snapshot-interval} seconds, default 5: with 1,000,000 sessions, whose write takes longer, the writer
 * runs without pause, so every measured request overlaps a write), {@code syncsession-default-cache} (Jetty's
 * DefaultSessionCache over the SyncMap store),
 * {@code jetty-file} (DefaultSessionCache over Jetty's FileSessionDataStore); on the PostgreSQL at {@code --jdbc-url}
 * (each through the same bounded pool, {@code PooledSessionDatabase}, 10 connections): {@code jetty-jdbc} (Jetty's
 * JDBCSessionDataStore under its DefaultSessionCache, as Jetty configures it by default), {@code jetty-jdbc-null}
 * (the same store under Jetty's NullSessionCache, what Jetty advises without stickiness), {@code shared-syncmap}
 * ({@code SharedSessions} with the SyncMap cache, checking each cached copy), {@code shared-syncmap-trusting} (the
 * same trusting stickiness: {@code checkCachedCopies(false)}), {@code shared-null} (the null cache),
 * {@code shared-null-inplace} (the null cache, with in-place changes detected: {@code detectInPlaceChanges(true)}).
 *
 * <p>Each database setup has a session table of its own, {@code sessions_<setup>} ({@code -} as {@code _}).
 * {@code --max-inactive-seconds S} gives every session that max inactive interval (default: none, sessions never
 * expire, as an embedded context without {@code web.xml}; Jetty's {@code webdefault} gives 1,800).
 *
 * <p>{@code --attributes N --value-chars C} serve {@link ManyAttributesServlet} at {@code /s} instead: sessions of N
 * attributes of C characters, one replaced per request (issue #27's measure).
 *
 * <p>{@code --worker-name} names the node (Jetty's session id suffix); the script gives each node of a many-node run
 * its own.
 *
 * <p>{@code GET /bench/heap} answers the heap in use after three full GCs, in bytes: how the script measures the
 * heap per live session (after a prefill over HTTP, minus before it). {@code GET /bench/sessions} answers the live
 * sessions (created minus destroyed, by the context's listeners). {@code --scavenge-seconds N} runs Jetty's
 * housekeeper every N seconds (default: Jetty's 10 minutes).
 */
public final class BenchServer {

    static final String SETUPS = "jetty-default,syncsession-default,syncsession-by-user,syncsession-snapshot,"
            + "syncsession-default-cache,jetty-file,jetty-jdbc,shared-syncmap,shared-syncmap-trusting,shared-null,"
            + "shared-null-inplace";

    private BenchServer() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String setup = args.string("setup", "jetty-default");
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort((int) args.number("port", 0));
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        long attributes = args.number("attributes", 0);
        context.addServlet(new ServletHolder(attributes == 0 ? new SessionServlet()
                : new ManyAttributesServlet((int) attributes, (int) args.number("value-chars", 16))), "/s");
        context.addServlet(new ServletHolder(new OverlapServlet()), "/overlap");
        context.addServlet(new ServletHolder(new HeapServlet()), "/bench/heap");
        LiveSessions live = new LiveSessions();
        context.addEventListener(live);
        context.addServlet(new ServletHolder(live), "/bench/sessions");
        server.setHandler(context);
        // Every node of a many-node run needs its own worker name (Jetty's is node0 unless set); the single-node
        // SyncMap store refuses one.
        String workerName = args.string("worker-name", "bench" + ProcessHandle.current().pid());
        if (setup.startsWith("jetty-jdbc")) {
            DefaultSessionIdManager ids = new DefaultSessionIdManager(server);
            ids.setWorkerName(workerName);
            server.addBean(ids, true);
        }
        Path directory = null;
        switch (setup) {
            case "jetty-default" -> {
                // No factories: Jetty's DefaultSessionCache over a NullSessionDataStore.
            }
            case "syncsession-default" -> SyncSessions.install(server);
            case "syncsession-by-user" -> SyncSessions.builder().userAttribute("user").install(server);
            case "syncsession-snapshot" -> {
                directory = Files.createTempDirectory("syncsession-bench-snapshot");
                SyncSessions.builder().snapshotFile(directory.resolve("sessions.snapshot"))
                        .snapshotInterval(Duration.ofSeconds(args.number("snapshot-interval", 5)))
                        .install(server);
            }
            case "syncsession-default-cache" -> SyncSessions.builder().cache(SessionCacheKind.DEFAULT).install(server);
            case "jetty-file" -> {
                directory = Files.createTempDirectory("syncsession-bench-sessions");
                FileSessionDataStoreFactory files = new FileSessionDataStoreFactory();
                files.setStoreDir(directory.toFile());
                server.addBean(files);
            }
            case "jetty-jdbc", "jetty-jdbc-null" -> {
                if (setup.equals("jetty-jdbc-null")) {
                    server.addBean(new NullSessionCacheFactory());
                }
                PooledSessionDatabase pool = pool(args);
                server.addEventListener(pool);
                DatabaseAdaptor adaptor = new DatabaseAdaptor();
                adaptor.setDatasource(pool);
                JDBCSessionDataStoreFactory jdbc = new JDBCSessionDataStoreFactory();
                jdbc.setDatabaseAdaptor(adaptor);
                JDBCSessionDataStore.SessionTableSchema schema = new JDBCSessionDataStore.SessionTableSchema();
                schema.setTableName(table(setup));
                jdbc.setSessionTableSchema(schema);
                server.addBean(jdbc);
            }
            case "shared-syncmap", "shared-syncmap-trusting", "shared-null", "shared-null-inplace" -> {
                SharedSessions shared = SharedSessions.builder(SessionDatabase.jdbcUrl(jdbcUrl(args), null, null)
                                .tableName(table(setup)))
                        .workerName(workerName)
                        .cache(setup.startsWith("shared-null") ? SessionCacheKind.NULL : SessionCacheKind.SYNCMAP)
                        .detectInPlaceChanges(setup.equals("shared-null-inplace"))
                        .checkCachedCopies(!setup.equals("shared-syncmap-trusting"))
                        .allowPackage(BenchCart.class.getPackageName()) // the overlap benchmark's cart
                        .install(server);
                server.setHandler(shared.guard(context));
            }
            default -> throw new IllegalArgumentException("unknown setup '" + setup + "'; known: " + SETUPS);
        }
        long maxInactiveSeconds = args.number("max-inactive-seconds", -1);
        if (maxInactiveSeconds > 0) {
            context.getSessionHandler().setMaxInactiveInterval((int) maxInactiveSeconds);
        }
        long scavengeSeconds = args.number("scavenge-seconds", 0);
        if (scavengeSeconds > 0) {
            // Jetty's expiry scan (its default is every 10 minutes): the expiry benchmark's removal of expired sessions.
            SessionIdManager existing = server.getBean(SessionIdManager.class);
            DefaultSessionIdManager ids = existing instanceof DefaultSessionIdManager d ? d
                    : new DefaultSessionIdManager(server);
            HouseKeeper houseKeeper = new HouseKeeper();
            houseKeeper.setIntervalSec(scavengeSeconds);
            ids.setSessionHouseKeeper(houseKeeper);
            if (existing == null) {
                server.addBean(ids, true);
            }
        }
        Path toDelete = directory;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
                if (toDelete != null) {
                    try (Stream<Path> files = Files.walk(toDelete)) {
                        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        server.start();
        System.out.println("LISTENING " + connector.getLocalPort() + " " + ProcessHandle.current().pid());
        System.out.flush();
        server.join();
    }

    /**
     * The session table of a database setup: one per setup, so that setups run one after another on one PostgreSQL
     * do not share a table, whose indexes the tier changes (its expiry index over minutes).
     */
    private static String table(String setup) {
        return "sessions_" + setup.replace('-', '_');
    }

    private static String jdbcUrl(Args args) {
        String url = args.string("jdbc-url", null);
        if (url == null) {
            throw new IllegalArgumentException("the database setups need --jdbc-url");
        }
        return url;
    }

    /** The pool every database setup uses: SessionDatabase.jdbcUrl's, with its defaults. */
    private static PooledSessionDatabase pool(Args args) {
        return new PooledSessionDatabase(jdbcUrl(args), null, null, PooledSessionDatabase.DEFAULT_MAX_SIZE,
                (int) PooledSessionDatabase.DEFAULT_CONNECTION_TIMEOUT.toSeconds());
    }

    /**
     * Live sessions as the context's listeners count them (created minus destroyed), at {@code GET /bench/sessions}:
     * how the expiry benchmark sees the removal of expired sessions.
     */
    static final class LiveSessions extends HttpServlet implements HttpSessionListener {
        private final java.util.concurrent.atomic.LongAdder live = new java.util.concurrent.atomic.LongAdder();

        @Override
        public void sessionCreated(HttpSessionEvent event) {
            live.increment();
        }

        @Override
        public void sessionDestroyed(HttpSessionEvent event) {
            live.decrement();
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().print(live.sum());
        }
    }

    /** The heap in use after full GCs, for the heap-per-session measurement. */
    static final class HeapServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            response.setContentType("text/plain");
            response.getWriter().print(used);
        }
    }
}
