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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws the out-of-process HTTP results as an SVG: for each run and setup, the requests/s and the server CPU per
 * request as ratios to the run's baseline setup in the same round, a bar at the median and a whisker over the range
 * of the rounds, and a line at 1. Reads the {@code http.csv} files {@code run-http-wrk.sh} writes.
 *
 * <p>Usage: {@code HttpChart <out.svg> <baseline setup> <label>=<http.csv> ...}.
 */
public final class HttpChart {

    private static final String[] MEASURES = {"req/s", "CPU µs per request"};
    private static final int[] COLUMNS = {2, 6}; // rps, cpu_us_per_request in http.csv
    private static final String[] COLOURS = {"#1f77b4", "#d62728"};

    private HttpChart() {
    }

    /**
     * Entry point.
     *
     * @param args the output file, the baseline setup, and label=csv pairs
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: HttpChart <out.svg> <baseline setup> <label>=<http.csv> ...");
            System.exit(2);
        }
        String baseline = args[1];
        List<String> labels = new ArrayList<>();
        List<double[][]> stats = new ArrayList<>(); // per bar: measure -> {median, min, max}
        for (int a = 2; a < args.length; a++) {
            String[] pair = args[a].split("=", 2);
            Map<String, Map<String, String[]>> byRound = new LinkedHashMap<>(); // setup -> round -> row
            for (String[] f : Report.readCsv(Path.of(pair[1]))) {
                if (f.length >= 9 && !f[0].equals("round")) {
                    byRound.computeIfAbsent(f[1], k -> new LinkedHashMap<>()).put(f[0], f);
                }
            }
            Map<String, String[]> base = byRound.get(baseline);
            if (base == null) {
                throw new IllegalArgumentException(pair[1] + " has no rows for " + baseline);
            }
            for (Map.Entry<String, Map<String, String[]>> setup : byRound.entrySet()) {
                if (setup.getKey().equals(baseline)) {
                    continue;
                }
                double[][] s = new double[MEASURES.length][];
                for (int m = 0; m < MEASURES.length; m++) {
                    List<Double> ratios = new ArrayList<>();
                    for (Map.Entry<String, String[]> round : setup.getValue().entrySet()) {
                        String[] b = base.get(round.getKey());
                        if (b != null) {
                            ratios.add(Double.parseDouble(round.getValue()[COLUMNS[m]])
                                    / Double.parseDouble(b[COLUMNS[m]]));
                        }
                    }
                    s[m] = new double[] {RatioTable.median(ratios), Collections.min(ratios), Collections.max(ratios)};
                }
                labels.add(pair[0] + ": " + setup.getKey());
                stats.add(s);
            }
        }
        Files.writeString(Path.of(args[0]), svg("Out-of-process HTTP, ratio to " + baseline
                + " in the same round (bar: median, whisker: range of the rounds)", labels, stats));
    }

    private static String svg(String title, List<String> labels, List<double[][]> stats) {
        int label = 330;
        int plot = 480;
        int bar = 10;
        int group = bar * MEASURES.length + 12;
        int top = 56;
        int height = top + group * labels.size() + 30;
        int width = label + plot + 40;
        double hi = 1.2;
        for (double[][] s : stats) {
            for (double[] m : s) {
                hi = Math.max(hi, m[2] * 1.05);
            }
        }
        double scale = plot / hi;
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"11\">%n", width, height));
        out.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        out.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"18\" font-size=\"13\">%s</text>%n", esc(title)));
        for (int m = 0; m < MEASURES.length; m++) {
            out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"28\" width=\"12\" height=\"10\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"37\">%s</text>%n", label + m * 180, COLOURS[m], label + m * 180 + 16,
                    esc(MEASURES[m])));
        }
        // Quarter steps near 1, wider ones when a slow peer stretches the axis, so that the labels never overlap.
        double step = hi <= 2.5 ? 0.25 : hi <= 5 ? 0.5 : 1;
        for (double tick = 0; tick <= hi + 1e-9; tick += step) {
            double x = label + tick * scale;
            out.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.2f</text>%n", x, top - 6, x,
                    height - 24, Math.abs(tick - 1) < 1e-9 ? "#000" : "#ddd", x, height - 10, tick));
        }
        for (int i = 0; i < labels.size(); i++) {
            int y = top + i * group;
            out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    label - 8, y + bar + 4, esc(labels.get(i))));
            for (int m = 0; m < MEASURES.length; m++) {
                double[] s = stats.get(i)[m];
                int by = y + m * bar;
                out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\""
                        + " fill=\"%s\" opacity=\"0.8\"/>%n", label, by, s[0] * scale, bar - 2, COLOURS[m]));
                out.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\""
                        + " stroke=\"#333\"/>%n", label + s[1] * scale, by + (bar - 2) / 2.0, label + s[2] * scale,
                        by + (bar - 2) / 2.0));
                out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#333\">%.2f</text>%n",
                        label + s[2] * scale + 4, by + bar - 2, s[0]));
            }
        }
        return out.append("</svg>\n").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
