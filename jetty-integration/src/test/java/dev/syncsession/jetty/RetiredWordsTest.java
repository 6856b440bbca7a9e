/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The words renamed before the first release stay retired: no main source, resource, script or document uses one,
 * but docs/architecture.md, whose name table maps each old name to its new one (benchmark results are data, kept as
 * they were measured). A rename adds its old word here.
 */
class RetiredWordsTest {

    /** Old word, as a regular expression. */
    private static final List<String> RETIRED = List.of(
            "SyncMapSessionDataStore", "SyncMapSessionData\\b", "EvictionSweeper", "lruBound", "lru-bound",
            "sweepGrace", "SharedStore\\b", "SharedStoreMetrics", "StoreAvailability", "SessionStoreGuard",
            "syncsession\\.sessions\\.(ids\\.)?rejected", "rejectedSessionIds", "SyncSessions\\.Cache\\b",
            "syncsession\\.store\\.", "jetty\\.session\\.syncmap\\.maxSessions\\b", "evictionPolicy\\(int\\)",
            "LRU_BOUND", "least recently used", "syncsession_store_", "_rejected_total",
            "maxLiveSessions", "MaxLiveSessions", "max-live-sessions", "MAX_LIVE_SESSIONS", "LiveSessionLimit",
            "\\bSessionLimitExceededException", "SessionLimitHandler", "dev\\.syncsession\\.session\\.SessionManager\\b",
            "LiveAttributes", "liveSessions\\b", "getLiveSessions", "liveRows", "live-session cap",
            "principalAttribute", "PrincipalAttribute", "PrincipalIndex", "PrincipalWatch", "PrincipalSource",
            "syncsession_principal", "principal attribute", "[sS]napshotAllowedPackages", "allowSnapshotPackage");

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void noMainSourceOrDocumentUsesARetiredWord() throws IOException {
        Pattern retired = Pattern.compile(String.join("|", RETIRED));
        List<String> uses = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(Files::isRegularFile).filter(RetiredWordsTest::checked).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher matcher = retired.matcher(lines.get(i));
                    if (matcher.find()) {
                        uses.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + matcher.group());
                    }
                }
            }
        }
        assertEquals(List.of(), uses, "retired words in use (docs/architecture.md has their new names)");
    }

    /** Main sources, resources, scripts and documents; not tests, build output, results, or the name table. */
    private static boolean checked(Path file) {
        String path = ROOT.relativize(file).toString().replace('\\', '/');
        String name = file.getFileName().toString();
        if (path.startsWith(".git/") || path.contains("/target/") || path.contains("/src/test/")
                || path.startsWith("benchmarks/results/") || path.equals("docs/architecture.md")) {
            return false;
        }
        return name.endsWith(".java") || name.endsWith(".md") || name.endsWith(".xml") || name.endsWith(".mod")
                || name.endsWith(".sh") || name.endsWith(".js") || name.endsWith(".html") || name.endsWith(".lua");
    }
}
