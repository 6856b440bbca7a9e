package dev.syncsession.session;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions of one {@link SessionScope} on top of a {@link SessionStore}, without any container: create, find,
 * update attributes, change id and invalidate, with lifecycle events to {@link SessionListener}s. The store is the
 * index from session id to attributes; this class adds the rules.
 *
 * <ul>
 *   <li>{@link #find} refreshes the last access; an expired session is never returned, and is removed.</li>
 *   <li>Ids from clients are checked by a {@link SessionIdValidator}; a bad id is treated as "no session".</li>
 *   <li>{@link #update} is atomic per session: concurrent updates retry on the store's compare-and-set, so none is
 *       lost.</li>
 *   <li>An optional cap on sessions ({@link Builder#sessionCap}) makes {@link #create} throw
 *       {@link SessionCapExceededException} instead of exceeding it, even under concurrent creation.</li>
 * </ul>
 *
 * <p>Thread-safe. {@link #find}, {@link #update}, {@link #changeId} and {@link #invalidate} take no lock of their own
 * and cost a few store operations plus, for {@code update}, O(attributes). {@link #create} is lock-free without a
 * cap; with one, creations are serialised so that checking the count and inserting act as one step. Stale sessions
 * that no request touches are removed by an {@link ExpirySweeper}; pass the same listeners to both.
 */
public final class SessionService {

    private static final Logger LOG = LoggerFactory.getLogger(SessionService.class);

    /** Attempts to find an unused fresh id before concluding the random source is broken. */
    private static final int ID_ATTEMPTS = 3;

    private final SessionStore store;
    private final SessionScope scope;
    private final Clock clock;
    private final long maxInactiveMs;
    private final long sessionCap;
    private final SessionIdGenerator ids;
    private final SessionIdValidator idValidator;
    private final String node;
    private final AttributeStorage attributeStorage;
    private final ClassLoader classLoader;
    private final Listeners listeners;

    /** Held while checking the live count and inserting, when a cap is configured; see {@link #create(Map)}. */
    private final Object capLock = new Object();

    private SessionService(Builder builder) {
        this.store = builder.store;
        this.scope = builder.scope;
        this.clock = builder.clock;
        this.maxInactiveMs = builder.maxInactive.toMillis();
        this.sessionCap = builder.sessionCap;
        this.node = builder.node;
        this.ids = builder.ids != null ? builder.ids
                : node == null ? SessionIdGenerator.create() : SessionIdGenerator.builder().node(node).build();
        this.idValidator = builder.idValidator;
        this.attributeStorage = builder.attributeStorage;
        this.classLoader = builder.classLoader;
        this.listeners = new Listeners(builder.listeners);
    }

    /**
     * Starts configuring a manager over the store.
     *
     * @param store the store, not null; may be shared with managers of other scopes
     * @return a new builder
     */
    public static Builder builder(SessionStore store) {
        return new Builder(Objects.requireNonNull(store, "store"));
    }

    /**
     * Creates a session with no attributes.
     *
     * @return the new session, already stored
     * @throws SessionCapExceededException if the cap on sessions is reached
     */
    public SessionRecord create() {
        return create(Map.of());
    }

    /**
     * Creates a session with the given attributes.
     *
     * @param attributes initial attributes, not null, without null names or values; copied
     * @return the new session, already stored
     * @throws SessionCapExceededException if the cap on sessions is reached
     * @throws IllegalArgumentException with {@link AttributeStorage#SERIALIZED}, if a value is not serializable
     */
    public SessionRecord create(Map<String, ?> attributes) {
        SessionAttributes initial = attributeStorage.of(attributes);
        SessionRecord created;
        if (sessionCap < 0) {
            created = insertFresh(initial);
        } else {
            // Serialised so that two creations cannot both see room for one more; lookups are not affected.
            synchronized (capLock) {
                long live = store.size();
                if (live >= sessionCap) {
                    throw new SessionCapExceededException(scope, live, sessionCap);
                }
                created = insertFresh(initial);
            }
        }
        listeners.created(created);
        return created;
    }

    private SessionRecord insertFresh(SessionAttributes attributes) {
        long now = clock.millis();
        SessionRecord record = SessionRecord.builder(scope.key(ids.newId()))
                .created(now).accessed(now).lastAccessed(now)
                .maxInactiveMs(maxInactiveMs).expiry(SessionRecord.expiryFor(now, maxInactiveMs))
                .lastNode(node).attributes(attributes)
                .build();
        for (int attempt = 1; !store.insert(record); attempt++) {
            if (attempt == ID_ATTEMPTS) {
                throw new IllegalStateException(ID_ATTEMPTS + " freshly generated session ids were all in use in "
                        + scope + "; the SessionIdGenerator's random source is not random");
            }
            record = record.withId(ids.newId());
        }
        return record;
    }

    /**
     * Finds a live session and records the access: see {@link SessionRecord#touch(long)}. An expired session is
     * removed, reported as {@link SessionListener#expired}, and not returned.
     *
     * @param id the id as received from the client, may be null or malformed
     * @return the session after the access, or empty if the id is invalid, unknown or expired
     */
    public Optional<SessionRecord> find(String id) {
        SessionKey key = keyOf(id);
        if (key == null) {
            return Optional.empty();
        }
        while (true) {
            long now = clock.millis();
            SessionRecord current = loadLive(key, now);
            if (current == null) {
                return Optional.empty();
            }
            SessionRecord touched = current.touch(now);
            if (store.replace(current, touched)) {
                return Optional.of(touched);
            }
            // Another request changed the session since we read it: touch the newer record.
        }
    }

    /**
     * Changes a live session's attributes atomically. The mutator receives a mutable copy of the current attributes;
     * putting null removes an attribute. If another thread changed the session meanwhile, the update is retried on the
     * newer record, so the mutator may run more than once and must have no other side effects. Each changed attribute
     * is reported as {@link SessionListener#attributeChanged}. Does not record an access.
     *
     * @param id the session id, may be null or malformed
     * @param mutator changes the attributes in place, not null
     * @return the session after the change, or empty if the id is invalid, unknown or expired
     * @throws UnreadableSessionException if the stored attributes cannot be deserialized
     * @throws IllegalArgumentException with {@link AttributeStorage#SERIALIZED}, if a new value is not serializable
     */
    public Optional<SessionRecord> update(String id, Consumer<Map<String, Object>> mutator) {
        Objects.requireNonNull(mutator, "mutator");
        SessionKey key = keyOf(id);
        if (key == null) {
            return Optional.empty();
        }
        while (true) {
            SessionRecord current = loadLive(key, clock.millis());
            if (current == null) {
                return Optional.empty();
            }
            Map<String, Object> before = current.attributes().toMap(classLoader());
            Map<String, Object> after = new HashMap<>(before);
            mutator.accept(after);
            after.values().removeIf(Objects::isNull);
            SessionRecord updated = current.toBuilder().attributes(attributeStorage.of(after)).build();
            if (store.replace(current, updated)) {
                reportChanges(updated, before, after);
                return Optional.of(updated);
            }
        }
    }

    private void reportChanges(SessionRecord session, Map<String, Object> before, Map<String, Object> after) {
        if (listeners.isEmpty()) {
            return;
        }
        for (Map.Entry<String, Object> old : before.entrySet()) {
            Object now = after.get(old.getKey());
            if (now != old.getValue()) {
                listeners.attributeChanged(session, old.getKey(), old.getValue(), now);
            }
        }
        for (Map.Entry<String, Object> added : after.entrySet()) {
            if (!before.containsKey(added.getKey())) {
                listeners.attributeChanged(session, added.getKey(), null, added.getValue());
            }
        }
    }

    /**
     * Gives a live session a new id, keeping everything else, as a defence against session fixation (typically after
     * login). The old id finds nothing afterwards. Reported as {@link SessionListener#idChanged}.
     *
     * @param id the current id, may be null or malformed
     * @return the session under its new id, or empty if the id is invalid, unknown or expired
     */
    public Optional<SessionRecord> changeId(String id) {
        SessionKey key = keyOf(id);
        if (key == null) {
            return Optional.empty();
        }
        while (true) {
            SessionRecord current = loadLive(key, clock.millis());
            if (current == null) {
                return Optional.empty();
            }
            SessionRecord moved = current.withId(ids.newId());
            for (int attempt = 1; !store.insert(moved); attempt++) {
                if (attempt == ID_ATTEMPTS) {
                    throw new IllegalStateException(ID_ATTEMPTS + " freshly generated session ids were all in use in "
                            + scope + "; the SessionIdGenerator's random source is not random");
                }
                moved = current.withId(ids.newId());
            }
            if (store.deleteIfUnchanged(current)) {
                listeners.idChanged(current, moved);
                return Optional.of(moved);
            }
            // The session changed while we copied it: drop the stale copy and move the newer record instead.
            store.deleteIfUnchanged(moved);
        }
    }

    /**
     * Removes a session. Reported as {@link SessionListener#invalidated}, or as {@link SessionListener#expired} if
     * it had already expired.
     *
     * @param id the session id, may be null or malformed
     * @return true if a live session was invalidated; false if the id is invalid, unknown or already expired
     */
    public boolean invalidate(String id) {
        SessionKey key = keyOf(id);
        if (key == null) {
            return false;
        }
        SessionRecord removed = store.delete(key);
        if (removed == null) {
            return false;
        }
        if (removed.isExpiredAt(clock.millis())) {
            listeners.expired(removed);
            return false;
        }
        listeners.invalidated(removed);
        return true;
    }

    /**
     * Returns a session's attributes, reading serialized attributes with the configured class loader.
     *
     * @param session a session from this manager, not null
     * @return an unmodifiable map
     * @throws UnreadableSessionException if the attributes cannot be deserialized
     */
    public Map<String, Object> attributes(SessionRecord session) {
        return session.attributes().toMap(classLoader());
    }

    /**
     * Returns the scope of this manager's sessions.
     *
     * @return the scope
     */
    public SessionScope scope() {
        return scope;
    }

    /**
     * Returns the store this manager uses.
     *
     * @return the store
     */
    public SessionStore store() {
        return store;
    }

    /** Returns the live record, removing it instead if it has expired. */
    private SessionRecord loadLive(SessionKey key, long now) {
        while (true) {
            SessionRecord current = store.load(key);
            if (current == null || !current.isExpiredAt(now)) {
                return current;
            }
            if (store.deleteIfUnchanged(current)) {
                listeners.expired(current);
                return null;
            }
            // Replaced or removed meanwhile: look again.
        }
    }

    private SessionKey keyOf(String id) {
        Optional<String> problem = idValidator.rejectionReason(id);
        if (problem.isPresent()) {
            LOG.debug("treating rejected session id as no session: {}", problem.get());
            return null;
        }
        return scope.key(id);
    }

    private ClassLoader classLoader() {
        return classLoader != null ? classLoader : AttributeCodec.defaultLoader();
    }

    /** Configures a {@link SessionService}. Not thread-safe. */
    public static final class Builder {

        private final SessionStore store;
        private SessionScope scope = SessionScope.ROOT;
        private Clock clock = Clock.systemUTC();
        private Duration maxInactive = Duration.ofMinutes(30);
        private long sessionCap = -1;
        private SessionIdGenerator ids;
        private SessionIdValidator idValidator = SessionIdValidator.standard();
        private String node;
        private AttributeStorage attributeStorage = AttributeStorage.BY_REFERENCE;
        private ClassLoader classLoader;
        private final List<SessionListener> listeners = new ArrayList<>();

        private Builder(SessionStore store) {
            this.store = store;
        }

        /**
         * Sets the scope of the sessions. Default: {@link SessionScope#ROOT}.
         *
         * @param scope the scope, not null
         * @return this builder
         */
        public Builder scope(SessionScope scope) {
            this.scope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        /**
         * Sets the clock for creation, access and expiry times. Default: the system clock.
         *
         * @param clock the clock, not null
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets how long a session lives without access. Default: 30 minutes. Zero or negative: sessions never
         * expire.
         *
         * @param maxInactive the interval, not null
         * @return this builder
         */
        public Builder maxInactiveInterval(Duration maxInactive) {
            this.maxInactive = Objects.requireNonNull(maxInactive, "maxInactive");
            return this;
        }

        /**
         * Caps the number of live sessions, counted as {@link SessionStore#size()} (so give a capped manager a store
         * of its own, and note that expired sessions count until removed). Default: no cap.
         *
         * @param sessionCap at least 1
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder sessionCap(long sessionCap) {
            if (sessionCap < 1) {
                throw new IllegalArgumentException("sessionCap is " + sessionCap + "; must be at least 1");
            }
            this.sessionCap = sessionCap;
            return this;
        }

        /**
         * Sets this node's name: recorded as each new session's {@link SessionRecord#lastNode()} and, unless
         * {@link #idGenerator} is set, appended to new ids. Default: none.
         *
         * @param node the node name; see {@link SessionIdGenerator.Builder#node(String)}
         * @return this builder
         */
        public Builder node(String node) {
            SessionIdGenerator.checkNode(node);
            this.node = node;
            return this;
        }

        /**
         * Sets the id generator. Default: {@link SessionIdGenerator#create()}, with the {@linkplain #node node}
         * suffix if set.
         *
         * @param ids the generator, not null
         * @return this builder
         */
        public Builder idGenerator(SessionIdGenerator ids) {
            this.ids = Objects.requireNonNull(ids, "ids");
            return this;
        }

        /**
         * Sets the validator for ids received from clients. Default: {@link SessionIdValidator#standard()}.
         *
         * @param idValidator the validator, not null
         * @return this builder
         */
        public Builder idValidator(SessionIdValidator idValidator) {
            this.idValidator = Objects.requireNonNull(idValidator, "idValidator");
            return this;
        }

        /**
         * Sets how attributes are held. Default: {@link AttributeStorage#BY_REFERENCE}.
         *
         * @param attributeStorage the representation, not null
         * @return this builder
         */
        public Builder attributeStorage(AttributeStorage attributeStorage) {
            this.attributeStorage = Objects.requireNonNull(attributeStorage, "attributeStorage");
            return this;
        }

        /**
         * Sets the class loader for reading serialized attributes. Default: the calling thread's context class
         * loader at the time of each read.
         *
         * @param classLoader the loader, not null
         * @return this builder
         */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
            return this;
        }

        /**
         * Adds a listener for session events.
         *
         * @param listener the listener, not null
         * @return this builder
         */
        public Builder listener(SessionListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Creates the manager.
         *
         * @return a new manager
         * @throws IllegalStateException if the id validator would reject ids from the id generator
         */
        public SessionService build() {
            SessionService manager = new SessionService(this);
            String sample = manager.ids.newId();
            idValidator.rejectionReason(sample).ifPresent(reason -> {
                throw new IllegalStateException("the id validator rejects generated ids (" + reason
                        + "); configure idValidator(SessionIdValidator.withMaxLength(" + sample.length() + "))");
            });
            return manager;
        }
    }
}
