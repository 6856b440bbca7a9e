/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.store;

import dev.syncsession.jetty.users.WhenUserLimitReached;
import dev.syncsession.session.AttributeStorage;
import dev.syncsession.session.CaffeineSessionStore;
import dev.syncsession.session.SessionSnapshot;
import dev.syncsession.session.SessionStore;
import dev.syncsession.session.SyncMapSessionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.session.AbstractSessionDataStoreFactory;
import org.eclipse.jetty.session.AbstractSessionManager;
import org.eclipse.jetty.session.SessionDataStore;
import org.eclipse.jetty.session.SessionManager;

/**
 * Creates a {@link SyncSessionDataStore} for each context, all over one backend. Register it as a server bean
 * (Jetty XML id {@code sessionDataStoreFactory}, as the {@code session-store-syncmap} module does, or
 * {@code SyncSessions} for embedded servers) and every {@code SessionHandler} that has no store of its own uses it.
 *
 * <p>Its setters are for Jetty XML: each feeds one option of a {@link SyncSessionsConfig.Builder}, and the options are
 * checked together, once, by {@link SyncSessionsConfig} when the first store is created (a bad value then fails that
 * context's start, naming the option). The grace period and save period are Jetty's own factory properties.
 *
 * <p>The backend is, in order of precedence: the one given to {@link #setBackend(SessionStore)} (so an operator or
 * a test can hold the same instance); a {@link CaffeineSessionStore} bounded to {@link #setMaximumSessions(long)}
 * sessions when that is positive (Caffeine must then be on the class path); otherwise a new
 * {@link SyncMapSessionStore}. It is created when the first store or the backend ({@link #getBackend()}) is
 * requested, with the grace period set then, and its sweeper and snapshot are shared by all the stores this factory
 * creates.
 *
 * <p>Configure before the server starts; not thread-safe until then, safe for Jetty's concurrent context starts after.
 */
public class SyncSessionDataStoreFactory extends AbstractSessionDataStoreFactory {

    /** The options set so far, from Jetty XML; null when made from a checked configuration. */
    private final SyncSessionsConfig.Builder options;

    /** The checked options; set when made from them, or when the first store is created. Guarded by {@code this}. */
    private SyncSessionsConfig config;

    /** Made with the first store (or by {@link #getBackend}); shared by all of them. Guarded by {@code this}. */
    private BackendLifecycle shared;

    /** A factory with the default options, to configure with its setters (Jetty XML). */
    public SyncSessionDataStoreFactory() {
        this.options = SyncSessionsConfig.builder();
    }

    /**
     * A factory with these checked options; its setters refuse changes.
     *
     * @param config the options, as {@code SyncSessions.Builder.config()} makes them
     */
    public SyncSessionDataStoreFactory(SyncSessionsConfig config) {
        this.options = null;
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public synchronized SessionDataStore getSessionDataStore(SessionManager manager) {
        SyncSessionsConfig checked = config();
        BackendLifecycle backend = backendLifecycle(checked);
        // Registered once, unmanaged (the stores start and stop it), so that JMX shows the backend's figures once.
        if (manager instanceof AbstractSessionManager sessions && sessions.getServer() != null
                && !sessions.getServer().contains(backend)) {
            sessions.getServer().addBean(backend, false);
        }
        SyncSessionDataStore store = new SyncSessionDataStore(backend, checked);
        store.setGracePeriodSec(getGracePeriodSec());
        store.setSavePeriodSec(getSavePeriodSec());
        return store;
    }

    /** The backend with its sweeper, snapshot and cap, made at the first call. */
    private synchronized BackendLifecycle backendLifecycle(SyncSessionsConfig checked) {
        if (shared == null) {
            shared = new BackendLifecycle(resolveBackend(checked), checked.sweepInterval(),
                    checked.retainExpiredFor(getGracePeriodSec()), buildSnapshot(checked), checked.snapshotInterval());
            if (checked.sessionCap() > 0) {
                shared.capSessions(checked.sessionCap());
            }
        }
        return shared;
    }

    /**
     * Whether this factory made a store: whether it is one of the stores over this factory's backend.
     *
     * @param store a context's data store
     * @return true if this factory made it
     */
    public synchronized boolean madeStore(SessionDataStore store) {
        return shared != null && store instanceof SyncSessionDataStore ours && ours.getBackendLifecycle() == shared;
    }

    /**
     * The options in force, checked; from the first call on, the setters refuse changes.
     *
     * @return the options
     * @throws IllegalArgumentException naming the first option that is out of range or contradicts another
     */
    public synchronized SyncSessionsConfig config() {
        if (config == null) {
            config = options.build();
        }
        return config;
    }

    private static SessionStore resolveBackend(SyncSessionsConfig config) {
        if (config.backendInstance() != null) {
            return config.backendInstance();
        }
        if (config.maximumSessions() > 0) {
            // Expired records stay loadable and listed until Jetty has expired them (and fired the listeners), and
            // the sweeper removes them after the expired-record retention, as in the SyncMap backend.
            return CaffeineSessionStore.builder().maximumSessions(config.maximumSessions()).build();
        }
        return new SyncMapSessionStore();
    }

    private static SessionSnapshot buildSnapshot(SyncSessionsConfig config) {
        if (config.snapshotFile() == null) {
            return null;
        }
        // Each context reads its own sessions with its own class loader when it starts (BackendLifecycle.readRestored).
        SessionSnapshot.Builder builder = SessionSnapshot.builder(config.snapshotFile())
                .attributeStorage(config.attributeStorage()).deferAttributeReading();
        for (String pkg : config.allowedPackages()) {
            builder.allowPackage(pkg);
        }
        return builder.build();
    }

    /**
     * The backend the stores share. Once the options are in force (from the start for a factory made from a checked
     * configuration, as {@code SyncSessions} makes it; else from the first store on), it is made if it was not yet,
     * so that it can be read before any context has started.
     *
     * @return the backend, or null while the options set through the setters are not yet in force
     */
    public synchronized SessionStore getBackend() {
        return config == null ? null : backendLifecycle(config).store();
    }

    /**
     * Uses the given backend for every store; this factory never closes it.
     *
     * @param backend the backend, or null to let the factory create one
     */
    public synchronized void setBackend(SessionStore backend) {
        unchecked().backendInstance(backend);
    }

    /**
     * Bounds a backend this factory creates to this many sessions, with Caffeine.
     *
     * @param maximumSessions a positive bound, or 0 for none (the default)
     */
    public synchronized void setMaximumSessions(long maximumSessions) {
        unchecked().maximumSessions(maximumSessions);
    }

    /**
     * Caps the sessions; see {@code SyncSessions.Builder.sessionCap}.
     *
     * @param sessionCap a positive cap, or 0 for none (the default)
     */
    public synchronized void setSessionCap(long sessionCap) {
        unchecked().sessionCap(sessionCap);
    }

    /**
     * Whether a context's sessions stay in the backend when it stops; see
     * {@code SyncSessions.Builder.keepSessionsOnStop}.
     *
     * @param keep true (the default) to keep them, false to delete them
     */
    public synchronized void setKeepSessionsOnStop(boolean keep) {
        unchecked().keepSessionsOnStop(keep);
    }

    /**
     * Sets how often the snapshot is written while the server runs.
     *
     * @param seconds at least 1, or 0 to write only at stop; default 30
     */
    public synchronized void setSnapshotIntervalSec(int seconds) {
        unchecked().snapshotInterval(Duration.ofSeconds(seconds));
    }

    /**
     * Names the session attribute that holds the signed-in user; see
     * {@code SyncSessions.Builder.userAttribute}.
     *
     * @param attribute the attribute name, or null or empty for Jetty's authenticated user only
     */
    public synchronized void setUserAttribute(String attribute) {
        unchecked().userAttribute(attribute == null || attribute.isEmpty() ? null : attribute);
    }

    /**
     * Limits the sessions one user may be signed into at once, in each context.
     *
     * @param max at least 1, or 0 for no limit (the default)
     */
    public synchronized void setMaxSessionsPerUser(int max) {
        unchecked().maxSessionsPerUser(max);
    }

    /**
     * What a sign-in past {@link #setMaxSessionsPerUser(int)} does.
     *
     * @param whenReached the policy; default refuse the new sign-in
     */
    public synchronized void setWhenUserLimitReached(WhenUserLimitReached whenReached) {
        unchecked().whenUserLimitReached(whenReached);
    }

    /**
     * Like {@link #setWhenUserLimitReached(WhenUserLimitReached)}, by name as an ini file gives it: {@code refuse-new}
     * or {@code invalidate-oldest}.
     *
     * @param whenReached the policy's name
     */
    public void setWhenUserLimitReachedName(String whenReached) {
        setWhenUserLimitReached(WhenUserLimitReached.named(whenReached));
    }

    /**
     * Sets the absolute timeout; see {@code SyncSessions.Builder.absoluteTimeout}.
     *
     * @param seconds at least 1, or 0 for none (the default)
     */
    public synchronized void setAbsoluteTimeoutSec(int seconds) {
        unchecked().absoluteTimeout(Duration.ofSeconds(seconds));
    }

    /**
     * Sets how attributes are held in the store.
     *
     * @param attributeStorage by reference (the default) or serialized
     */
    public synchronized void setAttributeStorage(AttributeStorage attributeStorage) {
        unchecked().attributeStorage(attributeStorage);
    }

    /**
     * Holds attributes serialized (true) or as shared immutable copies (false, the default); for Jetty XML.
     *
     * @param serialized whether to serialize attributes
     */
    public void setAttributesSerialized(boolean serialized) {
        setAttributeStorage(serialized ? AttributeStorage.SERIALIZED : AttributeStorage.BY_REFERENCE);
    }

    /**
     * Sets the time between sweeps of the backend.
     *
     * @param seconds at least 1; default 60
     */
    public synchronized void setSweepIntervalSec(int seconds) {
        unchecked().sweepInterval(Duration.ofSeconds(seconds));
    }

    /**
     * Sets how long past its expiry a record must be before the sweeper removes it; see
     * {@code SyncSessions.Builder.retainExpired}.
     *
     * @param seconds zero or more; unset, ten grace periods
     */
    public synchronized void setRetainExpiredSec(int seconds) {
        unchecked().retainExpired(Duration.ofSeconds(seconds));
    }

    /**
     * Writes a snapshot of the backend to this file when the last store stops, and restores it when the first
     * starts; see {@code SyncSessions.Builder.snapshotFile}.
     *
     * @param file the snapshot file, or null or empty for none
     */
    public synchronized void setSnapshotFile(String file) {
        unchecked().snapshotFile(file == null || file.isBlank() ? null : Path.of(file));
    }

    /**
     * Allows attribute classes of these packages (and their sub-packages) to be restored from a snapshot, in
     * addition to the JDK value types allowed by default.
     *
     * @param packages comma-separated package names
     */
    public synchronized void setAllowedPackages(String packages) {
        unchecked().allowedPackages(packages == null || packages.isBlank() ? List.of()
                : List.of(packages.trim().split("\\s*,\\s*")));
    }

    private SyncSessionsConfig.Builder unchecked() {
        if (config != null) {
            throw new IllegalStateException(options == null
                    ? "this factory was made from a SyncSessions configuration; change the builder instead"
                    : "this factory's options are already in force; configure it before the server starts");
        }
        return options;
    }
}
