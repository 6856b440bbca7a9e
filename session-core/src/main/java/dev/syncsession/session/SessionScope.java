package dev.syncsession.session;

import java.util.Objects;

/**
 * Where a session lives: the web context and virtual host that own it. The same session id in two scopes names two
 * different sessions, exactly as Jetty keys its {@code SessionData} by id, canonical context path and virtual host.
 *
 * <p>Immutable and thread-safe. Neither component may be null; use the empty string for the root context or for
 * "no virtual host". Values are stored as given: canonicalising them (Jetty turns {@code "/"} into {@code ""}) is the
 * container adapter's job, so that every node computes the same scope for the same context.
 *
 * @param contextPath the canonical context path, for example {@code "/shop"}; {@code ""} for the root context
 * @param virtualHost the canonical virtual host, or {@code ""} when the context has none
 */
public record SessionScope(String contextPath, String virtualHost) {

    /** The root context with no virtual host; convenient for single-application use without a container. */
    public static final SessionScope ROOT = new SessionScope("", "");

    /**
     * Creates a scope.
     *
     * @throws NullPointerException if either component is null
     */
    public SessionScope {
        Objects.requireNonNull(contextPath, "contextPath (use \"\" for the root context)");
        Objects.requireNonNull(virtualHost, "virtualHost (use \"\" for none)");
    }

    /**
     * Returns the key of the session with the given id in this scope.
     *
     * @param id the session id, not null
     * @return a new key; O(1)
     */
    public SessionKey key(String id) {
        return new SessionKey(this, id);
    }

    @Override
    public String toString() {
        String path = contextPath.isEmpty() ? "/" : contextPath;
        return virtualHost.isEmpty() ? path : path + "@" + virtualHost;
    }
}
