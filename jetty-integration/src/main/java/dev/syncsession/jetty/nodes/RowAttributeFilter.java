/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.internal.RateLimitedLog;
import dev.syncsession.session.AttributeClassFilter;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The allow-list every stream that reads a row's attributes passes, on a load and on a save's re-read of the row:
 * the snapshot's allow-list ({@link AttributeClassFilter}: the JDK's value types and collections) and the configured
 * packages. A class off the list is refused before it is instantiated, so its {@code readObject} never runs; the
 * read fails, which makes the session unloadable as a corrupt row does in Jetty. Each refusal is logged as one
 * warning naming the class, at most one every 10 s (never to the client). The JVM-wide filter
 * ({@code -Djdk.serialFilter}), if set, still applies: a class either refuses is refused.
 *
 * <p>Thread-safe: the allow-list is immutable, each stream gets its own check, and the log is rate-limited
 * lock-free.
 */
final class RowAttributeFilter {

    private static final Logger LOG = LoggerFactory.getLogger(RowAttributeFilter.class);

    private final AttributeClassFilter allowList;
    private final RateLimitedLog refusals = new RateLimitedLog(LOG, Duration.ofSeconds(10));

    /** @param allowedPackages the packages allowed besides the JDK's value types, checked by the configuration */
    RowAttributeFilter(List<String> allowedPackages) {
        this.allowList = AttributeClassFilter.allowingPackages(allowedPackages);
    }

    /**
     * Sets the allow-list on a stream before it reads anything.
     *
     * @param in a new stream over one row's attributes
     * @return the same stream
     */
    ObjectInputStream filter(ObjectInputStream in) {
        AttributeClassFilter.Check check = allowList.newCheck();
        ObjectInputFilter logged = info -> {
            ObjectInputFilter.Status status = check.checkInput(info);
            if (status == ObjectInputFilter.Status.REJECTED) {
                refusals.warn("a session row's attributes hold " + check.refusedClass() + ", which is not on the "
                        + "allow-list; the session cannot be loaded. If the class is the application's own, allow "
                        + "its package (SharedSessions.Builder.allowPackage, jetty.session.syncmap.allowedPackages)");
            }
            return status;
        };
        ObjectInputFilter jvmWide = ObjectInputFilter.Config.getSerialFilter();
        in.setObjectInputFilter(jvmWide == null ? logged : ObjectInputFilter.merge(logged, jvmWide));
        return in;
    }
}
