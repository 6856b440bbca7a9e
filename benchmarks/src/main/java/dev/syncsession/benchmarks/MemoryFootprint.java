/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;
import java.util.concurrent.ConcurrentMap;

/**
 * Bytes per live session that the index itself costs: heap used after full GCs with the map, minus heap used with
 * only its keys and values (which the tool keeps reachable elsewhere), divided by {@code --sessions}. Keys are
 * 26-character String ids; every session maps to one shared value, so only the index is counted.
 *
 * <p>Two states: {@code steady} (all keys inserted, then one {@code range} so SyncMap has promoted everything and
 * has no dirty table) and {@code after-rebuild} (one more new key stored: SyncMap copies the read table into a new
 * dirty table, so both tables exist until the next promotion). Run with {@code -XX:+UseSerialGC} for stable numbers.
 */
public final class MemoryFootprint {

    private MemoryFootprint() {
    }

    public static void main(String[] argv) throws InterruptedException {
        Args args = new Args(argv);
        int sessions = (int) args.number("sessions", 1_000_000);
        SessionIds ids = new SessionIds(5);
        String[] keys = new String[sessions + 1];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ids.next();
        }
        Object value = new Object();
        System.out.printf(Locale.ROOT, "index bytes per live session, %,d sessions (keys and values excluded)%n",
                sessions);
        System.out.println("peer                steady  after-rebuild");
        for (Peer peer : Peer.parse(args.string("peers", "SyncMap,ConcurrentHashMap"))) {
            long base = usedAfterGc();
            ConcurrentMap<String, Object> map = peer.create();
            for (int i = 0; i < sessions; i++) {
                map.put(keys[i], value);
            }
            Peer.range(map, (k, v) -> true);
            long steady = usedAfterGc() - base;
            map.put(keys[sessions], value);
            long rebuilt = usedAfterGc() - base;
            double steadyPer = steady / (double) sessions;
            double rebuiltPer = rebuilt / (double) (sessions + 1);
            System.out.printf(Locale.ROOT, "%-18s %7.1f %14.1f%n", peer, steadyPer, rebuiltPer);
            args.record(String.format(Locale.ROOT, "memory,%s,%d,%.2f,%.2f", peer, sessions, steadyPer, rebuiltPer));
            if (map.size() != sessions + 1) {
                throw new IllegalStateException(peer + " holds " + map.size() + " keys, expected " + (sessions + 1));
            }
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
