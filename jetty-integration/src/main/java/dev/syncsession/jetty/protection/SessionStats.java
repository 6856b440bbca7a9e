/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.protection;

/**
 * What a context's session store refused, as the data stores of both tiers count it: the figures the single-node
 * store and the many-nodes store have in common. Get it with {@code SyncSessions.stats(context)} or
 * {@code SharedSessions.stats(context)}; each tier's store shows more in JMX.
 *
 * <p>Read-only and thread-safe: each figure is a counter read (a sum of striped counters), cheap enough for a
 * metrics scrape, and consistent per figure, not across figures. Counters start at zero when the store is made and
 * never go down; a redeployed context with a new store starts again from zero.
 */
public interface SessionStats {

    /**
     * Session creations refused by the session cap ({@code sessionCap}), each answered 503. The cap is the
     * install's, not the context's: on one node, the backend's, shared by every context of the install; on many
     * nodes, the tier's, and this count is this node's refusals in every context of the install. Zero without a cap.
     *
     * @return refusals since the store was made
     */
    long sessionsRefused();

    /**
     * Session ids that requests to this context sent and that no id manager can have issued (control characters,
     * characters a cookie cannot hold, longer than {@link SessionIdFilter#MAX_ID_LENGTH}): each was treated as an
     * unknown session, without a lookup. Per context.
     *
     * @return ids refused since the store was made
     */
    long sessionIdsRefused();
}
