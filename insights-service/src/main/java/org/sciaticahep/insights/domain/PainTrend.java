package org.sciaticahep.insights.domain;

import java.time.LocalDate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;

/**
 * Pain over time on the 0–10 scale, from the daily aggregates. Baseline: the mean of resting scores (check-in, before
 * exercise) of the first three local days of care that have any. Trailing mean: resting scores of the seven local
 * days ending on a day.
 */
public final class PainTrend {

    static final int BASELINE_DAYS = 3;
    static final int WINDOW_DAYS = 7;

    private PainTrend() {
    }

    /** One local day: every score's mean and maximum, and resting and exercise scores apart (null: none). */
    public record Day(LocalDate date, double mean, int max, int reports, Double restingMean, Double exerciseMean) {
    }

    /** Mean and number of resting scores in a window, and when the latest of them was reported. */
    public record Window(double mean, int reports, Instant latest) {
    }

    public record Summary(Double baseline, Facts.PainScore latest, Double trailingMean, Integer trailingReports,
                          Double changePoints, Double changePercent, List<Day> days) {
    }

    /**
     * The baseline: the first three local days from the start of care that have resting scores (not calendar days
     * 0-2: a patient who did not report at first still gets one), and the mean of their resting scores (null: none
     * yet). Until three such days exist it is the mean of those there are.
     */
    public record Baseline(List<LocalDate> days, Double mean) {

        public static final Baseline NONE = new Baseline(List.of(), null);

        /** From daily aggregates that hold at least the baseline days ({@code DayStore.baselineDays}). */
        public static Baseline of(Facts.Enrollment enrollment, NavigableMap<LocalDate, PatientDay> days) {
            if (enrollment == null) {
                return NONE;
            }
            List<LocalDate> found = new ArrayList<>();
            long sum = 0;
            int n = 0;
            for (PatientDay d : days.tailMap(enrollment.startDate(), true).values()) {
                if (d.restingReports() > 0) {
                    found.add(d.date());
                    sum += d.restingSum();
                    n += d.restingReports();
                    if (found.size() == BASELINE_DAYS) {
                        break;
                    }
                }
            }
            return n == 0 ? NONE : new Baseline(List.copyOf(found), (double) sum / n);
        }

        /** Whether its three days are there: only then do trends compare with it. */
        public boolean complete() {
            return days.size() == BASELINE_DAYS;
        }

        /** Whether pain first reported somewhere on {@code day} comes after the baseline, so is new pain. */
        public boolean after(LocalDate day) {
            return complete() && day.isAfter(days.get(BASELINE_DAYS - 1));
        }
    }

    /**
     * Whether a resting score on {@code day} can change the baseline whose days are {@code baselineDays}: any day of
     * care until there are three, then a day up to the third (a late report can make an earlier day a baseline day).
     */
    public static boolean movesBaseline(List<LocalDate> baselineDays, LocalDate startDate, LocalDate day) {
        return !day.isBefore(startDate)
                && (baselineDays.size() < BASELINE_DAYS || !day.isAfter(baselineDays.get(BASELINE_DAYS - 1)));
    }

    /** Resting scores of the seven local days ending on {@code lastDay}; null when there are none. */
    public static Window trailing(NavigableMap<LocalDate, PatientDay> days, LocalDate lastDay) {
        long sum = 0;
        int n = 0;
        Instant latest = null;
        for (PatientDay d : days.subMap(lastDay.minusDays(WINDOW_DAYS - 1L), true, lastDay, true).values()) {
            sum += d.restingSum();
            n += d.restingReports();
            if (d.lastRestingAt() != null && (latest == null || d.lastRestingAt().isAfter(latest))) {
                latest = d.lastRestingAt();
            }
        }
        return n == 0 ? null : new Window((double) sum / n, n, latest);
    }

    /**
     * Baseline, trailing mean and change as of {@code today}, and the days {@code from}..{@code to} that have scores;
     * {@code days} must hold the baseline days, the trailing window and the range.
     */
    public static Summary summarize(Facts.Enrollment enrollment, Facts.PainScore latest,
                                    NavigableMap<LocalDate, PatientDay> days, LocalDate today, LocalDate from, LocalDate to) {
        Double baseline = Baseline.of(enrollment, days).mean();
        Window trailing = trailing(days, today);
        Double points = baseline == null || trailing == null ? null : trailing.mean() - baseline;
        Double percent = points == null || baseline == 0 ? null : 100 * points / baseline;
        List<Day> series = new ArrayList<>();
        for (PatientDay d : days.subMap(from, true, to, true).values()) {
            if (d.painReports() > 0) {
                series.add(new Day(d.date(), d.painMean(), d.painMax(), d.painReports(), d.restingMean(), d.exerciseMean()));
            }
        }
        return new Summary(baseline, latest, trailing == null ? null : trailing.mean(),
                trailing == null ? null : trailing.reports(), points, percent, series);
    }
}
