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
    public static final int WINDOW_DAYS = 7;

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
     * Where a patient starts, from their first local days of care that have reports (not calendar days 0-2: a patient
     * who did not report at first still gets one). The baseline is the mean of the resting scores of the first three
     * days with resting scores (null: none yet; until there are three, of those there are). Where pain already is, for
     * NEW_PAIN, is what was reported on the first three days with any pain report.
     *
     * @param resting   up to the first three days with resting scores, with their sums and numbers
     * @param reporting up to the first three days with any pain report
     */
    public record Baseline(List<Day> resting, List<LocalDate> reporting) {

        public record Day(LocalDate date, long restingSum, int restingReports) {
        }

        public static final Baseline NONE = new Baseline(List.of(), List.of());

        /** From daily aggregates that hold at least those days ({@code DayStore.baselineDays}). */
        public static Baseline of(Facts.Enrollment enrollment, NavigableMap<LocalDate, PatientDay> days) {
            if (enrollment == null) {
                return NONE;
            }
            List<Day> resting = new ArrayList<>();
            List<LocalDate> reporting = new ArrayList<>();
            for (PatientDay d : days.tailMap(enrollment.startDate(), true).values()) {
                if (d.restingReports() > 0 && resting.size() < BASELINE_DAYS) {
                    resting.add(new Day(d.date(), d.restingSum(), d.restingReports()));
                }
                if (d.painReports() > 0 && reporting.size() < BASELINE_DAYS) {
                    reporting.add(d.date());
                }
                if (resting.size() == BASELINE_DAYS && reporting.size() == BASELINE_DAYS) {
                    break;
                }
            }
            return new Baseline(List.copyOf(resting), List.copyOf(reporting));
        }

        public Double mean() {
            return meanUpTo(LocalDate.MAX);
        }

        /**
         * The baseline as it was known on {@code day}: its days up to then (a report is judged by what came before
         * it, so a later day's scores never take back a flag of an earlier one); null without any.
         */
        public Double meanUpTo(LocalDate day) {
            long sum = 0;
            int n = 0;
            for (Day d : resting) {
                if (!d.date().isAfter(day)) {
                    sum += d.restingSum();
                    n += d.restingReports();
                }
            }
            return n == 0 ? null : (double) sum / n;
        }

        public List<LocalDate> days() {
            return resting.stream().map(Day::date).toList();
        }

        /** Whether its three days are there: only then do trends compare with it. */
        public boolean complete() {
            return resting.size() == BASELINE_DAYS;
        }

        /** Whether pain first reported somewhere on {@code day} comes after the first three reporting days: new pain. */
        public boolean after(LocalDate day) {
            return reporting.size() == BASELINE_DAYS && day.isAfter(reporting.get(BASELINE_DAYS - 1));
        }
    }

    /** The days a {@link Baseline} is made of, as {@code DayStore.baselineDays} finds them (up to three of each). */
    public record BaselineDays(List<LocalDate> resting, List<LocalDate> reporting) {

        public static final BaselineDays NONE = new BaselineDays(List.of(), List.of());

        /**
         * Whether a pain report on {@code day} ({@code atRest}: a resting score) can change the baseline or where pain
         * already is: any day of care while there are fewer than three such days, then a day up to the third (a late
         * report can make an earlier day one of them).
         */
        public boolean movedBy(LocalDate startDate, LocalDate day, boolean atRest) {
            return !day.isBefore(startDate) && (atRest && moves(resting, day) || moves(reporting, day));
        }

        private static boolean moves(List<LocalDate> firstDays, LocalDate day) {
            return firstDays.size() < BASELINE_DAYS || !day.isAfter(firstDays.get(BASELINE_DAYS - 1));
        }
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
