/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import java.io.PrintStream;
import java.net.BindException;
import java.util.Optional;

import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Runs the example: {@code java -jar syncsession-example.jar [--port N] [--backend syncmap|caffeine] ...}; see
 * {@link ExampleOptions} for every option. Prints the URL and the snapshot location, serves until Ctrl-C or SIGTERM,
 * then stops gracefully and saves the sessions. A bad option (an unknown flag, an unusable value, a {@code --host}
 * this machine cannot bind, a snapshot folder that cannot be written) ends it with one line naming the option and
 * the fix, then "run with --help", and status 2; a port already taken, with one line and status 1.
 */
public final class Main {

    private Main() {
    }

    /**
     * Starts the example server.
     *
     * @param args options as described by {@code --help}
     * @throws Exception if the server cannot start (for example, the port is taken)
     */
    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        if (ExampleOptions.wantsHelp(args)) {
            out.print(ExampleOptions.USAGE);
            return;
        }
        ExampleOptions options;
        try {
            options = ExampleOptions.parse(args, System.getenv());
        } catch (ExampleOptions.InvalidOptionException e) {
            exitWithOptionProblem(e.getMessage());
            return;
        }
        Optional<String> hostProblem = ExampleServer.hostProblem(options.host());
        if (hostProblem.isPresent()) {
            exitWithOptionProblem(hostProblem.get());
            return;
        }
        if (!options.shared()) {
            Optional<String> snapshotDirProblem = SessionSetup.snapshotDirProblem(options);
            if (snapshotDirProblem.isPresent()) {
                exitWithOptionProblem(snapshotDirProblem.get());
                return;
            }
        }

        ExampleServer server = new ExampleServer(options);
        try {
            server.start();
        } catch (Exception e) {
            BindException taken = bindFailure(e);
            if (taken == null) {
                throw e;
            }
            // One line, not a stack trace; the snapshot was only read, so it is intact for the next start.
            System.err.println("syncsession example: cannot listen on " + options.host() + ":" + options.port()
                    + " (" + taken.getMessage() + "); is another server running there? Pick another port with"
                    + " --port N (0: any free port)");
            System.exit(1);
            return;
        }
        server.server().addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStopped(LifeCycle event) {
                out.println(options.shared() ? "Stopped; sessions are in the database"
                        : "Stopped; " + server.stats().snapshotOutcome(server.snapshot()));
            }
        });
        server.stopAtShutdown();

        out.println("syncsession example serving " + server.uri());
        out.println("  store dashboard  " + server.uri().resolve("stats"));
        if (options.shared()) {
            out.println("  session store    shared database (Jetty's JDBC store); cache "
                    + ExampleOptions.display(options.cache()));
            out.println("Press Ctrl-C to stop; other instances on the same database keep serving the sessions.");
        } else {
            out.println("  session store    " + ExampleOptions.display(options.backend())
                    + (options.maximumSessions() > 0 ? ", at most " + options.maximumSessions() + " sessions" : ", unbounded")
                    + "; cache " + ExampleOptions.display(options.cache()));
            out.println("  snapshot         " + server.snapshot() + " (" + server.stats().storedSessions()
                    + " sessions restored)");
            out.println("Press Ctrl-C to stop; signed-in users stay signed in across a restart.");
        }
        server.server().join();
    }

    /**
     * Ends the process for an unusable option: one line with the problem (which names the option and the fix) and a
     * pointer to the usage, not the usage itself, whose 20 lines would bury the one that matters. Status 2.
     */
    private static void exitWithOptionProblem(String problem) {
        System.err.println("syncsession example: " + problem + "; run with --help");
        System.exit(2);
    }

    /** The BindException somewhere in {@code e}'s cause chain (Jetty wraps it in an IOException), or null. */
    private static BindException bindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException bind) {
                return bind;
            }
        }
        return null;
    }
}
