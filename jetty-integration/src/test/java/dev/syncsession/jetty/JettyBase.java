/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.syncsession.jetty.counterapp.VisitCounterServlet;

/**
 * A jetty-base of the real Jetty 12.1 distribution for the standalone integration tests: the syncsession module
 * files and jars installed as an operator would (README, "Standalone Jetty"), the visit counter deployed as
 * {@code webapps/counter}, modules enabled with {@code start.jar --add-modules}, and Jetty started as separate
 * processes on 127.0.0.1. The Maven build unpacks jetty-home and collects the jars, and passes their locations as
 * system properties ({@code it.*}, see the module pom).
 */
final class JettyBase {

    /** The module and XML files this module ships, as resource paths that are also their jetty-base paths. */
    private static final List<String> DISTRIBUTION_FILES = List.of(
            "modules/session-cache-syncmap.mod",
            "etc/sessions/syncmap/session-cache-syncmap.xml",
            "modules/session-store-syncmap.mod",
            "etc/sessions/syncmap/session-store-syncmap.xml",
            "modules/session-store-jdbc-syncmap.mod",
            "etc/sessions/syncmap/session-store-jdbc-syncmap.xml",
            "modules/sessions/jdbc/pooled.mod",
            "etc/sessions/syncmap/jdbc-pooled.xml");

    private static final Duration ADD_MODULES_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration README_BLOCK_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Jetty's log line for a started connector: the address it bound (from {@code jetty.http.host}, or 0.0.0.0) and
     * the port the kernel chose for jetty.http.port=0.
     */
    private static final Pattern CONNECTOR_STARTED =
            Pattern.compile("Started \\S*ServerConnector@\\S*\\{[^}]*}\\{([^:}]*):(\\d+)}");
    private static final Pattern SERVER_STARTED = Pattern.compile("Started \\S*Server@");
    private static final String DUMP_END = "legend: +- bean";

    private final Path home;
    private final Path base;
    private final Path workDir;
    /** Whether the README's recipe made this base, which then sets jetty.http.host itself. */
    private boolean hostFromRecipe;
    private int launches;

    private JettyBase(Path home, Path base, Path workDir) {
        this.home = home;
        this.base = base;
        this.workDir = workDir;
    }

    /**
     * A fresh jetty-base named {@code name} under the build's IT work directory, with syncsession and the counter
     * app installed and {@code modules} enabled.
     */
    static JettyBase create(String name, List<String> modules) throws IOException, InterruptedException {
        Path workDir = Path.of(requiredProperty("it.work.dir"));
        JettyBase jetty = new JettyBase(Path.of(requiredProperty("it.jetty.home")), workDir.resolve(name), workDir);
        deleteRecursively(jetty.base);
        Files.createDirectories(jetty.base);
        jetty.installSyncsession();
        jetty.installCounterApp();
        jetty.addModules(modules);
        return jetty;
    }

    /**
     * A fresh jetty-base named {@code name} made by running the README's standalone setup block (the shell block
     * after {@code <!-- StandaloneJettyIT: setup -->}) literally with bash, with {@code SYNCSESSION} set to the
     * repository root, {@code JETTY_HOME} to the unpacked jetty-home and {@code JETTY_BASE} to the new base; then
     * the counter app is deployed.
     */
    static JettyBase fromReadme(String name) throws IOException, InterruptedException {
        Path workDir = Path.of(requiredProperty("it.work.dir"));
        JettyBase jetty = new JettyBase(Path.of(requiredProperty("it.jetty.home")), workDir.resolve(name), workDir);
        deleteRecursively(jetty.base);
        // The block's output goes to a file here; the work directory does not exist yet when this test runs alone.
        Files.createDirectories(workDir);
        jetty.runReadmeBlock("setup");
        jetty.hostFromRecipe = true;
        jetty.installCounterApp();
        return jetty;
    }

    /** The repository's README.md. */
    static Path readme() {
        return Path.of(requiredProperty("it.repo.root")).resolve("README.md");
    }

    /** The shell block that follows {@code <!-- StandaloneJettyIT: <marker> -->} in the README. */
    static String readmeBlock(String marker) throws IOException {
        String readme = Files.readString(readme(), StandardCharsets.UTF_8);
        String tag = "<!-- StandaloneJettyIT: " + marker + " -->";
        int at = readme.indexOf(tag);
        if (at < 0) {
            throw new IllegalStateException("README.md has no " + tag);
        }
        Matcher block = Pattern.compile("\\s*```sh\\n(.*?)\\n```", Pattern.DOTALL)
                .matcher(readme).region(at + tag.length(), readme.length());
        if (!block.lookingAt()) {
            throw new IllegalStateException("README.md has no ```sh block right after " + tag);
        }
        return block.group(1);
    }

    /**
     * Runs a README shell block as typed, with bash, in the repository root, with the recipe's variables set for
     * this base; fails with the block's output if any command fails.
     */
    void runReadmeBlock(String marker) throws IOException, InterruptedException {
        String script = readmeBlock(marker);
        Path output = workDir.resolve(base.getFileName() + "-readme-" + marker + ".log");
        ProcessBuilder bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
                .directory(Path.of(requiredProperty("it.repo.root")).toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        bash.environment().put("SYNCSESSION", Path.of(requiredProperty("it.repo.root")).toRealPath().toString());
        bash.environment().put("JETTY_HOME", home.toString());
        bash.environment().put("JETTY_BASE", base.toString());
        // The JDK running the tests provides java and jar, as on the reader's machine.
        bash.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":"
                + bash.environment().getOrDefault("PATH", "/usr/bin:/bin"));
        Process process = bash.start();
        if (!process.waitFor(README_BLOCK_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the README's " + marker + " block did not finish within "
                    + README_BLOCK_TIMEOUT + "; see " + output);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("the README's " + marker + " block failed (exit " + process.exitValue()
                    + "):\n" + script + "\n---\n" + Files.readString(output, StandardCharsets.UTF_8));
        }
    }

    Path base() {
        return base;
    }

    /** Copies a jar into {@code lib/syncsession}, next to the syncsession jars (the modules' {@code [lib]}). */
    void addToLibSyncsession(Path jar) throws IOException {
        Path lib = Files.createDirectories(base.resolve("lib/syncsession"));
        Files.copy(jar, lib.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Copies a jar into {@code lib/ext} (Jetty's {@code ext} module puts it on the server class path). */
    void addToLibExt(Path jar) throws IOException {
        Path ext = Files.createDirectories(base.resolve("lib/ext"));
        Files.copy(jar, ext.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Starts Jetty with {@code properties} ({@code name=value} start.jar arguments) on a port the kernel chooses,
     * dumping the server after start, and waits until it serves. It binds 127.0.0.1: a base made by the README's
     * recipe must say so itself (the recipe's promise, see {@link Running#host()}), any other is told to.
     */
    Running launch(List<String> properties) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", home.resolve("start.jar").toString(),
                "jetty.home=" + home, "jetty.base=" + base,
                "jetty.http.port=0", "jetty.server.dumpAfterStart=true"));
        if (!hostFromRecipe) {
            command.add("jetty.http.host=127.0.0.1");
        }
        command.addAll(properties);
        Path log = workDir.resolve(base.getFileName() + "-" + (++launches) + ".log");
        Process process = new ProcessBuilder(command)
                .directory(base.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Running jetty = new Running(process, log);
        try {
            awaitStartup(jetty);
        } catch (IOException | InterruptedException | RuntimeException e) {
            jetty.kill();
            throw e;
        }
        return jetty;
    }

    /** One running Jetty: its port and log; stopped as an operator's Ctrl-C would stop it. */
    static final class Running {
        private final Process process;
        private final Path log;
        private String host;
        private int port;

        private Running(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        /** The address the connector bound, as Jetty logged it (0.0.0.0: every interface). */
        String host() {
            return host;
        }

        int port() {
            return port;
        }

        Path log() {
            return log;
        }

        String logText() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        boolean isAlive() {
            return process.isAlive();
        }

        /** SIGTERM, as a service manager sends; forcibly, and failing, if Jetty does not stop in time. */
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                kill();
                throw new AssertionError("Jetty did not stop within " + SHUTDOWN_TIMEOUT + " of SIGTERM; see " + log);
            }
        }

        /** Stops it without waiting for a graceful shutdown. */
        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor(SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Copies the packaged module files and the syncsession jars into the jetty-base. */
    private void installSyncsession() throws IOException {
        for (String file : DISTRIBUTION_FILES) {
            try (InputStream in = JettyBase.class.getClassLoader().getResourceAsStream(file)) {
                if (in == null) {
                    throw new IllegalStateException(file + " is not on the test class path; run 'mvn verify'");
                }
                Path target = base.resolve(file);
                Files.createDirectories(target.getParent());
                Files.copy(in, target);
            }
        }
        Path lib = Files.createDirectories(base.resolve("lib/syncsession"));
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
    private void installCounterApp() throws IOException {
        Path webInf = Files.createDirectories(base.resolve("webapps/counter/WEB-INF"));
        String classFile = VisitCounterServlet.class.getName().replace('.', '/') + ".class";
        for (String[] copy : new String[][] {
                {"counterapp/WEB-INF/web.xml", "web.xml"},
                {classFile, "classes/" + classFile}}) {
            try (InputStream in = JettyBase.class.getClassLoader().getResourceAsStream(copy[0])) {
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
    private void addModules(List<String> modules) throws IOException, InterruptedException {
        Path output = workDir.resolve(base.getFileName() + "-add-modules.log");
        Process addModules = new ProcessBuilder(java(), "-jar", home.resolve("start.jar").toString(),
                "jetty.home=" + home, "jetty.base=" + base, "--add-modules=" + String.join(",", modules))
                .directory(base.toFile())
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

    /** Waits until Jetty logs that its connector and server started; records the connector's address and port. */
    private static void awaitStartup(Running jetty) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String log = jetty.logText();
            Matcher connector = CONNECTOR_STARTED.matcher(log);
            if (connector.find()) {
                jetty.host = connector.group(1);
                jetty.port = Integer.parseInt(connector.group(2));
            }
            // launch asks for the server dump, which the tests read; it is printed after the "Started" line and
            // ends with its legend.
            if (jetty.host != null && SERVER_STARTED.matcher(log).find() && log.contains(DUMP_END)) {
                return;
            }
            if (!jetty.isAlive()) {
                throw new IllegalStateException("Jetty exited with " + jetty.process.exitValue()
                        + " before it started:\n" + tail(log));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Jetty did not start within " + STARTUP_TIMEOUT + ":\n"
                + tail(jetty.logText()));
    }

    static String tail(String log) {
        return log.length() <= 8000 ? log : log.substring(log.length() - 8000);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String requiredProperty(String name) {
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
