/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spreads a large expiry over time. Jetty's housekeeper expires every session its scavenge found expired in one loop
 * on the server's scheduler thread: when many sessions expire together (a burst of sign-ups a half hour ago, a
 * restart that restored them all), that loop takes a whole core for seconds, and on a small machine the requests of
 * everyone else wait for it. Here the scavenge expires at most {@link #AT_ONCE} sessions itself, as Jetty would;
 * the rest are expired on this object's own thread, {@link #SLICE} at a time, resting after each slice three times
 * as long as the slice took, so that the expiry takes at most about a quarter of a core however many sessions it
 * has to end.
 *
 * <p>Each session is still ended by Jetty's own expiry (the session id manager's {@code expireAll}: every context's
 * session of that id is invalidated, {@code sessionDestroyed} fires once), only later: a session that has expired
 * stays expired (a request that presents it finds it expired and gets a new one), so the delay changes when the
 * listeners run, not what a client sees.
 *
 * <p>Thread-safe: {@link #admit} is called by the housekeeper, the expiring thread runs alone, {@link #stop} by
 * the cache's lifecycle.
 */
final class PacedExpiry {

    private static final Logger LOG = LoggerFactory.getLogger(PacedExpiry.class);

    /** Sessions a scavenge expires itself; beyond these, the paced thread does. */
    static final int AT_ONCE = 1_000;
    /** Sessions expired between two rests. */
    static final int SLICE = 100;
    /** Rest after a slice, as a multiple of the time the slice took: 3 keeps the thread at about 25 % of a core. */
    static final int REST_FACTOR = 3;

    /** {@link #AT_ONCE} and {@link #SLICE} unless a test changed them ({@link #pace}). */
    private volatile int atOnce = AT_ONCE;
    private volatile int slice = SLICE;

    private final Consumer<String> expire;
    private final Supplier<String> name;
    /** Ids waiting to be expired, oldest first; {@link #queued} holds the same ids, to refuse a second copy. */
    private final ConcurrentLinkedQueue<String> pending = new ConcurrentLinkedQueue<>();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    /** True while a drain task is submitted or running; whoever sets it submits one. */
    private final AtomicBoolean draining = new AtomicBoolean();
    /**
     * One thread, made when there is work and ended when there has been none for a while; a new executor for each
     * {@link #start}, null before the first.
     */
    private volatile ThreadPoolExecutor thread;

    /**
     * @param expire ends one session (the session id manager's expireAll); an exception is logged and the next
     *     session expired
     * @param name names the thread and the log lines (the context); asked when the thread is made
     */
    PacedExpiry(Consumer<String> expire, Supplier<String> name) {
        this.expire = expire;
        this.name = name;
    }

    /** Changes how many sessions a scavenge ends itself and how many the thread ends between rests. */
    void pace(int atOnce, int slice) {
        if (atOnce < 0 || slice < 1) {
            throw new IllegalArgumentException("at once " + atOnce + ", slice " + slice + ": need >= 0 and >= 1");
        }
        this.atOnce = atOnce;
        this.slice = slice;
    }

    /** Starts taking sessions; called as the cache starts (again, after a stop). */
    void start() {
        thread = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "syncsession-expiry-" + name.get());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Takes the sessions a scavenge found expired and returns those the scavenge should expire now: all of them if
     * there are at most {@link #AT_ONCE}, otherwise {@link #AT_ONCE} of them, the rest being queued for the paced
     * thread. An id already queued is not returned, nor queued twice.
     *
     * @param expired the ids, which this method may keep; not changed
     * @return the ids to expire now
     */
    Set<String> admit(Set<String> expired) {
        int limit = atOnce;
        if (expired.size() <= limit && queued.isEmpty()) {
            return expired;
        }
        Set<String> now = new HashSet<>();
        Iterator<String> ids = expired.iterator();
        while (ids.hasNext() && now.size() < limit) {
            String id = ids.next();
            if (!queued.contains(id)) {
                now.add(id);
            }
        }
        while (ids.hasNext()) {
            String id = ids.next();
            if (queued.add(id)) {
                pending.add(id);
            }
        }
        ThreadPoolExecutor executor = thread;
        if (!pending.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                if (executor == null) {
                    throw new IllegalStateException("not started");
                }
                executor.execute(this::drain);
            } catch (RuntimeException e) {
                // Stopped (or the thread cannot be made): the scavenge does them all, as Jetty would.
                draining.set(false);
                LOG.debug("Expiring {} sessions in the scavenge: {}", pending.size(), e.toString());
                now.addAll(drainAll());
            }
        }
        return now;
    }

    /** Sessions waiting to be expired by the paced thread. */
    int pending() {
        return queued.size();
    }

    /** Stops the thread; sessions still waiting are left to the store's own expiry, as Jetty leaves its candidates. */
    void stop() {
        ThreadPoolExecutor executor = thread;
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("The expiry thread of {} did not stop within 10 s", name.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pending.clear();
        queued.clear();
    }

    private Set<String> drainAll() {
        Set<String> all = new HashSet<>();
        for (String id; (id = pending.poll()) != null; ) {
            queued.remove(id);
            all.add(id);
        }
        return all;
    }

    private void drain() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                long start = System.nanoTime();
                int size = slice;
                int done = 0;
                for (String id; done < size && (id = pending.poll()) != null; done++) {
                    queued.remove(id);
                    try {
                        expire.accept(id);
                    } catch (RuntimeException e) {
                        LOG.warn("Unable to expire a session of {}", name.get(), e);
                    }
                }
                if (done < size) {
                    break;
                }
                TimeUnit.NANOSECONDS.sleep(REST_FACTOR * (System.nanoTime() - start));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping
        } finally {
            draining.set(false);
            // An admit that queued after the last poll but saw draining still set: take its sessions too.
            ThreadPoolExecutor executor = thread;
            if (!pending.isEmpty() && !executor.isShutdown() && draining.compareAndSet(false, true)) {
                try {
                    executor.execute(this::drain);
                } catch (RuntimeException e) {
                    draining.set(false);
                }
            }
        }
    }
}
