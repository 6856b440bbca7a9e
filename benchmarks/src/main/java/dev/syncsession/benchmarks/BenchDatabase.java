/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.benchmarks;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL of the HTTP benchmark's database setups, in its own process: an embedded PostgreSQL (zonky, whose
 * binaries are a Maven artifact) on 127.0.0.1. Prints {@code JDBC <url>} once it accepts connections, then runs until
 * killed. PostgreSQL refuses to run as root: {@code run-http-wrk.sh} starts this as an unprivileged user.
 */
public final class BenchDatabase {

    private BenchDatabase() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        System.out.println("JDBC jdbc:postgresql://127.0.0.1:" + postgres.getPort()
                + "/postgres?user=postgres&connectTimeout=5&socketTimeout=30");
        System.out.flush();
        Thread.currentThread().join();
    }
}
