/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import dev.syncsession.jetty.nodes.SharedSessions;
import dev.syncsession.jetty.nodes.SessionDatabase;
import dev.syncsession.jetty.store.SyncSessionDataStore;
import dev.syncsession.jetty.SyncSessions;
import dev.syncsession.jetty.users.WhenUserLimitReached;
import dev.syncsession.session.SessionSnapshot;
import org.eclipse.jetty.ee11.servlet.SessionHandler;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.DefaultSessionIdManager;
import org.eclipse.jetty.session.HouseKeeper;

/**
 * The one place where the example wires sessions: cookie policy, then syncsession in one builder call (backend,
 * cache, sweeping, snapshot). Everything else in the example sees sessions only through the Servlet API, and
 * {@link StoreStats} reads the counters of what this class installed.
 */
final class SessionSetup {

    /** The file name of the snapshot inside {@link ExampleOptions#snapshotDir()}. */
    static final String SNAPSHOT_FILE = "sessions.snapshot";

    /**
     * The most sessions the example holds: past it, a request that needs a new session gets 503 with Retry-After
     * (see {@link ExampleServer}), and the sessions already there keep working. About 100 MB of heap at most.
     */
    static final long SESSION_CAP = 100_000;

    /** Sessions one user may be signed into at once; one more sign-in signs out their oldest. */
    static final int MAX_SESSIONS_PER_USER = 5;

    private SessionSetup() {
    }

    /**
     * Checks that the snapshot can be written where the options put it, creating the folder if it is missing, so that
     * an unusable {@code --snapshot-dir} stops the start with one line, before the banner promises that users stay
     * signed in. (The library would refuse it too as the server starts, but without naming the option.)
     *
     * @param options the example's options, without a JDBC URL
     * @return one line naming the option, its value and the reason; empty if the folder is writable
     */
    static Optional<String> snapshotDirProblem(ExampleOptions options) {
        try {
            SessionSnapshot.builder(snapshotFile(options)).build().checkWritable();
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("--snapshot-dir " + options.snapshotDir() + ": cannot create or write the directory ("
                    + e.getMessage() + ")");
        }
    }

    /**
     * Where {@link #install} keeps the snapshot.
     *
     * @param options the example's options, without a JDBC URL
     * @return an absolute path: written when the server stops, restored when it starts
     */
    static Path snapshotFile(ExampleOptions options) {
        return options.snapshotDir().toAbsolutePath().normalize().resolve(SNAPSHOT_FILE);
    }

    /**
     * Configures the context's session handler and the server's session housekeeping. Call before the server starts.
     *
     * @param server the server the context belongs to
     * @param sessions the context's session handler
     * @param options the example's options
     * @return the installation, whose guard answers 503 with Retry-After past {@link #SESSION_CAP}
     */
    static SyncSessions install(Server server, SessionHandler sessions, ExampleOptions options) throws Exception {
        configureCookies(sessions, options);

        SyncSessions.Builder syncSessions = SyncSessions.builder()
                .backend(options.backend())
                .cache(options.cache())
                .sweepInterval(options.sweepInterval())
                // One node: a session nobody touched for a sweep interval past its expiry may go. Jetty's default
                // hour is meant for clusters, where another node may still be expiring it.
                .gracePeriod(options.sweepInterval())
                .removeUnloadableSessions(true)
                .snapshotFile(snapshotFile(options))
                .snapshotInterval(options.snapshotInterval())
                .sessionCap(SESSION_CAP)
                .userAttribute(ShopServlet.USER)
                .maxSessionsPerUser(MAX_SESSIONS_PER_USER, WhenUserLimitReached.INVALIDATE_OLDEST);
        if (options.maximumSessions() > 0) {
            syncSessions.maximumSessions(options.maximumSessions());
        }
        SyncSessions installed = syncSessions.install(sessions);

        // Jetty's own expiry scan, which fires sessionDestroyed for idle sessions; its default is every 10 minutes.
        DefaultSessionIdManager ids = new DefaultSessionIdManager(server);
        HouseKeeper houseKeeper = new HouseKeeper();
        houseKeeper.setIntervalSec(options.sweepInterval().toSeconds());
        ids.setSessionHouseKeeper(houseKeeper);
        server.addBean(ids, true);
        return installed;
    }

    /**
     * Configures sessions shared with other instances through the database of {@link ExampleOptions#jdbcUrl()}:
     * Jetty's JDBC store is the store of record and the chosen cache holds this instance's recent sessions. Two
     * instances on different ports with the same URL serve the same sessions. Call before the server starts.
     *
     * @param server the server the context belongs to
     * @param sessions the context's session handler
     * @param options the example's options, with a JDBC URL
     * @return the installation, whose guard answers 503 while the database is down
     */
    static SharedSessions installShared(Server server, SessionHandler sessions, ExampleOptions options) {
        configureCookies(sessions, options);
        SharedSessions.Builder shared = SharedSessions.builder(
                        SessionDatabase.jdbcUrl(options.jdbcUrl(), options.jdbcUser(), options.jdbcPassword()))
                .cache(options.cache())
                // Jetty's expiry scan, which also expires the sessions of an instance that died.
                .scavengeInterval(options.sweepInterval())
                .gracePeriod(options.sweepInterval().multipliedBy(2))
                // Sessions by user through the database: "your sessions" lists every instance's, and signing out
                // everywhere reaches the other instances' caches within a second.
                .userAttribute(ShopServlet.USER)
                .maxSessionsPerUser(MAX_SESSIONS_PER_USER, WhenUserLimitReached.INVALIDATE_OLDEST);
        if (options.node() != null) {
            shared.workerName(options.node());
        }
        return shared.install(server);
    }

    private static void configureCookies(SessionHandler sessions, ExampleOptions options) {
        sessions.setHttpOnly(true);
        sessions.setSameSite(HttpCookie.SameSite.LAX);
        // Marks the cookie Secure whenever the request came over HTTPS, and only then, so plain-HTTP localhost works.
        sessions.setSecureRequestOnly(true);
        sessions.setMaxInactiveInterval(Math.toIntExact(options.sessionTimeout().toSeconds()));
    }

    /**
     * The syncsession store that {@link #install} gave the handler, for the dashboard's figures of its backend
     * (sweeps, snapshot writes, SyncMap counters), which go beyond what the installation's handle answers.
     *
     * @param sessions a handler configured by {@link #install} or {@link #installShared}
     * @return its data store, or null when the sessions are in a shared database
     */
    static SyncSessionDataStore store(SessionHandler sessions) {
        return sessions.getSessionCache().getSessionDataStore() instanceof SyncSessionDataStore store
                ? store : null;
    }
}
