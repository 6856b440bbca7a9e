/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application that is itself a module uses syncsession from the module path, as the modules' descriptors
 * promise: {@code dev.syncsession.jetty} exports the entry ({@code SyncSessions}) and brings Jetty's server and session
 * modules along ({@code requires transitive}), and keeps {@code dev.syncsession.jetty.internal} to itself. The
 * application is compiled with the JDK's compiler against the jars the reactor has just packaged for session-core
 * and jetty-integration, plus the third-party modular jars they need (Jetty, the servlet API, SLF4J) taken from this
 * test's class path, and runs in its own JVM with {@code java --module-path ... -m}. Run by failsafe in the examples
 * module, after the reactor has packaged both modules.
 */
class ModulePathUserIT {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(30);
    /** The modules this build makes, by the artifact whose jar holds each. */
    private static final List<String> OUR_MODULES = List.of("session-core", "jetty-integration");
    /**
     * The third-party jars on the module path, by file name: the modules Jetty's server, session and ee11 servlet
     * modules require, and slf4j-simple so that SLF4J has a provider. Only modular jars; the rest of the test class
     * path (JUnit, Selenium, ...) stays off, since every jar on a module path must yield a module.
     */
    private static final Pattern THIRD_PARTY_MODULE =
            Pattern.compile("(jetty-(?!integration-).*|jakarta\\.servlet-api-.*|slf4j-(api|simple)-.*)\\.jar");

    private static final String MODULE_INFO = """
            module com.example.modular {
                requires dev.syncsession.jetty;
                requires org.eclipse.jetty.ee11.servlet;
                requires java.net.http;
            }
            """;

    /**
     * Serves one context with sessions on a free port, visits it twice as one client and prints each count. The
     * servlet is given as an instance, so Jetty needs no reflective access into this module.
     */
    private static final String MAIN = """
            package com.example;

            import java.io.IOException;
            import java.net.CookieManager;
            import java.net.URI;
            import java.net.http.HttpClient;
            import java.net.http.HttpRequest;
            import java.net.http.HttpResponse;

            import dev.syncsession.jetty.SyncSessions;
            import jakarta.servlet.http.HttpServlet;
            import jakarta.servlet.http.HttpServletRequest;
            import jakarta.servlet.http.HttpServletResponse;
            import jakarta.servlet.http.HttpSession;
            import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
            import org.eclipse.jetty.ee11.servlet.ServletHolder;
            import org.eclipse.jetty.server.Server;
            import org.eclipse.jetty.server.ServerConnector;

            public final class Main {

                static final class VisitCounter extends HttpServlet {
                    @Override
                    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                        HttpSession session = request.getSession();
                        Integer visits = (Integer) session.getAttribute("visits");
                        int count = visits == null ? 1 : visits + 1;
                        session.setAttribute("visits", count);
                        response.setContentType("text/plain");
                        response.getWriter().print("visits=" + count);
                    }
                }

                public static void main(String[] args) throws Exception {
                    Server server = new Server();
                    ServerConnector connector = new ServerConnector(server);
                    connector.setHost("127.0.0.1");
                    connector.setPort(0);
                    server.addConnector(connector);
                    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
                    context.setContextPath("/");
                    context.addServlet(new ServletHolder(new VisitCounter()), "/");
                    server.setHandler(context);
                    SyncSessions.builder().install(server);
                    server.start();
                    try {
                        URI uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
                        HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
                        for (int i = 0; i < 2; i++) {
                            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            System.out.println(response.statusCode() + " " + response.body());
                        }
                        var cache = context.getSessionHandler().getSessionCache();
                        System.out.println("cache " + cache.getClass().getName());
                        System.out.println("store " + cache.getSessionDataStore().getClass().getName());
                    } finally {
                        server.stop();
                    }
                }
            }
            """;

    /** An application class that reaches for a package jetty-integration does not export. */
    private static final String USES_INTERNAL = """
            package com.example;

            import dev.syncsession.jetty.internal.ExpirySearch;

            final class UsesInternal {
                Class<?> helper = ExpirySearch.class;
            }
            """;

    @Test
    void anApplicationModuleCompilesAndCountsVisitsInItsSessionOnTheModulePath(@TempDir Path work) throws Exception {
        Path sources = writeApplication(work.resolve("src"), MAIN);
        Path classes = work.resolve("classes");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        assertTrue(compile(sources, classes, diagnostics), "the application module does not compile against"
                + " this build's modules:\n" + describe(diagnostics));

        Path log = work.resolve("main.log");
        Process main = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", classes + File.pathSeparator + modulePath(),
                "-m", "com.example.modular/com.example.Main")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!main.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            main.destroyForcibly().waitFor();
            throw new AssertionError("the application did not finish within " + RUN_TIMEOUT + ":\n" + read(log));
        }
        String output = read(log);
        assertEquals(0, main.exitValue(), "the application failed on the module path:\n" + output);
        List<String> lines = output.lines().toList();
        assertTrue(lines.contains("200 visits=1"), "first visit:\n" + output);
        assertTrue(lines.indexOf("200 visits=2") > lines.indexOf("200 visits=1"),
                "the second visit of the same client is counted in its session:\n" + output);
        assertTrue(lines.contains("cache dev.syncsession.jetty.cache.SyncMapSessionCache")
                && lines.contains("store dev.syncsession.jetty.store.SyncSessionDataStore"),
                "the context's sessions are syncsession's:\n" + output);
    }

    @Test
    void anApplicationModuleCannotUseTheInternalPackage(@TempDir Path work) throws Exception {
        Path sources = writeApplication(work.resolve("src"), MAIN);
        Path internal = Files.writeString(sources.resolve("com/example/UsesInternal.java"), USES_INTERNAL);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        assertFalse(compile(sources, work.resolve("classes"), diagnostics),
                "an application compiled against dev.syncsession.jetty.internal; the package is exported");

        List<Diagnostic<? extends JavaFileObject>> errors = diagnostics.getDiagnostics().stream()
                .filter(diagnostic -> diagnostic.getKind() == Diagnostic.Kind.ERROR).toList();
        assertFalse(errors.isEmpty(), "no error reported:\n" + describe(diagnostics));
        for (Diagnostic<? extends JavaFileObject> error : errors) {
            assertEquals(internal.toUri(), error.getSource() == null ? null : error.getSource().toUri(),
                    "only the class using the internal package fails:\n" + describe(diagnostics));
        }
        // javac: "package dev.syncsession.jetty.internal is declared in module dev.syncsession.jetty, which does not
        // export it" (compiler.err.package.not.visible).
        assertEquals("compiler.err.package.not.visible", errors.get(0).getCode(), describe(diagnostics));
        String message = errors.get(0).getMessage(Locale.ROOT);
        assertTrue(message.contains("declared in module dev.syncsession.jetty, which does not export it"),
                message);
    }

    /** Writes the module's descriptor and {@code Main}; returns the source root. */
    private static Path writeApplication(Path sources, String main) throws IOException {
        Files.createDirectories(sources.resolve("com/example"));
        Files.writeString(sources.resolve("module-info.java"), MODULE_INFO);
        Files.writeString(sources.resolve("com/example/Main.java"), main);
        return sources;
    }

    /** Compiles every source under {@code sources} as one module against {@link #modulePath()} alone. */
    private static boolean compile(Path sources, Path classes, DiagnosticCollector<JavaFileObject> diagnostics)
            throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertTrue(javac != null, "no system Java compiler: run the tests on a JDK, not a JRE");
        List<Path> files;
        try (var paths = Files.walk(sources)) {
            files = paths.filter(path -> path.toString().endsWith(".java")).toList();
        }
        Files.createDirectories(classes);
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            // Without this, javac's class path would be this JVM's, where syncsession is an unnamed module's classes.
            fileManager.setLocation(StandardLocation.CLASS_PATH, List.of());
            List<String> options = List.of("--release", "17", "--module-path", modulePath(),
                    "-d", classes.toString(), "-Xlint:all,-serial");
            return javac.getTask(new StringWriter(), fileManager, diagnostics, options, null,
                    fileManager.getJavaFileObjectsFromPaths(files)).call();
        }
    }

    /** This build's jars of session-core and jetty-integration, then the third-party modules they run with. */
    private static String modulePath() {
        List<String> path = new ArrayList<>();
        Path root = DocBlocks.repoRoot();
        String version = required("example.syncsession.version");
        for (String module : OUR_MODULES) {
            Path jar = root.resolve(module).resolve("target").resolve(module + "-" + version + ".jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing; run this test with -am so that the reactor"
                        + " packages " + module + " first");
            }
            path.add(jar.toString());
        }
        List<String> thirdParty = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> THIRD_PARTY_MODULE.matcher(Path.of(entry).getFileName().toString()).matches())
                .toList();
        assertTrue(thirdParty.stream().anyMatch(entry -> entry.contains("jetty-ee11-servlet")),
                "jetty-ee11-servlet is not on the test class path: " + System.getProperty("java.class.path"));
        path.addAll(thirdParty);
        return String.join(File.pathSeparator, path);
    }

    private static String describe(DiagnosticCollector<JavaFileObject> diagnostics) {
        return diagnostics.getDiagnostics().stream()
                .map(diagnostic -> diagnostic.getKind() + " " + diagnostic.getCode() + " "
                        + (diagnostic.getSource() == null ? "" : diagnostic.getSource().getName() + ":"
                                + diagnostic.getLineNumber() + " ")
                        + diagnostic.getMessage(Locale.ROOT))
                .collect(Collectors.joining("\n"));
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set; the examples pom passes"
                    + " it to failsafe");
        }
        return value;
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
