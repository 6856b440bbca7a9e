/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints the table of a {@code run-http-wrk.sh} run as Markdown: for each setup, its requests/s, server CPU µs per
 * request and p99 latency as ratios to the baseline setup's in the same round (the two ran one after the other, in
 * alternating order), the median and range over the rounds, the medians of the raw values, the new sessions the load
 * created (must be 0: every replayed cookie was found), and the heap per live session.
 *
 * <p>Usage: {@code HttpTable <http.csv> <heap.csv> <baseline setup>}.
 */
public final class HttpTable {

    private HttpTable() {
    }

    /**
     * Entry point.
     *
     * @param args the two CSV files and the baseline setup
     * @throws IOException if a file cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: HttpTable <http.csv> <heap.csv> <baseline setup>");
            System.exit(2);
        }
        String baseline = args[2];
        // setup -> round -> {rps, p50, p99, p999, cpu, errors, newSessions}
        Map<String, Map<Integer, double[]>> rows = new LinkedHashMap<>();
        for (String[] f : Report.readCsv(Path.of(args[0]))) {
            if (f.length < 9 || f[0].equals("round")) {
                continue;
            }
            double[] v = new double[7];
            for (int i = 0; i < 7; i++) {
                v[i] = Double.parseDouble(f[i + 2]);
            }
            rows.computeIfAbsent(f[1], k -> new TreeMap<>()).put(Integer.parseInt(f[0]), v);
        }
        Map<String, String> heap = new LinkedHashMap<>();
        for (String[] f : Report.readCsv(Path.of(args[1]))) {
            if (f.length >= 5 && !f[0].equals("setup")) {
                heap.put(f[0], f[4] + " B (" + f[1] + " live)");
            }
        }
        Map<Integer, double[]> base = rows.get(baseline);
        if (base == null) {
            throw new IllegalArgumentException("no rows for the baseline setup " + baseline);
        }
        System.out.println("| setup | req/s vs " + baseline + " | CPU µs/req vs " + baseline + " | p99 vs " + baseline
                + " | req/s | CPU µs/req | p50 µs | p99 µs | rounds | new sessions | errors | heap per live session |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Map.Entry<String, Map<Integer, double[]>> e : rows.entrySet()) {
            List<Double> rps = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            List<Double> p99 = new ArrayList<>();
            List<Double> rawRps = new ArrayList<>();
            List<Double> rawCpu = new ArrayList<>();
            List<Double> rawP50 = new ArrayList<>();
            List<Double> rawP99 = new ArrayList<>();
            double newSessions = 0;
            double errors = 0;
            for (Map.Entry<Integer, double[]> round : e.getValue().entrySet()) {
                double[] v = round.getValue();
                double[] b = base.get(round.getKey());
                rawRps.add(v[0]);
                rawP50.add(v[1]);
                rawP99.add(v[2]);
                rawCpu.add(v[4]);
                errors += v[5];
                newSessions += v[6];
                if (b != null) {
                    rps.add(v[0] / b[0]);
                    p99.add(v[2] / b[2]);
                    cpu.add(v[4] / b[4]);
                }
            }
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %.0f | %.1f | %.0f | %.0f | %d | %.0f | %.0f | %s |%n",
                    e.getKey(), ratio(rps), ratio(cpu), ratio(p99), RatioTable.median(rawRps),
                    RatioTable.median(rawCpu), RatioTable.median(rawP50), RatioTable.median(rawP99),
                    e.getValue().size(), newSessions, errors, heap.getOrDefault(e.getKey(), "-"));
        }
    }

    private static String ratio(List<Double> ratios) {
        if (ratios.isEmpty()) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f (%.2f&ndash;%.2f)", RatioTable.median(ratios),
                Collections.min(ratios), Collections.max(ratios));
    }
}
