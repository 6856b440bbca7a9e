/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import java.io.IOException;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.DefaultSessionIdManager;
import org.eclipse.jetty.session.HouseKeeper;
import org.eclipse.jetty.session.SessionIdManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's name (Jetty's worker name): the default one, unique to the process, and how an installation gives it
 * to the server's session id manager, with the housekeeper's interval. Jetty puts the name in the ids of the sessions
 * the node creates and in the table's {@code lastNode} column. Called from the thread that configures the server;
 * the default name is computed once per process, thread-safely.
 */
final class WorkerName {

    /** The install's logger, as before this class was split from it: log configurations name that category. */
    private static final Logger LOG = LoggerFactory.getLogger(SharedSessions.class);

    private WorkerName() {
    }

    /** See {@link SharedSessions#defaultWorkerName()}. */
    static String defaultName() {
        return Default.VALUE;
    }

    /** The default worker name for this host name and random part; see {@link SharedSessions#defaultWorkerName()}. */
    static String forHost(String host, String random) {
        String name = host == null || host.isBlank() ? "node" : host;
        String cleaned = name.split("\\.", 2)[0].replaceAll("[^A-Za-z0-9-]", "").toLowerCase(Locale.ROOT);
        if (cleaned.isEmpty()) {
            cleaned = "node";
        }
        if (cleaned.length() > 16) {
            cleaned = cleaned.substring(0, 16);
        }
        return cleaned + "-" + String.format("%08x", name.hashCode()) + "-" + random;
    }

    /**
     * Names the server's session id manager, creating one if the server has none, and sets its housekeeper's
     * interval.
     *
     * @param server the server
     * @param requested the name the builder was given, or null for the id manager's own or the default
     * @param scavengeInterval the housekeeper's interval, or null to leave Jetty's
     * @return the name in force
     * @throws IllegalArgumentException if the id manager is not Jetty's default one, or already has another name
     * @throws IllegalStateException if the id manager is running without this name, which it can no longer take
     */
    static String applyTo(Server server, String requested, Duration scavengeInterval) {
        DefaultSessionIdManager idManager = idManager(server);
        String name = resolve(idManager, requested);
        if (!name.equals(idManager.getWorkerName())) {
            if (idManager.isRunning()) {
                throw new IllegalStateException("the server's session id manager is running without a worker name,"
                        + " and Jetty names it only before it starts; install before the server starts");
            }
            idManager.setWorkerName(name);
        }
        LOG.info("this node's worker name is {}{}", name, requested == null && name.equals(defaultName())
                ? " (the default, unique to this process; set one with workerName(...) to keep it across restarts)"
                : "");
        if (scavengeInterval != null) {
            HouseKeeper houseKeeper = idManager.getSessionHouseKeeper();
            if (houseKeeper == null) {
                houseKeeper = new HouseKeeper();
                idManager.setSessionHouseKeeper(houseKeeper);
            }
            try {
                houseKeeper.setIntervalSec(Math.max(1, scavengeInterval.toSeconds()));
            } catch (Exception e) {
                throw new IllegalStateException("could not set the housekeeper's interval", e);
            }
        }
        return name;
    }

    private static DefaultSessionIdManager idManager(Server server) {
        SessionIdManager existing = server.getBean(SessionIdManager.class);
        if (existing == null) {
            DefaultSessionIdManager created = new DefaultSessionIdManager(server);
            server.addBean(created, true);
            return created;
        }
        if (!(existing instanceof DefaultSessionIdManager)) {
            throw new IllegalArgumentException("the server's session id manager is a "
                    + existing.getClass().getName() + "; shared sessions name the node through Jetty's"
                    + " DefaultSessionIdManager");
        }
        return (DefaultSessionIdManager) existing;
    }

    private static String resolve(DefaultSessionIdManager idManager, String requested) {
        String configured = idManager.getWorkerName();
        if (configured != null && !configured.isEmpty()) {
            if (requested != null && !requested.equals(configured)) {
                throw new IllegalArgumentException("the server's session id manager is already named \""
                        + configured + "\" and the builder says \"" + requested + "\"; set one of them");
            }
            return configured;
        }
        return requested != null ? requested : defaultName();
    }

    /** Computed once per process. */
    private static final class Default {
        static final String VALUE = forHost(hostName(), randomPart());

        private static String hostName() {
            String host = System.getenv("HOSTNAME");
            if (host != null && !host.isBlank()) {
                return host;
            }
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "node";
            }
        }

        private static String randomPart() {
            long bits = new SecureRandom().nextLong() >>> 23; // 41 bits: 8 base-36 digits
            String digits = Long.toString(bits, 36);
            return "0".repeat(Math.max(0, 8 - digits.length())) + digits;
        }
    }
}
