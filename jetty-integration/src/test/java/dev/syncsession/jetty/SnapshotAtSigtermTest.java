/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.syncsession.session.SessionRecord;
import dev.syncsession.session.SessionSnapshot;
import dev.syncsession.session.SyncMapSessionStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's embedded snippet with {@code .snapshotFile(...)} promises that sessions survive a graceful restart:
 * a JVM running exactly that snippet, sent SIGTERM (what Ctrl-C, {@code kill} and service managers send), writes its
 * sessions to the snapshot on the way out, although the snippet never calls {@code server.setStopAtShutdown(true)}.
 */
class SnapshotAtSigtermTest {

    private static final Pattern LISTENING = Pattern.compile("listening on (\\d+)");

    @TempDir
    Path workDir;

    /** {@code install(server)}, or {@code install(context.getSessionHandler())} before the context joins the server. */
    @ParameterizedTest(name = "install on the {0}")
    @ValueSource(strings = {"server", "handler"})
    void theReadmeSnippetWritesItsSnapshotOnSigterm(String installedOn) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), ReadmeSnapshotServer.class.getName(),
                installedOn))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .start();
        StringBuffer output = new StringBuffer();
        AtomicInteger port = new AtomicInteger();
        CountDownLatch listening = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.append(line).append('\n');
                    Matcher m = LISTENING.matcher(line);
                    if (m.matches()) {
                        port.set(Integer.parseInt(m.group(1)));
                        listening.countDown();
                    }
                }
            } catch (IOException e) {
                output.append("(reading the child's output failed: ").append(e).append(")\n");
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        try {
            assertTrue(listening.await(60, TimeUnit.SECONDS), "the child did not start:\n" + output);

            HttpResponse<String> signIn = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.get() + "/signin")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, signIn.statusCode(), signIn.body());
            String sessionId = signIn.body();

            child.destroy(); // SIGTERM
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not exit on SIGTERM:\n" + output);
            reader.join(TimeUnit.SECONDS.toMillis(10));

            Path snapshot = workDir.resolve("sessions/sessions.snap");
            assertTrue(Files.isRegularFile(snapshot), "no snapshot written at SIGTERM; the child printed:\n" + output);
            SyncMapSessionStore restored = new SyncMapSessionStore();
            SessionSnapshot.RestoreResult result = SessionSnapshot.builder(snapshot).build().restore(restored);
            assertEquals(1, result.restored(), result + "\n" + output);
            List<SessionRecord> records = new ArrayList<>();
            restored.range(records::add);
            assertEquals(sessionId, records.get(0).id());
            assertEquals(Map.of("user", "ada"), records.get(0).attributes().toMap());
            assertTrue(output.toString().contains("turned on the server's stopAtShutdown"), output.toString());
        } finally {
            child.destroyForcibly();
        }
    }
}
