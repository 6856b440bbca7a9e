/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.store;

import dev.syncsession.jetty.internal.InstalledLine;
import dev.syncsession.jetty.protection.BackendSessionCap;
import dev.syncsession.session.SessionScope;
import java.nio.file.Path;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.AbstractSessionManager;
import org.eclipse.jetty.session.SessionContext;
import org.slf4j.Logger;

/**
 * What a store reads from the Jetty context it serves as it starts: the server whose {@code Scheduler} and
 * {@code ThreadPool} do the backend's timed and blocking work, the web application's class loader, and the line that
 * says what serves the context's sessions. Stateless.
 */
final class JettyContext {

    private JettyContext() {
    }

    /**
     * The context's server.
     *
     * @throws IllegalStateException if its session manager belongs to no server, naming the context
     */
    static Server server(SessionContext context, SessionScope scope) {
        Server server = context.getSessionManager() instanceof AbstractSessionManager manager ? manager.getServer()
                : null;
        if (server == null) {
            throw new IllegalStateException("context " + scope + ": its session manager belongs to no Server;"
                    + " syncsession runs its sweeps and snapshot writes on the server's Scheduler and ThreadPool");
        }
        return server;
    }

    /** The web application's class loader; Jetty starts the store inside the context, so the thread's as a fallback. */
    static ClassLoader classLoader(SessionContext context) {
        ClassLoader loader = context == null || context.getContext() == null ? null
                : context.getContext().getClassLoader();
        if (loader == null) {
            loader = Thread.currentThread().getContextClassLoader();
        }
        return loader != null ? loader : JettyContext.class.getClassLoader();
    }

    /**
     * Says at info, once per context as it starts, what serves its sessions ({@link InstalledLine}): the cache, the
     * backend, the snapshot file and the session cap.
     */
    static void logInstalled(Logger log, SessionContext context, SessionScope scope, BackendLifecycle shared) {
        Path snapshotFile = shared.snapshotFile();
        BackendSessionCap cap = shared.sessionCap();
        InstalledLine.log(log, context, scope.toString(), "store " + shared.store().getClass().getSimpleName()
                + ", snapshot " + (snapshotFile == null ? "none" : snapshotFile) + ", "
                + (cap == null ? "no session cap" : "sessions capped at " + cap.cap()));
    }
}
