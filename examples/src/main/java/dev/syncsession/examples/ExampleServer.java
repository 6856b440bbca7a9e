/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Optional;

import dev.syncsession.jetty.SyncSessions;
import dev.syncsession.jetty.metrics.SessionStoreMetrics;
import dev.syncsession.jetty.metrics.DatabaseMetrics;
import dev.syncsession.jetty.nodes.SharedSessions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.ee11.servlet.DefaultServlet;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.ee11.servlet.SessionHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * The example web app on embedded Jetty 12 (ee11): the shop at {@code /}, the store dashboard at {@code /stats},
 * its data at {@code /stats.json}, the signed-in user's sessions at {@code /sessions}, the store's meters in Prometheus' format at {@code /metrics}, and the dashboard's script and style under {@code /static/}, all served from the
 * jar. Sessions are wired by {@link SessionSetup}. Not thread-safe: start and stop it from one thread.
 */
final class ExampleServer {

    /** How long a stop waits for requests in flight before closing connections. */
    static final long STOP_TIMEOUT_MILLIS = 5_000;

    private final Server server;
    private final ServerConnector connector;
    private final StoreStats stats;
    private final Path snapshot;
    private final SessionHandler sessions;

    /** The many-nodes installation with {@code --jdbc-url}, whose database availability has meters; else null. */
    private final SharedSessions shared;

    /** The single-node installation without {@code --jdbc-url}; else null. */
    private final SyncSessions local;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /**
     * Assembles the server; nothing is bound until {@link #start()}.
     *
     * @param options where to listen and how to store sessions
     * @throws Exception if Jetty refuses the configuration
     */
    ExampleServer(ExampleOptions options) throws Exception {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost(options.host());
        connector.setPort(options.port());
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        context.setBaseResource(ResourceFactory.of(context)
                .newClassLoaderResource("dev/syncsession/examples/web/", false));
        if (options.shared()) {
            shared = SessionSetup.installShared(server, context.getSessionHandler(), options);
            local = null;
            snapshot = null;
        } else {
            shared = null;
            local = SessionSetup.install(server, context.getSessionHandler(), options);
            snapshot = SessionSetup.snapshotFile(options);
        }
        stats = new StoreStats(context.getSessionHandler(), options, snapshot);

        SignOuts signOuts = new SignOuts();
        ShopServlet shop = new ShopServlet(context.getSessionHandler(), signOuts);
        ServletHolder shopHolder = new ServletHolder("shop", shop);
        context.getServletHandler().addServletWithMapping(shopHolder, "");
        for (String path : new String[] {"/signin", "/signout", "/cart"}) {
            context.getServletHandler().addServletWithMapping(shopHolder, path);
        }
        ServletHolder statsHolder = new ServletHolder("stats", new StatsServlet(stats));
        context.getServletHandler().addServletWithMapping(statsHolder, "/stats");
        context.getServletHandler().addServletWithMapping(statsHolder, "/stats.json");
        context.getServletHandler().addServletWithMapping(new ServletHolder("metrics", new MetricsServlet(metrics)),
                "/metrics");
        context.getServletHandler().addServletWithMapping(new ServletHolder("sessions",
                new SessionsServlet(context.getSessionHandler(), signOuts)), "/sessions");
        sessions = context.getSessionHandler();
        ServletHolder files = new ServletHolder("files", DefaultServlet.class);
        files.setInitParameter("dirAllowed", "false");
        context.addServlet(files, "/");

        // Lets requests in flight finish when the server stops (Ctrl-C), before the sessions are saved. With a
        // shared database, the guard answers 503 while it is down instead of serving requests without their session.
        // Without a shared database, the guard adds Retry-After to the 503 answering a request that would create a
        // session past SessionSetup.SESSION_CAP.
        server.setHandler(new GracefulHandler(
                shared == null ? local.guard(context) : shared.guard(context)));
        server.setStopTimeout(STOP_TIMEOUT_MILLIS);
        // Added after the handler, so it starts after the snapshot was restored and its first sample counts it.
        server.addBean(stats);
    }

    /**
     * Checks that {@code --host} names an address this machine can listen on, so that a typo stops the start with
     * one line rather than Jetty's bind failure (an {@code UnresolvedAddressException} for a name that does not
     * resolve, "Cannot assign requested address" for another machine's address, which reads like a port conflict).
     *
     * @param host the {@link ExampleOptions#host()} to bind
     * @return one line naming the option, its value, the reason and what to give instead; empty if it can be bound
     */
    static Optional<String> hostProblem(String host) {
        String reason;
        try {
            InetAddress address = InetAddress.getByName(host);
            if (address.isAnyLocalAddress() || address.isLoopbackAddress()
                    || NetworkInterface.getByInetAddress(address) != null) {
                return Optional.empty();
            }
            reason = "not an address of this machine";
        } catch (UnknownHostException e) {
            reason = "unresolved address";
        } catch (SocketException e) {
            reason = "cannot list this machine's addresses: " + e.getMessage();
        }
        String shown = host.length() <= 40 ? host : host.substring(0, 40) + "...";
        return Optional.of("--host " + shown + ": cannot bind (" + reason + "); give a local address such as"
                + " 127.0.0.1");
    }

    /**
     * Binds the port, restores the snapshot and starts serving.
     *
     * @throws Exception if the port is taken or the snapshot cannot be read
     */
    void start() throws Exception {
        server.start();
        // Bound once the context has started: its path tags the meters.
        new SessionStoreMetrics(sessions).bindTo(metrics);
        if (shared != null) {
            new DatabaseMetrics(shared).bindTo(metrics);
        }
    }

    /**
     * Stops gracefully: waits for requests in flight, then saves the sessions to the snapshot.
     *
     * @throws Exception if Jetty fails to stop a component
     */
    void stop() throws Exception {
        server.stop();
    }

    /**
     * Stops the server when the JVM is asked to exit (Ctrl-C, SIGTERM), as gracefully as {@link #stop()}.
     */
    void stopAtShutdown() {
        server.setStopAtShutdown(true);
    }

    /**
     * The address the shop answers on, with the port actually bound.
     *
     * @return for example {@code http://127.0.0.1:8080/}
     */
    URI uri() {
        String host = connector.getHost();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + connector.getLocalPort() + "/");
    }

    /**
     * Where the sessions are saved at shutdown and restored from at start.
     *
     * @return an absolute path, or null when sessions are in a shared database
     */
    Path snapshot() {
        return snapshot;
    }

    StoreStats stats() {
        return stats;
    }

    Server server() {
        return server;
    }
}
