/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dev.syncsession.jetty.store.BundledBackend;
import dev.syncsession.jetty.cache.SessionCacheKind;

/**
 * How the example server is configured: where it listens, which session store and cache it uses, and where its
 * snapshot lives. Each option has a command-line flag and an environment variable; a flag wins over the variable,
 * and the variable over the default. Immutable.
 *
 * @param host the address to bind; 127.0.0.1 unless told otherwise, so the demo is not reachable from the network
 * @param port the port to bind; 0 picks a free one
 * @param backend which {@code SessionStore} holds the session records
 * @param maximumSessions the most sessions the store holds (the Caffeine backend evicts beyond it); 0 means unbounded,
 *     which only the SyncMap backend is
 * @param cache which Jetty session cache sits in front of the store
 * @param snapshotDir the folder the session snapshot is written to at shutdown and read from at start
 * @param sessionTimeout how long a session may be idle before it expires
 * @param sweepInterval how often expired sessions are swept out
 * @param jdbcUrl the shared database of several instances (Jetty's JDBC store with the cache in front), or null
 *     for the process-local SyncMap or Caffeine store
 * @param jdbcUser the database user, or null
 * @param jdbcPassword the database password, or null
 * @param node this instance's worker name among several sharing the database, or null for host name and pid
 * @param snapshotInterval how often the snapshot is written while the app runs, so that a crash loses at most this
 *     much; zero to write it only at stop
 */
record ExampleOptions(String host, int port, BundledBackend backend, int maximumSessions, SessionCacheKind cache,
        Path snapshotDir, Duration sessionTimeout, Duration sweepInterval,
        String jdbcUrl, String jdbcUser, String jdbcPassword, String node, Duration snapshotInterval) {

    /** How often the snapshot is written while the app runs when not told otherwise. */
    static final Duration DEFAULT_SNAPSHOT_INTERVAL = Duration.ofSeconds(30);

    /** The bound of the Caffeine backend when none is given. */
    static final int DEFAULT_MAXIMUM_SESSIONS = 10_000;

    static final String USAGE = """
            Usage: java -jar syncsession-example.jar [options]

              --host ADDRESS        address to bind; default 127.0.0.1
              --port N              port to bind, 0 for any free port; default 8080
              --backend NAME        session store: syncmap (default) or caffeine
              --maximum-sessions N         bound of the caffeine store, at least 1 (default 10000); alone, it selects caffeine
              --cache NAME          session cache: syncmap (default), default (Jetty's) or null (none)
              --snapshot-dir DIR    where sessions are saved at stop and restored at start; default ./snapshots
              --snapshot-interval S seconds between snapshot writes while running (a crash loses at most
                                    this much), 0 for only at stop; default 30
              --session-timeout S   idle seconds before a session expires; default 1800
              --sweep-interval S    seconds between sweeps for expired sessions; default 10
              --jdbc-url URL        share sessions with other instances through this database (Jetty's JDBC
                                    store, this cache in front), e.g. jdbc:postgresql://db:5432/app
              --jdbc-user NAME      database user for --jdbc-url
              --jdbc-password PW    database password for --jdbc-url (prefer SYNCSESSION_JDBC_PASSWORD)
              --node NAME           this instance's name among those sharing the database; default host-pid
              --help                print this and exit

            Each option can also come from the environment: SYNCSESSION_ and its name in capitals, for example
            SYNCSESSION_PORT=9090 or SYNCSESSION_MAXIMUM_SESSIONS=500. A flag wins over the environment.
            """;


    /**
     * Thrown for an option that is unknown or has an unusable value; the message names the option, its value and
     * what to give instead, in one line without the usage text (the command line adds "run with --help").
     */
    static final class InvalidOptionException extends IllegalArgumentException {
        InvalidOptionException(String message) {
            super(message);
        }
    }

    /** The options with the default snapshot interval. */
    ExampleOptions(String host, int port, BundledBackend backend, int maximumSessions, SessionCacheKind cache, Path snapshotDir,
            Duration sessionTimeout, Duration sweepInterval, String jdbcUrl, String jdbcUser, String jdbcPassword,
            String node) {
        this(host, port, backend, maximumSessions, cache, snapshotDir, sessionTimeout, sweepInterval, jdbcUrl, jdbcUser,
                jdbcPassword, node, DEFAULT_SNAPSHOT_INTERVAL);
    }

    /** One instance with a process-local store: the options before there was a shared database. */
    ExampleOptions(String host, int port, BundledBackend backend, int maximumSessions, SessionCacheKind cache, Path snapshotDir,
            Duration sessionTimeout, Duration sweepInterval) {
        this(host, port, backend, maximumSessions, cache, snapshotDir, sessionTimeout, sweepInterval, null, null, null,
                null);
    }

    /** Checks the values; see the record description for their meaning. */
    ExampleOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(snapshotDir, "snapshotDir");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        Objects.requireNonNull(sweepInterval, "sweepInterval");
        Objects.requireNonNull(snapshotInterval, "snapshotInterval");
        if (snapshotInterval.isNegative()) {
            throw new InvalidOptionException("--snapshot-interval is " + snapshotInterval.toSeconds()
                    + "; use 0 (only at stop) or more seconds");
        }
        if (port < 0 || port > 65535) {
            throw new InvalidOptionException("--port is " + port + "; use 0..65535 (0: any free port)");
        }
        if (maximumSessions < 0) {
            throw new InvalidOptionException("--maximum-sessions is " + maximumSessions + "; use at least 1, or leave it out for"
                    + " an unbounded syncmap store");
        }
        if (backend == BundledBackend.SYNCMAP && maximumSessions > 0) {
            throw new InvalidOptionException("--maximum-sessions is " + maximumSessions + " but the syncmap backend is unbounded;"
                    + " use --backend caffeine to bound it");
        }
        if (backend == BundledBackend.CAFFEINE && maximumSessions == 0) {
            throw new InvalidOptionException("--backend caffeine needs a bound; give --maximum-sessions N");
        }
        if (sessionTimeout.isNegative() || sessionTimeout.isZero()) {
            throw new InvalidOptionException("--session-timeout is " + sessionTimeout.toSeconds()
                    + "; use at least 1 second");
        }
        if (sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new InvalidOptionException("--sweep-interval is " + sweepInterval.toSeconds()
                    + "; use at least 1 second");
        }
        if (jdbcUrl == null) {
            if (node != null) {
                throw new InvalidOptionException("--node names one of several instances, but without --jdbc-url the"
                        + " sessions live in this process only and no other instance can see them; give --jdbc-url"
                        + " or leave --node out");
            }
            if (jdbcUser != null || jdbcPassword != null) {
                throw new InvalidOptionException("--jdbc-user or --jdbc-password was given without --jdbc-url; give"
                        + " --jdbc-url or leave them out");
            }
        } else if (backend != BundledBackend.SYNCMAP || maximumSessions > 0) {
            throw new InvalidOptionException("--backend and --maximum-sessions choose the process-local store; with"
                    + " --jdbc-url the database is the store, so leave them out");
        }
        if (node != null && !node.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new InvalidOptionException("--node is \"" + trim(node) + "\"; use 1 to 64 letters, digits, '-'"
                    + " or '_'");
        }
    }

    /** As the record's own, without the database password. */
    @Override
    public String toString() {
        return "ExampleOptions[host=" + host + ", port=" + port + ", backend=" + backend + ", maximumSessions="
                + maximumSessions + ", cache=" + cache + ", snapshotDir=" + snapshotDir + ", sessionTimeout="
                + sessionTimeout + ", sweepInterval=" + sweepInterval + ", jdbcUrl=" + jdbcUrl + ", jdbcUser="
                + jdbcUser + ", jdbcPassword=" + (jdbcPassword == null ? null : "***") + ", node=" + node
                + ", snapshotInterval=" + snapshotInterval + "]";
    }

    /**
     * Tells whether sessions are shared with other instances through a database.
     *
     * @return true if a JDBC URL was given
     */
    boolean shared() {
        return jdbcUrl != null;
    }

    /**
     * The defaults: 127.0.0.1:8080, SyncMap store and cache, unbounded, snapshots in {@code ./snapshots}, 30-minute
     * sessions swept every 10 seconds.
     *
     * @return the default options
     */
    static ExampleOptions defaults() {
        return new ExampleOptions("127.0.0.1", 8080, BundledBackend.SYNCMAP, 0, SessionCacheKind.SYNCMAP, Path.of("snapshots"),
                Duration.ofMinutes(30), Duration.ofSeconds(10));
    }

    /**
     * Reads the options from the environment, then from the command line.
     *
     * @param args the command-line flags, each followed by its value
     * @param env the environment, usually {@link System#getenv()}
     * @return the options
     * @throws InvalidOptionException for an unknown flag, a flag without value or an unusable value
     */
    static ExampleOptions parse(String[] args, Map<String, String> env) {
        Builder options = new Builder(defaults());
        for (Option option : Option.values()) {
            String value = env.get(option.envVariable);
            if (value != null && !value.isBlank()) {
                options.set(option, value.strip(), option.envVariable);
            }
        }
        for (int i = 0; i < args.length; i += 2) {
            String flag = args[i];
            Option option = Option.byFlag(flag);
            if (i + 1 >= args.length) {
                throw new InvalidOptionException(flag + " needs a value; write " + flag + " VALUE");
            }
            options.set(option, args[i + 1], flag);
        }
        return options.build();
    }

    /**
     * Tells whether the command line asks for the usage text.
     *
     * @param args the command-line flags
     * @return true if {@code --help} or {@code -h} is among them
     */
    static boolean wantsHelp(String[] args) {
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    /** The options that take a value, with their flag and environment variable. */
    private enum Option {
        HOST("--host", "SYNCSESSION_HOST"),
        PORT("--port", "SYNCSESSION_PORT"),
        BACKEND("--backend", "SYNCSESSION_BACKEND"),
        MAXIMUM_SESSIONS("--maximum-sessions", "SYNCSESSION_MAXIMUM_SESSIONS"),
        CACHE("--cache", "SYNCSESSION_CACHE"),
        SNAPSHOT_DIR("--snapshot-dir", "SYNCSESSION_SNAPSHOT_DIR"),
        SESSION_TIMEOUT("--session-timeout", "SYNCSESSION_SESSION_TIMEOUT"),
        SWEEP_INTERVAL("--sweep-interval", "SYNCSESSION_SWEEP_INTERVAL"),
        SNAPSHOT_INTERVAL("--snapshot-interval", "SYNCSESSION_SNAPSHOT_INTERVAL"),
        JDBC_URL("--jdbc-url", "SYNCSESSION_JDBC_URL"),
        JDBC_USER("--jdbc-user", "SYNCSESSION_JDBC_USER"),
        JDBC_PASSWORD("--jdbc-password", "SYNCSESSION_JDBC_PASSWORD"),
        NODE("--node", "SYNCSESSION_NODE");

        final String flag;
        final String envVariable;

        Option(String flag, String envVariable) {
            this.flag = flag;
            this.envVariable = envVariable;
        }

        static Option byFlag(String flag) {
            String name = flag;
            int equals = flag.indexOf('=');
            if (equals > 0) {
                name = flag.substring(0, equals);
            }
            for (Option option : values()) {
                if (option.flag.equals(name)) {
                    if (equals > 0) {
                        throw new InvalidOptionException("write " + name + " VALUE, not " + trim(flag));
                    }
                    return option;
                }
            }
            throw new InvalidOptionException("unknown option " + trim(flag));
        }
    }

    /** Collects values over the defaults, then builds the checked record. Not thread-safe. */
    private static final class Builder {
        private String host;
        private int port;
        private BundledBackend backend;
        private boolean backendChosen;
        private int maximumSessions;
        private SessionCacheKind cache;
        private Path snapshotDir;
        private Duration sessionTimeout;
        private Duration sweepInterval;
        private Duration snapshotInterval;
        private String jdbcUrl;
        private String jdbcUser;
        private String jdbcPassword;
        private String node;

        Builder(ExampleOptions defaults) {
            host = defaults.host;
            port = defaults.port;
            backend = defaults.backend;
            maximumSessions = defaults.maximumSessions;
            cache = defaults.cache;
            snapshotDir = defaults.snapshotDir;
            sessionTimeout = defaults.sessionTimeout;
            sweepInterval = defaults.sweepInterval;
            snapshotInterval = defaults.snapshotInterval;
        }

        /** Sets one option; {@code source} (a flag or variable name) goes into the error message. */
        void set(Option option, String value, String source) {
            switch (option) {
                case HOST -> host = value;
                case PORT -> port = integer(value, source);
                case BACKEND -> {
                    backend = choice(BundledBackend.class, value, source);
                    backendChosen = true;
                }
                case MAXIMUM_SESSIONS -> {
                    maximumSessions = integer(value, source);
                    if (maximumSessions < 1) {
                        throw new InvalidOptionException(source + " is " + maximumSessions + "; a bound must be at least 1"
                                + " (leave the option out for an unbounded syncmap store)");
                    }
                }
                case CACHE -> cache = choice(SessionCacheKind.class, value, source);
                case SNAPSHOT_DIR -> snapshotDir = Path.of(value);
                case SESSION_TIMEOUT -> sessionTimeout = Duration.ofSeconds(integer(value, source));
                case SWEEP_INTERVAL -> sweepInterval = Duration.ofSeconds(integer(value, source));
                case SNAPSHOT_INTERVAL -> snapshotInterval = Duration.ofSeconds(integer(value, source));
                case JDBC_URL -> jdbcUrl = value;
                case JDBC_USER -> jdbcUser = value;
                case JDBC_PASSWORD -> jdbcPassword = value;
                case NODE -> node = value;
            }
        }

        /** A bound alone selects the Caffeine backend; the Caffeine backend alone gets {@link #DEFAULT_MAXIMUM_SESSIONS}. */
        ExampleOptions build() {
            if (!backendChosen && maximumSessions > 0) {
                backend = BundledBackend.CAFFEINE;
            }
            if (backend == BundledBackend.CAFFEINE && maximumSessions == 0) {
                maximumSessions = DEFAULT_MAXIMUM_SESSIONS;
            }
            return new ExampleOptions(host, port, backend, maximumSessions, cache, snapshotDir, sessionTimeout,
                    sweepInterval, jdbcUrl, jdbcUser, jdbcPassword, node, snapshotInterval);
        }

        private static int integer(String value, String source) {
            try {
                return Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw new InvalidOptionException(source + " is \"" + trim(value) + "\"; expected a whole number");
            }
        }

        private static <E extends Enum<E>> E choice(Class<E> type, String value, String source) {
            try {
                return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                StringBuilder allowed = new StringBuilder();
                for (E constant : type.getEnumConstants()) {
                    allowed.append(allowed.length() == 0 ? "" : " | ").append(constant.name().toLowerCase(Locale.ROOT));
                }
                throw new InvalidOptionException(source + " is \"" + trim(value) + "\"; use " + allowed);
            }
        }
    }

    private static String trim(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }

    /**
     * The option value as the user would type it, e.g. {@code syncmap}.
     *
     * @param choice a backend or cache type
     * @return its lower-case name
     */
    static String display(Enum<?> choice) {
        return choice.name().toLowerCase(Locale.ROOT);
    }
}
