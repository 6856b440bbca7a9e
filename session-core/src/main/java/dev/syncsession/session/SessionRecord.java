package dev.syncsession.session;

import java.util.Objects;

/**
 * One session as stored: its key, times, node and attributes. Carries every persistent field of Jetty 12's
 * {@code SessionData} (id, context path and virtual host via {@link SessionKey}, created, accessed, last accessed,
 * cookie set time, last saved, max inactive interval, expiry, last node, attributes), so a container adapter can
 * round-trip through it without loss. All times are milliseconds since the epoch; 0 means "never" or "not yet".
 *
 * <p>Immutable and thread-safe; "changing" a record creates a new one with {@link #toBuilder()} or
 * {@link #touch(long)}. Only {@link #lastNode()} may be null.
 *
 * <p><b>Equality is identity.</b> A record instance is the version token of compare-and-set operations:
 * {@link SessionStore#replace} and {@link SessionStore#deleteIfUnchanged} succeed only if the store still holds the
 * very instance the caller read. Comparing contents instead would cost O(attributes) per operation and require every
 * attribute value to implement {@code equals}.
 */
public final class SessionRecord {

    private final SessionKey key;
    private final long created;
    private final long accessed;
    private final long lastAccessed;
    private final long cookieSetTime;
    private final long lastSaved;
    private final long maxInactiveMs;
    private final long expiry;
    private final String lastNode;
    private final SessionAttributes attributes;

    /** Copies {@code source} under another key. */
    private SessionRecord(SessionRecord source, SessionKey key) {
        this.key = key;
        this.created = source.created;
        this.accessed = source.accessed;
        this.lastAccessed = source.lastAccessed;
        this.cookieSetTime = source.cookieSetTime;
        this.lastSaved = source.lastSaved;
        this.maxInactiveMs = source.maxInactiveMs;
        this.expiry = source.expiry;
        this.lastNode = source.lastNode;
        this.attributes = source.attributes;
    }

    private SessionRecord(Builder builder) {
        this.key = builder.key;
        this.created = builder.created;
        this.accessed = builder.accessed;
        this.lastAccessed = builder.lastAccessed;
        this.cookieSetTime = builder.cookieSetTime;
        this.lastSaved = builder.lastSaved;
        this.maxInactiveMs = builder.maxInactiveMs;
        this.expiry = builder.expiry;
        this.lastNode = builder.lastNode;
        this.attributes = builder.attributes;
    }

    /**
     * Starts a record for the given key with all times 0, no expiry, no last node and no attributes.
     *
     * @param key the session key, not null
     * @return a new builder
     */
    public static Builder builder(SessionKey key) {
        return new Builder(Objects.requireNonNull(key, "key"));
    }

    /**
     * Returns a builder initialised with every field of this record.
     *
     * @return a new builder; O(1), attributes are shared, not copied
     */
    public Builder toBuilder() {
        Builder builder = new Builder(key);
        builder.created = created;
        builder.accessed = accessed;
        builder.lastAccessed = lastAccessed;
        builder.cookieSetTime = cookieSetTime;
        builder.lastSaved = lastSaved;
        builder.maxInactiveMs = maxInactiveMs;
        builder.expiry = expiry;
        builder.lastNode = lastNode;
        builder.attributes = attributes;
        return builder;
    }

    /**
     * Returns a copy recording an access at {@code now}: {@code accessed} becomes {@code now}, {@code lastAccessed}
     * becomes the previous {@code accessed}, and the expiry moves to {@code now + maxInactiveMs} (or stays 0 when the
     * session never expires). This is what Jetty does when a request enters a session.
     *
     * @param now the access time in epoch milliseconds
     * @return a new record; O(1)
     */
    public SessionRecord touch(long now) {
        Builder builder = toBuilder();
        builder.lastAccessed = accessed;
        builder.accessed = now;
        builder.expiry = expiryFor(now, maxInactiveMs);
        return builder.build();
    }

    /**
     * Returns a copy with a new id in the same scope and every other field unchanged, as needed when a session's id
     * is changed to defend against session fixation.
     *
     * @param newId the new id, not null
     * @return a new record; O(1), attributes are shared
     */
    public SessionRecord withId(String newId) {
        return new SessionRecord(this, key.scope().key(newId));
    }

    /**
     * Returns the expiry time for a session last accessed at {@code accessed}.
     *
     * @param accessed the access time in epoch milliseconds
     * @param maxInactiveMs the max inactive interval; zero or negative means the session never expires
     * @return {@code accessed + maxInactiveMs}, saturating at {@link Long#MAX_VALUE}, or 0 for "never"
     */
    static long expiryFor(long accessed, long maxInactiveMs) {
        if (maxInactiveMs <= 0) {
            return 0;
        }
        long expiry = accessed + maxInactiveMs;
        return expiry < accessed ? Long.MAX_VALUE : expiry;
    }

    /**
     * Tells whether this session has expired at the given time.
     *
     * @param now the time in epoch milliseconds
     * @return true if the record has an expiry time and it is at or before {@code now}
     */
    public boolean isExpiredAt(long now) {
        return expiry > 0 && expiry <= now;
    }

    /**
     * Returns the key: scope and id.
     *
     * @return the key, never null
     */
    public SessionKey key() {
        return key;
    }

    /**
     * Returns the session id; shorthand for {@code key().id()}.
     *
     * @return the id, never null
     */
    public String id() {
        return key.id();
    }

    /**
     * Returns the scope; shorthand for {@code key().scope()}.
     *
     * @return the scope, never null
     */
    public SessionScope scope() {
        return key.scope();
    }

    /**
     * Returns when the session was created.
     *
     * @return epoch milliseconds
     */
    public long created() {
        return created;
    }

    /**
     * Returns when a request last entered the session (Jetty's {@code accessed}).
     *
     * @return epoch milliseconds
     */
    public long accessed() {
        return accessed;
    }

    /**
     * Returns the access before the latest one (Jetty's {@code lastAccessed}).
     *
     * @return epoch milliseconds
     */
    public long lastAccessed() {
        return lastAccessed;
    }

    /**
     * Returns when the session cookie was last set (Jetty's {@code cookieSet}).
     *
     * @return epoch milliseconds, 0 if never
     */
    public long cookieSetTime() {
        return cookieSetTime;
    }

    /**
     * Returns when the session was last saved by a container (Jetty's {@code lastSaved}).
     *
     * @return epoch milliseconds, 0 if never
     */
    public long lastSaved() {
        return lastSaved;
    }

    /**
     * Returns the max inactive interval.
     *
     * @return milliseconds; zero or negative means the session never expires
     */
    public long maxInactiveMs() {
        return maxInactiveMs;
    }

    /**
     * Returns when the session expires.
     *
     * @return epoch milliseconds, 0 if it never expires
     */
    public long expiry() {
        return expiry;
    }

    /**
     * Returns the node that last managed the session (Jetty's worker name).
     *
     * @return the node name, or null if unknown
     */
    public String lastNode() {
        return lastNode;
    }

    /**
     * Returns the attributes.
     *
     * @return the attributes, never null
     */
    public SessionAttributes attributes() {
        return attributes;
    }

    /**
     * Returns the memory this record is estimated to occupy: a fixed overhead, the id and the attributes' weight
     * (exact for {@link AttributeStorage#SERIALIZED}). O(1).
     *
     * @return a positive number of bytes
     */
    public long weightBytes() {
        return 128 + 2L * key.id().length() + attributes.weightBytes();
    }

    /** Describes the record without attribute values and with the id abbreviated, so it is safe to log. */
    @Override
    public String toString() {
        return "SessionRecord[" + key + ", created=" + created + ", accessed=" + accessed + ", expiry=" + expiry
                + ", lastNode=" + lastNode + ", " + attributes.size() + " attributes]";
    }

    /** Shortens a session id for messages: enough to correlate log lines, too little to hijack a session. */
    static String abbreviate(String id) {
        return id.length() <= 6 ? id : id.substring(0, 6) + "...";
    }

    /**
     * Builds a {@link SessionRecord}. Not thread-safe; use one builder per thread. Times default to 0, attributes to
     * {@link SessionAttributes#empty()}.
     */
    public static final class Builder {

        private final SessionKey key;
        private long created;
        private long accessed;
        private long lastAccessed;
        private long cookieSetTime;
        private long lastSaved;
        private long maxInactiveMs;
        private long expiry;
        private String lastNode;
        private SessionAttributes attributes = SessionAttributes.empty();

        private Builder(SessionKey key) {
            this.key = key;
        }

        /**
         * Sets the creation time.
         *
         * @param created epoch milliseconds
         * @return this builder
         */
        public Builder created(long created) {
            this.created = created;
            return this;
        }

        /**
         * Sets the latest access time.
         *
         * @param accessed epoch milliseconds
         * @return this builder
         */
        public Builder accessed(long accessed) {
            this.accessed = accessed;
            return this;
        }

        /**
         * Sets the access time before the latest one.
         *
         * @param lastAccessed epoch milliseconds
         * @return this builder
         */
        public Builder lastAccessed(long lastAccessed) {
            this.lastAccessed = lastAccessed;
            return this;
        }

        /**
         * Sets when the session cookie was last set.
         *
         * @param cookieSetTime epoch milliseconds, 0 if never
         * @return this builder
         */
        public Builder cookieSetTime(long cookieSetTime) {
            this.cookieSetTime = cookieSetTime;
            return this;
        }

        /**
         * Sets when the session was last saved.
         *
         * @param lastSaved epoch milliseconds, 0 if never
         * @return this builder
         */
        public Builder lastSaved(long lastSaved) {
            this.lastSaved = lastSaved;
            return this;
        }

        /**
         * Sets the max inactive interval. Does not recompute the expiry; set it with {@link #expiry(long)}.
         *
         * @param maxInactiveMs milliseconds; zero or negative means never expires
         * @return this builder
         */
        public Builder maxInactiveMs(long maxInactiveMs) {
            this.maxInactiveMs = maxInactiveMs;
            return this;
        }

        /**
         * Sets the expiry time.
         *
         * @param expiry epoch milliseconds, 0 for never
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder expiry(long expiry) {
            if (expiry < 0) {
                throw new IllegalArgumentException("expiry is " + expiry + "; use 0 for never or an epoch millisecond time");
            }
            this.expiry = expiry;
            return this;
        }

        /**
         * Sets the node that last managed the session.
         *
         * @param lastNode the node name, or null if unknown
         * @return this builder
         */
        public Builder lastNode(String lastNode) {
            this.lastNode = lastNode;
            return this;
        }

        /**
         * Sets the attributes.
         *
         * @param attributes the attributes, not null; see {@link AttributeStorage#of(java.util.Map)}
         * @return this builder
         */
        public Builder attributes(SessionAttributes attributes) {
            this.attributes = Objects.requireNonNull(attributes, "attributes (use SessionAttributes.empty())");
            return this;
        }

        /**
         * Creates the record.
         *
         * @return a new immutable record
         */
        public SessionRecord build() {
            return new SessionRecord(this);
        }
    }
}
