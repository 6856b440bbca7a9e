package dev.syncsession.session;

import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An immutable list of {@link SessionListener}s that isolates the caller from them: a listener that throws is logged
 * and skipped, so the operation that fired the event and the other listeners are unaffected. Thread-safe.
 */
final class Listeners {

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final List<SessionListener> listeners;

    Listeners(List<SessionListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    void created(SessionRecord session) {
        fire("created", session, listener -> listener.created(session));
    }

    void attributeChanged(SessionRecord session, String name, Object oldValue, Object newValue) {
        fire("attributeChanged", session, listener -> listener.attributeChanged(session, name, oldValue, newValue));
    }

    void expired(SessionRecord session) {
        fire("expired", session, listener -> listener.expired(session));
    }

    void invalidated(SessionRecord session) {
        fire("invalidated", session, listener -> listener.invalidated(session));
    }

    void idChanged(SessionRecord oldSession, SessionRecord newSession) {
        fire("idChanged", newSession, listener -> listener.idChanged(oldSession, newSession));
    }

    boolean isEmpty() {
        return listeners.isEmpty();
    }

    private void fire(String event, SessionRecord session, Consumer<SessionListener> delivery) {
        for (SessionListener listener : listeners) {
            try {
                delivery.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("session listener {} failed on {} for {}; continuing", listener, event, session.key(), e);
            }
        }
    }
}
