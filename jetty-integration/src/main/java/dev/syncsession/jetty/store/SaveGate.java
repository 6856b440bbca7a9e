/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.store;

import java.util.concurrent.locks.StampedLock;

/**
 * Lets a store's saves into its backend through while the store runs, and none once it has begun to stop:
 * {@link #close} waits for the saves already through to finish, and every save that comes to the gate after it is
 * refused. So what the store does with its records at stop (delete them, or serialize them for a redeploy) sees
 * every save that was made, and no save lands after it. Jetty checks that a store is started when a save begins,
 * but a request's exit save can pass that check before the stop and write after the stop has looked at the
 * records; this gate is what stops it.
 *
 * <p>Invariant: while {@link #closed} is true, no thread holds the read lock past {@link #enter}, so no save is in
 * the backend's hands. Thread-safe: any number of saving threads; {@link #open} and {@link #close} are called by
 * the thread that starts or stops the store. A save costs a read lock and unlock of a {@link StampedLock} (a compare-and-set
 * each on one shared word, no thread-local state); {@link #close} blocks until the saves in progress have finished.
 */
final class SaveGate {

    private final StampedLock lock = new StampedLock();

    /** Whether saves are refused. Written under the write lock, read under the read lock. */
    private boolean closed;

    /**
     * Enters the gate for one save.
     *
     * @return a stamp to hand to {@link #exit} once the save is made, or 0 if the gate is closed and the save must
     *     not be made
     */
    long enter() {
        long stamp = lock.readLock();
        if (closed) {
            lock.unlockRead(stamp);
            return 0;
        }
        return stamp;
    }

    /** Leaves the gate after a save that {@link #enter} let through. */
    void exit(long stamp) {
        lock.unlockRead(stamp);
    }

    /** Refuses saves from now on, once the saves in progress have finished. */
    void close() {
        long stamp = lock.writeLock();
        closed = true;
        lock.unlockWrite(stamp);
    }

    /** Lets saves through again (the store starts again). */
    void open() {
        long stamp = lock.writeLock();
        closed = false;
        lock.unlockWrite(stamp);
    }
}
