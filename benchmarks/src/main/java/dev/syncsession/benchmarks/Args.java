/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code --name value} options of the tools' mains, and the CSV lines they append to {@code --out}. Not
 * thread-safe.
 */
final class Args {

    private final Map<String, String> options = new HashMap<>();

    Args(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected '--name value' pairs, got '" + a + "' at position " + i);
            }
            options.put(a.substring(2), args[++i]);
        }
    }

    String string(String name, String defaultValue) {
        return options.getOrDefault(name, defaultValue);
    }

    long number(String name, long defaultValue) {
        String v = options.get(name);
        return v == null ? defaultValue : Long.parseLong(v.replace("_", ""));
    }

    double decimal(String name, double defaultValue) {
        String v = options.get(name);
        return v == null ? defaultValue : Double.parseDouble(v);
    }

    /** Appends one CSV line to the {@code --out} file, if one was given. */
    void record(String csvLine) {
        String out = options.get("out");
        if (out == null) {
            return;
        }
        try {
            Path path = Path.of(out);
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            Files.writeString(path, csvLine + System.lineSeparator(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append results to " + out, e);
        }
    }
}
