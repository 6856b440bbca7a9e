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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Prints the SyncMap / ConcurrentHashMap ratios of a {@code run-syncmap-table.sh} run as Markdown: for each workload
 * and thread count, the ratio of the two peers' scores within each round (their forks ran side by side), then the
 * median ratio and its range over the rounds, with each peer's median score, and issue #23's goal for the ratio with
 * whether the median meets it. If the run has the key-count sweep, a second table gives, per key count, the median
 * and range of the ratio for each swept workload.
 *
 * <p>Usage: {@code RatioTable <results dir>}; reads {@code <suite>-t<threads>-r<round>-<peer>.csv} files there, and
 * {@code sweep-t<threads>-k<keys>-r<round>-<peer>.csv} for the sweep.
 */
public final class RatioTable {

    private static final Pattern ROUND_FILE = Pattern.compile("(\\w+)-t(\\d+)-r(\\d+)-(\\w+)\\.csv");
    private static final Pattern SWEEP_FILE = Pattern.compile("sweep-t(\\d+)-k(\\d+)-r(\\d+)-(\\w+)\\.csv");

    /** The session workloads in the order issue #23 lists their goals; other workloads follow by name. */
    private static final List<String> WORKLOAD_ORDER =
            List.of("hits", "wide", "churn", "create", "touch", "hotTouch", "scan");

    private static final Comparator<String> BY_WORKLOAD = Comparator
            .comparingInt((String w) -> WORKLOAD_ORDER.contains(w) ? WORKLOAD_ORDER.indexOf(w) : WORKLOAD_ORDER.size())
            .thenComparing(Comparator.naturalOrder());

    /** A row of the main table. */
    private record Row(String suite, int threads, String workload) {
        static final Comparator<Row> ORDER = Comparator.comparing(Row::suite).thenComparingInt(Row::threads)
                .thenComparing(Row::workload, BY_WORKLOAD);
    }

    /** A cell of the sweep table. */
    private record SweepCell(int threads, int keys, String workload) {
        static final Comparator<SweepCell> ORDER = Comparator.comparingInt(SweepCell::threads)
                .thenComparingInt(SweepCell::keys).thenComparing(SweepCell::workload, BY_WORKLOAD);
    }

    /** The per-round ratios of a row or cell and the peers' scores in those rounds (a round without both: skipped). */
    private record Ratios(List<Double> ratios, List<Double> sync, List<Double> chm) {
        static Ratios of(Map<Integer, Map<String, Double>> rounds) {
            Ratios r = new Ratios(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (Map<String, Double> round : rounds.values()) {
                Double s = round.get("SyncMap");
                Double c = round.get("ConcurrentHashMap");
                if (s != null && c != null && c > 0) {
                    r.ratios.add(s / c);
                    r.sync.add(s);
                    r.chm.add(c);
                }
            }
            return r;
        }

        String range() {
            return String.format(Locale.ROOT, "%.2f&ndash;%.2f", Collections.min(ratios), Collections.max(ratios));
        }
    }

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
        // row or cell -> round -> peer -> score
        Map<Row, Map<Integer, Map<String, Double>>> rows = new TreeMap<>(Row.ORDER);
        Map<SweepCell, Map<Integer, Map<String, Double>>> sweep = new TreeMap<>(SweepCell.ORDER);
        Map<String, String> units = new TreeMap<>();
        try (Stream<Path> files = Files.list(Path.of(args[0]))) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                String name = file.getFileName().toString();
                Matcher round = ROUND_FILE.matcher(name);
                Matcher swept = SWEEP_FILE.matcher(name);
                if (round.matches()) {
                    int threads = Integer.parseInt(round.group(2));
                    readScores(file, w -> new Row(round.group(1), threads, w), Integer.parseInt(round.group(3)),
                            round.group(4), rows, units);
                } else if (swept.matches()) {
                    int threads = Integer.parseInt(swept.group(1));
                    int keys = Integer.parseInt(swept.group(2));
                    readScores(file, w -> new SweepCell(threads, keys, w), Integer.parseInt(swept.group(3)),
                            swept.group(4), sweep, units);
                }
            }
        }
        printRows(rows, units);
        if (!sweep.isEmpty()) {
            System.out.println();
            printSweep(sweep, units);
        }
    }

    /** Adds the primary scores of one JMH CSV, run by {@code peer} in {@code round}, under the key of each workload. */
    private static <K> void readScores(Path file, Function<String, K> keyOfWorkload, int round, String peer,
            Map<K, Map<Integer, Map<String, Double>>> into, Map<String, String> units) throws IOException {
        for (String[] f : Report.readCsv(file)) {
            // The primary scores only: not the header, not -prof secondaries ("name:gc.alloc.rate").
            if (f.length < 8 || !f[0].startsWith("dev.") || f[0].contains(":")) {
                continue;
            }
            String workload = f[0].substring(f[0].lastIndexOf('.') + 1);
            into.computeIfAbsent(keyOfWorkload.apply(workload), k -> new TreeMap<>())
                    .computeIfAbsent(round, r -> new TreeMap<>())
                    .put(peer, Double.parseDouble(f[4]));
            units.put(workload, f[6]);
        }
    }

    private static void printRows(Map<Row, Map<Integer, Map<String, Double>>> rows, Map<String, String> units) {
        System.out.println("| suite | threads | workload | goal | SyncMap / CHM median | range | met | rounds "
                + "| SyncMap median | CHM median | unit |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Map.Entry<Row, Map<Integer, Map<String, Double>>> e : rows.entrySet()) {
            Row row = e.getKey();
            Ratios r = Ratios.of(e.getValue());
            if (r.ratios.isEmpty()) {
                continue;
            }
            double median = median(r.ratios);
            OptionalDouble goal = goal(row);
            System.out.printf(Locale.ROOT, "| %s | %d | %s | %s | %.2f | %s | %s | %d | %s | %s | %s |%n",
                    row.suite, row.threads, row.workload,
                    goal.isPresent() ? String.format(Locale.ROOT, "&ge; %.2f", goal.getAsDouble()) : "&ndash;",
                    median, r.range(), goal.isPresent() ? (median >= goal.getAsDouble() ? "yes" : "**no**") : "",
                    r.ratios.size(), format(median(r.sync)), format(median(r.chm)), units.get(row.workload));
        }
    }

    /** One line per thread count and key count; per workload, the ratio's median and range and each peer's median. */
    private static void printSweep(Map<SweepCell, Map<Integer, Map<String, Double>>> sweep, Map<String, String> units) {
        TreeSet<String> workloads = new TreeSet<>(BY_WORKLOAD);
        sweep.keySet().forEach(c -> workloads.add(c.workload));
        StringBuilder header = new StringBuilder("| threads | keys |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (String w : workloads) {
            header.append(' ').append(w).append(" SyncMap / CHM median | range | SyncMap vs CHM median, ")
                    .append(units.get(w)).append(" |");
            rule.append("---|---|---|");
        }
        System.out.println("Key-count sweep: SyncMap / ConcurrentHashMap per round, median and range over the rounds.");
        System.out.println();
        System.out.println(header.append(" rounds |"));
        System.out.println(rule.append("---|"));
        TreeMap<Integer, TreeMap<Integer, Map<String, Ratios>>> lines = new TreeMap<>();
        sweep.forEach((c, rounds) -> lines.computeIfAbsent(c.threads, t -> new TreeMap<>())
                .computeIfAbsent(c.keys, k -> new TreeMap<>()).put(c.workload, Ratios.of(rounds)));
        lines.forEach((threads, byKeys) -> byKeys.forEach((keys, cells) -> {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %d | %,d |", threads, keys));
            TreeSet<Integer> roundCounts = new TreeSet<>();
            for (String w : workloads) {
                Ratios r = cells.get(w);
                if (r == null || r.ratios.isEmpty()) {
                    line.append(" &ndash; | | |");
                    continue;
                }
                roundCounts.add(r.ratios.size());
                line.append(String.format(Locale.ROOT, " %.2f | %s | %s vs %s |", median(r.ratios), r.range(),
                        format(median(r.sync)), format(median(r.chm))));
            }
            line.append(' ').append(roundCounts.stream().map(String::valueOf).collect(Collectors.joining(" / ")))
                    .append(" |");
            System.out.println(line);
        }));
    }

    /**
     * Issue #23's goal for a row: the SyncMap / CHM median ratio it must reach, if the issue sets one. The Go suite
     * has one at 1 thread (none below 0.50), and loadMostlyHits its own.
     */
    private static OptionalDouble goal(Row row) {
        return switch (row.suite) {
            case "session" -> switch (row.workload) {
                case "hits", "wide", "churn" -> OptionalDouble.of(1.00);
                case "create" -> row.threads == 1 ? OptionalDouble.of(0.80)
                        : row.threads == 2 ? OptionalDouble.of(0.60) : OptionalDouble.empty();
                case "touch" -> OptionalDouble.of(1.30);
                case "hotTouch", "scan" -> OptionalDouble.of(2.00);
                default -> OptionalDouble.empty();
            };
            case "go" -> row.workload.equals("loadMostlyHits") ? OptionalDouble.of(1.00)
                    : row.threads == 1 ? OptionalDouble.of(0.50) : OptionalDouble.empty();
            default -> OptionalDouble.empty();
        };
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
