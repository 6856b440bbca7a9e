/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the tests' logging backend (slf4j-simple, which writes to whatever {@code System.err} is at each call) prints
 * while this is open: the text itself, so that promises about the log are checked on the log, not on counters kept
 * beside the logging call. Still passes everything on to the real {@code System.err}. Not for tests that run
 * concurrently with others in the same JVM (the build runs test classes one after another). Public for the tests of
 * the other packages (the many-nodes tier's).
 */
public final class CapturedLog implements AutoCloseable {

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    public CapturedLog() {
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                captured.write(b);
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                captured.write(b, off, len);
                original.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    /** Everything printed so far. */
    public synchronized String text() {
        System.err.flush();
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** The lines printed so far that contain {@code fragment}. */
    public List<String> linesContaining(String fragment) {
        return text().lines().filter(line -> line.contains(fragment)).toList();
    }

    @Override
    public void close() {
        System.err.flush();
        System.setErr(original);
    }
}
