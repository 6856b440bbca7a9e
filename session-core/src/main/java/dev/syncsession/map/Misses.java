/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.map;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The misses since the last promotion (Go's {@code misses}), counted by lock-free lookups as well as under the lock,
 * on a cache line of its own: padding on both sides (superclass fields are laid out first) keeps the counter every
 * miss writes away from the fields every lookup reads.
 */
final class Misses extends MissesCount {
    @SuppressWarnings("unused")
    private long p10, p11, p12, p13, p14, p15, p16, p17;

    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(MissesCount.class, "count", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Counts one; returns the misses counted since the last {@link #reset}, this one included. */
    int increment() {
        return (int) COUNT.getAndAdd(this, 1) + 1;
    }

    int get() {
        return count;
    }

    /** Starts over at zero; returns what was counted. A miss counted concurrently counts toward the next round. */
    int reset() {
        return (int) COUNT.getAndSet(this, 0);
    }
}

abstract class MissesPadding {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07;
}

abstract class MissesCount extends MissesPadding {
    volatile int count;
}
