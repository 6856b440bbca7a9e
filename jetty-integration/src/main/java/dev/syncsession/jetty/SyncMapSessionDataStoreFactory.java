/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import dev.syncsession.jetty.users.PrincipalSource;
import dev.syncsession.jetty.users.WhenUserLimitReached;
import dev.syncsession.session.AttributeStorage;
import dev.syncsession.session.CaffeineSessionStore;
import dev.syncsession.session.SessionSnapshot;
import dev.syncsession.session.SessionStore;
import dev.syncsession.session.SyncMapSessionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.jetty.session.AbstractSessionDataStoreFactory;
import org.eclipse.jetty.session.SessionDataStore;
import org.eclipse.jetty.session.SessionManager;

/**
 * Creates a {@link SyncMapSessionDataStore} for each context, all over one backend. Register it as a server bean
 * (Jetty XML id {@code sessionDataStoreFactory}, as the {@code session-store-syncmap} module does, or
 * {@link SyncSessions} for embedded servers) and every {@code SessionHandler} that has no store of its own uses it.
 *
 * <p>The backend is, in order of precedence: the one given to {@link #setBackend(SessionStore)} (so an operator or
 * a test can hold the same instance); a {@link CaffeineSessionStore} bounded to {@link #setLruBound(long)}
 * sessions when that is positive (Caffeine must then be on the class path); otherwise a new
 * {@link SyncMapSessionStore}. It is created when the first store is requested, and its sweeper and snapshot are
 * shared by all the stores this factory creates.
 *
 * <p>Configure before the server starts; not thread-safe until then, safe for Jetty's concurrent context starts after.
 */
public class SyncMapSessionDataStoreFactory extends AbstractSessionDataStoreFactory {

    /** Default time between snapshot writes while the server runs, with a snapshot file. */
    public static final Duration DEFAULT_SNAPSHOT_INTERVAL = Duration.ofSeconds(30);

    private SessionStore backend;
    private long lruBound;
    private long maxLiveSessions;
    private boolean keepSessionsOnStop = true;
    private int absoluteTimeoutSec;
    private String principalAttribute;
    private int maxSessionsPerUser;
    private WhenUserLimitReached whenUserLimitReached = WhenUserLimitReached.REFUSE_NEW;
    private AttributeStorage attributeStorage = AttributeStorage.BY_REFERENCE;
    private Duration sweepInterval = SyncMapSessionDataStore.DEFAULT_SWEEP_INTERVAL;
    private Duration sweepGrace;
    private Path snapshotFile;
    private Duration snapshotInterval = DEFAULT_SNAPSHOT_INTERVAL;
    private String[] snapshotAllowedPackages = new String[0];

    /** Created with the first store; shared by all of them. Guarded by {@code this}. */
    private BackendLifecycle shared;

    @Override
    public synchronized SessionDataStore getSessionDataStore(SessionManager manager) {
        if (shared == null) {
            shared = new BackendLifecycle(resolveBackend(), sweepInterval, sweepGrace(), buildSnapshot(),
                    snapshotInterval);
            if (maxLiveSessions > 0) {
                shared.limitLiveSessions(maxLiveSessions);
            }
        }
        SyncMapSessionDataStore store = new SyncMapSessionDataStore(shared, attributeStorage);
        store.setGracePeriodSec(getGracePeriodSec());
        store.setSavePeriodSec(getSavePeriodSec());
        store.setKeepSessionsOnStop(keepSessionsOnStop);
        store.setAbsoluteTimeoutSec(absoluteTimeoutSec);
        store.setPrincipalAttribute(principalAttribute);
        store.setMaxSessionsPerUser(maxSessionsPerUser, whenUserLimitReached);
        return store;
    }

    private Duration sweepGrace() {
        return ExpirySearch.sweepGrace(sweepGrace, getGracePeriodSec());
    }

    private SessionStore resolveBackend() {
        if (backend != null) {
            return backend;
        }
        if (lruBound > 0) {
            // Expired records stay loadable and listed until Jetty has expired them (and fired the listeners), and
            // the sweeper removes them after the sweep grace, as in the SyncMap backend.
            return CaffeineSessionStore.builder().maximumSessions(lruBound).build();
        }
        return new SyncMapSessionStore();
    }

    private SessionSnapshot buildSnapshot() {
        if (snapshotFile == null) {
            return null;
        }
        // Each context reads its own sessions with its own class loader when it starts (BackendLifecycle.readRestored).
        SessionSnapshot.Builder builder = SessionSnapshot.builder(snapshotFile).attributeStorage(attributeStorage)
                .deferAttributeReading();
        for (String pkg : snapshotAllowedPackages) {
            builder.allowPackage(pkg);
        }
        return builder.build();
    }

    /**
     * The backend the stores share, once the first store has been created.
     *
     * @return the backend, or null before the first {@link #getSessionDataStore} call unless one was set
     */
    public synchronized SessionStore getBackend() {
        return shared != null ? shared.store() : backend;
    }

    /**
     * Uses the given backend for every store; this factory never closes it.
     *
     * @param backend the backend, or null to let the factory create one
     */
    public synchronized void setBackend(SessionStore backend) {
        checkNotCreated();
        this.backend = backend;
    }

    /**
     * The bound on sessions for a backend this factory creates.
     *
     * @return the bound, 0 for none
     */
    public long getLruBound() {
        return lruBound;
    }

    /**
     * Bounds the number of sessions by using a Caffeine backend of that size (least recently used sessions are
     * evicted beyond it). Ignored when a backend is set with {@link #setBackend}.
     *
     * @param lruBound the bound; 0 for an unbounded SyncMap backend
     */
    public synchronized void setLruBound(long lruBound) {
        checkNotCreated();
        if (lruBound < 0) {
            throw new IllegalArgumentException("lruBound is " + lruBound + "; use 0 for no bound");
        }
        this.lruBound = lruBound;
    }

    /**
     * The cap on live sessions; see {@link SyncSessions.Builder#maxLiveSessions(long)}.
     *
     * @return the cap, 0 for none
     */
    public long getMaxLiveSessions() {
        return maxLiveSessions;
    }

    /**
     * Whether a context's sessions stay in the backend, serialized, when the context stops; see
     * {@link SyncMapSessionDataStore#setKeepSessionsOnStop}.
     *
     * @return true (the default) to keep them, false to delete them
     */
    public synchronized boolean isKeepSessionsOnStop() {
        return keepSessionsOnStop;
    }

    /**
     * Sets what happens to a context's sessions when it stops, for every store this factory makes; see
     * {@link SyncMapSessionDataStore#setKeepSessionsOnStop}.
     *
     * @param keep true (the default) to keep them serialized for a redeploy, false to delete them
     */
    public synchronized void setKeepSessionsOnStop(boolean keep) {
        this.keepSessionsOnStop = keep;
    }

    /**
     * Sets the time between snapshot writes while the server runs, so that a process killed without a stop loses
     * at most this much; see {@link BackendLifecycle}. Applies only with a snapshot file.
     *
     * @param seconds at least 1; 0 to write the snapshot only when the server stops; default 30
     */
    public synchronized void setSnapshotIntervalSec(int seconds) {
        checkNotCreated();
        if (seconds < 0) {
            throw new IllegalArgumentException("snapshot interval is " + seconds + " s; use 0 to write only at stop");
        }
        this.snapshotInterval = Duration.ofSeconds(seconds);
    }

    /**
     * The time between snapshot writes while the server runs.
     *
     * @return seconds, 0 if the snapshot is written only at stop
     */
    public long getSnapshotIntervalSec() {
        return snapshotInterval.toSeconds();
    }

    /**
     * Names the session attribute that holds the signed-in user in every store this factory makes; see
     * {@link SyncMapSessionDataStore#setPrincipalAttribute}.
     *
     * @param attribute the attribute name; null or empty for Jetty's authenticated user only (the default)
     */
    public synchronized void setPrincipalAttribute(String attribute) {
        this.principalAttribute = PrincipalSource.attributeName(attribute);
    }

    /**
     * The session attribute that holds the signed-in user.
     *
     * @return its name, or null for Jetty's authenticated user only
     */
    public synchronized String getPrincipalAttribute() {
        return principalAttribute;
    }

    /**
     * Limits the sessions one user may be signed into at once, in each context.
     *
     * @param max the limit; 0 (the default) for none
     */
    public synchronized void setMaxSessionsPerUser(int max) {
        this.maxSessionsPerUser = WhenUserLimitReached.checkedLimit(max);
    }

    /**
     * The sessions one user may be signed into at once.
     *
     * @return the limit, 0 for none
     */
    public synchronized int getMaxSessionsPerUser() {
        return maxSessionsPerUser;
    }

    /**
     * What a sign-in past {@link #setMaxSessionsPerUser} does.
     *
     * @param whenReached the policy; default {@link WhenUserLimitReached#REFUSE_NEW}
     */
    public synchronized void setWhenUserLimitReached(WhenUserLimitReached whenReached) {
        this.whenUserLimitReached = Objects.requireNonNull(whenReached, "whenReached");
    }

    /**
     * Sets what a sign-in past the limit does by name, for Jetty XML: {@code refuse-new} or
     * {@code invalidate-oldest} (either case, {@code -} or {@code _}).
     *
     * @param whenReached the policy's name
     */
    public void setWhenUserLimitReachedName(String whenReached) {
        setWhenUserLimitReached(WhenUserLimitReached.named(whenReached));
    }

    /**
     * What a sign-in past the limit does.
     *
     * @return the policy
     */
    public synchronized WhenUserLimitReached getWhenUserLimitReached() {
        return whenUserLimitReached;
    }

    /**
     * The absolute timeout of the stores this factory makes; see {@link SyncMapSessionDataStore#setAbsoluteTimeoutSec}.
     *
     * @return seconds, 0 for none
     */
    public synchronized int getAbsoluteTimeoutSec() {
        return absoluteTimeoutSec;
    }

    /**
     * Sets the absolute timeout of every store this factory makes: a session expires this long after its creation,
     * however active; see {@link SyncMapSessionDataStore#setAbsoluteTimeoutSec}.
     *
     * @param seconds the maximum lifetime of a session; 0 (the default) for none
     */
    public synchronized void setAbsoluteTimeoutSec(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("absolute timeout is " + seconds + " s; use 0 for none");
        }
        this.absoluteTimeoutSec = seconds;
    }

    /**
     * Caps the sessions the backend may hold: creating one more is refused with
     * {@link dev.syncsession.jetty.protection.LiveSessionLimitExceededException} (HTTP 503), while existing sessions keep working. Unlike
     * {@link #setLruBound}, nothing is evicted.
     *
     * @param maxLiveSessions the cap; 0 for none (the default)
     */
    public synchronized void setMaxLiveSessions(long maxLiveSessions) {
        checkNotCreated();
        if (maxLiveSessions < 0) {
            throw new IllegalArgumentException("maxLiveSessions is " + maxLiveSessions + "; use 0 for no cap");
        }
        this.maxLiveSessions = maxLiveSessions;
    }

    /**
     * How attributes are held in the backend.
     *
     * @return the representation, {@link AttributeStorage#BY_REFERENCE} by default
     */
    public AttributeStorage getAttributeStorage() {
        return attributeStorage;
    }

    /**
     * Sets how attributes are held in the backend.
     *
     * @param attributeStorage the representation
     */
    public synchronized void setAttributeStorage(AttributeStorage attributeStorage) {
        checkNotCreated();
        this.attributeStorage = Objects.requireNonNull(attributeStorage, "attributeStorage");
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
     * @param seconds a positive number of seconds; default 60
     */
    public synchronized void setSweepIntervalSec(int seconds) {
        checkNotCreated();
        if (seconds <= 0) {
            throw new IllegalArgumentException("sweep interval is " + seconds + " s; it must be positive");
        }
        sweepInterval = Duration.ofSeconds(seconds);
    }

    /**
     * The time between sweeps.
     *
     * @return seconds between sweeps
     */
    public long getSweepIntervalSec() {
        return sweepInterval.toSeconds();
    }

    /**
     * Sets how long past its expiry a record must be before the sweeper removes it. By default ten grace periods
     * (Jetty's orphan horizon), so Jetty expires every session, and fires its listeners once, before the sweeper
     * could remove it.
     *
     * @param seconds zero or more seconds; negative restores the default
     */
    public synchronized void setSweepGraceSec(int seconds) {
        checkNotCreated();
        sweepGrace = seconds < 0 ? null : Duration.ofSeconds(seconds);
    }

    /**
     * Writes a snapshot of the backend to this file when the last store stops, and restores it when the first
     * starts. The first store's start fails, with an {@link IllegalStateException} naming the file and the reason, if
     * the file's directory cannot be created or written.
     *
     * @param file the snapshot file, or null or empty for none
     */
    public synchronized void setSnapshotFile(String file) {
        setSnapshotPath(file == null || file.isBlank() ? null : Path.of(file));
    }

    /**
     * Like {@link #setSnapshotFile(String)}, with a path.
     *
     * @param file the snapshot file, or null for none
     */
    public synchronized void setSnapshotPath(Path file) {
        checkNotCreated();
        this.snapshotFile = file;
    }

    /**
     * The snapshot file.
     *
     * @return the file, or null for none
     */
    public Path getSnapshotPath() {
        return snapshotFile;
    }

    /**
     * Allows attribute classes of these packages (and their sub-packages) to be restored from a snapshot, in
     * addition to the JDK value types allowed by default.
     *
     * @param packages comma-separated package names
     */
    public synchronized void setSnapshotAllowedPackages(String packages) {
        checkNotCreated();
        snapshotAllowedPackages = packages == null || packages.isBlank() ? new String[0]
                : packages.trim().split("\\s*,\\s*");
    }

    private void checkNotCreated() {
        if (shared != null) {
            throw new IllegalStateException("this factory has already created stores; configure it before start");
        }
    }
}
