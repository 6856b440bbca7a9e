/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */

/**
 * Micrometer meters for both tiers: {@link dev.syncsession.jetty.metrics.SessionStoreMetrics} (the single-node
 * store and its backend) and {@link dev.syncsession.jetty.metrics.DatabaseMetrics} (the many-nodes database's
 * availability). Micrometer is optional: only this package needs it.
 */
package dev.syncsession.jetty.metrics;
