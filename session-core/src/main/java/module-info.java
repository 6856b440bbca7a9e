/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */

/**
 * syncsession's container-independent core: {@code SyncMap} ({@link dev.syncsession.map}) and the session layer over
 * it ({@link dev.syncsession.session}: session records, the store SPI and its backends, the sweeper, ids, snapshots).
 * Caffeine is needed only by {@code CaffeineSessionStore}.
 */
module dev.syncsession.core {
    requires org.slf4j;
    requires static com.github.benmanes.caffeine;

    exports dev.syncsession.map;
    exports dev.syncsession.session;
}
