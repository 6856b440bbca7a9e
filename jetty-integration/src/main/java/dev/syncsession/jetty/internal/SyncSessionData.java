/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.internal;

import dev.syncsession.jetty.internal.UserSource;
import dev.syncsession.jetty.internal.UserWatch;
import dev.syncsession.session.CopyOnWriteAttributes;
import dev.syncsession.session.SessionAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.session.SessionData;

/**
 * The session data the SyncMap store makes: Jetty's, with the store's absolute timeout and its sign-in check.
 *
 * <p>With an absolute timeout (OWASP's), the session expires at its creation time plus the
 * timeout however active it is, or earlier when it has been idle for its max inactive interval. Jetty derives every
 * expiry decision from {@link #calcExpiry(long)} and {@link #isExpiredAt(long)} (the request that finds its session
 * expired, the inactivity timer, the housekeeper's scavenge, the store's expiry search over the saved expiry), so an
 * expired-by-age session ends like an idle one: invalidated once, {@code sessionDestroyed} once, and a request that
 * presents it gets a new session. A session that never idles out ({@code maxInactiveInterval <= 0}) still ends at its
 * absolute timeout. Without one (0), expiry is Jetty's.
 *
 * <p>With a principal watch, setting or removing an attribute that names the session's principal (Jetty's
 * authenticated user or the user attribute) so that the principal changes tells the watch first: the index of
 * sessions by user follows a sign-in or sign-out as it happens, and may refuse a sign-in by throwing (the per-user
 * session limit), in which case the attribute is left as it was.
 *
 * <p>Its attributes are a {@link CopyOnWriteAttributes}: each change replaces an immutable set of them, which the SyncMap
 * store keeps as its record's attributes without copying ({@link #sharedAttributes()}).
 *
 * <p>It records what changed since it was loaded or last saved: the names of the attributes set or removed, and
 * whether the max inactive interval changed ({@link #changedNames()}, {@link #maxInactiveChanged()}), forgotten by
 * {@link #clean()} after a successful save. The many-nodes store saves those changes onto the row as another node
 * may have left it, under the row's version ({@link #rowVersion()}); the SyncMap store ignores them, and pays one set
 * insert per attribute change and one set per save of a change. The many-nodes store's copies also hold a digest of each attribute's serialized form
 * as the row holds it ({@link #storedForms()}), by which each save finds the attributes changed in place.
 *
 * <p>Thread-safety as Jetty's: the session's lock ({@code ManagedSession.lock()}) guards every change, and the
 * stores' save, which runs under it too; so do the change record and the row version.
 *
 * <p>Made by the SyncMap store and the many-nodes store; public only to cross packages.
 */
public final class SyncSessionData extends SessionData {

    private static final long serialVersionUID = 1L;

    private final long absoluteTimeoutMs;

    /** Which run of its store made this data (see the store's {@code RedeployDetach}); 0 if not counted. */
    private transient long generation;

    private final transient UserSource userSource;
    private final transient UserWatch userWatch;

    /** The attributes set or removed since the load or the last save; null until the first change. Session lock. */
    private transient Set<String> changedNames;

    /** Whether the max inactive interval was set since the load or the last save. Session lock. */
    private transient boolean maxInactiveChanged;

    /** The version of the row this copy was loaded from or last saved as (many-nodes tier). Session lock. */
    private transient long rowVersion;

    /**
     * Whether the row this copy was loaded from or last adopted keeps its attributes in Jetty's map column rather than
     * the tier's attribute table (many-nodes tier): its next save that changes attributes then writes the whole map
     * again, or, once it has outgrown the row, all of them into the table.
     * Session lock.
     */
    private transient boolean keepsMap;

    /**
     * The digests of the attributes' serialized forms as the row holds them (many-nodes tier), taken at the load and
     * updated by each save; null for data the many-nodes store neither loaded nor saved. Session lock.
     */
    private transient Map<String, byte[]> storedForms;

    public SyncSessionData(String id, String contextPath, String vhost, long created, long accessed,
            long lastAccessed, long maxInactiveMs, long absoluteTimeoutMs) {
        this(id, contextPath, vhost, created, accessed, lastAccessed, maxInactiveMs, absoluteTimeoutMs, null, null);
    }

    /**
     * @param id the session id
     * @param contextPath the canonical context path
     * @param vhost the virtual host
     * @param created creation time, epoch milliseconds
     * @param accessed this access, epoch milliseconds
     * @param lastAccessed the previous access, epoch milliseconds
     * @param maxInactiveMs the idle timeout, milliseconds, or 0 or less for none
     * @param absoluteTimeoutMs 0 for none
     * @param userSource with {@code userWatch}, which attributes name the user; null for no watch
     * @param userWatch told before the principal changes; null for no watch
     */
    public SyncSessionData(String id, String contextPath, String vhost, long created, long accessed,
            long lastAccessed, long maxInactiveMs, long absoluteTimeoutMs, UserSource userSource,
            UserWatch userWatch) {
        super(id, contextPath, vhost, created, accessed, lastAccessed, maxInactiveMs);
        if (absoluteTimeoutMs < 0) {
            throw new IllegalArgumentException("absolute timeout is " + absoluteTimeoutMs + " ms; use 0 for none");
        }
        this.absoluteTimeoutMs = absoluteTimeoutMs;
        this.userSource = userSource;
        this.userWatch = userWatch;
        // Jetty's constructor computed the expiry before the timeout was set.
        calcAndSetExpiry();
        _attributes = new CopyOnWriteAttributes();
    }

    public long generation() {
        return generation;
    }

    public void generation(long generation) {
        this.generation = generation;
    }

    /**
     * The attributes as they are now, for a store that keeps them by reference: the same immutable object until the
     * next change, so the store's record and this session share one copy. Null when Jetty replaced the map (its
     * JDBC and file stores' deserialization installs a map of their own), and the store must copy.
     */
    public SessionAttributes sharedAttributes() {
        return _attributes instanceof CopyOnWriteAttributes live ? live.snapshot() : null;
    }

    @Override
    public Object setAttribute(String name, Object value) {
        if (userWatch != null && userSource.isUserAttribute(name)) {
            boolean jetty = UserSource.JETTY_AUTHENTICATED_ATTRIBUTE.equals(name);
            String application = userSource.attribute();
            Object authenticated = jetty ? value : getAttribute(UserSource.JETTY_AUTHENTICATED_ATTRIBUTE);
            Object applicationValue = jetty ? (application == null ? null : getAttribute(application)) : value;
            String next = userSource.userOf(authenticated, applicationValue);
            if (!java.util.Objects.equals(next, userSource.userOf(this))) {
                userWatch.userChanging(this, next);
            }
        }
        return super.setAttribute(name, value);
    }

    /** Records the change, then lets Jetty mark the data dirty; Jetty calls this for each set or removal. */
    @Override
    public void setDirty(String name) {
        if (changedNames == null) {
            changedNames = new HashSet<>();
        }
        changedNames.add(name);
        super.setDirty(name);
    }

    @Override
    public void setMaxInactiveMs(long maxInactive) {
        maxInactiveChanged |= maxInactive != getMaxInactiveMs();
        super.setMaxInactiveMs(maxInactive);
    }

    /** Jetty's, after a successful save: also forgets the recorded changes. */
    @Override
    public void clean() {
        super.clean();
        // Dropped, not cleared: the SyncMap store holds every session's data while it waits for its next request, and
        // an empty set kept there cost each session about 144 bytes (its map and table).
        changedNames = null;
        maxInactiveChanged = false;
    }

    /** The names of the attributes set or removed since the load or the last save; a view, empty if none. */
    public Set<String> changedNames() {
        return changedNames == null ? Set.of() : changedNames;
    }

    /** Whether the max inactive interval was set to another value since the load or the last save. */
    public boolean maxInactiveChanged() {
        return maxInactiveChanged;
    }

    /** The version of the session's row this copy was loaded from or last saved as; 0 for a new session. */
    public long rowVersion() {
        return rowVersion;
    }

    public void rowVersion(long version) {
        rowVersion = version;
    }

    /** Whether the row this copy was loaded from or last adopted keeps a map: see the field. */
    public boolean keepsMap() {
        return keepsMap;
    }

    public void keepsMap(boolean keepsMap) {
        this.keepsMap = keepsMap;
    }

    /**
     * The digests of the attributes' serialized forms as the row holds them (many-nodes tier): by attribute name;
     * null if none were taken.
     */
    public Map<String, byte[]> storedForms() {
        return storedForms;
    }

    public void storedForms(Map<String, byte[]> forms) {
        storedForms = forms;
    }

    /**
     * Takes the row another node saved since this copy was loaded, with this copy's changes applied to it: its
     * attributes become {@code merged}, without being recorded as changes (they still are, and the retried save writes
     * them all); unless this copy changed the max inactive interval, the row's is taken and the expiry recomputed
     * from this access.
     *
     * @param merged the row's attributes with this copy's changes applied
     * @param rowMaxInactiveMs the row's max inactive interval
     * @param version the row's version
     */
    public void adoptRow(Map<String, Object> merged, long rowMaxInactiveMs, long version) {
        for (String name : List.copyOf(_attributes.keySet())) {
            if (!merged.containsKey(name)) {
                _attributes.remove(name);
            }
        }
        _attributes.putAll(merged);
        if (!maxInactiveChanged) {
            _maxInactiveMs = rowMaxInactiveMs;
            setExpiry(calcExpiry(getAccessed()));
        }
        rowVersion = version;
    }

    /** The end of the session's lifetime: its creation plus the absolute timeout. */
    long deadline() {
        long deadline = getCreated() + absoluteTimeoutMs;
        return deadline < getCreated() ? Long.MAX_VALUE : deadline;
    }

    @Override
    public long calcExpiry(long time) {
        long idle = super.calcExpiry(time);
        if (absoluteTimeoutMs <= 0) {
            return idle; // still in Jetty's constructor
        }
        return idle <= 0 ? deadline() : Math.min(idle, deadline());
    }

    @Override
    public boolean isExpiredAt(long time) {
        return (absoluteTimeoutMs > 0 && deadline() <= time) || super.isExpiredAt(time);
    }
}
