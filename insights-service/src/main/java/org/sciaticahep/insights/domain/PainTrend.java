package org.sciaticahep.insights.domain;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pain over time on the 0–10 scale. Baseline: the mean of resting scores (check-in, before exercise) in the first
 * three local days of the enrollment. Trailing mean: resting scores of the seven local days ending on a day.
 */
public final class PainTrend {

    static final int BASELINE_DAYS = 3;
    static final int WINDOW_DAYS = 7;

    private PainTrend() {
    }

    public record Day(LocalDate date, double mean, int max, int reports) {
    }

    /** Mean and number of resting scores in a window. */
    public record Window(double mean, int reports) {
    }

    public record Summary(Double baseline, Facts.PainScore latest, Double trailingMean, Integer trailingReports,
                          Double changePoints, Double changePercent, List<Day> days) {
    }

    public static Double baseline(Facts.Enrollment enrollment, List<Facts.PainScore> scores) {
        if (enrollment == null) {
            return null;
        }
        double sum = 0;
        int n = 0;
        for (Facts.PainScore s : scores) {
            long day = enrollment.dayNumber(enrollment.localDate(s.occurredAt()));
            if (s.atRest() && day >= 0 && day < BASELINE_DAYS) {
                sum += s.score();
                n++;
            }
        }
        return n == 0 ? null : sum / n;
    }

    /** Resting scores of the seven local days ending on {@code lastDay}; null when there are none. */
    public static Window trailing(List<Facts.PainScore> scores, ZoneId zone, LocalDate lastDay) {
        LocalDate firstDay = lastDay.minusDays(WINDOW_DAYS - 1L);
        double sum = 0;
        int n = 0;
        for (Facts.PainScore s : scores) {
            LocalDate day = s.occurredAt().atZone(zone).toLocalDate();
            if (s.atRest() && !day.isBefore(firstDay) && !day.isAfter(lastDay)) {
                sum += s.score();
                n++;
            }
        }
        return n == 0 ? null : new Window(sum / n, n);
    }

    public static Summary summarize(Facts.Patient patient, LocalDate today) {
        List<Facts.PainScore> scores = patient.pain();
        ZoneId zone = patient.zone();
        Double baseline = baseline(patient.enrollment(), scores);
        Facts.PainScore latest = scores.stream().max(Comparator.comparing(Facts.PainScore::occurredAt)).orElse(null);
        Window trailing = trailing(scores, zone, today);
        Double points = baseline == null || trailing == null ? null : trailing.mean() - baseline;
        Double percent = points == null || baseline == 0 ? null : 100 * points / baseline;
        Map<LocalDate, List<Integer>> byDay = new TreeMap<>();
        for (Facts.PainScore s : scores) {
            byDay.computeIfAbsent(s.occurredAt().atZone(zone).toLocalDate(), d -> new ArrayList<>()).add(s.score());
        }
        List<Day> days = new ArrayList<>();
        byDay.forEach((date, day) -> days.add(new Day(date, day.stream().mapToInt(Integer::intValue).average().orElse(0),
                day.stream().mapToInt(Integer::intValue).max().orElse(0), day.size())));
        return new Summary(baseline, latest, trailing == null ? null : trailing.mean(),
                trailing == null ? null : trailing.reports(), points, percent, days);
    }
}
