/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fenced code blocks of the repository's documents that tests run as typed, each found by the marker comment
 * right before it, {@code <!-- TestName: block name -->}, so that a recipe cannot drift from what the build checks.
 */
final class DocBlocks {

    private static final Pattern FENCED_BLOCK = Pattern.compile("\\s*```[\\w-]*\\n(.*?)\\n```", Pattern.DOTALL);

    private DocBlocks() {
    }

    /** The repository root, which the module pom passes as {@code example.repo.root}. */
    static Path repoRoot() {
        String root = System.getProperty("example.repo.root");
        if (root == null) {
            throw new IllegalStateException("system property example.repo.root is not set; run the test with"
                    + " Maven (failsafe), which sets it to the repository root");
        }
        return Path.of(root).toAbsolutePath().normalize();
    }

    /**
     * The content of the fenced block right after {@code <!-- marker -->} in a document of the repository.
     *
     * @param document a path relative to the repository root, e.g. {@code README.md}
     * @param marker what the comment says, e.g. {@code ProjectRecipeIT: pom.xml}
     * @return the block's lines, without the fences
     * @throws IllegalStateException if the document has no such marker, or no fenced block right after it
     */
    static String block(String document, String marker) throws IOException {
        String text = Files.readString(repoRoot().resolve(document), StandardCharsets.UTF_8);
        String tag = "<!-- " + marker + " -->";
        int at = text.indexOf(tag);
        if (at < 0) {
            throw new IllegalStateException(document + " has no " + tag);
        }
        Matcher block = FENCED_BLOCK.matcher(text).region(at + tag.length(), text.length());
        if (!block.lookingAt()) {
            throw new IllegalStateException(document + " has no fenced block right after " + tag);
        }
        return block.group(1);
    }
}
