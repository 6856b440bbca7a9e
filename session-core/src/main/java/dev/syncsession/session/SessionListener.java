package dev.syncsession.session;

/**
 * Receives session lifecycle events from a {@link SessionService} and, for expiry, from an {@link ExpirySweeper}.
 * Every method has an empty default, so implement only what you need.
 *
 * <p>Events are delivered synchronously on the thread that caused them (a request thread, or the thread running a
 * sweep for expiries: the sweeper's own, or its executor's), after the store has been changed. Implementations must be thread-safe and quick. An exception thrown by a
 * listener is logged and does not affect the operation or the other listeners.
 */
public interface SessionListener {

    /**
     * A session was created.
     *
     * @param session the new session
     */
    default void created(SessionRecord session) {
    }

    /**
     * An attribute was added, replaced or removed by {@link SessionService#update}.
     *
     * @param session the session after the change
     * @param name the attribute name
     * @param oldValue the previous value, or null if the attribute was added
     * @param newValue the new value, or null if the attribute was removed
     */
    default void attributeChanged(SessionRecord session, String name, Object oldValue, Object newValue) {
    }

    /**
     * A session was removed because it expired, either found expired by a request or removed by a sweep.
     *
     * @param session the removed session
     */
    default void expired(SessionRecord session) {
    }

    /**
     * A session was invalidated explicitly.
     *
     * @param session the removed session
     */
    default void invalidated(SessionRecord session) {
    }

    /**
     * A session's id was changed; the old id no longer finds it.
     *
     * @param oldSession the session under its old id, now removed
     * @param newSession the same session under its new id
     */
    default void idChanged(SessionRecord oldSession, SessionRecord newSession) {
    }
}
