/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No main source file of jetty-integration grows past {@value #MAX_LINES} lines (docs/architecture.md, "Rules that
 * keep it so"): a file that needs more holds more than one job, and the job that grew belongs in a class of its own.
 */
class MainFilesStaySmallTest {

    static final int MAX_LINES = 500;

    private static final Path MAIN = Path.of("src/main/java");

    @Test
    void noMainFileIsOverFiveHundredLines() throws IOException {
        List<String> over;
        try (Stream<Path> files = Files.walk(MAIN)) {
            over = files.filter(file -> file.toString().endsWith(".java"))
                    .map(file -> lines(file) + " lines: " + MAIN.relativize(file))
                    .filter(line -> Integer.parseInt(line.substring(0, line.indexOf(' '))) > MAX_LINES)
                    .sorted()
                    .toList();
        }
        assertEquals(List.of(), over, "main files over " + MAX_LINES + " lines; split them by job");
    }

    @Test
    void theWalkFindsTheMainSources() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            assertTrue(files.anyMatch(file -> file.endsWith("SyncSessions.java")), "run from the module directory");
        }
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
