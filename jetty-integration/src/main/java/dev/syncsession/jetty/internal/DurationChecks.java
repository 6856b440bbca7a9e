/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.internal;

import java.time.Duration;

/**
 * The duration checks the installation builders share ({@code SyncSessions} and the many-nodes
 * {@code SharedSessions}), with messages that name the option and the value. Not meant for applications.
 */
public final class DurationChecks {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private DurationChecks() {
    }

    /**
     * Checks that a duration is zero or more.
     *
     * @param value the duration
     * @param what the option's name, for the message
     * @return the value
     * @throws IllegalArgumentException if it is negative
     */
    public static Duration nonNegative(Duration value, String what) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(what + " is " + value + "; it must not be negative");
        }
        return value;
    }

    /**
     * Checks that a duration is at least one second.
     *
     * @param value the duration
     * @param what the option's name, for the message
     * @return the value
     * @throws IllegalArgumentException if it is shorter
     */
    public static Duration atLeastOneSecond(Duration value, String what) {
        if (value.compareTo(ONE_SECOND) < 0) {
            throw new IllegalArgumentException(what + " is " + value + "; at least 1 s is needed");
        }
        return value;
    }
}
