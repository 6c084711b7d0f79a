package org.sciaticahep.insights.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.sciaticahep.contracts.session.PainContext;

/**
 * Finds every occurrence of every flag rule in a patient's facts. Evaluated over all facts at once, ordered by
 * when things happened, so late or out-of-order events give the same occurrences as live ones.
 */
public final class FlagRules {

    static final int CLINICALLY_IMPORTANT_POINTS = 2;
    static final double CLINICALLY_IMPORTANT_RATIO = 1.3;
    static final int SEVERE_SCORE = 7;
    static final int TREND_MIN_REPORTS = 3;
    static final int NOT_IMPROVING_FROM_DAY = 42;
    static final double NOT_IMPROVING_RATIO = 0.7;
    static final int LOW_ADHERENCE_FROM_DAY = 7;
    static final double LOW_ADHERENCE_RATIO = 0.5;

    private FlagRules() {
    }

    /**
     * One occurrence of a rule: for {@code subject} (exercise id, pain location and side, or "" for the patient),
     * at {@code at}, shown by {@code evidence} (an event id, or a day for rules about a period).
     */
    public record Occurrence(FlagRule rule, String subject, Instant at, String evidence, String detail) {
    }

    /**
     * Every occurrence up to {@code today} (the patient's local date) of the rules that read {@code reads}; the
     * patient's other reports need not be loaded.
     */
    public static List<Occurrence> evaluate(Facts.Patient patient, Prescription prescription, LocalDate today,
                                            Set<FlagRule.Reads> reads) {
        List<Occurrence> found = new ArrayList<>();
        boolean pain = reads.contains(FlagRule.Reads.PAIN);
        Double baseline = pain ? painRules(patient, found) : null;
        if (patient.enrollment() != null) {
            periodRules(patient, prescription, baseline, today, pain, reads.contains(FlagRule.Reads.EXERCISES), found);
        }
        return found;
    }

    /** Adds the occurrences of the rules about single pain reports; answers the baseline. */
    private static Double painRules(Facts.Patient patient, List<Occurrence> found) {
        List<Facts.PainScore> pain = new ArrayList<>(patient.pain());
        pain.sort(Comparator.comparing(Facts.PainScore::occurredAt).thenComparing(s -> s.eventId().toString()));
        Facts.Enrollment enrollment = patient.enrollment();
        Double baseline = PainTrend.baseline(enrollment, pain);
        Set<String> painSeenAt = new HashSet<>();
        for (Facts.PainScore s : pain) {
            String id = s.eventId().toString();
            if (!s.redFlags().isEmpty()) {
                found.add(new Occurrence(FlagRule.RED_FLAG_SYMPTOMS, "", s.occurredAt(), id, "Reported " + s.redFlags()));
            }
            if (s.score() >= SEVERE_SCORE) {
                found.add(new Occurrence(FlagRule.SEVERE_PAIN, s.location().name(), s.occurredAt(), id,
                        "Score " + s.score() + " at " + s.where()));
            }
            boolean firstTimeHere = s.score() >= 1 && painSeenAt.add(s.where());
            if (s.newPain()) {
                found.add(new Occurrence(FlagRule.NEW_PAIN, s.where(), s.occurredAt(), id, "Patient reports new pain at " + s.where()));
            } else if (firstTimeHere && enrollment != null
                    && enrollment.dayNumber(enrollment.localDate(s.occurredAt())) >= PainTrend.BASELINE_DAYS) {
                // the first three days establish where pain already is; pain somewhere else after that is new
                found.add(new Occurrence(FlagRule.NEW_PAIN, s.where(), s.occurredAt(), id, "First pain ever reported at " + s.where()));
            }
            if (s.context().isAboutAnExercise()) {
                Double reference = referenceBefore(s, pain, patient, baseline);
                if (reference != null && s.score() >= reference + CLINICALLY_IMPORTANT_POINTS) {
                    found.add(new Occurrence(FlagRule.EXERCISE_WORSENS_PAIN, s.exerciseId(), s.occurredAt(), id,
                            String.format("Score %d %s %s, %.1f before", s.score(),
                                    s.context() == PainContext.DURING_EXERCISE ? "during" : "after", s.exerciseId(), reference)));
                }
            }
        }
        return baseline;
    }

    /** What an exercise score is compared with: the latest earlier resting score of the same local day, else the baseline. */
    private static Double referenceBefore(Facts.PainScore s, List<Facts.PainScore> sorted, Facts.Patient patient,
                                           Double baseline) {
        LocalDate day = s.occurredAt().atZone(patient.zone()).toLocalDate();
        Facts.PainScore reference = null;
        for (Facts.PainScore earlier : sorted) {
            if (!earlier.occurredAt().isBefore(s.occurredAt())) {
                break;
            }
            if (earlier.atRest() && earlier.occurredAt().atZone(patient.zone()).toLocalDate().equals(day)) {
                reference = earlier;
            }
        }
        return reference != null ? Double.valueOf(reference.score()) : baseline;
    }

    private static void periodRules(Facts.Patient patient, Prescription prescription, Double baseline, LocalDate today,
                                    boolean pain, boolean exercises, List<Occurrence> found) {
        Facts.Enrollment e = patient.enrollment();
        for (LocalDate day = e.startDate(); !day.isAfter(today); day = day.plusDays(1)) {
            long dayNumber = e.dayNumber(day);
            PainTrend.Window window = pain ? PainTrend.trailing(patient.pain(), e.zone(), day) : null;
            if (baseline != null && window != null) {
                Instant latestInWindow = latestRestingScoreUpTo(patient, day);
                if (window.reports() >= TREND_MIN_REPORTS && window.mean() >= baseline + CLINICALLY_IMPORTANT_POINTS
                        && window.mean() >= CLINICALLY_IMPORTANT_RATIO * baseline) {
                    found.add(new Occurrence(FlagRule.PAIN_TRENDING_WORSE, "", latestInWindow, day.toString(),
                            String.format("7-day mean %.1f against baseline %.1f", window.mean(), baseline)));
                }
                if (dayNumber >= NOT_IMPROVING_FROM_DAY && window.mean() > NOT_IMPROVING_RATIO * baseline) {
                    found.add(new Occurrence(FlagRule.NOT_IMPROVING, "", latestInWindow, day.toString(),
                            String.format("Day %d: 7-day mean %.1f against baseline %.1f", dayNumber, window.mean(), baseline)));
                }
            }
            // a day counts once it is over: early in the day nobody has done their exercises yet
            if (exercises && prescription != null && dayNumber >= LOW_ADHERENCE_FROM_DAY && day.isBefore(today)) {
                Adherence.Report week = Adherence.compute(e, prescription, patient.exercises(), day.minusDays(6), day);
                Double ratio = week.ratio();
                if (ratio != null && ratio < LOW_ADHERENCE_RATIO) {
                    found.add(new Occurrence(FlagRule.LOW_ADHERENCE, "", day.plusDays(1).atStartOfDay(e.zone()).toInstant(),
                            day.toString(), String.format("7-day adherence %.0f %% up to %s", 100 * ratio, day)));
                }
            }
        }
    }

    private static Instant latestRestingScoreUpTo(Facts.Patient patient, LocalDate day) {
        Instant latest = null;
        for (Facts.PainScore s : patient.pain()) {
            if (s.atRest() && !s.occurredAt().atZone(patient.zone()).toLocalDate().isAfter(day)
                    && (latest == null || s.occurredAt().isAfter(latest))) {
                latest = s.occurredAt();
            }
        }
        return latest;
    }
}
