/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Makes 26-character session ids (128 random bits in lower-case base32) cheaply, so that benchmarks measure the map
 * rather than {@code SecureRandom}. Ids have the length and the String hashing cost of real ids; they are not
 * secure and must not be used as such. Not thread-safe: one instance per thread.
 */
final class SessionIds {

    /** Length of every id. */
    static final int LENGTH = 26;

    private static final byte[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".getBytes(StandardCharsets.US_ASCII);

    private final SplittableRandom random;

    SessionIds(long seed) {
        random = new SplittableRandom(seed);
    }

    String next() {
        byte[] id = new byte[LENGTH];
        long bits = random.nextLong();
        for (int i = 0; i < 12; i++) {
            id[i] = ALPHABET[(int) (bits & 31)];
            bits >>>= 5;
        }
        bits = random.nextLong();
        for (int i = 12; i < LENGTH; i++) {
            id[i] = ALPHABET[(int) (bits & 31)];
            bits >>>= 5;
        }
        return new String(id, StandardCharsets.ISO_8859_1);
    }
}
