package dev.syncsession.session;

/**
 * Thrown by {@link SessionManager#create()} when creating a session would exceed the configured cap on live sessions
 * ({@link SessionManager.Builder#maxLiveSessions(long)}). Existing sessions are unaffected; a container typically answers
 * the request without a session or with 503.
 */
public class SessionLimitExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long limit;

    /**
     * Creates the exception.
     *
     * @param scope the scope in which creation was refused
     * @param live the number of live sessions seen when the creation was refused
     * @param limit the configured cap
     */
    public SessionLimitExceededException(SessionScope scope, long live, long limit) {
        super("cannot create a session in " + scope + ": " + live + " live sessions, at most " + limit
                + " allowed (SessionManager.Builder.maxLiveSessions)");
        this.limit = limit;
    }

    /**
     * Returns the configured cap on live sessions.
     *
     * @return the cap that was reached
     */
    public long limit() {
        return limit;
    }
}
