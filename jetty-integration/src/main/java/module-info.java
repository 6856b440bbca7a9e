/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */

/**
 * syncsession for Jetty 12: the entry ({@link dev.syncsession.jetty.SyncSessions}), the session cache, the
 * single-node store, the many-nodes tier, sessions by user, metrics and protection. Every package is exported but
 * {@code dev.syncsession.jetty.internal}, which holds what the tiers share and applications do not use. HikariCP,
 * Micrometer and Caffeine are needed only by the features that name them.
 */
module dev.syncsession.jetty {
    requires transitive dev.syncsession.core;
    requires transitive org.eclipse.jetty.server;
    requires transitive org.eclipse.jetty.session;
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.util;
    requires org.slf4j;
    requires java.sql;
    requires static com.zaxxer.hikari;
    requires static micrometer.core;
    requires static com.github.benmanes.caffeine;

    exports dev.syncsession.jetty;
    exports dev.syncsession.jetty.cache;
    exports dev.syncsession.jetty.store;
    exports dev.syncsession.jetty.nodes;
    exports dev.syncsession.jetty.users;
    exports dev.syncsession.jetty.metrics;
    exports dev.syncsession.jetty.protection;
}
