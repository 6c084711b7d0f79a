package org.sciaticahep.benchmarks;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/** The table a benchmark prints: one row per figure, with its target where it has one. */
final class Figures {

    private final List<String[]> rows = new ArrayList<>();

    /** Keeps the row for the table, and shows it at once: a long run that fails later still tells what it measured. */
    void add(String figure, String value, String target) {
        rows.add(new String[] {figure, value, target});
        System.err.println("[bench] " + figure + ": " + value);
    }

    static String millis(Histogram micros, double percentile) {
        return String.format("%.1f ms", micros.getValueAtPercentile(percentile) / 1000.0);
    }

    static String perSecond(double value) {
        return String.format("%,.0f /s", value);
    }

    String markdown() {
        StringBuilder out = new StringBuilder("| figure | value | target |\n|---|---:|---|\n");
        for (String[] row : rows) {
            out.append("| ").append(row[0]).append(" | ").append(row[1]).append(" | ").append(row[2]).append(" |\n");
        }
        return out.toString();
    }
}
