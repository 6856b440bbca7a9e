/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Turns a results directory written by {@code run-jmh.sh} (and formerly the in-process {@code run-http.sh}, now superseded by {@code run-http-wrk.sh}) into SVG charts and the Markdown
 * tables of BENCHMARKS.md (printed to standard output). Files that are missing are skipped.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.syncsession.benchmarks.Report benchmarks/results docs/benchmarks}
 */
public final class Report {

    private static final String[] PEERS = {"SyncMap", "ConcurrentHashMap", "Caffeine", "RWLockedMap", "StripedMap"};
    private static final String[] COLOURS = {"#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e"};

    private Report() {
    }

    /** One JMH score: benchmark method, peer, score and its 99.9% error, and the B/op from -prof gc. */
    private record Score(double score, double error, double bytesPerOp) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: Report RESULTS_DIR CHARTS_DIR; got " + args.length
                    + " arguments");
        }
        Path results = Path.of(args[0]);
        Path charts = Path.of(args[1]);
        Files.createDirectories(charts);
        Map<String, Map<String, Score>> t1 = readJmh(results, "-t1.csv");
        Map<String, Map<String, Score>> t2 = readJmh(results, "-t2.csv");
        List<String[]> latency = readCsv(results.resolve("create-latency.csv"));
        List<String[]> latencyZgc = readCsv(results.resolve("create-latency-zgc.csv"));
        List<String[]> sweep = readCsv(results.resolve("sweep.csv"));
        List<String[]> memory = readCsv(results.resolve("memory.csv"));
        List<String[]> http = readCsv(results.resolve("http.csv"));

        StringBuilder md = new StringBuilder();
        targets(md, t1, t2, latency, latencyZgc, sweep, memory, http);
        jmhTable(md, "1 thread", t1);
        jmhTable(md, "2 threads", t2);
        System.out.print(md);

        jmhChart(charts.resolve("jmh-t1.svg"), "Map throughput relative to ConcurrentHashMap, 1 thread (log scale)", t1);
        jmhChart(charts.resolve("jmh-t2.svg"), "Map throughput relative to ConcurrentHashMap, 2 threads (log scale)",
                t2);
        if (!latency.isEmpty()) {
            String[] cats = {"p50", "p99", "p99.9", "max"};
            List<String> names = new ArrayList<>();
            List<double[]> values = new ArrayList<>();
            for (String[] r : latency) {
                names.add(r[1]);
                values.add(new double[] {d(r[4]), d(r[5]), d(r[6]), d(r[7])});
            }
            Files.writeString(charts.resolve("create-latency.svg"), bars("Latency of one create with "
                    + latency.get(0)[2] + " live sessions, µs (log scale)", cats, names, values, true, "µs"));
        }
        if (!http.isEmpty()) {
            String[] cats = new String[http.size()];
            double[] rps = new double[http.size()];
            for (int i = 0; i < http.size(); i++) {
                cats[i] = http.get(i)[1];
                rps[i] = d(http.get(i)[2]);
            }
            Files.writeString(charts.resolve("http.svg"), bars("HTTP requests/s by session configuration", cats,
                    List.of("req/s"), transpose(rps), false, "req/s"));
        }
        if (!memory.isEmpty()) {
            String[] cats = {"steady", "after dirty rebuild"};
            List<String> names = new ArrayList<>();
            List<double[]> values = new ArrayList<>();
            for (String[] r : memory) {
                names.add(r[1]);
                values.add(new double[] {d(r[3]), d(r[4])});
            }
            Files.writeString(charts.resolve("memory.svg"), bars("Index bytes per live session", cats, names, values,
                    false, "B"));
        }
        if (!sweep.isEmpty()) {
            String[] cats = new String[sweep.size()];
            double[] ms = new double[sweep.size()];
            for (int i = 0; i < sweep.size(); i++) {
                cats[i] = sweep.get(i)[1];
                ms[i] = d(sweep.get(i)[4]);
            }
            Files.writeString(charts.resolve("sweep.svg"), bars("Sweep of " + sweep.get(0)[2]
                    + " records, median ms", cats, List.of("ms"), transpose(ms), false, "ms"));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Tables

    private static void targets(StringBuilder md, Map<String, Map<String, Score>> t1,
            Map<String, Map<String, Score>> t2, List<String[]> latency, List<String[]> latencyZgc,
            List<String[]> sweep, List<String[]> memory, List<String[]> http) {
        md.append("| Target | Goal | Measured | Met? |\n|---|---|---|---|\n");
        ratioRow(md, "SyncMap / CHM, `hits`, 1 thread", "≥ 1.10", t1, "hits", "ConcurrentHashMap", 1.10);
        ratioRow(md, "SyncMap / CHM, `churn`, 1 thread", "≥ 1.00", t1, "churn", "ConcurrentHashMap", 1.00);
        ratioRow(md, "SyncMap / CHM, `create`, 1 thread", "≥ 0.80", t1, "create", "ConcurrentHashMap", 0.80);
        ratioRow(md, "SyncMap / RWLockedMap, `hits`, 2 threads", "≥ 20", t2, "hits", "RWLockedMap", 20);
        String[] sm = find(latency, "SyncMap");
        String[] chm = find(latency, "ConcurrentHashMap");
        if (sm != null) {
            md.append(row("create p99.9 with " + sm[2] + " live (SyncMap)", "≤ 50 µs",
                    sm[6] + " µs", d(sm[6]) <= 50));
        }
        if (sm != null && chm != null) {
            md.append(row("create max, SyncMap vs CHM (G1)", "≤ CHM's", sm[7] + " µs vs " + chm[7] + " µs",
                    d(sm[7]) <= d(chm[7])));
            if (sm.length > 12 && chm.length > 12) {
                // Not a target of its own: the same maximum over the samples no collection overlapped.
                md.append("| (same, over the samples no GC overlapped; samples a GC overlapped: SyncMap " + sm[11]
                        + ", CHM " + chm[11] + ") | (≤ CHM's) | " + sm[12] + " µs vs " + chm[12] + " µs | "
                        + (d(sm[12]) <= d(chm[12]) ? "(yes)" : "(no)") + " |\n");
            }
            String[] zsm = find(latencyZgc, "SyncMap");
            String[] zchm = find(latencyZgc, "ConcurrentHashMap");
            if (zsm != null && zchm != null) {
                md.append(row("create max, SyncMap vs CHM, under ZGC (no stop-the-world young pauses)", "≤ CHM's",
                        zsm[7] + " µs vs " + zchm[7] + " µs (p99.9 " + zsm[6] + " µs)", d(zsm[7]) <= d(zchm[7])));
            }
        }
        String[] store = find(sweep, "store");
        if (store != null) {
            md.append(row("sweep of " + store[2] + " records (SyncMapSessionStore + ExpirySweeper), median",
                    "≤ 150 ms", store[4] + " ms (max " + store[5] + ")", d(store[4]) <= 150));
            md.append(row("readers' throughput during the sweep / without, median", "≥ 0.90",
                    store[6] + " (worst round " + store[7] + ")", d(store[6]) >= 0.9));
        }
        String[] msm = find(memory, "SyncMap");
        String[] mchm = find(memory, "ConcurrentHashMap");
        if (msm != null && mchm != null) {
            double steady = d(msm[3]) / d(mchm[3]);
            double rebuilt = d(msm[4]) / d(mchm[4]);
            md.append(row("index bytes/session SyncMap / CHM, steady", "≤ 1.2", String.format(Locale.ROOT,
                    "%.2f (%s B vs %s B)", steady, msm[3], mchm[3]), steady <= 1.2));
            md.append(row("index bytes/session SyncMap / CHM, right after a dirty rebuild", "≤ 1.2",
                    String.format(Locale.ROOT, "%.2f (%s B vs %s B)", rebuilt, msm[4], mchm[4]), rebuilt <= 1.2));
        }
        String[] jd = find(http, "jetty-default");
        for (String config : new String[] {"syncsession-syncmap-cache", "syncsession-default-cache"}) {
            String[] s = find(http, config);
            if (jd != null && s != null) {
                double r = d(s[2]) / d(jd[2]);
                md.append(row("HTTP req/s " + config + " / jetty-default", "≥ 0.97",
                        String.format(Locale.ROOT, "%.2f (%.0f vs %.0f)", r, d(s[2]), d(jd[2])), r >= 0.97));
            }
        }
        String[] nul = find(http, "syncsession-null-cache");
        for (String config : new String[] {"jetty-file", "jetty-jdbc"}) {
            String[] s = find(http, config);
            if (nul != null && s != null) {
                double r = d(nul[2]) / d(s[2]);
                md.append(row("HTTP req/s syncsession-null-cache / " + config, "≥ 5",
                        String.format(Locale.ROOT, "%.2f (%.0f vs %.0f)", r, d(nul[2]), d(s[2])), r >= 5));
            }
        }
        md.append('\n');
    }

    private static void ratioRow(StringBuilder md, String what, String goal, Map<String, Map<String, Score>> jmh,
            String benchmark, String against, double threshold) {
        Map<String, Score> scores = jmh.get(benchmark);
        if (scores == null || scores.get("SyncMap") == null || scores.get(against) == null) {
            return;
        }
        Score a = scores.get("SyncMap");
        Score b = scores.get(against);
        double r = a.score / b.score;
        // The ratio's range from the two scores' 99.9% error intervals.
        double low = Math.max(0, a.score - err(a)) / (b.score + err(b));
        double high = (a.score + err(a)) / Math.max(1e-12, b.score - err(b));
        md.append(row(what, goal, String.format(Locale.ROOT, "%.2f (%.1f ± %.1f vs %.2f ± %.2f ops/µs;"
                + " range %.2f–%.2f)", r, a.score, err(a), b.score, err(b), low, high), r >= threshold));
    }

    private static double err(Score s) {
        return Double.isNaN(s.error) ? 0 : s.error;
    }

    private static String row(String what, String goal, String measured, boolean met) {
        return "| " + what + " | " + goal + " | " + measured + " | " + (met ? "yes" : "**no**") + " |\n";
    }

    private static String[] find(List<String[]> rows, String name) {
        for (String[] r : rows) {
            if (r[1].equals(name)) {
                return r;
            }
        }
        return null;
    }

    private static void jmhTable(StringBuilder md, String title, Map<String, Map<String, Score>> jmh) {
        if (jmh.isEmpty()) {
            return;
        }
        md.append("#### ").append(title).append(": ops/µs ± 99.9% error (B/op from -prof gc); n/a: too few"
                + " samples for an error\n\n| benchmark |");
        for (String p : PEERS) {
            md.append(' ').append(p).append(" |");
        }
        md.append(" SyncMap / CHM |\n|---|");
        md.append("---:|".repeat(PEERS.length + 1)).append('\n');
        for (Map.Entry<String, Map<String, Score>> e : jmh.entrySet()) {
            md.append("| ").append(e.getKey()).append(" |");
            for (String p : PEERS) {
                Score s = e.getValue().get(p);
                md.append(s == null ? " – |" : String.format(Locale.ROOT, " %s ± %s (%.0f) |", num(s.score),
                        Double.isNaN(s.error) ? "n/a" : num(s.error), s.bytesPerOp));
            }
            Score a = e.getValue().get("SyncMap");
            Score b = e.getValue().get("ConcurrentHashMap");
            md.append(a == null || b == null ? " – |" : String.format(Locale.ROOT, " %.2f |", a.score / b.score));
            md.append('\n');
        }
        md.append('\n');
    }

    private static String num(double v) {
        if (v == 0) {
            return "0";
        }
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v >= 1) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Input

    /** benchmark method -> peer -> score, from every jmh-*SUFFIX file of the directory, in name order. */
    private static Map<String, Map<String, Score>> readJmh(Path dir, String suffix) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path csv : files.filter(p -> p.getFileName().toString().startsWith("jmh-")
                    && p.getFileName().toString().endsWith(suffix)).sorted().toList()) {
                rows.addAll(readCsv(csv));
            }
        }
        Map<String, Map<String, Score>> scores = new LinkedHashMap<>();
        Map<String, Double> bytes = new LinkedHashMap<>();
        for (String[] r : rows) {
            if (r[0].equals("Benchmark")) {
                continue;
            }
            int colon = r[0].indexOf(':');
            String base = colon < 0 ? r[0] : r[0].substring(0, colon);
            String name = base.substring(base.lastIndexOf('.') + 1);
            String peer = r[r.length - 1];
            if (colon >= 0) {
                // Secondary results of -prof gc; JMH before 1.37 spelled them with a leading middle dot.
                if (r[0].endsWith("gc.alloc.rate.norm")) {
                    bytes.put(name + "/" + peer, d(r[4]));
                }
                continue;
            }
            scores.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(peer, new Score(d(r[4]), d(r[5]), 0));
        }
        for (Map.Entry<String, Map<String, Score>> e : scores.entrySet()) {
            e.getValue().replaceAll((peer, s) -> new Score(s.score, s.error,
                    bytes.getOrDefault(e.getKey() + "/" + peer, Double.NaN)));
        }
        return scores;
    }

    /** The rows of a CSV file, quotes removed and cells trimmed; none if the file does not exist. */
    static List<String[]> readCsv(Path csv) throws IOException {
        List<String[]> rows = new ArrayList<>();
        if (!Files.exists(csv)) {
            return rows;
        }
        for (String line : Files.readAllLines(csv)) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            for (int i = 0; i < cells.length; i++) {
                cells[i] = cells[i].replace("\"", "").trim();
            }
            rows.add(cells);
        }
        return rows;
    }

    private static double d(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // SVG

    private static void jmhChart(Path file, String title, Map<String, Map<String, Score>> jmh) throws IOException {
        if (jmh.isEmpty()) {
            return;
        }
        String[] cats = jmh.keySet().toArray(String[]::new);
        List<String> names = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (String p : PEERS) {
            double[] v = new double[cats.length];
            for (int i = 0; i < cats.length; i++) {
                Score s = jmh.get(cats[i]).get(p);
                Score base = jmh.get(cats[i]).get("ConcurrentHashMap");
                v[i] = s == null || base == null ? Double.NaN : s.score / base.score;
            }
            names.add(p);
            values.add(v);
        }
        Files.writeString(file, bars(title, cats, names, values, true, "× CHM"));
    }

    private static List<double[]> transpose(double[] single) {
        return List.of(single);
    }

    /**
     * A horizontal grouped bar chart: one group per category, one bar per series.
     *
     * @param values one array per series, indexed by category
     */
    private static String bars(String title, String[] cats, List<String> series, List<double[]> values, boolean log,
            String unit) {
        int label = 230;
        int plot = 560;
        int bar = 9;
        int group = bar * series.size() + 8;
        int top = 50;
        int height = top + group * cats.length + 40;
        int width = label + plot + 200;
        double max = 0;
        double min = Double.MAX_VALUE;
        for (double[] v : values) {
            for (double x : v) {
                if (!Double.isNaN(x) && x > 0) {
                    max = Math.max(max, x);
                    min = Math.min(min, x);
                }
            }
        }
        double lo = log ? Math.pow(10, Math.floor(Math.log10(min))) : 0;
        double hi = log ? Math.pow(10, Math.ceil(Math.log10(max))) : max * 1.1;
        if (log && hi <= lo) {
            hi = lo * 10;
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"11\">%n", width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"20\" font-size=\"14\">%s</text>%n", esc(title)));
        // Grid lines.
        List<Double> ticks = new ArrayList<>();
        if (log) {
            for (double t = lo; t <= hi * 1.0001; t *= 10) {
                ticks.add(t);
            }
        } else {
            double step = niceStep(hi / 5);
            for (double t = 0; t <= hi; t += step) {
                ticks.add(t);
            }
        }
        for (double t : ticks) {
            double x = label + scale(t, lo, hi, log) * plot;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>%n", x, top - 5, x,
                    height - 30, x, height - 15, esc(num(t))));
        }
        for (int c = 0; c < cats.length; c++) {
            int y0 = top + c * group;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    label - 6, y0 + group / 2 + 3, esc(cats[c])));
            for (int s = 0; s < series.size(); s++) {
                double v = values.get(s)[c];
                if (Double.isNaN(v) || v <= 0) {
                    continue;
                }
                double w = Math.max(1, scale(v, lo, hi, log) * plot);
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\""
                        + " fill=\"%s\"><title>%s %s: %s %s</title></rect>%n", label, y0 + s * bar, w, bar - 1,
                        COLOURS[s % COLOURS.length], esc(cats[c]), esc(series.get(s)), num(v), esc(unit)));
                if (series.size() <= 2) {
                    // Few bars: print each value, since an SVG in a Markdown viewer shows no tooltips.
                    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#333\">%s %s</text>%n",
                            label + w + 4, y0 + s * bar + bar - 1, esc(num(v)), esc(unit)));
                }
            }
        }
        for (int s = 0; s < series.size() && series.size() > 1; s++) {
            int y = top + s * 18;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", label + plot + 20, y, COLOURS[s % COLOURS.length],
                    label + plot + 38, y + 10, esc(series.get(s))));
        }
        return svg.append("</svg>\n").toString();
    }

    private static double scale(double v, double lo, double hi, boolean log) {
        if (log) {
            return (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
        }
        return v / hi;
    }

    private static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
