/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.users;

import dev.syncsession.jetty.internal.UserSource;
import dev.syncsession.jetty.internal.UserWatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.util.annotation.ManagedAttribute;
import org.eclipse.jetty.util.annotation.ManagedObject;
import org.eclipse.jetty.util.annotation.ManagedOperation;
import org.eclipse.jetty.util.annotation.Name;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One context's sessions by user, for the single-node store ({@code SyncSessionDataStore}): the {@link SessionsByUser}, where principals
 * come from, the per-user limit, and the listing and invalidation the store's {@code UserSessions} methods do. The
 * store tells it what it saves and deletes ({@link #saving}, {@link #deleting}) and how to see a session
 * ({@link Sessions}).
 *
 * <p>A session is indexed as its user attribute is set ({@link #userChanging}), so a sign-in or sign-out
 * shows at once, and again when it is saved, which is what a restart or another request sees. The per-user limit
 * acts at the sign-in: {@link WhenUserLimitReached#REFUSE_NEW} counts the user's sessions under a lock per principal
 * and indexes the new one before releasing it, so that two concurrent sign-ins cannot both pass;
 * {@link WhenUserLimitReached#INVALIDATE_OLDEST} invalidates the oldest sessions beyond the limit on the server's
 * thread pool (given to {@link #start}), since the signing-in thread holds its own session's lock and invalidating
 * another session there could deadlock with a sign-in of that session.
 *
 * <p>Thread-safe.
 */
@ManagedObject("a context's sessions by user: list them, sign a user out everywhere")
public final class UserIndex extends AbstractLifeCycle implements UserWatch, UserSessions {

    private static final Logger LOG = LoggerFactory.getLogger(UserIndex.class);

    /** How the index sees the context's sessions; implemented by the store. */
    public interface Sessions {
        /** The session as saved or cached now, or null if it no longer exists (or has expired). */
        UserSession find(String id);

        /** Invalidates the session through Jetty, inside the context; false if it was already gone. */
        boolean invalidate(String id);
    }

    private final SessionsByUser index = new SessionsByUser();
    private final UserSource userSource;
    private final int maxPerUser;
    private final WhenUserLimitReached whenReached;
    private final Object[] signInLocks = new Object[32];
    private volatile Sessions sessions;
    /** Runs the invalidations beyond the limit: the server's thread pool, between start and stop; else null. */
    private volatile Executor invalidations;

    /** The server's thread pool, given by {@link #attach}. */
    private volatile Executor executor;

    /**
     * @param userSource where a session's user comes from
     * @param maxPerUser sessions a user may have at once; 0 for no limit
     * @param whenReached what a sign-in past the limit does
     */
    public UserIndex(UserSource userSource, int maxPerUser, WhenUserLimitReached whenReached) {
        this.userSource = Objects.requireNonNull(userSource, "userSource");
        this.maxPerUser = maxPerUser;
        this.whenReached = Objects.requireNonNull(whenReached, "whenReached");
        for (int i = 0; i < signInLocks.length; i++) {
            signInLocks[i] = new Object();
        }
    }

    @Override
    public UserSource userSource() {
        return userSource;
    }

    /**
     * Tells the index, before it starts with its context, what the sessions are and where the invalidations beyond
     * the limit run.
     *
     * @param view the context's sessions
     * @param executor the server's thread pool
     */
    public void attach(Sessions view, Executor executor) {
        this.sessions = view;
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    protected void doStart() {
        if (maxPerUser > 0 && whenReached == WhenUserLimitReached.INVALIDATE_OLDEST) {
            invalidations = executor;
        }
    }

    /** Indexes a stored session as the context starts (restored, or kept across a redeploy). */
    public void restored(String id, Map<String, Object> attributes) {
        String principal = userSource.userOf(attributes);
        if (principal != null) {
            index(id, principal);
        }
    }

    /** Stops with the context: the index is rebuilt from the store at the next start. */
    @Override
    protected void doStop() {
        invalidations = null; // invalidations already handed to the pool still run, as the context stops
        index.clear();
    }

    /**
     * What a save of a session changes in the index, to make while its record is written: the entry changes under
     * the session's stripe lock, held from before the write until {@link Change#close}, so that no reader sees the
     * record and the entry disagree. Null when the save changes nothing here: the entry already says what the save
     * says (never signed in, or signed in as before: most saves), and what else changes this session's entry (a
     * sign-in or sign-out, its deletion) runs under the session's own lock, which Jetty holds while it saves.
     *
     * @return the change to {@link Change#commit} once the record is written and then close, or null
     */
    public Change saving(String id, SessionData data) {
        String principal = userSource.userOf(data);
        if (Objects.equals(principal, index.userOf(id))) {
            return null;
        }
        return new Change(index.lock(id), principal);
    }

    /**
     * What a deletion of a session changes in the index: it forgets the session, under its stripe lock.
     *
     * @return the change to {@link Change#commit} once the record is deleted and then close
     */
    public Change deleting(String id) {
        return new Change(index.lock(id), null);
    }

    /** A change of one session's entry, made once its record has been written; holds its stripe lock until closed. */
    public static final class Change implements AutoCloseable {
        private final SessionsByUser.Locked entry;
        private final String principal;

        private Change(SessionsByUser.Locked entry, String principal) {
            this.entry = entry;
            this.principal = principal;
        }

        /** The record is written: the entry now says what it says. */
        public void commit() {
            entry.put(principal);
        }

        @Override
        public void close() {
            entry.close();
        }
    }

    @Override
    public void userChanging(SessionData data, String principal) {
        String id = data.getId();
        if (principal == null) {
            index.locked(id, () -> {
                index.remove(id);
                return null;
            });
            return;
        }
        if (maxPerUser > 0 && whenReached == WhenUserLimitReached.REFUSE_NEW) {
            synchronized (signInLocks[(principal.hashCode() & 0x7fffffff) % signInLocks.length]) {
                long others = list(principal).stream().filter(s -> !s.id().equals(id)).count();
                if (others >= maxPerUser) {
                    throw new UserSessionLimitExceededException(maxPerUser);
                }
                // Counted from now on, so that a concurrent sign-in of the same user sees this one.
                index(id, principal);
            }
            return;
        }
        index(id, principal);
        if (maxPerUser > 0) {
            List<UserSession> others = new ArrayList<>(list(principal));
            others.removeIf(s -> s.id().equals(id));
            int excess = others.size() + 1 - maxPerUser;
            Executor pool = invalidations;
            Sessions view = sessions;
            for (int i = 0; i < excess && pool != null; i++) {
                String oldest = others.get(i).id();
                pool.execute(() -> view.invalidate(oldest));
            }
        }
    }

    private void index(String id, String principal) {
        index.locked(id, () -> {
            index.put(id, principal);
            return null;
        });
    }

    /** The user's sessions that exist, oldest first; entries whose session has gone are dropped. */
    @Override
    public List<UserSession> list(String principal) {
        Objects.requireNonNull(principal, "principal");
        Sessions view = sessions;
        List<UserSession> found = new ArrayList<>();
        for (String id : index.idsOf(principal)) {
            UserSession session = view == null ? null : view.find(id);
            if (session != null) {
                found.add(session);
            } else if (view != null) {
                index.removeIf(id, principal, () -> view.find(id) == null);
            }
        }
        found.sort(Comparator.comparing(UserSession::created).thenComparing(UserSession::id));
        return found;
    }

    /** Invalidates the user's sessions but {@code kept} (null for none); the number invalidated. */
    public int invalidate(String principal, String kept) {
        Sessions view = sessions;
        if (view == null) {
            return 0;
        }
        int invalidated = 0;
        for (UserSession session : list(principal)) {
            if (!session.id().equals(kept) && view.invalidate(session.id())) {
                invalidated++;
            }
        }
        LOG.debug("invalidated {} session(s) of a user", invalidated);
        return invalidated;
    }

    @Override
    public Optional<String> userOf(String sessionId) {
        return Optional.ofNullable(index.userOf(sessionId));
    }

    @Override
    public int invalidateAll(String principal) {
        return invalidate(Objects.requireNonNull(principal, "principal"), null);
    }

    @Override
    public int invalidateAllExcept(String principal, String keptSessionId) {
        return invalidate(Objects.requireNonNull(principal, "principal"),
                Objects.requireNonNull(keptSessionId, "keptSessionId"));
    }

    /**
     * A user's sessions, for JMX: one line each, oldest first.
     *
     * @param principal the principal name
     * @return "id created=... lastAccessed=... node=..." per session
     */
    @ManagedOperation(value = "the sessions a user is signed into (id, created, last access, node)", impact = "INFO")
    public String[] sessionsOfUser(@Name("principal") String principal) {
        return list(principal).stream().map(UserSession::summary).toArray(String[]::new);
    }

    /**
     * Signs a user out everywhere in this context, for JMX.
     *
     * @param principal the principal name
     * @return the sessions invalidated
     */
    @ManagedOperation(value = "invalidate every session of a user (sign out everywhere)", impact = "ACTION")
    public int invalidateSessionsOfUser(@Name("principal") String principal) {
        return invalidateAll(principal);
    }

    /**
     * Sessions of this context indexed by user.
     *
     * @return signed-in sessions in the index
     */
    @ManagedAttribute(value = "signed-in sessions in the by-user index", readonly = true)
    public int getSessionsIndexedByUser() {
        return index.size();
    }

    /** Drops the entries whose session has gone (the sweeper or a bounded backend removed it); O(entries). */
    public void prune() {
        Sessions view = sessions;
        if (view == null) {
            return;
        }
        for (String principal : index.users()) {
            list(principal);
        }
    }

}
