/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.metrics;

import dev.syncsession.jetty.nodes.DatabaseAvailability;
import dev.syncsession.jetty.nodes.SaveConflicts;
import dev.syncsession.jetty.nodes.SharedSessions;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * Publishes the many-nodes tier's figures for a server through Micrometer, the same numbers JMX shows: the
 * availability of its database ({@link DatabaseAvailability}, shared by every context) and the saves that met
 * another node's save of the same session ({@link SaveConflicts}, counted across every context):
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code syncsession.database.available}</td><td>gauge</td><td>1 while the database answers, 0 during an
 *       outage</td></tr>
 *   <tr><td>{@code syncsession.database.outages}</td><td>counter</td><td>times the database became unavailable</td></tr>
 *   <tr><td>{@code syncsession.database.requests.refused}</td><td>counter</td><td>requests answered 503 because the
 *       database was unavailable</td></tr>
 *   <tr><td>{@code syncsession.database.saves.failed}</td><td>counter</td><td>session saves that failed because the
 *       database was unavailable</td></tr>
 *   <tr><td>{@code syncsession.database.saves.conflicts}</td><td>counter</td><td>saves that found another node's save
 *       of the same session since their load, and applied their changes onto it (JMX {@code saveConflicts})</td></tr>
 *   <tr><td>{@code syncsession.database.attributes.merged}</td><td>counter</td><td>attribute values combined by
 *       {@code MergeableAttribute.mergeWith} in such saves (JMX {@code mergedAttributes})</td></tr>
 * </table>
 *
 * <p>Bind it once per server. Reading a meter costs a few volatile reads; thread-safe. Micrometer is an optional
 * dependency of syncsession: add {@code io.micrometer:micrometer-core} to use this.
 */
public final class DatabaseMetrics implements MeterBinder {

    private final DatabaseAvailability availability;
    private final SaveConflicts saveConflicts;
    private final Iterable<Tag> tags;

    /**
     * @param sessions the tier as installed on the server
     * @param tags tags for every meter
     */
    public DatabaseMetrics(SharedSessions sessions, Iterable<Tag> tags) {
        Objects.requireNonNull(sessions, "sessions");
        this.availability = sessions.availability();
        this.saveConflicts = sessions.saveConflicts();
        this.tags = Objects.requireNonNull(tags, "tags");
    }

    /**
     * @param sessions the tier as installed on the server
     */
    public DatabaseMetrics(SharedSessions sessions) {
        this(sessions, Tags.empty());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("syncsession.database.available", availability, a -> a.isAvailable() ? 1 : 0)
                .description("1 while the session database answers, 0 during an outage").tags(tags)
                .register(registry);
        FunctionCounter.builder("syncsession.database.outages", availability, DatabaseAvailability::getOutages)
                .description("times the session database became unavailable").tags(tags).register(registry);
        FunctionCounter.builder("syncsession.database.requests.refused", availability,
                DatabaseAvailability::getRequestsRefused)
                .description("requests answered 503 because the session database was unavailable").tags(tags)
                .register(registry);
        FunctionCounter.builder("syncsession.database.saves.failed", availability, DatabaseAvailability::getSavesFailed)
                .description("session saves that failed because the session database was unavailable").tags(tags)
                .register(registry);
        FunctionCounter.builder("syncsession.database.saves.conflicts", saveConflicts, SaveConflicts::saveConflicts)
                .description("session saves that found another node's save since their load and applied their "
                        + "changes onto it").tags(tags).register(registry);
        FunctionCounter.builder("syncsession.database.attributes.merged", saveConflicts,
                SaveConflicts::mergedAttributes)
                .description("attribute values combined by MergeableAttribute.mergeWith in saves that met another "
                        + "node's").tags(tags).register(registry);
    }
}
