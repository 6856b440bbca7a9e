package dev.syncsession.session;

import java.util.Optional;

/**
 * Checks session ids that arrive from clients before they reach a store: at most a maximum length (default
 * {@value #DEFAULT_MAX_LENGTH}) of {@code A-Z a-z 0-9 - _ .}, the alphabet of {@link SessionIdGenerator}; or, for ids
 * another id generator makes (a container's, {@link #cookieValues(int)}), of any character a cookie value may hold. A
 * rejected id means "no session", never an error page: {@link SessionService} treats it as absent. The reason, from
 * {@link #rejectionReason}, is for logs and never echoes the id itself.
 *
 * <p>Immutable and thread-safe; each check is O(length), stopping at the first bad character.
 */
public final class SessionIdValidator {

    /** The default maximum id length. */
    public static final int DEFAULT_MAX_LENGTH = 128;

    private static final SessionIdValidator STANDARD = new SessionIdValidator(DEFAULT_MAX_LENGTH, false);

    private final int maxLength;

    /** Whether every cookie-value character is allowed, rather than only {@link SessionIdGenerator}'s alphabet. */
    private final boolean cookieValues;

    private SessionIdValidator(int maxLength, boolean cookieValues) {
        this.maxLength = maxLength;
        this.cookieValues = cookieValues;
    }

    /**
     * Returns the validator with the default maximum length.
     *
     * @return a shared instance
     */
    public static SessionIdValidator standard() {
        return STANDARD;
    }

    /**
     * Returns a validator with another maximum length, for ids longer than the default (for example more random
     * bytes plus a long node name).
     *
     * @param maxLength at least 1
     * @return a new validator
     * @throws IllegalArgumentException if less than 1
     */
    public static SessionIdValidator withMaxLength(int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength is " + maxLength + "; must be at least 1");
        }
        return new SessionIdValidator(maxLength, false);
    }

    /**
     * Returns a validator for ids made by a generator other than {@link SessionIdGenerator}, such as a servlet
     * container's configurable id manager: it accepts every character RFC 6265 allows in a cookie value (printable
     * US-ASCII except space, {@code "}, {@code ,}, {@code ;} and {@code \}), so any id that can travel in a session
     * cookie is looked up, and still refuses control characters, other characters and ids longer than
     * {@code maxLength}.
     *
     * @param maxLength at least 1
     * @return a new validator
     * @throws IllegalArgumentException if less than 1
     */
    public static SessionIdValidator cookieValues(int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength is " + maxLength + "; must be at least 1");
        }
        return new SessionIdValidator(maxLength, true);
    }

    /**
     * Tells whether the id is acceptable.
     *
     * @param id the id as received; null is not acceptable
     * @return true if acceptable
     */
    public boolean isValid(CharSequence id) {
        return rejectionReason(id).isEmpty();
    }

    /**
     * Returns the id if it is acceptable, for chaining: {@code validator.accept(cookie).flatMap(manager::find)}.
     *
     * @param id the id as received, may be null
     * @return the id, or empty if it is not acceptable
     */
    public Optional<String> accept(String id) {
        return isValid(id) ? Optional.of(id) : Optional.empty();
    }

    /**
     * Explains why an id is not acceptable, for example {@code "session id is 10240 chars; at most 128 allowed"} or
     * {@code "session id contains U+0007 at index 3; allowed: A-Z a-z 0-9 - _ ."}.
     *
     * @param id the id as received, may be null
     * @return the reason, or empty if the id is acceptable
     */
    public Optional<String> rejectionReason(CharSequence id) {
        if (id == null) {
            return Optional.of("session id is missing (null)");
        }
        int length = id.length();
        if (length == 0) {
            return Optional.of("session id is empty");
        }
        if (length > maxLength) {
            return Optional.of("session id is " + length + " chars; at most " + maxLength + " allowed");
        }
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            if (cookieValues ? !isCookieValueChar(c) : !isIdChar(c)) {
                int codePoint = Character.codePointAt(id, i);
                return Optional.of(String.format("session id contains U+%04X at index %d; allowed: %s", codePoint, i,
                        cookieValues ? "printable ASCII except space \" , ; \\" : "A-Z a-z 0-9 - _ ."));
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the maximum accepted length.
     *
     * @return the maximum length in chars
     */
    public int maxLength() {
        return maxLength;
    }

    /** RFC 6265's cookie-octet: printable US-ASCII except space, DQUOTE, comma, semicolon and backslash. */
    static boolean isCookieValueChar(char c) {
        return c > ' ' && c < 0x7F && c != '"' && c != ',' && c != ';' && c != '\\';
    }

    static boolean isIdChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.';
    }
}
