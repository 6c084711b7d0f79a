package org.sciaticahep.insights.domain;

import java.time.LocalDate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;

/**
 * Pain over time on the 0–10 scale, from the daily aggregates. Baseline: the mean of resting scores (check-in, before
 * exercise) in the first three local days of the enrollment. Trailing mean: resting scores of the seven local days
 * ending on a day.
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

    /** The local days the baseline is taken from (null without an enrollment). */
    public static LocalDate[] baselineDays(Facts.Enrollment enrollment) {
        return enrollment == null ? null
                : new LocalDate[] {enrollment.startDate(), enrollment.startDate().plusDays(BASELINE_DAYS - 1L)};
    }

    public static Double baseline(Facts.Enrollment enrollment, NavigableMap<LocalDate, PatientDay> days) {
        if (enrollment == null) {
            return null;
        }
        LocalDate[] span = baselineDays(enrollment);
        long sum = 0;
        int n = 0;
        for (PatientDay d : days.subMap(span[0], true, span[1], true).values()) {
            sum += d.restingSum();
            n += d.restingReports();
        }
        return n == 0 ? null : (double) sum / n;
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
        Double baseline = baseline(enrollment, days);
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
