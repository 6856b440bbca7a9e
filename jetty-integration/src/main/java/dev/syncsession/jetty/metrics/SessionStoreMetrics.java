/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.metrics;

import dev.syncsession.jetty.store.SyncSessionDataStore;
import dev.syncsession.session.ExpirySweeper;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.eclipse.jetty.session.AbstractSessionManager;
import org.eclipse.jetty.session.SessionCache;

/**
 * Publishes what the SyncMap store of one context shows in JMX through Micrometer, named as Micrometer's own
 * Tomcat binder names its session meters ({@code tomcat.sessions.*}), under {@code syncsession.}:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code syncsession.sessions.active.current}</td><td>gauge</td><td>records in the store (all contexts
 *       sharing it; expired ones not yet removed included)</td></tr>
 *   <tr><td>{@code syncsession.sessions.creations}</td><td>counter</td><td>sessions created (an id change is not one)</td></tr>
 *   <tr><td>{@code syncsession.sessions.expired}</td><td>counter</td><td>sessions Jetty ended past their expiry
 *       (idle or absolute timeout), judged by the stored expiry</td></tr>
 *   <tr><td>{@code syncsession.sessions.refused}</td><td>counter</td><td>creations refused by the live-session
 *       cap ({@code sessionCap})</td></tr>
 *   <tr><td>{@code syncsession.sessions.ids.refused}</td><td>counter</td><td>malformed requested ids ignored</td></tr>
 *   <tr><td>{@code syncsession.sweeps}</td><td>counter</td><td>expiry sweeps run</td></tr>
 *   <tr><td>{@code syncsession.sweep.duration}</td><td>time gauge</td><td>the last sweep's duration</td></tr>
 *   <tr><td>{@code syncsession.sweep.removed}</td><td>counter</td><td>expired records the sweeps removed</td></tr>
 *   <tr><td>{@code syncsession.map.misses}</td><td>counter</td><td>SyncMap lookups that took its lock</td></tr>
 *   <tr><td>{@code syncsession.map.promotions}</td><td>counter</td><td>SyncMap dirty-to-read promotions</td></tr>
 *   <tr><td>{@code syncsession.snapshot.age}</td><td>time gauge</td><td>how old the snapshot file's content is</td></tr>
 * </table>
 *
 * <p>Creations are {@code creations}, not Tomcat's {@code created}: Prometheus' exposition reserves a counter's
 * {@code _created} suffix (its creation time) and would print {@code syncsession_sessions_total}.
 *
 * <p>Each meter is tagged {@code context} (the context path, {@code /} for the root) besides the tags given, so bind
 * it once the context has started. The store is looked up through the session handler each time a meter is read,
 * so the meters follow a redeploy; before the store exists, or for a context whose store is not a
 * {@link SyncSessionDataStore}, the meters read {@code NaN} (gauges) or stay where they were (counters restart
 * from zero with a new store, as Micrometer's function counters do with their source). The SyncMap meters read NaN
 * for a Caffeine backend, the snapshot age without a snapshot or before its first write.
 *
 * <p>Micrometer is an optional dependency of syncsession: add {@code io.micrometer:micrometer-core} to use this.
 */
public final class SessionStoreMetrics implements MeterBinder {

    private final AbstractSessionManager sessions;
    private final Iterable<Tag> tags;

    /**
     * Metrics of the store of one context's session handler.
     *
     * @param sessions the context's session handler (ee10, ee11 or core)
     * @param tags tags for every meter, besides {@code context}
     */
    public SessionStoreMetrics(AbstractSessionManager sessions, Iterable<Tag> tags) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.tags = Objects.requireNonNull(tags, "tags");
    }

    /**
     * Metrics of the store of one context's session handler, tagged only with its context.
     *
     * @param sessions the context's session handler (ee10, ee11 or core)
     */
    public SessionStoreMetrics(AbstractSessionManager sessions) {
        this(sessions, Tags.empty());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Tags all = Tags.concat(tags, "context", contextPath());
        Gauge.builder("syncsession.sessions.active.current", sessions, read(store -> store.getBackendLifecycle().getRecords()))
                .description("session records in the store").baseUnit("sessions").tags(all).register(registry);
        counter(registry, all, "syncsession.sessions.creations", "sessions created",
                SyncSessionDataStore::getSessionsCreated);
        counter(registry, all, "syncsession.sessions.expired", "sessions ended past their expiry",
                SyncSessionDataStore::getSessionsExpired);
        counter(registry, all, "syncsession.sessions.refused", "session creations refused by the session cap",
                store -> store.getBackendLifecycle().getSessionsRefused());
        counter(registry, all, "syncsession.sessions.ids.refused", "malformed requested session ids ignored",
                SyncSessionDataStore::getRefusedSessionIds);
        counter(registry, all, "syncsession.sweeps", "expiry sweeps run",
                store -> store.getBackendLifecycle().getSweepRuns());
        // In nanoseconds, not the store's milliseconds (getLastSweepDurationMs): most sweeps take less than one.
        TimeGauge.builder("syncsession.sweep.duration", sessions, TimeUnit.NANOSECONDS,
                read(SessionStoreMetrics::lastSweepNanos))
                .description("duration of the last expiry sweep").tags(all).register(registry);
        counter(registry, all, "syncsession.sweep.removed", "expired records removed by expiry sweeps",
                store -> store.getBackendLifecycle().getSweepRemoved());
        counter(registry, all, "syncsession.map.misses", "SyncMap lookups that took its lock",
                store -> orNaN(store.getBackendLifecycle().getMapMisses()));
        counter(registry, all, "syncsession.map.promotions", "SyncMap dirty-to-read promotions",
                store -> orNaN(store.getBackendLifecycle().getMapPromotions()));
        TimeGauge.builder("syncsession.snapshot.age", sessions, TimeUnit.MILLISECONDS,
                read(store -> orNaN(store.getBackendLifecycle().getSnapshotAgeMillis())))
                .description("age of the snapshot file's content").tags(all).register(registry);
    }

    private void counter(MeterRegistry registry, Tags all, String name, String description,
            ToDoubleFunction<SyncSessionDataStore> value) {
        FunctionCounter.builder(name, sessions, read(value)).description(description).tags(all).register(registry);
    }

    /** Reads a value of the handler's current store; NaN while it has none. */
    private static ToDoubleFunction<AbstractSessionManager> read(ToDoubleFunction<SyncSessionDataStore> value) {
        return manager -> {
            SyncSessionDataStore store = store(manager);
            return store == null ? Double.NaN : value.applyAsDouble(store);
        };
    }

    private static SyncSessionDataStore store(AbstractSessionManager manager) {
        SessionCache cache = manager.getSessionCache();
        return cache != null && cache.getSessionDataStore() instanceof SyncSessionDataStore store ? store : null;
    }

    /** The last sweep's duration in nanoseconds; 0 before the first sweep, as the store's attribute reads. */
    private static double lastSweepNanos(SyncSessionDataStore store) {
        ExpirySweeper.Stats stats = store.getBackendLifecycle().sweeperStats();
        return stats == null ? 0 : stats.lastDuration().toNanos();
    }

    /** The store's "not applicable" -1 as NaN. */
    private static double orNaN(long value) {
        return value < 0 ? Double.NaN : value;
    }

    private String contextPath() {
        org.eclipse.jetty.server.Context context = sessions.getContext();
        if (context == null) {
            throw new IllegalStateException("bind the session metrics once the context has started: its path tags"
                    + " the meters");
        }
        String path = context.getContextPath();
        return path == null || path.isEmpty() ? "/" : path;
    }
}
