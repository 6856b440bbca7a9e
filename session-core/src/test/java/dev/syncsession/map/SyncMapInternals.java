/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.map;

/** What tests read of a SyncMap's internals, kept here rather than as hooks in the production classes. */
final class SyncMapInternals {

    private SyncMapInternals() {
    }

    /**
     * Times a new key made the dirty table regrow in place, rehashing every entry under the lock: only tables
     * shorter than {@link Dirty#PROMOTE_INSTEAD_OF_GROW} slots do.
     */
    static long regrows(SyncMap<?, ?> map) {
        map.dirty.lock.lock();
        try {
            return map.dirty.regrows;
        } finally {
            map.dirty.lock.unlock();
        }
    }

    /** The longest run of occupied slots in the read table, which bounds a lookup's probes. */
    static int longestReadRun(SyncMap<?, ?> map) {
        return longestRun(map.read.slots);
    }

    /** The same for the dirty table, where new keys go; 0 without one. */
    static int longestDirtyRun(SyncMap<?, ?> map) {
        map.dirty.lock.lock();
        try {
            Table<?, ?> table = map.dirty.table;
            return table == null ? 0 : longestRun(table.slots);
        } finally {
            map.dirty.lock.unlock();
        }
    }

    private static int longestRun(Cell<?, ?>[] slots) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < 2 * slots.length && run < slots.length; i++) { // twice round: a run may wrap past the end
            run = slots[i % slots.length] == null ? 0 : run + 1;
            longest = Math.max(longest, run);
        }
        return longest;
    }
}
