/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import java.util.concurrent.atomic.LongAdder;

/**
 * The saves of a node that met another node's save of the same session (overlapping requests), counted across every
 * context's store of the node: each store's {@link VersionedSave} counts its own for JMX, and these for the node, so
 * that a count survives the stores of a redeployed context. Micrometer publishes them
 * (the metrics package's {@code DatabaseMetrics}); {@code SharedSessions.saveConflicts()} gives them.
 *
 * <p>Thread-safe: adders, counted by request threads.
 */
public final class SaveConflicts {

    private final LongAdder conflicts = new LongAdder();
    private final LongAdder mergedAttributes = new LongAdder();

    SaveConflicts() {
    }

    /**
     * Saves (and id renewals) that found another node's save of the same session since their copy was loaded, and
     * applied their changes onto it.
     *
     * @return the count since the node started
     */
    public long saveConflicts() {
        return conflicts.sum();
    }

    /**
     * Attribute values combined by {@code MergeableAttribute.mergeWith} in such saves.
     *
     * @return the count since the node started
     */
    public long mergedAttributes() {
        return mergedAttributes.sum();
    }

    void conflict() {
        conflicts.increment();
    }

    void merged(int values) {
        mergedAttributes.add(values);
    }
}
