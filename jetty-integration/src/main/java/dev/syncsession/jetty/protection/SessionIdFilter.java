/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.protection;

import dev.syncsession.jetty.internal.RateLimitedLog;
import dev.syncsession.session.SessionIdValidator;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.session.SessionDataStore;
import org.slf4j.Logger;

/**
 * Refuses session ids that clients sent and that no id manager can have issued (control characters, characters a
 * cookie value cannot hold, longer than {@link #MAX_ID_LENGTH}): such an id is no session, exactly like an unknown
 * one. Every refusal is counted, and a warning that names the context and the reason, never the id, is logged at
 * most once every {@link #LOG_INTERVAL}. Every id a {@code SessionIdManager} can make and send in a cookie passes,
 * whatever its alphabet.
 *
 * <p>One per context, owned by its store; the session caches ask it ({@link #admits(SessionDataStore, String)})
 * before they register a load for an id, so a hostile id costs no cache entry, no load and no store call.
 * Thread-safe.
 */
public final class SessionIdFilter {

    /**
     * The longest id looked up. Jetty's own ids are about 30 characters; a custom {@code SessionIdManager} may make
     * longer ones, and a cookie can carry a few thousand: anything longer than this is taken for an attack.
     */
    public static final int MAX_ID_LENGTH = 512;

    /** How often a refused id is logged at most. */
    public static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    /** A store that filters the ids clients send to its context. */
    public interface Owner {
        /**
         * The filter of this store's context.
         *
         * @return the filter, or null before the store knows its context
         */
        SessionIdFilter sessionIdFilter();
    }

    private final SessionIdValidator validator = SessionIdValidator.cookieValues(MAX_ID_LENGTH);
    private final String context;
    private final LongAdder refused = new LongAdder();
    private final RateLimitedLog log;

    /**
     * A filter for one context.
     *
     * @param context the context, as the warning names it
     * @param logger where the warning goes
     */
    public SessionIdFilter(String context, Logger logger) {
        this.context = context;
        this.log = new RateLimitedLog(logger, LOG_INTERVAL);
    }

    /**
     * Whether a store's context may look up an id a client sent; true for a store without a filter.
     *
     * @param store the context's store
     * @param id the id
     * @return false if the store's filter refused it (counted and reported)
     */
    public static boolean admits(SessionDataStore store, String id) {
        SessionIdFilter filter = store instanceof Owner owner ? owner.sessionIdFilter() : null;
        return filter == null || filter.admits(id);
    }

    /**
     * Whether an id a client sent may be looked up; counts and reports (rate-limited) one that may not.
     *
     * @param id the id
     * @return true if it is well formed
     */
    public boolean admits(String id) {
        Optional<String> reason = validator.rejectionReason(id);
        if (reason.isEmpty()) {
            return true;
        }
        refused.increment();
        log.warn("ignored a requested session id in context " + context + ": " + reason.get());
        return false;
    }

    /**
     * Whether an id is well formed, without counting or reporting it: for the questions every context's store is
     * asked about a request of another context, so that one request gives one warning.
     *
     * @param id the id
     * @return true if it is well formed
     */
    public boolean isWellFormed(String id) {
        return validator.isValid(id);
    }

    /**
     * Ids refused since the filter was made.
     *
     * @return refusals
     */
    public long refused() {
        return refused.sum();
    }

    /**
     * Refusals that were counted but not logged, because one had been logged recently.
     *
     * @return suppressed warnings
     */
    public long warningsSuppressed() {
        return log.suppressed();
    }
}
