/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Prints the SyncMap / ConcurrentHashMap ratios of a {@code run-syncmap-table.sh} run as Markdown: for each workload
 * and thread count, the ratio of the two peers' scores within each round (their forks ran side by side), then the
 * median ratio and its range over the rounds, with each peer's median score.
 *
 * <p>Usage: {@code RatioTable <results dir>}; reads {@code <suite>-t<threads>-r<round>-<peer>.csv} files there.
 */
public final class RatioTable {

    private static final Pattern FILE = Pattern.compile("(\\w+)-t(\\d+)-r(\\d+)-(\\w+)\\.csv");

    private RatioTable() {
    }

    /**
     * Entry point.
     *
     * @param args the results directory
     * @throws IOException if a result file cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: RatioTable <results dir>  (the OUT of benchmarks/run-syncmap-table.sh)");
            System.exit(2);
        }
        // suite/threads/workload -> round -> peer -> score
        Map<String, Map<Integer, Map<String, Double>>> scores = new TreeMap<>();
        Map<String, String> units = new TreeMap<>();
        try (Stream<Path> files = Files.list(Path.of(args[0]))) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                Matcher m = FILE.matcher(file.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                for (String[] f : Report.readCsv(file)) {
                    // The primary scores only: not the header, not -prof secondaries ("name:gc.alloc.rate").
                    if (f.length < 8 || !f[0].startsWith("dev.") || f[0].contains(":")) {
                        continue;
                    }
                    String workload = f[0].substring(f[0].lastIndexOf('.') + 1);
                    String key = m.group(1) + " | " + m.group(2) + " | " + workload;
                    scores.computeIfAbsent(key, k -> new TreeMap<>())
                            .computeIfAbsent(Integer.parseInt(m.group(3)), r -> new TreeMap<>())
                            .put(m.group(4), Double.parseDouble(f[4]));
                    units.put(key, f[6]);
                }
            }
        }
        System.out.println("| suite | threads | workload | SyncMap / CHM median | range | rounds "
                + "| SyncMap median | CHM median | unit |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Map.Entry<String, Map<Integer, Map<String, Double>>> e : scores.entrySet()) {
            List<Double> ratios = new ArrayList<>();
            List<Double> sync = new ArrayList<>();
            List<Double> chm = new ArrayList<>();
            for (Map<String, Double> round : e.getValue().values()) {
                Double s = round.get("SyncMap");
                Double c = round.get("ConcurrentHashMap");
                if (s != null && c != null && c > 0) {
                    ratios.add(s / c);
                    sync.add(s);
                    chm.add(c);
                }
            }
            if (ratios.isEmpty()) {
                continue;
            }
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f&ndash;%.2f | %d | %s | %s | %s |%n", e.getKey(),
                    median(ratios), Collections.min(ratios), Collections.max(ratios), ratios.size(),
                    format(median(sync)), format(median(chm)), units.get(e.getKey()));
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String format(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
