/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.internal;

import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionContext;
import org.slf4j.Logger;

/**
 * The info line each tier's store logs once per context as it starts (Jetty logs its own session components the same
 * way), saying what serves the context's sessions, so that an operator sees which configuration is running without
 * reading it back from code or XML: {@code syncsession installed on context /shop: cache SyncMapSessionCache, ...},
 * the rest being the tier's own. Stateless.
 */
public final class InstalledLine {

    private InstalledLine() {
    }

    /**
     * Logs the line at info.
     *
     * @param log the store's logger
     * @param context the context whose store has just started
     * @param fallbackName how to name the context if it has no Jetty context (a store tested on its own)
     * @param serving what else serves its sessions, after the cache: the tier's part of the line
     */
    public static void log(Logger log, SessionContext context, String fallbackName, String serving) {
        SessionCache cache = context.getSessionManager() == null ? null : context.getSessionManager().getSessionCache();
        // As the application declares it (/shop), not Jetty's canonical form (_shop@0.0.0.0) that keys the records.
        String contextName = context.getContext() == null ? fallbackName : context.getContext().getContextPath();
        if (!SessionContext.NULL_VHOST.equals(context.getVhost())) {
            contextName += " (virtual host " + context.getVhost() + ")";
        }
        log.info("syncsession installed on context {}: cache {}, {}", contextName,
                cache == null ? "none" : cache.getClass().getSimpleName(), serving);
    }
}
