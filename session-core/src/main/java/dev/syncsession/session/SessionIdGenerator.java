package dev.syncsession.session;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Creates session ids: {@linkplain Builder#randomBytes(int) 16 or more} bytes from {@link SecureRandom}, encoded as
 * URL-safe Base64 without padding (22 characters for 16 bytes), optionally followed by {@code "." + node}, as Jetty
 * appends its worker name so a load balancer can route a session back to its node.
 *
 * <p>Thread-safe; {@link #newId()} costs one {@code SecureRandom.nextBytes} call and may briefly contend on the
 * random source under heavy concurrent use.
 */
public final class SessionIdGenerator {

    /** The minimum, and default, number of random bytes: 128 bits. */
    public static final int MIN_RANDOM_BYTES = 16;

    private static final int MAX_NODE_LENGTH = 64;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random;
    private final int randomBytes;
    private final String suffix;
    private final String node;

    private SessionIdGenerator(Builder builder) {
        this.random = builder.random == null ? new SecureRandom() : builder.random;
        this.randomBytes = builder.randomBytes;
        this.node = builder.node;
        this.suffix = node == null ? "" : "." + node;
    }

    /**
     * Returns a generator of 128-bit ids without a node suffix.
     *
     * @return a new generator
     */
    public static SessionIdGenerator create() {
        return builder().build();
    }

    /**
     * Starts configuring a generator.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a new random id.
     *
     * @return an id of only {@code A-Z a-z 0-9 - _} and, before the node, {@code .}
     */
    public String newId() {
        byte[] bytes = new byte[randomBytes];
        random.nextBytes(bytes);
        String id = ENCODER.encodeToString(bytes);
        return suffix.isEmpty() ? id : id + suffix;
    }

    /**
     * Returns the node name appended to every id.
     *
     * @return the node, or empty if ids carry none
     */
    public Optional<String> node() {
        return Optional.ofNullable(node);
    }

    /** Rejects a node name that is empty, too long or not made of {@code A-Z a-z 0-9 - _}. */
    static void checkNode(String node) {
        Objects.requireNonNull(node, "node");
        if (node.isEmpty() || node.length() > MAX_NODE_LENGTH) {
            throw new IllegalArgumentException("node name is " + node.length() + " chars; must be 1 to "
                    + MAX_NODE_LENGTH);
        }
        for (int i = 0; i < node.length(); i++) {
            char c = node.charAt(i);
            if (c == '.' || !SessionIdValidator.isIdChar(c)) {
                throw new IllegalArgumentException(String.format(
                        "node name contains U+%04X at index %d; allowed: A-Z a-z 0-9 - _", (int) c, i));
            }
        }
    }

    /** Configures a {@link SessionIdGenerator}. Not thread-safe. */
    public static final class Builder {

        private int randomBytes = MIN_RANDOM_BYTES;
        private String node;
        private SecureRandom random;

        private Builder() {
        }

        /**
         * Sets how many random bytes each id carries. Default and minimum: {@value #MIN_RANDOM_BYTES}.
         *
         * @param randomBytes between 16 and 64
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder randomBytes(int randomBytes) {
            if (randomBytes < MIN_RANDOM_BYTES || randomBytes > 64) {
                throw new IllegalArgumentException("randomBytes is " + randomBytes + "; must be between "
                        + MIN_RANDOM_BYTES + " (128 bits) and 64");
            }
            this.randomBytes = randomBytes;
            return this;
        }

        /**
         * Appends {@code "." + node} to every id. Default: no suffix.
         *
         * @param node 1 to 64 characters of {@code A-Z a-z 0-9 - _}
         * @return this builder
         * @throws IllegalArgumentException if the name is empty, too long or has other characters
         */
        public Builder node(String node) {
            checkNode(node);
            this.node = node;
            return this;
        }

        /**
         * Sets the random source. Default: a new {@code SecureRandom}.
         *
         * @param random the source, not null
         * @return this builder
         */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Creates the generator.
         *
         * @return a new generator
         */
        public SessionIdGenerator build() {
            return new SessionIdGenerator(this);
        }
    }
}
