/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.cache;

import org.eclipse.jetty.session.AbstractSessionCacheFactory;
import org.eclipse.jetty.session.DefaultSessionCacheFactory;
import org.eclipse.jetty.session.NullSessionCacheFactory;

/** Which session cache keeps live {@code Session} objects in front of the store, in either tier's builder. */
public enum SessionCacheKind {
    /** {@link SyncMapSessionCache}: live sessions in a SyncMap, found with a lock-free lookup. The default. */
    SYNCMAP,
    /** Jetty's {@code DefaultSessionCache}: live sessions in a ConcurrentHashMap. */
    DEFAULT,
    /** Jetty's {@code NullSessionCache}: no cache; every request loads its session from the store. */
    NULL;

    /**
     * A new factory of caches of this kind, with Jetty's default options.
     *
     * @return the factory
     */
    public AbstractSessionCacheFactory factory() {
        return switch (this) {
            case SYNCMAP -> new SyncMapSessionCacheFactory();
            case DEFAULT -> new DefaultSessionCacheFactory();
            case NULL -> new NullSessionCacheFactory();
        };
    }

    /**
     * A new factory of caches of this kind that check each cached copy against a store other nodes write too before
     * a request uses it ({@link CachedCopyCheck}), with Jetty's default options: the SyncMap cache always does, Jetty's
     * Default cache is replaced by a subclass that does, and the Null cache, which keeps no copy to check, by a
     * subclass that lets the store record the changes it finds itself before a response's save
     * ({@link FlushingNullSessionCache}). For the many-nodes tier.
     *
     * @return the factory
     */
    public AbstractSessionCacheFactory factoryCheckingCopies() {
        return switch (this) {
            case SYNCMAP -> factory();
            case DEFAULT -> new CheckedDefaultSessionCache.Factory();
            case NULL -> new FlushingNullSessionCache.Factory();
        };
    }
}
