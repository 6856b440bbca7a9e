package dev.syncsession.session;

/**
 * Thrown when a session record exists but its serialized attributes cannot be turned back into objects: a class is
 * missing from the class loader, a class changed incompatibly, or the bytes are damaged. This is distinct from the
 * session being absent, so a container can tell "no such session" from "this session cannot be used".
 *
 * <p>The message names the attribute and the cause; the original exception is the {@linkplain #getCause() cause}.
 */
public class UnreadableSessionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String attributeName;

    /**
     * Creates the exception.
     *
     * @param attributeName the attribute that could not be read, or null if the failure was not in one attribute
     * @param message what went wrong, naming the offending class or value
     * @param cause the underlying failure, may be null
     */
    public UnreadableSessionException(String attributeName, String message, Throwable cause) {
        super(message, cause);
        this.attributeName = attributeName;
    }

    /**
     * Returns the name of the attribute that could not be read.
     *
     * @return the attribute name, or null if the failure was not within one attribute (for example a damaged header)
     */
    public String attributeName() {
        return attributeName;
    }
}
