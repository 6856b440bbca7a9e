package dev.syncsession.session;

import java.util.Objects;

/**
 * The identity of a session: its id within a {@link SessionScope}. Used as the key of every {@link SessionStore}.
 *
 * <p>Immutable and thread-safe; neither component may be null. {@code equals} and {@code hashCode} compare both
 * components and cost O(length of the strings) the first time, O(1) afterwards because {@link String} caches its
 * hash.
 *
 * @param scope the scope that owns the session
 * @param id the session id as sent to the client (including any node suffix)
 */
public record SessionKey(SessionScope scope, String id) {

    /**
     * Creates a key.
     *
     * @throws NullPointerException if either component is null
     */
    public SessionKey {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(id, "id");
    }

    /** Returns the id shortened for logs, so that a log line never carries a usable session id. */
    @Override
    public String toString() {
        return scope + "#" + SessionRecord.abbreviate(id);
    }
}
