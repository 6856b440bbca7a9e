/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.syncsession.jetty.cache.SyncMapSessionCache;
import dev.syncsession.jetty.store.SyncSessionDataStore;
import dev.syncsession.session.ExpirySweeper;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import org.eclipse.jetty.ee11.servlet.SessionHandler;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * The numbers on the {@code /stats} dashboard: reads the counters of the store {@link SessionSetup} installed, counts
 * session lifecycle events, and keeps a
 * short history of the live-session count, sampled every {@link #SAMPLE_SECONDS} seconds for the last
 * {@link #HISTORY_SAMPLES} samples. A lifecycle bean of the server, so sampling starts and stops with it.
 *
 * <p>Thread-safe: {@link #snapshot()} may be called by any request thread; the history is written by the sampler
 * thread and copied under its monitor.
 */
final class StoreStats extends AbstractLifeCycle {

    static final int SAMPLE_SECONDS = 5;
    static final int HISTORY_SAMPLES = 120;

    /**
     * What the JSON of {@code /stats.json} holds. Field names are the JSON names. {@code snapshotAgeSeconds}: how
     * old the snapshot file's content is (what a crash would lose at most), null without a snapshot or before its
     * first write.
     */
    record Snapshot(long timeMillis, Config config, Sessions sessions, Sweeps sweeps, SyncMapCounters syncMap,
            History history, Double snapshotAgeSeconds) {
    }

    /** How the store is configured. {@code maximumSessions} 0 means unbounded. */
    record Config(String backend, String cache, int maximumSessions, long sessionTimeoutSeconds,
            long sweepIntervalSeconds, String snapshot) {
    }

    /**
     * Sessions: live now in the store (restored ones included), created by this process, expired by timeout in
     * this process (a sign-out is not an expiry).
     */
    record Sessions(long live, long created, long expired) {
    }

    /**
     * The store's expiry sweeps: how many ran, how long the last took (null before the first), and how many
     * records they removed that no request or expiry scan had removed before.
     */
    record Sweeps(long count, Double lastDurationMillis, long removed) {
    }

    /**
     * The SyncMap counters of the session index: lookups that missed its lock-free read table, and promotions of its
     * dirty table. {@code source} says whose SyncMap: {@code "store"} (the SyncMap backend), {@code "cache"} (the
     * SyncMap session cache, when the backend is Caffeine) or null, with null counters, when neither is a SyncMap.
     */
    record SyncMapCounters(String source, Long misses, Long promotions) {
    }

    /** Live sessions at the end of each interval, oldest first; the last entry is the newest sample. */
    record History(int intervalSeconds, List<Long> live) {
    }

    private final SessionHandler sessions;
    private final ExampleOptions options;
    private final Path snapshot;

    private final LongAdder created = new LongAdder();
    private final LongAdder expired = new LongAdder();

    /** Guarded by its own monitor; at most {@link #HISTORY_SAMPLES} entries. */
    private final ArrayDeque<Long> history = new ArrayDeque<>();

    /** Created in {@link #doStart()}, shut down in {@link #doStop()}; only the lifecycle thread touches the field. */
    private ScheduledExecutorService sampler;

    StoreStats(SessionHandler sessions, ExampleOptions options, Path snapshot) {
        this.sessions = sessions;
        this.options = options;
        this.snapshot = snapshot;
        sessions.addEventListener(new Counter());
    }

    @Override
    protected void doStart() {
        synchronized (history) {
            history.clear();
        }
        sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "store-stats-sampler");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(this::sample, 0, SAMPLE_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    protected void doStop() {
        sampler.shutdownNow();
    }

    /**
     * The current numbers and the history.
     *
     * @return a snapshot, consistent per counter but not across counters
     */
    Snapshot snapshot() {
        List<Long> live;
        synchronized (history) {
            live = List.copyOf(history);
        }
        return new Snapshot(System.currentTimeMillis(), config(),
                new Sessions(storedSessions(), created.sum(), expired.sum()), sweeps(), syncMapCounters(),
                new History(SAMPLE_SECONDS, live), snapshotAgeSeconds());
    }

    private Double snapshotAgeSeconds() {
        SyncSessionDataStore store = SessionSetup.store(sessions);
        long millis = store == null ? -1 : store.getBackendLifecycle().getSnapshotAgeMillis();
        return millis < 0 ? null : millis / 1000.0;
    }

    private void sample() {
        long live = storedSessions();
        synchronized (history) {
            if (history.size() == HISTORY_SAMPLES) {
                history.removeFirst();
            }
            history.addLast(live);
        }
    }

    private Config config() {
        return new Config(options.shared() ? "jdbc" : ExampleOptions.display(options.backend()),
                ExampleOptions.display(options.cache()), options.maximumSessions(), options.sessionTimeout().toSeconds(),
                options.sweepInterval().toSeconds(), snapshot == null ? null : snapshot.toString());
    }

    /** The process-local store behind the sessions, or null with a shared database. */
    SyncSessionDataStore store() {
        return SessionSetup.store(sessions);
    }

    /**
     * Records in the store, which may include expired ones the next sweep removes; with a shared database, the
     * sessions this instance holds in its cache.
     */
    long storedSessions() {
        SyncSessionDataStore store = SessionSetup.store(sessions);
        if (store != null) {
            return store.getBackendLifecycle().getRecords();
        }
        return sessions.getSessionCache() instanceof SyncMapSessionCache cache ? cache.getSessionsCurrent() : 0;
    }

    /**
     * What the snapshot write at the last stop did, in one line for the console: how many sessions were saved where,
     * or that none were and why (the previous snapshot, if any, is then intact).
     */
    String snapshotOutcome(Path snapshot) {
        SyncSessionDataStore store = SessionSetup.store(sessions);
        if (store == null) {
            return "sessions are not kept in a snapshot";
        }
        long written = store.getBackendLifecycle().getSnapshotWritten();
        if (written >= 0) {
            return written + (written == 1 ? " session" : " sessions") + " saved to " + snapshot;
        }
        String failure = store.getBackendLifecycle().getSnapshotWriteFailure();
        return "sessions NOT saved to " + snapshot + (failure == null ? "" : " (" + failure + ")")
                + "; the previous snapshot, if any, is kept";
    }

    private Sweeps sweeps() {
        SyncSessionDataStore store = SessionSetup.store(sessions);
        ExpirySweeper.Stats sweeper = store == null ? null : store.getBackendLifecycle().sweeperStats();
        if (sweeper == null || sweeper.runs() == 0) {
            return new Sweeps(0, null, 0);
        }
        Duration last = sweeper.lastDuration();
        return new Sweeps(sweeper.runs(), last.toNanos() / 1e6, sweeper.removed());
    }

    private SyncMapCounters syncMapCounters() {
        SyncSessionDataStore store = SessionSetup.store(sessions);
        if (store != null && store.getBackendLifecycle().getMapMisses() >= 0) {
            return new SyncMapCounters("store", store.getBackendLifecycle().getMapMisses(), store.getBackendLifecycle().getMapPromotions());
        }
        if (sessions.getSessionCache() instanceof SyncMapSessionCache cache) {
            return new SyncMapCounters("cache", cache.getMapMisses(), cache.getMapPromotions());
        }
        return new SyncMapCounters(null, null, null);
    }

    /** Counts sessions as they are created, and those destroyed after their idle timeout as expired. */
    private final class Counter implements HttpSessionListener {
        @Override
        public void sessionCreated(HttpSessionEvent event) {
            created.increment();
        }

        @Override
        public void sessionDestroyed(HttpSessionEvent event) {
            HttpSession session = event.getSession();
            long idleMillis = System.currentTimeMillis() - session.getLastAccessedTime();
            int timeoutSeconds = session.getMaxInactiveInterval();
            if (timeoutSeconds > 0 && idleMillis >= timeoutSeconds * 1000L) {
                expired.increment();
            }
        }
    }
}
