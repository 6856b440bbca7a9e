/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.map;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Fault injection for tests of exception safety: every allocation SyncMap makes while it holds its lock and may
 * still change its state calls {@link #allocating()} first, and a test can make the n-th such call on its own thread
 * throw, as an {@link OutOfMemoryError} there would. Unarmed (always, outside tests) the check is one read of a
 * volatile field per table or snapshot allocated: allocations that are O(n) or rare, never one per lookup.
 */
final class AllocationFaults {

    /** The thread whose allocations fail; null when unarmed. */
    private static volatile Thread armed;

    /** Allocations left before the one that fails; touched only by {@link #armed}. */
    private static int countdown;

    /** Allocations checked since the last {@link #arm}, on the armed thread. */
    private static int seen;

    /** Where allocations were checked, and where one failed, while armed: see {@link #site}. */
    private static final Set<String> SITES_REACHED = ConcurrentHashMap.newKeySet();
    private static final Set<String> SITES_FAILED = ConcurrentHashMap.newKeySet();

    private AllocationFaults() {
    }

    /** Called before each allocation that may fail: throws if this is the one the armed test asked for. */
    static void allocating() {
        if (armed == Thread.currentThread()) {
            seen++;
            String site = site();
            SITES_REACHED.add(site);
            if (--countdown == 0) {
                SITES_FAILED.add(site);
                throw new InjectedFailure();
            }
        }
    }

    /** Makes the {@code n}-th allocation (from 1) on the calling thread fail. */
    static void arm(int n) {
        countdown = n;
        seen = 0;
        armed = Thread.currentThread();
    }

    /** Turns injection off; returns how many allocations were checked while armed. */
    static int disarm() {
        armed = null;
        return seen;
    }

    /** The allocation sites reached while armed, since the class was loaded. */
    static Set<String> sitesReached() {
        return Set.copyOf(SITES_REACHED);
    }

    /** The allocation sites where a failure was injected, since the class was loaded. */
    static Set<String> sitesFailed() {
        return Set.copyOf(SITES_FAILED);
    }

    /**
     * The site of the allocation being checked: the chain of this package's frames that led to it, innermost first,
     * up to the first frame of {@link SyncMap} (left out, so that one site is one path through the parts whichever
     * map operation took it), for example {@code Table.newSlots<Table.grow<Table.insert<Dirty.add}.
     */
    private static String site() {
        return StackWalker.getInstance().walk(frames -> frames
                .skip(2) // site() and allocating()
                .takeWhile(f -> f.getClassName().startsWith(SyncMap.class.getPackageName() + ".")
                        && !f.getClassName().equals(SyncMap.class.getName()))
                .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "."
                        + f.getMethodName())
                .collect(Collectors.joining("<")));
    }

    /** The failure a test injects: an OutOfMemoryError, the realistic Throwable at an allocation. */
    static final class InjectedFailure extends OutOfMemoryError {
        private static final long serialVersionUID = 1L;

        InjectedFailure() {
            super("injected by a test at an allocation under SyncMap's lock");
        }
    }
}
