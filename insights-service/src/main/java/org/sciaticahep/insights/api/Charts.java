package org.sciaticahep.insights.api;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.sciaticahep.insights.domain.Adherence;
import org.sciaticahep.insights.domain.PainTrend;

/** Inline SVG charts as coordinates; the templates draw them, so no script or CDN is needed. */
public final class Charts {

    static final int WIDTH = 700;
    static final int HEIGHT = 200;
    static final int PAD = 20;

    private Charts() {
    }

    public record Bar(double x, double y, double width, double height, String label) {
    }

    public record AdherenceChart(List<Bar> bars, int width, int height) {
    }

    public record Point(double x, double y, String label) {
    }

    public record PainChart(String meanLine, List<Point> points, Double baselineY, int width, int height, int pad) {
    }

    static AdherenceChart adherenceBars(Adherence.Report report) {
        List<Bar> bars = new ArrayList<>();
        int n = Math.max(1, report.days().size());
        double slot = (double) (WIDTH - 2 * PAD) / n;
        for (int i = 0; i < report.days().size(); i++) {
            Adherence.Day d = report.days().get(i);
            double ratio = d.ratio() == null ? 0 : d.ratio();
            double h = ratio * (HEIGHT - 2 * PAD);
            bars.add(new Bar(PAD + i * slot + 1, HEIGHT - PAD - h, Math.max(1, slot - 2), h,
                    d.date() + ": " + Math.round(100 * ratio) + " %"));
        }
        return new AdherenceChart(bars, WIDTH, HEIGHT);
    }

    static PainChart painLine(PainTrend.Summary pain, LocalDate from, LocalDate to) {
        long days = Math.max(1, ChronoUnit.DAYS.between(from, to));
        StringBuilder line = new StringBuilder();
        List<Point> points = new ArrayList<>();
        for (PainTrend.Day d : pain.days()) {
            if (d.date().isBefore(from) || d.date().isAfter(to)) {
                continue;
            }
            double x = PAD + (WIDTH - 2.0 * PAD) * ChronoUnit.DAYS.between(from, d.date()) / days;
            double y = y(d.mean());
            line.append(line.isEmpty() ? "" : " ").append(String.format("%.1f,%.1f", x, y));
            points.add(new Point(x, y, String.format("%s: mean %.1f, max %d", d.date(), d.mean(), d.max())));
        }
        return new PainChart(line.toString(), points, pain.baseline() == null ? null : y(pain.baseline()), WIDTH, HEIGHT, PAD);
    }

    private static double y(double score) {
        return HEIGHT - PAD - score / 10.0 * (HEIGHT - 2 * PAD);
    }

    /** Number formats for the templates. */
    public static final class Format {
        public String percent(Double ratio) {
            return ratio == null ? "–" : Math.round(100 * ratio) + " %";
        }

        public String score(Double score) {
            return score == null ? "–" : String.format("%.1f", score);
        }

        public String signed(Double points) {
            return points == null ? "–" : String.format("%+.1f", points);
        }
    }
}
