/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.internal.SyncSessionData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.session.SessionData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What detecting in-place changes costs the many-nodes tier, per session of ten attributes (about 1 KB serialized):
 * {@code requestEnd} is the comparison at the end of a request that changed nothing in place (every attribute
 * serialized and digested), {@code storeForms} what a load or a save adds (the same, kept), and
 * {@code wholeMapSave} what every save already pays without the option: Jetty's serialization of the whole attribute
 * map for the row. In the package of the class it measures, whose methods are package-private (the benchmarks run
 * on the class path).
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main InPlaceChangesBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class InPlaceChangesBenchmark {

    private SyncSessionData data;

    @Setup
    public void setUp() {
        data = new SyncSessionData("node0abcdefghijklmnopqrstuv", "/", "0.0.0.0", 1, 1, 1, 1_800_000, 0);
        data.setAttribute("user", "ada.lovelace@example.com");
        data.setAttribute("locale", "en-GB");
        data.setAttribute("csrf", "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0");
        data.setAttribute("visits", 42);
        data.setAttribute("signedInAt", 1_765_000_000_000L);
        data.setAttribute("theme", "dark");
        data.setAttribute("cart", new ArrayList<>(List.of("sku-1001", "sku-2002", "sku-3003", "sku-4004")));
        Map<String, String> preferences = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            preferences.put("preference" + i, "value" + i);
        }
        data.setAttribute("preferences", preferences);
        data.setAttribute("lastSearch", "wool socks size 42");
        data.setAttribute("flash", "Your order has been placed.");
        data.clean();
        InPlaceChanges.storeForms(data);
    }

    @Benchmark
    public int requestEnd() {
        return InPlaceChanges.markChanged(data);
    }

    @Benchmark
    public Object storeForms() {
        InPlaceChanges.storeForms(data);
        return data.storedForms();
    }

    @Benchmark
    public byte[] wholeMapSave() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            SessionData.serializeAttributes(data, out); // the row's map column, as Jetty's store writes it
        }
        return bytes.toByteArray();
    }
}
