package org.sciaticahep.insights.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sciaticahep.insights.domain.Adherence;
import org.sciaticahep.insights.domain.PainTrend;
import java.time.Instant;

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

    /** A mark on an axis: where it is, where its label goes (on the other axis) and what it says. */
    public record Tick(double at, double labelAt, String label, String anchor) {
    }

    /**
     * Resting scores (check-in, before exercise) and exercise scores (during, after) as two lines of daily means, each
     * a path broken where a day has no score (a gap is shown, not bridged), against a 0–10 scale with gridlines and
     * dated x ticks; the baseline, when there is one, as a labelled line.
     */
    public record PainChart(String restingPath, List<Point> resting, String exercisePath, List<Point> exercise, Double baselineY,
                            Double baselineLabelY, String baselineLabel, List<Tick> yTicks, List<Tick> xTicks,
                            List<PainTrend.Day> days, int width, int height, int left, int right) {
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

    /** The pain chart's margins: the scale's numbers on the left, the dates below, the legend above. */
    static final int PAIN_LEFT = 34;
    static final int PAIN_BOTTOM = 30;
    static final int PAIN_TOP = 24;

    static PainChart painChart(PainTrend.Summary pain, LocalDate from, LocalDate to) {
        long span = Math.max(1, ChronoUnit.DAYS.between(from, to));
        StringBuilder resting = new StringBuilder();
        StringBuilder exercise = new StringBuilder();
        List<Point> restingPoints = new ArrayList<>();
        List<Point> exercisePoints = new ArrayList<>();
        LocalDate lastResting = null;
        LocalDate lastExercise = null;
        List<PainTrend.Day> shown = new ArrayList<>();
        for (PainTrend.Day d : pain.days()) {
            if (d.date().isBefore(from) || d.date().isAfter(to)) {
                continue;
            }
            shown.add(d);
            double x = x(from, d.date(), span);
            if (d.restingMean() != null) {
                extend(resting, lastResting, d.date(), x, painY(d.restingMean()));
                restingPoints.add(new Point(x, painY(d.restingMean()), d.date() + ": resting " + tenths(d.restingMean())));
                lastResting = d.date();
            }
            if (d.exerciseMean() != null) {
                extend(exercise, lastExercise, d.date(), x, painY(d.exerciseMean()));
                exercisePoints.add(new Point(x, painY(d.exerciseMean()), d.date() + ": with exercise " + tenths(d.exerciseMean())));
                lastExercise = d.date();
            }
        }
        List<Tick> yTicks = new ArrayList<>();
        for (int score = 0; score <= 10; score += 2) {
            yTicks.add(new Tick(painY(score), painY(score) + 4, String.valueOf(score), "end"));
        }
        List<Tick> xTicks = new ArrayList<>();
        for (int i = 0; i <= 4; i++) {
            LocalDate date = from.plusDays(Math.round(ChronoUnit.DAYS.between(from, to) * i / 4.0));
            if (xTicks.isEmpty() || !xTicks.get(xTicks.size() - 1).label().equals(date.toString())) {
                // the first and last date inside the chart, not cut at its edges
                xTicks.add(new Tick(x(from, date, span), HEIGHT - PAD + 18, date.toString(), i == 0 ? "start" : i == 4 ? "end" : "middle"));
            }
        }
        Double baseline = pain.baseline();
        return new PainChart(resting.toString(), restingPoints, exercise.toString(), exercisePoints,
                baseline == null ? null : painY(baseline), baseline == null ? null : painY(baseline) - 4,
                baseline == null ? null : "baseline " + tenths(baseline),
                yTicks, xTicks, shown, WIDTH, HEIGHT + PAIN_BOTTOM - PAD, PAIN_LEFT, WIDTH - PAD);
    }

    /** The next point of a path: a line from yesterday's, or a new start after a day without a score. */
    private static void extend(StringBuilder path, LocalDate previous, LocalDate day, double x, double y) {
        boolean joined = previous != null && previous.plusDays(1).equals(day);
        path.append(path.isEmpty() ? "" : " ").append(joined ? "L" : "M").append(coordinate(x)).append(',').append(coordinate(y));
    }

    private static double x(LocalDate from, LocalDate day, long span) {
        return PAIN_LEFT + (WIDTH - PAD - PAIN_LEFT) * (double) ChronoUnit.DAYS.between(from, day) / span;
    }

    private static double painY(double score) {
        return HEIGHT - PAD - score / 10.0 * (HEIGHT - PAD - PAIN_TOP);
    }

    private static final java.time.format.DateTimeFormatter EXACT =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(java.time.ZoneOffset.UTC);

    /**
     * A figure to one decimal, rounded half up as {@code %.1f} rounds it; a page shows hundreds of them and
     * {@link String#format} builds a formatter for each (a fifth of the dashboard's CPU, measured).
     */
    static String tenths(double value) {
        return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP).toPlainString();
    }

    /** A drawing's coordinate (never negative) to a tenth of a pixel. */
    static String coordinate(double value) {
        long tenths = Math.round(value * 10);
        return tenths / 10 + "." + tenths % 10;
    }

    /** A patient list row's line: its SVG path (gaps where a day has no value) and the same numbers as text. */
    public record Sparkline(String path, String text) {
    }

    static final int SPARK_WIDTH = 84;
    static final int SPARK_HEIGHT = 20;

    /** {@code values} one per day, oldest first, scaled to 0..{@code top}; each null day breaks the line. */
    static Sparkline sparkline(List<Double> values, double top, String what, java.util.function.Function<Double, String> label) {
        StringBuilder path = new StringBuilder();
        StringBuilder text = new StringBuilder(what).append(", last ").append(values.size()).append(" days, oldest first:");
        boolean drawing = false;
        double step = values.size() > 1 ? (double) (SPARK_WIDTH - 4) / (values.size() - 1) : 0;
        for (int i = 0; i < values.size(); i++) {
            Double v = values.get(i);
            text.append(' ').append(v == null ? "–" : label.apply(v));
            if (v == null) {
                drawing = false;
                continue;
            }
            double x = 2 + i * step;
            double y = SPARK_HEIGHT - 2 - Math.max(0, Math.min(1, v / top)) * (SPARK_HEIGHT - 4);
            // a day alone between gaps is a dot: a segment from it to itself, drawn with round caps
            boolean alone = !drawing && (i + 1 >= values.size() || values.get(i + 1) == null);
            path.append(drawing ? " L" : (path.length() == 0 ? "M" : " M")).append(coordinate(x)).append(' ').append(coordinate(y));
            if (alone) {
                path.append(" L").append(coordinate(x)).append(' ').append(coordinate(y));
            }
            drawing = true;
        }
        return new Sparkline(path.toString(), text.toString());
    }

    /** Number formats for the templates. */
    public static final class Format {
        public Sparkline adherenceLine(List<Double> ratios) {
            return sparkline(ratios, 1.0, "Adherence each day", this::percent);
        }

        public Sparkline painLine(List<Double> scores) {
            return sparkline(scores, 10.0, "Resting pain each day (0-10)", this::score);
        }

        public String percent(Double ratio) {
            return ratio == null ? "–" : Math.round(100 * ratio) + " %";
        }

        public String score(Double score) {
            return score == null ? "–" : tenths(score);
        }

        public String signed(Double points) {
            return points == null ? "–" : (points < 0 ? "" : "+") + tenths(points);
        }

        /** How long ago, as a clinician scans a queue: "just now", "12 min ago", "3 h ago", "5 d ago". */
        public String ago(Instant at) {
            return ago(at, Instant.now());
        }

        static String ago(Instant at, Instant now) {
            long seconds = Math.max(0, java.time.Duration.between(at, now).getSeconds());
            if (seconds < 60) {
                return "just now";
            }
            if (seconds < 3600) {
                return seconds / 60 + " min ago";
            }
            if (seconds < 86_400) {
                return seconds / 3600 + " h ago";
            }
            return seconds / 86_400 + " d ago";
        }

        /** The exact moment, for a tooltip: "2026-12-02 14:03 UTC". */
        public String exact(Instant at) {
            return EXACT.format(at);
        }
    }
}
