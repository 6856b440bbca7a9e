/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.syncsession.jetty.counterapp.VisitCounterServlet;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpCookie;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Installs the syncsession module files and jars into a fresh jetty-base of the real Jetty 12.1 distribution, deploys
 * a session-using web application, starts Jetty as a separate process on 127.0.0.1 and checks that a session
 * survives across requests. Run by failsafe after {@code package}: the Maven build unpacks jetty-home and collects
 * the jars and passes their locations as system properties ({@code it.*}, see the module pom).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneJettyIT {

    /** The Jetty modules enabled in the jetty-base. */
    private static final List<String> MODULES =
            List.of("http", "ee11-deploy", "session-cache-syncmap", "session-store-syncmap");

    /** The module and XML files this module ships, as resource paths that are also their jetty-base paths. */
    private static final List<String> DISTRIBUTION_FILES = List.of(
            "modules/session-cache-syncmap.mod",
            "etc/sessions/syncmap/session-cache-syncmap.xml",
            "modules/session-store-syncmap.mod",
            "etc/sessions/syncmap/session-store-syncmap.xml");

    /** The live-session cap Jetty is started with: more than the other tests create, filled by the last. */
    private static final int MAX_LIVE_SESSIONS = 20;
    private static final int RETRY_AFTER_SECONDS = 7;

    private static final Duration ADD_MODULES_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    /** Jetty's log line for a started connector; the port is the one the kernel chose for jetty.http.port=0. */
    private static final Pattern CONNECTOR_STARTED =
            Pattern.compile("Started \\S*ServerConnector@\\S*\\{[^}]*}\\{127\\.0\\.0\\.1:(\\d+)}");
    private static final Pattern SERVER_STARTED = Pattern.compile("Started \\S*Server@");
    /** A context's cache in the server dump (AbstractSessionCache.toString), with the options set on the command line. */
    private static final Pattern CONFIGURED_CACHE =
            Pattern.compile("SyncMapSessionCache@\\p{XDigit}+\\[evict=-1,removeUnloadable=true,saveOnCreate=true,");

    /** A context's store in the server dump (SyncMapSessionDataStore.toString). */
    private static final Pattern CONFIGURED_STORE =
            Pattern.compile("SyncMapSessionDataStore@\\p{XDigit}+\\[backend=SyncMapSessionStore");

    private static Path jettyHome;
    private static Path jettyBase;
    private static Path workDir;
    private static Path snapshotFile;
    private static int launches;
    private static Path jettyLog;
    private static Process jetty;
    private static HttpClient client;
    private static URI appUri;

    @BeforeAll
    static void startJetty() throws Exception {
        jettyHome = Path.of(requiredProperty("it.jetty.home"));
        workDir = Path.of(requiredProperty("it.work.dir"));
        jettyBase = workDir.resolve("jetty-base");
        snapshotFile = jettyBase.resolve("sessions/syncmap.snapshot");
        deleteRecursively(jettyBase);
        Files.createDirectories(jettyBase);

        installSyncsession();
        installCounterApp();
        addModules();

        client = new HttpClient();
        client.start();
        launchJetty();
    }

    /** Starts Jetty as a separate process on a port the kernel chooses, and waits until it serves. */
    private static void launchJetty() throws IOException, InterruptedException {
        jettyLog = workDir.resolve("jetty-" + (++launches) + ".log");
        jetty = new ProcessBuilder(java(), "-jar", jettyHome.resolve("start.jar").toString(),
                "jetty.home=" + jettyHome, "jetty.base=" + jettyBase,
                "jetty.http.host=127.0.0.1", "jetty.http.port=0", "jetty.server.dumpAfterStart=true",
                // Non-default cache options, to see in the server dump that the module's properties reach the cache.
                "jetty.session.syncmap.saveOnCreate=true", "jetty.session.syncmap.removeUnloadableSessions=true",
                "jetty.session.syncmap.snapshotFile=" + snapshotFile,
                // A cap the other tests stay under and the last one fills.
                "jetty.session.syncmap.maxLiveSessions=" + MAX_LIVE_SESSIONS,
                "jetty.session.syncmap.retryAfter.seconds=" + RETRY_AFTER_SECONDS)
                .directory(jettyBase.toFile())
                .redirectErrorStream(true)
                .redirectOutput(jettyLog.toFile())
                .start();
        int port = awaitStartup();
        appUri = URI.create("http://127.0.0.1:" + port + "/counter/");
    }

    /** Stops Jetty as an operator's Ctrl-C or a service manager's SIGTERM would, forcibly if it hangs. */
    private static void stopJettyProcess() throws InterruptedException {
        jetty.destroy();
        if (!jetty.waitFor(SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            jetty.destroyForcibly().waitFor(SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            throw new AssertionError("Jetty did not stop within " + SHUTDOWN_TIMEOUT + " of SIGTERM");
        }
    }

    @AfterAll
    static void stopJetty() throws Exception {
        try {
            if (client != null) {
                client.stop();
            }
        } finally {
            if (jetty != null && jetty.isAlive()) {
                stopJettyProcess();
            }
        }
    }

    @Test
    void contextsUseTheSyncMapSessionCacheConfiguredByTheModuleProperties() throws IOException {
        String log = Files.readString(jettyLog, StandardCharsets.UTF_8);
        assertTrue(CONFIGURED_CACHE.matcher(log).find(),
                "the server dump shows no SyncMapSessionCache with the configured options; see " + jettyLog);
    }

    @Test
    void contextsUseTheSyncMapSessionDataStore() throws IOException {
        String log = Files.readString(jettyLog, StandardCharsets.UTF_8);
        assertTrue(CONFIGURED_STORE.matcher(log).find(),
                "the server dump shows no SyncMapSessionDataStore over a SyncMapSessionStore; see " + jettyLog);
    }

    /** Runs next to last: it restarts Jetty. */
    @Test
    @Order(Integer.MAX_VALUE - 1)
    void aSessionSurvivesAGracefulRestartThroughTheSnapshot() throws Exception {
        client.getHttpCookieStore().clear();
        visit();
        String before = visit();
        assertTrue(before.startsWith("visits=2 "), before);

        stopJettyProcess();
        assertTrue(Files.size(snapshotFile) > 0, "no snapshot was written at shutdown: " + snapshotFile);
        launchJetty();

        String after = visit();
        assertEquals(sessionOf(before), sessionOf(after), "the restarted server did not recognise the session");
        assertTrue(after.startsWith("visits=3 "), "the session's attributes did not survive the restart: " + after);
    }

    /**
     * Runs last: it fills the live-session cap. Past it, a new client gets the 503 that the module's
     * SessionLimitHandler completes with Retry-After, while a client with a session keeps being served.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void pastTheLiveSessionCapNewClientsGet503WithRetryAfterAndExistingSessionsKeepWorking() throws Exception {
        client.getHttpCookieStore().clear();
        String existing = visit();
        List<HttpCookie> existingCookies = List.copyOf(client.getHttpCookieStore().all());

        ContentResponse refused = null;
        for (int attempt = 0; attempt <= MAX_LIVE_SESSIONS && refused == null; attempt++) {
            client.getHttpCookieStore().clear();
            ContentResponse response = client.GET(appUri);
            if (response.getStatus() == 503) {
                refused = response;
            } else {
                assertEquals(200, response.getStatus(), response.getContentAsString());
            }
        }
        assertTrue(refused != null, "no 503 after " + (MAX_LIVE_SESSIONS + 1) + " new clients, with a cap of "
                + MAX_LIVE_SESSIONS + " live sessions");
        assertEquals(Integer.toString(RETRY_AFTER_SECONDS), refused.getHeaders().get("Retry-After"),
                "the module's SessionLimitHandler adds Retry-After to the refusal");
        assertEquals("no-store", refused.getHeaders().get("Cache-Control"));
        assertTrue(refused.getHeaders().get("Set-Cookie") == null, "a refused client must get no session cookie: "
                + refused.getHeaders());

        client.getHttpCookieStore().clear();
        existingCookies.forEach(cookie -> client.getHttpCookieStore().add(appUri, cookie));
        assertEquals("visits=2 session=" + sessionOf(existing), visit(),
                "a session created before the cap was reached keeps working");
    }

    @Test
    void sessionSurvivesAcrossRequests() throws Exception {
        client.getHttpCookieStore().clear();

        String first = visit();
        String second = visit();

        assertTrue(first.startsWith("visits=1 "), first);
        assertTrue(second.startsWith("visits=2 "), second);
        assertEquals(sessionOf(first), sessionOf(second), "the session id changed between requests");
    }

    @Test
    void newClientsGetNewSessions() throws Exception {
        client.getHttpCookieStore().clear();
        String mine = visit();
        client.getHttpCookieStore().clear();
        String theirs = visit();

        assertTrue(theirs.startsWith("visits=1 "), theirs);
        assertNotEquals(sessionOf(mine), sessionOf(theirs), "two clients share a session");
    }

    private static String visit() throws Exception {
        ContentResponse response = client.GET(appUri);
        assertEquals(200, response.getStatus(), response.getContentAsString());
        return response.getContentAsString();
    }

    private static String sessionOf(String body) {
        return body.substring(body.indexOf("session=") + "session=".length());
    }

    /** Copies the packaged module files and the syncsession jars into the jetty-base. */
    private static void installSyncsession() throws IOException {
        for (String file : DISTRIBUTION_FILES) {
            try (InputStream in = StandaloneJettyIT.class.getClassLoader().getResourceAsStream(file)) {
                if (in == null) {
                    throw new IllegalStateException(file + " is not on the test class path; run 'mvn verify'");
                }
                Path target = jettyBase.resolve(file);
                Files.createDirectories(target.getParent());
                Files.copy(in, target);
            }
        }
        Path lib = Files.createDirectories(jettyBase.resolve("lib/syncsession"));
        Path jar = Path.of(requiredProperty("it.syncsession.jar"));
        Files.copy(jar, lib.resolve(jar.getFileName()));
        try (DirectoryStream<Path> dependencies = Files.newDirectoryStream(
                Path.of(requiredProperty("it.syncsession.lib")), "*.jar")) {
            for (Path dependency : dependencies) {
                Files.copy(dependency, lib.resolve(dependency.getFileName()));
            }
        }
    }

    /** Deploys the visit counter as the exploded web application {@code webapps/counter}. */
    private static void installCounterApp() throws IOException {
        Path webInf = Files.createDirectories(jettyBase.resolve("webapps/counter/WEB-INF"));
        String classFile = VisitCounterServlet.class.getName().replace('.', '/') + ".class";
        for (String[] copy : new String[][] {
                {"counterapp/WEB-INF/web.xml", "web.xml"},
                {classFile, "classes/" + classFile}}) {
            try (InputStream in = StandaloneJettyIT.class.getClassLoader().getResourceAsStream(copy[0])) {
                if (in == null) {
                    throw new IllegalStateException(copy[0] + " is not on the test class path");
                }
                Path target = webInf.resolve(copy[1]);
                Files.createDirectories(target.getParent());
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Runs {@code start.jar --add-modules=...}, which writes start.d/*.ini and checks that the modules resolve. */
    private static void addModules() throws IOException, InterruptedException {
        Path output = jettyBase.getParent().resolve("add-modules.log");
        Process addModules = new ProcessBuilder(java(), "-jar", jettyHome.resolve("start.jar").toString(),
                "jetty.home=" + jettyHome, "jetty.base=" + jettyBase, "--add-modules=" + String.join(",", MODULES))
                .directory(jettyBase.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            if (!addModules.waitFor(ADD_MODULES_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("start.jar --add-modules did not finish within "
                        + ADD_MODULES_TIMEOUT + "; see " + output);
            }
        } finally {
            addModules.destroyForcibly();
        }
        if (addModules.exitValue() != 0) {
            throw new IllegalStateException("start.jar --add-modules exited with " + addModules.exitValue() + ":\n"
                    + Files.readString(output, StandardCharsets.UTF_8));
        }
    }

    /** Waits until Jetty logs that its connector and server started; returns the connector's port. */
    private static int awaitStartup() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        Integer port = null;
        while (System.nanoTime() < deadline) {
            String log = Files.readString(jettyLog, StandardCharsets.UTF_8);
            Matcher connector = CONNECTOR_STARTED.matcher(log);
            if (connector.find()) {
                port = Integer.valueOf(connector.group(1));
            }
            if (port != null && SERVER_STARTED.matcher(log).find()) {
                return port;
            }
            if (!jetty.isAlive()) {
                throw new IllegalStateException("Jetty exited with " + jetty.exitValue() + " before it started:\n"
                        + tail(log));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Jetty did not start within " + STARTUP_TIMEOUT + ":\n"
                + tail(Files.readString(jettyLog, StandardCharsets.UTF_8)));
    }

    private static String tail(String log) {
        return log.length() <= 8000 ? log : log.substring(log.length() - 8000);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set; run this test with 'mvn verify'");
        }
        return value;
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
