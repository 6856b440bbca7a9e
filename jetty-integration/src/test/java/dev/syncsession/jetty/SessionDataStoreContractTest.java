/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import dev.syncsession.jetty.store.BundledBackend;
import dev.syncsession.session.AttributeStorage;
import dev.syncsession.session.CaffeineSessionStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.eclipse.jetty.server.Server;

/**
 * The {@link SessionDataStoreContract} over the single-node {@code SyncSessionDataStore}, on every backend a
 * documented path builds (the SyncMap; Caffeine bounded by {@code maximumSessions}; and a Caffeine store the
 * application builds itself and passes to {@code backend}) with every attribute storage.
 */
class SessionDataStoreContractTest extends SessionDataStoreContract<SessionDataStoreContractTest.SingleNode> {

    /** Each way a documented path builds the backend. */
    enum Backend {
        SYNCMAP {
            @Override
            void choose(SyncSessions.Builder builder) {
                builder.backend(BundledBackend.SYNCMAP);
            }
        },
        CAFFEINE_BOUNDED_BY_MAXIMUM_SESSIONS {
            @Override
            void choose(SyncSessions.Builder builder) {
                builder.backend(BundledBackend.CAFFEINE).maximumSessions(1_000);
            }
        },
        CAFFEINE_BUILT_BY_THE_APPLICATION {
            @Override
            void choose(SyncSessions.Builder builder) {
                builder.backend(CaffeineSessionStore.builder().maximumSessions(1_000).build());
            }
        };

        abstract void choose(SyncSessions.Builder builder);
    }

    /** The single-node store over one backend with one attribute storage. */
    record SingleNode(Backend backend, AttributeStorage storage) {
        @Override
        public String toString() {
            return backend + ", " + storage;
        }
    }

    @Override
    Stream<SingleNode> stores() {
        return Arrays.stream(Backend.values()).flatMap(backend -> Arrays.stream(AttributeStorage.values())
                .map(storage -> new SingleNode(backend, storage)));
    }

    @Override
    void install(SingleNode kind, Server server, Duration gracePeriod) {
        SyncSessions.Builder builder = SyncSessions.builder().attributeStorage(kind.storage()).gracePeriod(gracePeriod);
        kind.backend().choose(builder);
        builder.install(server);
    }

    @Override
    boolean passivates(SingleNode kind) {
        return kind.storage() == AttributeStorage.SERIALIZED;
    }
}
