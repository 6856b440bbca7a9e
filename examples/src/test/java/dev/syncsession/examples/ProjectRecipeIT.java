/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The README's "Use it from your project" and "Implement your own store", as a newcomer follows them: the
 * {@code pom.xml} and {@code Main.java} blocks become a project, the second section adds its dependencies to the pom
 * and its {@code MyStore.java} and {@code MyStoreContractTest.java}, and the first section's two commands, as typed,
 * build it (running session-core's published {@code SessionStoreContract} against {@code MyStore}) and run it.
 * Instead of the recipe's {@code mvn install} (which would write into the user's {@code ~/.m2}), the jars and poms
 * this build has just made are laid out in a throwaway local repository, exactly where {@code install} puts them;
 * the nested Maven reads everything else from this build's own local repository, as a {@code file:} mirror, so it
 * needs no network. Both come from {@code .mvn/maven.config} in the project, so the commands stay as typed. Run by
 * failsafe in the examples module, after the reactor has packaged session-core (with its test-jar) and
 * jetty-integration.
 */
class ProjectRecipeIT {

    private static final Duration BUILD_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern SERVING = Pattern.compile("Serving (http://\\S+)");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern TEST_METHOD = Pattern.compile("^\\s*@Test$", Pattern.MULTILINE);
    /** Where the README's pom ends its dependencies, and "Implement your own store" adds its own. */
    private static final String END_OF_DEPENDENCIES = "  </dependencies>\n";

    /** The modules a project depending on jetty-integration needs from this build, besides their parent pom. */
    private static final List<String> INSTALLED_MODULES = List.of("session-core", "jetty-integration");
    /** The module whose test-jar holds the store contract, and the contract's source, relative to the repository. */
    private static final String CONTRACT_MODULE = "session-core";
    private static final String CONTRACT_SOURCE =
            "session-core/src/test/java/dev/syncsession/session/contract/SessionStoreContract.java";
    private static final String PARENT = "syncsession-parent";

    @Test
    void theReadmesProjectBuildsOfflineAgainstThisBuildPassesTheStoreContractAndCountsVisits() throws Exception {
        Path work = Path.of(System.getProperty("example.work.dir", "target/it-work"), "project-recipe")
                .toAbsolutePath();
        deleteRecursively(work);
        Path project = Files.createDirectories(work.resolve("visit-counter"));
        writeProject(project);
        Path repository = work.resolve("repository");
        installThisBuild(repository);
        pointMavenAt(project, repository, work.resolve("settings.xml"));

        List<String> commands = DocBlocks.block("README.md", "ProjectRecipeIT: build and run").lines()
                .filter(line -> !line.isBlank()).toList();
        assertEquals(2, commands.size(), "the README's build-and-run block: one build command, one run command");

        Path buildLog = work.resolve("build.log");
        Process build = bash(commands.get(0), project, buildLog).start();
        if (!build.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            build.destroyForcibly();
            throw new AssertionError("'" + commands.get(0) + "' did not finish within " + BUILD_TIMEOUT + "; see "
                    + buildLog);
        }
        assertEquals(0, build.exitValue(), "'" + commands.get(0) + "' failed:\n" + read(buildLog));
        assertEveryContractTestPassed(project);

        // The recipe's run command, with a port argument so that the test takes a free port instead of 8080.
        Path runLog = work.resolve("main.log");
        Process main = bash("exec " + commands.get(1) + " 0", project, runLog).start();
        try {
            URI served = awaitServing(main, runLog);
            try (Visitor visitor = new Visitor(served)) {
                assertEquals("visits=1", visitor.get("/").getContentAsString().strip(), "first visit; see " + runLog);
                assertEquals("visits=2", visitor.get("/").getContentAsString().strip(),
                        "the second visit of the same client is counted in its session");
            }
            assertTrue(read(runLog).contains("syncsession installed on context /: cache SyncMapSessionCache, store"
                    + " SyncMapSessionStore"), "the one-line install serves the sessions; see " + runLog);
        } finally {
            main.destroy();
            if (!main.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                main.destroyForcibly();
            }
        }
    }

    @Test
    void theReadmesPomUsesThisBuildsVersionsAndPinsEachPluginAsTheParentPomDoes() throws Exception {
        Document readmePom = xml(DocBlocks.block("README.md", "ProjectRecipeIT: pom.xml"));
        Map<String, String> dependencies = versions(readmePom, "dependency", true);
        assertEquals(required("example.syncsession.version"), dependencies.get("dev.syncsession:jetty-integration"));
        assertEquals(required("example.jetty.version"), dependencies.get("org.eclipse.jetty.ee11:jetty-ee11-servlet"));
        assertEquals(required("example.slf4j.version"), dependencies.get("org.slf4j:slf4j-simple"));

        Map<String, String> pinned = versions(xml(Files.readString(DocBlocks.repoRoot().resolve("pom.xml"))),
                "plugin", false);
        Map<String, String> readmePins = versions(readmePom, "plugin", false);
        assertFalse(readmePins.isEmpty(), "the README's pom pins no plugin");
        readmePins.forEach((plugin, version) -> assertEquals(pinned.get(plugin), version,
                "the README pins " + plugin + " at " + version + ", our parent pom at " + pinned.get(plugin)));
    }

    @Test
    void theReadmesContractDependenciesAreThisBuildsTestJarAndJUnit() throws Exception {
        Document dependencies = xml("<dependencies>\n"
                + DocBlocks.block("README.md", "ProjectRecipeIT: contract dependencies") + "\n</dependencies>");
        Map<String, String> versions = versions(dependencies, "dependency", true);
        assertEquals(Map.of("dev.syncsession:session-core", required("example.syncsession.version"),
                "org.junit.jupiter:junit-jupiter", required("example.junit.version")), versions);
        NodeList nodes = dependencies.getElementsByTagName("dependency");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element dependency = (Element) nodes.item(i);
            assertEquals("test", child(dependency, "scope"), child(dependency, "artifactId") + " is not at test scope");
        }
        assertEquals("test-jar", child((Element) nodes.item(0), "type"), "session-core's contract is in its test-jar");
    }

    /**
     * The README's pom, with the dependencies of "Implement your own store" added to its own, and its Java blocks,
     * each where Maven looks for it: under the folders of its package, in the main or the test sources.
     */
    private static void writeProject(Path project) throws IOException {
        String pom = DocBlocks.block("README.md", "ProjectRecipeIT: pom.xml");
        String contractDependencies = DocBlocks.block("README.md", "ProjectRecipeIT: contract dependencies");
        int end = pom.indexOf(END_OF_DEPENDENCIES);
        assertTrue(end >= 0 && end == pom.lastIndexOf(END_OF_DEPENDENCIES),
                "the README's pom has not exactly one '" + END_OF_DEPENDENCIES.strip() + "' line");
        Files.writeString(project.resolve("pom.xml"),
                pom.substring(0, end) + contractDependencies + "\n" + pom.substring(end));
        writeJava(project.resolve("src/main/java"), "Main.java");
        writeJava(project.resolve("src/main/java"), "MyStore.java");
        writeJava(project.resolve("src/test/java"), "MyStoreContractTest.java");
    }

    private static void writeJava(Path sourceRoot, String fileName) throws IOException {
        String source = DocBlocks.block("README.md", "ProjectRecipeIT: " + fileName);
        Matcher pkg = PACKAGE.matcher(source);
        assertTrue(pkg.find(), "the README's " + fileName + " has no package line");
        Path sources = Files.createDirectories(sourceRoot.resolve(pkg.group(1).replace('.', '/')));
        Files.writeString(sources.resolve(fileName), source);
    }

    /**
     * The build above passes whether or not tests ran, so its Surefire report must show every {@code @Test} of the
     * contract run against the README's store: none left out (say, by the test-jar or a JUnit engine missing) and
     * none failed or skipped.
     */
    private static void assertEveryContractTestPassed(Path project) throws Exception {
        Path report = project.resolve("target/surefire-reports/TEST-com.example.MyStoreContractTest.xml");
        assertTrue(Files.isRegularFile(report), "the build ran no MyStoreContractTest: no " + report);
        Element suite = xml(Files.readString(report)).getDocumentElement();
        long contractTests = TEST_METHOD.matcher(Files.readString(DocBlocks.repoRoot().resolve(CONTRACT_SOURCE)))
                .results().count();
        assertTrue(contractTests > 0, "no @Test found in " + CONTRACT_SOURCE);
        assertEquals(contractTests + " run, 0 failures, 0 errors, 0 skipped",
                suite.getAttribute("tests") + " run, " + suite.getAttribute("failures") + " failures, "
                        + suite.getAttribute("errors") + " errors, " + suite.getAttribute("skipped") + " skipped",
                "MyStoreContractTest against the contract's @Test methods; see " + report);
    }

    /**
     * What {@code mvn install} of the recipe puts into a local repository for a project that depends on
     * jetty-integration and session-core's test-jar: the parent pom, each module's pom and jar, and the contract's
     * test-jar, as this build has just made them.
     */
    private static void installThisBuild(Path repository) throws IOException {
        Path root = DocBlocks.repoRoot();
        String version = required("example.syncsession.version");
        install(root.resolve("pom.xml"), repository, PARENT, version, ".pom");
        for (String module : INSTALLED_MODULES) {
            install(root.resolve(module).resolve("pom.xml"), repository, module, version, ".pom");
            install(built(root, module, version, ".jar"), repository, module, version, ".jar");
        }
        install(built(root, CONTRACT_MODULE, version, "-tests.jar"), repository, CONTRACT_MODULE, version,
                "-tests.jar");
    }

    /** A jar the reactor has made, {@code suffix} being {@code .jar} or a classifier's, such as {@code -tests.jar}. */
    private static Path built(Path root, String module, String version, String suffix) {
        Path jar = root.resolve(module).resolve("target").resolve(module + "-" + version + suffix);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; run this test with -am so that the reactor"
                    + " packages " + module + " first (and without -Dmaven.test.skip, which skips its test-jar)");
        }
        return jar;
    }

    /** Copies {@code file} where Maven keeps it; {@code suffix} is {@code .pom}, {@code .jar} or {@code -tests.jar}. */
    private static void install(Path file, Path repository, String artifactId, String version, String suffix)
            throws IOException {
        Path directory = repository.resolve("dev/syncsession").resolve(artifactId).resolve(version);
        Files.createDirectories(directory);
        Files.copy(file, directory.resolve(artifactId + "-" + version + suffix), StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Gives the project's Maven the throwaway local repository, and this build's local repository as the mirror of
     * every remote one. Maven 3.8 splits {@code .mvn/maven.config} at whitespace, hence the check.
     */
    private static void pointMavenAt(Path project, Path repository, Path settings) throws IOException {
        Path mirror = Path.of(required("example.maven.repo")).toAbsolutePath();
        for (Path path : List.of(repository, settings)) {
            if (path.toString().matches(".*\\s.*")) {
                throw new IllegalStateException(path + " contains whitespace, which .mvn/maven.config cannot hold");
            }
        }
        Files.writeString(settings, """
                <settings>
                  <mirrors>
                    <mirror>
                      <id>this-build-local-repository</id>
                      <mirrorOf>*</mirrorOf>
                      <url>%s</url>
                    </mirror>
                  </mirrors>
                </settings>
                """.formatted(mirror.toUri()));
        Path config = Files.createDirectories(project.resolve(".mvn")).resolve("maven.config");
        Files.writeString(config, "-s " + settings + "\n-Dmaven.repo.local=" + repository + "\n");
    }

    /**
     * A README command run by bash in {@code directory}, with the JDK that runs the tests and the Maven that runs
     * this build first on the path.
     */
    private static ProcessBuilder bash(String command, Path directory, Path log) {
        ProcessBuilder bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c", command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path mavenHome = Path.of(required("example.maven.home"));
        bash.environment().put("JAVA_HOME", javaHome.toString());
        bash.environment().put("PATH", javaHome.resolve("bin") + ":" + mavenHome.resolve("bin") + ":"
                + bash.environment().getOrDefault("PATH", "/usr/bin:/bin"));
        return bash;
    }

    /** Waits for Main's "Serving http://..." line; fails with its output if it exits or takes too long. */
    private static URI awaitServing(Process main, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher serving = SERVING.matcher(read(log));
            if (serving.find()) {
                return URI.create(serving.group(1));
            }
            if (!main.isAlive()) {
                throw new AssertionError("Main exited with " + main.exitValue() + " before serving:\n" + read(log));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Main did not print its URL within " + START_TIMEOUT + ":\n" + read(log));
    }

    /**
     * {@code groupId:artifactId} to version of every {@code element} (dependency or plugin) that has a version;
     * plugins by artifactId alone, since the README's leave out the default group.
     */
    private static Map<String, String> versions(Document pom, String element, boolean withGroup) {
        Map<String, String> versions = new HashMap<>();
        NodeList nodes = pom.getElementsByTagName(element);
        for (int i = 0; i < nodes.getLength(); i++) {
            Element node = (Element) nodes.item(i);
            String version = child(node, "version");
            if (version != null) {
                String artifact = child(node, "artifactId");
                versions.put(withGroup ? child(node, "groupId") + ":" + artifact : artifact, version);
            }
        }
        return versions;
    }

    /** The text of the direct child {@code name}, or null: not a descendant's, such as an enforcer rule's version. */
    private static String child(Element element, String name) {
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child && child.getTagName().equals(name)) {
                return child.getTextContent().strip();
            }
        }
        return null;
    }

    private static Document xml(String text) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
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
