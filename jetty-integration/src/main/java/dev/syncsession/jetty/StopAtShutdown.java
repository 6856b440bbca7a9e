/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import java.nio.file.Path;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.AbstractSessionManager;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.ShutdownThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns on a server's {@linkplain Server#setStopAtShutdown(boolean) stop at shutdown} for an install with a snapshot
 * file: the snapshot is written when the server stops, and embedded Jetty does not stop on Ctrl-C or SIGTERM unless
 * told to. Says so once, at info; leaves a server that already stops at shutdown alone. Called from the thread that
 * configures or starts the server.
 */
final class StopAtShutdown {

    /** The install's logger, as before this class was split from it: log configurations name that category. */
    private static final Logger LOG = LoggerFactory.getLogger(SyncSessions.class);

    private StopAtShutdown() {
    }

    /**
     * Makes the server of a context stop at shutdown: now if the context's session handler belongs to a server, else
     * when it starts (by then it does).
     *
     * @param sessions the context's session handler
     * @param snapshotFile the snapshot, as the log line names it
     */
    static void forContext(AbstractSessionManager sessions, Path snapshotFile) {
        if (sessions.getServer() != null) {
            forServer(sessions.getServer(), snapshotFile);
            return;
        }
        sessions.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                if (sessions.getServer() != null) {
                    forServer(sessions.getServer(), snapshotFile);
                }
            }
        });
    }

    /**
     * Makes the server stop at shutdown.
     *
     * @param server the server
     * @param snapshotFile the snapshot, as the log line names it
     */
    static void forServer(Server server, Path snapshotFile) {
        if (server.getStopAtShutdown()) {
            return;
        }
        server.setStopAtShutdown(true);
        if (server.isStarting()) {
            // Server.doStart registers with the shutdown thread only if asked before it ran.
            ShutdownThread.register(server);
        }
        LOG.info("syncsession turned on the server's stopAtShutdown, so that Ctrl-C or SIGTERM stops it and writes"
                + " the session snapshot {}; call server.setStopAtShutdown(false) after install to opt out",
                snapshotFile.toAbsolutePath());
    }
}
