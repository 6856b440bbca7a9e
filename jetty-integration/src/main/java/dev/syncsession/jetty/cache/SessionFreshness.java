/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.cache;

import java.util.Collection;
import java.util.function.Consumer;
import org.eclipse.jetty.session.SessionData;

/**
 * A session data store that other processes write too (the many-nodes JDBC store), and that can tell whether a
 * node's cached copy of a session is still the one it holds. {@link SyncMapSessionCache} asks before it hands a
 * cached session to a request, so that a node never serves a copy that another node has since changed or
 * invalidated; see {@link CachedCopyCheck}.
 */
public interface SessionFreshness {

    /** What the store holds compared with a cached copy. */
    enum Verdict {
        /** The store holds the copy the cache has: last saved at the same time. */
        CURRENT,
        /** Another process saved the session since the cache loaded or saved its copy. */
        CHANGED,
        /** The store no longer holds the session: invalidated (or expired and removed) elsewhere. */
        GONE
    }

    /**
     * Whether cached copies are to be checked at all; an installation that trusts its load balancer's stickiness
     * turns the check off ({@code SharedSessions.Builder.checkCachedCopies(false)}).
     *
     * @return true (the default) to check every cached copy before a request uses it
     */
    default boolean checksCachedCopies() {
        return true;
    }

    /**
     * The version of the store's record a copy was loaded from or last saved as, for {@link #verify}: a store that
     * versions its records tells a copy whose attributes another process changed even when both saves fell in the
     * same millisecond.
     *
     * @param copy a cached copy, read holding its session's lock
     * @return its version, or 0 for a store without versions
     */
    default long versionOf(SessionData copy) {
        return 0;
    }

    /**
     * Records that a request entered a cached copy without showing that this node served the session last (the
     * balancer's stickiness broke, or the request names no node): another node may have served the same session at
     * the same time, and its save may land after this copy was checked, so the copy's next request is checked even if
     * it shows this node. Jetty gives the client this node's name with the response of such a request, so without
     * the record that next request would trust the copy. Called holding the session's lock.
     *
     * @param copy the copy the request entered
     */
    default void enteredFromElsewhere(SessionData copy) {
    }

    /**
     * Whether {@link #enteredFromElsewhere} was recorded for this copy since this was last called, forgetting it: the
     * caller then checks the copy instead of trusting it. Called holding the session's lock.
     *
     * @param copy a cached copy
     * @return true if a request entered it from elsewhere since the last call; false for a store that keeps no record
     */
    default boolean forgetEnteredFromElsewhere(SessionData copy) {
        return false;
    }

    /**
     * Compares a cached copy with the store, in one round trip.
     *
     * @param id the session id
     * @param lastSaved when the cached copy was last saved (or loaded: the save time it was loaded with)
     * @param version the copy's {@link #versionOf version}
     * @return the verdict: {@link Verdict#CURRENT} only if the store's record has both that save time and that
     *     version
     * @throws Exception if the store cannot be asked; the caller treats the session as not loadable
     */
    Verdict verify(String id, long lastSaved, long version) throws Exception;

    /**
     * Brings a cached copy up to the store's row before a request renews its id: the copy a request is using is not
     * checked again when the request renews the session's id (changes of id at sign-in), and the renewal writes the
     * copy under the new id and deletes the old row, so another node's save since the copy was checked would be lost.
     * Called holding the session's lock, with the old id still the copy's.
     *
     * @param copy the session's data, about to be renewed
     * @throws Exception if the store cannot be asked or its row cannot be read; the renewal then fails
     */
    default void beforeRenewal(SessionData copy) throws Exception {
    }

    /**
     * Lets the store record changes it finds itself (attributes changed in place, where the many-nodes store detects
     * them) before the cache decides whether to save the session as its response is committed, so that they are
     * saved before the response is sent, as changes made with {@code setAttribute} are. Called holding the session's
     * lock.
     *
     * @param data the session's data, about to be checked for changes
     */
    default void beforeCommit(SessionData data) {
    }

    /**
     * After the cache decided whether to save the session as its response is committed, and saved it if so: a save
     * from now on is not the one at the response's commit. Called holding the session's lock, even if the save failed.
     *
     * @param data the session's data
     */
    default void afterCommit(SessionData data) {
    }

    /**
     * Registers the cache's way of dropping copies of sessions that were ended on another node without a request of
     * theirs (a user signed out everywhere): the store calls it, on the server's pool, with the ids it learns of (and
     * with none, periodically, so that copies busy at the last call can be dropped once idle). A copy whose request
     * shows that this node served it last is otherwise trusted unchecked, and would be served until evicted.
     *
     * @param dropCopies takes the ids of sessions ended elsewhere
     */
    default void whenEndedElsewhere(Consumer<Collection<String>> dropCopies) {
    }
}
