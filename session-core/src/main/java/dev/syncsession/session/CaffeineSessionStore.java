package dev.syncsession.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@link SessionStore} on a Caffeine cache, for operators who need a hard memory bound: at most a number of
 * sessions, or at most a total {@linkplain SessionRecord#weightBytes() weight} in bytes. Like every store, it keeps
 * an expired record loadable and listed until it is deleted (by the container that ends the session, or by an
 * {@link ExpirySweeper}), as Jetty's stores do: a container must be able to find what expired to end it and fire
 * its listeners. {@linkplain Builder#retainExpired(Duration) Retaining expired records for a fixed time} instead
 * has Caffeine drop each record that long after its own {@linkplain SessionRecord#expiry() expiry time}, without a
 * sweep. Every eviction, by size or by expiry, is reported to the
 * {@linkplain Builder#evictionListener(EvictionListener) eviction listener}.
 *
 * <p>Caffeine is an optional dependency of this module: add {@code com.github.ben-manes.caffeine:caffeine} to use
 * this class. Nothing else in this package loads it.
 *
 * <p>Thread-safe; single-key operations are atomic and amortized O(1). {@link #size()} is Caffeine's estimate and
 * may count records that expired but were not yet cleaned up. {@link #range} iterates the cache's map view, which is
 * weakly consistent and allocates a constant amount per scan.
 */
public final class CaffeineSessionStore extends MapSessionStore {

    /** Why a record was evicted. */
    public enum EvictionCause {
        /** Its expiry time passed. */
        EXPIRED,
        /** The store was over its size or weight bound. */
        SIZE
    }

    /** Receives evicted records; called synchronously by the thread that performs Caffeine's maintenance. */
    @FunctionalInterface
    public interface EvictionListener {
        /**
         * A record was evicted.
         *
         * @param record the evicted record
         * @param cause why
         */
        void onEviction(SessionRecord record, EvictionCause cause);
    }

    private final Cache<SessionKey, SessionRecord> cache;
    private final Optional<Duration> retainExpired;

    private CaffeineSessionStore(Cache<SessionKey, SessionRecord> cache, Optional<Duration> retainExpired) {
        super(cache.asMap());
        this.cache = cache;
        this.retainExpired = retainExpired;
    }

    /**
     * How long past its expiry Caffeine keeps a record before dropping it; see {@link Builder#retainExpired(Duration)}.
     *
     * @return zero or more, or empty (the default) when expired records stay until deleted
     */
    public Optional<Duration> retainExpired() {
        return retainExpired;
    }

    /**
     * Starts configuring a store.
     *
     * @return a new builder
     * @throws IllegalStateException if Caffeine is not on the class path, saying which artifact to add
     */
    public static Builder builder() {
        // Checked before the builder class, whose code names Caffeine types, is even linked.
        try {
            Class.forName("com.github.benmanes.caffeine.cache.Caffeine", false,
                    CaffeineSessionStore.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("CaffeineSessionStore needs Caffeine on the class path: add "
                    + "com.github.ben-manes.caffeine:caffeine, or use SyncMapSessionStore", e);
        }
        return new Builder();
    }

    @Override
    public boolean range(Predicate<? super SessionRecord> visitor) {
        ensureOpen();
        Objects.requireNonNull(visitor, "visitor");
        for (SessionRecord record : cache.asMap().values()) {
            if (!visitor.test(record)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long size() {
        ensureOpen();
        return cache.estimatedSize();
    }

    @Override
    public String toString() {
        return "CaffeineSessionStore[" + cache.estimatedSize() + " sessions" + (isClosed() ? ", closed]" : "]");
    }

    /** Performs pending maintenance now (evictions, expirations), as Caffeine otherwise does in the background. */
    public void cleanUp() {
        cache.cleanUp();
    }

    @Override
    public void close() {
        markClosed();
        cache.invalidateAll();
        cache.cleanUp();
    }

    /**
     * Expires each record at its own expiry time plus the time expired records are retained, measured on the store's
     * clock. A read leaves the time unchanged: only a new record, from a touch or an update, moves the expiry.
     */
    private static final class RecordExpiry implements Expiry<SessionKey, SessionRecord> {

        private final Clock clock;
        private final long retainMillis;

        RecordExpiry(Clock clock, long retainMillis) {
            this.clock = clock;
            this.retainMillis = retainMillis;
        }

        @Override
        public long expireAfterCreate(SessionKey key, SessionRecord record, long currentTime) {
            return nanosUntilExpiry(record);
        }

        @Override
        public long expireAfterUpdate(SessionKey key, SessionRecord record, long currentTime, long currentDuration) {
            return nanosUntilExpiry(record);
        }

        @Override
        public long expireAfterRead(SessionKey key, SessionRecord record, long currentTime, long currentDuration) {
            return currentDuration;
        }

        private long nanosUntilExpiry(SessionRecord record) {
            if (record.expiry() == 0) {
                return Long.MAX_VALUE;
            }
            long leaves = record.expiry() + retainMillis;
            if (leaves < record.expiry()) {
                return Long.MAX_VALUE; // retained "forever": the sum overflowed
            }
            long millis = leaves - clock.millis();
            return millis <= 0 ? 0 : TimeUnit.MILLISECONDS.toNanos(millis);
        }
    }

    /**
     * Configures a {@link CaffeineSessionStore}. Caffeine bounds a cache either by count or by weight, so set at most
     * one of {@link #maximumSessions} and {@link #maximumWeightBytes}; with neither, records leave only by expiry or
     * deletion. Not thread-safe.
     */
    public static final class Builder {

        private long maximumSessions = -1;
        private long maximumWeightBytes = -1;
        private Clock clock;
        private EvictionListener evictionListener = (record, cause) -> { };
        private Executor executor = ForkJoinPool.commonPool();
        private Duration retainExpired;

        private Builder() {
        }

        /**
         * Has Caffeine drop each record this long past its expiry time, without a sweep (the bound still applies).
         * A container that expires sessions itself needs to load and list records that have expired, to end them and
         * fire their listeners, as Jetty's stores allow: under Jetty, retain them at least as long as its sweeper
         * does (ten grace periods), or leave this unset. Default: unset, and an expired record stays until it is
         * deleted, as in every other store.
         *
         * @param retainExpired zero or more
         * @return this builder
         */
        public Builder retainExpired(Duration retainExpired) {
            if (retainExpired.isNegative()) {
                throw new IllegalArgumentException("retainExpired is " + retainExpired + "; must be zero or more");
            }
            this.retainExpired = retainExpired;
            return this;
        }

        /**
         * Bounds the store to a number of sessions; past it Caffeine evicts the least likely to be used.
         *
         * @param maximumSessions the bound, at least 1
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder maximumSessions(long maximumSessions) {
            if (maximumSessions < 1) {
                throw new IllegalArgumentException("maximumSessions is " + maximumSessions + "; must be at least 1");
            }
            this.maximumSessions = maximumSessions;
            return this;
        }

        /**
         * Bounds the store to a total {@linkplain SessionRecord#weightBytes() record weight}. Exact with
         * {@link AttributeStorage#SERIALIZED} attributes, an estimate with {@link AttributeStorage#BY_REFERENCE}.
         *
         * @param maximumWeightBytes the bound in bytes, at least 1
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder maximumWeightBytes(long maximumWeightBytes) {
            if (maximumWeightBytes < 1) {
                throw new IllegalArgumentException("maximumWeightBytes is " + maximumWeightBytes + "; must be at least 1");
            }
            this.maximumWeightBytes = maximumWeightBytes;
            return this;
        }

        /**
         * Sets the clock against which record expiry times are measured; also drives Caffeine's ticker, so a test
         * clock controls expiry completely. Default: the system clock.
         *
         * @param clock the clock, not null
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets the listener told about every eviction. Default: none.
         *
         * @param evictionListener the listener, not null; must be thread-safe and quick
         * @return this builder
         */
        public Builder evictionListener(EvictionListener evictionListener) {
            this.evictionListener = Objects.requireNonNull(evictionListener, "evictionListener");
            return this;
        }

        /**
         * Sets the executor for Caffeine's maintenance and therefore for eviction notifications. Default: the common
         * fork-join pool. {@code Runnable::run} makes evictions happen on the calling thread.
         *
         * @param executor the executor, not null
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Creates the store.
         *
         * @return a new, empty store
         * @throws IllegalStateException if both a session bound and a weight bound were set
         */
        public CaffeineSessionStore build() {
            if (maximumSessions > 0 && maximumWeightBytes > 0) {
                throw new IllegalStateException("maximumSessions(" + maximumSessions + ") and maximumWeightBytes("
                        + maximumWeightBytes + ") are both set; Caffeine bounds by count or by weight, choose one");
            }
            Clock expiryClock = clock == null ? Clock.systemUTC() : clock;
            Caffeine<SessionKey, SessionRecord> caffeine = Caffeine.newBuilder()
                    .executor(executor)
                    .evictionListener((SessionKey key, SessionRecord record, RemovalCause cause) -> {
                        if (record != null) {
                            evictionListener.onEviction(record,
                                    cause == RemovalCause.EXPIRED ? EvictionCause.EXPIRED : EvictionCause.SIZE);
                        }
                    });
            if (retainExpired != null) {
                caffeine.expireAfter(new RecordExpiry(expiryClock, saturatedMillis(retainExpired)));
            }
            if (clock != null) {
                caffeine.ticker(tickerOf(clock));
            }
            if (maximumSessions > 0) {
                caffeine.maximumSize(maximumSessions);
            } else if (maximumWeightBytes > 0) {
                caffeine.maximumWeight(maximumWeightBytes)
                        .weigher((SessionKey key, SessionRecord record) ->
                                (int) Math.min(Integer.MAX_VALUE, record.weightBytes()));
            }
            return new CaffeineSessionStore(caffeine.build(), Optional.ofNullable(retainExpired));
        }

        private static long saturatedMillis(Duration d) {
            try {
                return d.toMillis();
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }

        private static Ticker tickerOf(Clock clock) {
            return () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
        }
    }
}
