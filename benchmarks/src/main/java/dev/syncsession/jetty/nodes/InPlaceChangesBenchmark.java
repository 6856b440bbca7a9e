/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.util.ClassLoadingObjectInputStream;
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
 * What the many-nodes tier's attribute table costs in the node, per session of ten attributes (about 1 KB
 * serialized), beside what Jetty's map column costs:
 * <ul>
 *   <li>{@code requestEnd}: the comparison of every attribute's form with the stored one (each serialized and
 *       digested), which every save makes, and with in-place changes detected the commit and end of each request;</li>
 *   <li>{@code storeForms}: the forms taken from the values (a load of a row that keeps Jetty's map);
 *       {@code rowForms}: the forms a load takes from the attribute rows' bytes, without serializing;</li>
 *   <li>{@code writeAll}: the ten values serialized one by one for the attribute table (a session's first save);
 *       {@code wholeMapSave}: Jetty's serialization of the whole map, which Jetty's store pays at every save;</li>
 *   <li>{@code readAll}: the ten values read back one by one, as a load does; {@code wholeMapLoad}: Jetty's
 *       deserialization of the map.</li>
 * </ul>
 * In the package of the classes it measures, whose methods are package-private (the benchmarks run on the class
 * path).
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

    private SharedSessionData data;

    @Setup
    public void setUp() {
        data = new SharedSessionData("node0abcdefghijklmnopqrstuv", "/", "0.0.0.0", 1, 1, 1, 1_800_000, null);
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
        data.storedForms(InPlaceChanges.forms(data.getAllAttributes()));
        rowBytes = new HashMap<>();
        try {
            for (String name : data.getKeys()) {
                rowBytes.put(name, AttributeValues.write(data.getAttribute(name)));
            }
            map = wholeMapSave();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, byte[]> rowBytes;
    private byte[] map;
    private final AttributeValues values = new AttributeValues(ClassLoadingObjectInputStream::new);

    @Benchmark
    public Object rowForms() {
        return InPlaceChanges.rowForms(rowBytes, data.getAllAttributes());
    }

    @Benchmark
    public Object writeAll() throws IOException {
        return AttributeRows.Write.whole(data);
    }

    @Benchmark
    public Object readAll() throws Exception {
        Map<String, Object> read = new HashMap<>();
        for (Map.Entry<String, byte[]> row : rowBytes.entrySet()) {
            read.put(row.getKey(), values.read(row.getValue()));
        }
        return read;
    }

    @Benchmark
    public Object wholeMapLoad() throws Exception {
        SessionData loaded = new SessionData("id", "/", "0.0.0.0", 1, 1, 1, 1);
        try (ClassLoadingObjectInputStream in = new ClassLoadingObjectInputStream(new ByteArrayInputStream(map))) {
            SessionData.deserializeAttributes(loaded, in); // the row's map column, as Jetty's store reads it
        }
        return loaded;
    }

    @Benchmark
    public int requestEnd() {
        return InPlaceChanges.markChanged(data);
    }

    @Benchmark
    public Object storeForms() {
        data.storedForms(InPlaceChanges.forms(data.getAllAttributes()));
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
