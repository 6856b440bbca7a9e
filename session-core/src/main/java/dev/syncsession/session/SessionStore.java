package dev.syncsession.session;

import java.util.function.Predicate;

/**
 * Where session records live: the pluggable backend behind {@link SessionService}, {@link ExpirySweeper} and
 * {@link SessionSnapshot}. This library ships {@link SyncMapSessionStore} (the default) and
 * {@link CaffeineSessionStore} (hard memory bound); implement this interface to plug in your own.
 *
 * <p><b>Contract for implementations.</b>
 * <ul>
 *   <li>Thread-safety: every method may be called concurrently from any thread; single-key operations are atomic.</li>
 *   <li>Compare-and-set: {@link #replace} and {@link #deleteIfUnchanged} compare records by <em>identity</em>
 *       (which is {@link SessionRecord#equals}), as {@link java.util.concurrent.ConcurrentMap#replace(Object, Object,
 *       Object)} does; a {@code ConcurrentMap<SessionKey, SessionRecord>} therefore gives them for free.</li>
 *   <li>Nulls: no method accepts null arguments ({@link NullPointerException}); {@link #load} and {@link #delete}
 *       return null for "absent".</li>
 *   <li>Expiry: records are stored whatever their expiry. A store may drop a record whose expiry has passed at any
 *       moment (a Caffeine store does); callers treat such a record as absent anyway.</li>
 *   <li>After {@link #close()}, every other method throws {@link IllegalStateException}.</li>
 * </ul>
 */
public interface SessionStore extends AutoCloseable {

    /**
     * Returns the record stored under the key. A record whose attributes turn out to be unreadable is still returned:
     * reading them throws {@link UnreadableSessionException}, which is how "unusable" differs from "absent".
     *
     * @param key the session key
     * @return the record, or null if absent
     */
    SessionRecord load(SessionKey key);

    /**
     * Stores the record under its key, inserting it or replacing whatever is there.
     *
     * @param record the record to store
     */
    void save(SessionRecord record);

    /**
     * Stores many records, as {@link #save} one after the other would (a later record replaces an earlier one with
     * the same key); what a snapshot restore uses. Stores may do it faster: the SyncMap store loads an empty map as
     * one table.
     *
     * @param records the records to store, in order
     */
    default void saveAll(java.util.List<SessionRecord> records) {
        for (SessionRecord record : records) {
            save(record);
        }
    }

    /**
     * Stores the record only if no record has its key.
     *
     * @param record the record to store
     * @return true if stored, false if another record already had the key
     */
    boolean insert(SessionRecord record);

    /**
     * Replaces {@code expected} with {@code replacement}, only if the store still holds exactly {@code expected} under
     * its key. This is the compare-and-set that lets concurrent updates of one session retry instead of losing writes.
     *
     * @param expected the record the caller read
     * @param replacement the new record, with the same key
     * @return true if replaced; false if the record was changed or removed since the caller read it
     * @throws IllegalArgumentException if the two records have different keys
     */
    boolean replace(SessionRecord expected, SessionRecord replacement);

    /**
     * Removes the record stored under the key, whatever it is.
     *
     * @param key the session key
     * @return the removed record, or null if there was none
     */
    SessionRecord delete(SessionKey key);

    /**
     * Removes {@code expected}, only if the store still holds exactly that record under its key. A sweep uses this so
     * that it never deletes a session that a request touched after the sweep read it.
     *
     * @param expected the record the caller read
     * @return true if removed; false if the record was changed or removed since the caller read it
     */
    boolean deleteIfUnchanged(SessionRecord expected);

    /**
     * Tells whether a record is stored under the key.
     *
     * @param key the session key
     * @return true if present
     */
    boolean exists(SessionKey key);

    /**
     * Calls the visitor for each stored record until it returns false. Weakly consistent, like a
     * {@code ConcurrentHashMap} iterator: no snapshot is taken, each record present for the whole scan is visited
     * once, records added or removed during the scan may or may not be. The visitor may call any method of this
     * store. Implementations should not allocate per record.
     *
     * @param visitor called with each record; return false to stop
     * @return true if every record was visited, false if the visitor stopped the scan
     */
    boolean range(Predicate<? super SessionRecord> visitor);

    /**
     * Returns the number of stored records, which may include expired records not yet removed.
     *
     * @return the count; exact at some moment during the call for the bundled stores
     */
    long size();

    /** Releases the store's resources and discards its records. Idempotent. */
    @Override
    void close();
}
