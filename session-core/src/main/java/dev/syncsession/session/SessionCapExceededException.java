package dev.syncsession.session;

/**
 * Thrown by {@link SessionService#create()} when creating a session would exceed the configured cap on sessions
 * ({@link SessionService.Builder#sessionCap(long)}). Existing sessions are unaffected; a container typically answers
 * the request without a session or with 503.
 */
public class SessionCapExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long limit;

    /**
     * Creates the exception.
     *
     * @param scope the scope in which creation was refused
     * @param live the number of live sessions seen when the creation was refused
     * @param limit the configured cap
     */
    public SessionCapExceededException(SessionScope scope, long live, long limit) {
        super("cannot create a session in " + scope + ": " + live + " live sessions, at most " + limit
                + " allowed (SessionService.Builder.sessionCap)");
        this.limit = limit;
    }

    /**
     * Returns the configured cap on sessions.
     *
     * @return the cap that was reached
     */
    public long limit() {
        return limit;
    }
}
