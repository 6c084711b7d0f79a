package org.sciaticahep.insights.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.sciaticahep.contracts.session.PainContext;
import org.sciaticahep.contracts.session.RedFlag;
import org.sciaticahep.rules.SafetyRules;

/**
 * Finds the occurrences of every flag rule in a patient's window, for the days a scope names. Each occurrence is
 * about one local day and depends only on what happened, never on when it arrived, so late, out-of-order or replayed
 * events give the same occurrences as live ones.
 */
public final class FlagRules {

    static final int CLINICALLY_IMPORTANT_POINTS = SafetyRules.CLINICALLY_IMPORTANT_POINTS;
    static final double CLINICALLY_IMPORTANT_RATIO = 1.3;
    static final int TREND_MIN_REPORTS = 3;
    static final int NOT_IMPROVING_FROM_DAY = 42;
    static final double NOT_IMPROVING_RATIO = 0.7;
    static final int LOW_ADHERENCE_FROM_DAY = 7;
    static final double LOW_ADHERENCE_RATIO = 0.5;
    static final int QUIET_DAYS = 3;
    static final int LONG_QUIET_DAYS = 14;
    /** Thresholds are exact (2 points, 70 %, half): see {@link SafetyRules#ROUNDING}. */
    static final double ROUNDING = SafetyRules.ROUNDING;

    private FlagRules() {
    }

    /**
     * One occurrence of a rule: for {@code subject} (exercise id, pain location and side, or "" for the patient), about
     * the local {@code day}, at {@code at}, shown by {@code evidence} (an event id, or the day for a period rule); the
     * flag it is evidence of is as severe as its most severe occurrence.
     */
    public record Occurrence(FlagRule rule, String subject, LocalDate day, Instant at, String evidence, String detail,
                             FlagRule.Severity severity) {

        /** At the rule's own severity. */
        public Occurrence(FlagRule rule, String subject, LocalDate day, Instant at, String evidence, String detail) {
            this(rule, subject, day, at, evidence, detail, rule.severity());
        }

        /** Which flags it can be evidence of: one active at a time per rule and subject. */
        public String key() {
            return rule + "|" + subject;
        }

        /** What identifies it across evaluations. */
        public String identity() {
            return key() + "|" + evidence;
        }
    }

    /** Every occurrence the scope covers, up to the window's today. */
    public static List<Occurrence> evaluate(PatientWindow w, Scope scope) {
        List<Occurrence> found = new ArrayList<>();
        PainTrend.Baseline baseline = PainTrend.Baseline.of(w.enrollment(), w.days());
        reportRules(w, scope, baseline, found);
        if (w.enrollment() != null) {
            painTrendRules(w, scope, baseline, found);
            if (w.prescription() != null) {
                adherenceRule(w, scope, found);
                activityRule(w, scope, found);
            }
        }
        return found;
    }

    /** Rules about single pain reports: each report of a covered day, against the earlier ones of its day. */
    private static void reportRules(PatientWindow w, Scope scope, PainTrend.Baseline baseline, List<Occurrence> found) {
        // each report once, whatever the window was given
        List<Facts.PainScore> reports = new ArrayList<>(w.reports().stream()
                .collect(java.util.stream.Collectors.toMap(Facts.PainScore::eventId, r -> r, (a, b) -> a)).values());
        reports.sort(Comparator.comparing(Facts.PainScore::occurredAt).thenComparing(s -> s.eventId().toString()));
        for (Facts.PainScore s : reports) {
            LocalDate day = w.localDate(s.occurredAt());
            if (!scope.covers(FlagRule.Family.REPORT, day)) {
                continue;
            }
            String id = s.eventId().toString();
            // the same rules that give a patient advice in session-service's answer
            List<RedFlag> redFlags = SafetyRules.redFlags(s.redFlags(), s.location(), s.side());
            if (!redFlags.isEmpty()) {
                found.add(new Occurrence(FlagRule.RED_FLAG_SYMPTOMS, "", day, s.occurredAt(), id, "Reported " + redFlags));
            }
            if (SafetyRules.severe(s.score())) {
                found.add(new Occurrence(FlagRule.SEVERE_PAIN, s.location().name(), day, s.occurredAt(), id,
                        "Score " + s.score() + " at " + s.where()));
            }
            if (s.newPain()) {
                found.add(new Occurrence(FlagRule.NEW_PAIN, s.where(), day, s.occurredAt(), id, "Patient reports new pain at " + s.where()));
            } else if (s.score() >= 1 && s.eventId().equals(w.firstPain().get(s.where())) && baseline.after(day)) {
                // the first three reporting days establish where pain already is; pain somewhere else after them is new
                found.add(new Occurrence(FlagRule.NEW_PAIN, s.where(), day, s.occurredAt(), id, "First pain ever reported at " + s.where()));
            }
            if (s.context().isAboutAnExercise()) {
                Double reference = restingBefore(s, reports, w);
                reference = reference != null ? reference : baseline.meanUpTo(day);
                if (SafetyRules.worsensPain(s.context(), s.score(), reference)) {
                    found.add(new Occurrence(FlagRule.EXERCISE_WORSENS_PAIN, s.exerciseId(), day, s.occurredAt(), id,
                            String.format(Locale.ROOT, "Score %d %s %s, %.1f before", s.score(),
                                    s.context() == PainContext.DURING_EXERCISE ? "during" : "after", s.exerciseId(), reference)));
                }
            }
        }
    }

    /** The latest earlier resting score of the same local day (the window holds every report of a covered day). */
    private static Double restingBefore(Facts.PainScore s, List<Facts.PainScore> sorted, PatientWindow w) {
        LocalDate day = w.localDate(s.occurredAt());
        List<SafetyRules.Score> sameDay = new ArrayList<>();
        for (Facts.PainScore other : sorted) {
            if (w.localDate(other.occurredAt()).equals(day)) {
                sameDay.add(new SafetyRules.Score(other.eventId(), other.occurredAt(), other.context(), other.score()));
            }
        }
        return SafetyRules.restingBefore(sameDay, s.occurredAt());
    }

    /** Pain against an established baseline: on the days after its third day, never against itself. */
    private static void painTrendRules(PatientWindow w, Scope scope, PainTrend.Baseline established, List<Occurrence> found) {
        if (!established.complete() || !scope.everything() && scope.trendFrom() == null) {
            return;
        }
        double baseline = established.mean();
        Facts.Enrollment e = w.enrollment();
        LocalDate firstDay = established.days().get(PainTrend.BASELINE_DAYS - 1).plusDays(1);
        LocalDate from = scope.everything() ? firstDay : Scope.max(scope.trendFrom(), firstDay);
        // after the end of care the time-based rules stop
        LocalDate lastDay = e.lastDayOfCare(w.today());
        LocalDate to = scope.everything() ? lastDay : Scope.min(scope.trendTo(), lastDay);
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            PainTrend.Window window = PainTrend.trailing(w.days(), day);
            if (window == null) {
                continue;
            }
            long dayNumber = e.dayNumber(day);
            if (window.reports() >= TREND_MIN_REPORTS && window.mean() >= baseline + CLINICALLY_IMPORTANT_POINTS - ROUNDING
                    && window.mean() >= CLINICALLY_IMPORTANT_RATIO * baseline - ROUNDING) {
                found.add(new Occurrence(FlagRule.PAIN_TRENDING_WORSE, "", day, window.latest(), day.toString(),
                        String.format(Locale.ROOT, "7-day mean %.1f against baseline %.1f", window.mean(), baseline)));
            }
            if (dayNumber >= NOT_IMPROVING_FROM_DAY && window.mean() > NOT_IMPROVING_RATIO * baseline + ROUNDING) {
                found.add(new Occurrence(FlagRule.NOT_IMPROVING, "", day, window.latest(), day.toString(),
                        String.format(Locale.ROOT, "Day %d: 7-day mean %.1f against baseline %.1f", dayNumber, window.mean(), baseline)));
            }
        }
    }

    /** A day counts once it is over: early in the day nobody has done their exercises yet. */
    private static void adherenceRule(PatientWindow w, Scope scope, List<Occurrence> found) {
        if (!scope.everything() && scope.adherenceFrom() == null) {
            return;
        }
        Facts.Enrollment e = w.enrollment();
        LocalDate firstDay = e.startDate().plusDays(LOW_ADHERENCE_FROM_DAY);
        LocalDate lastDay = e.lastDayOfCare(w.today().minusDays(1));
        LocalDate from = scope.everything() ? firstDay : Scope.max(scope.adherenceFrom(), firstDay);
        LocalDate to = scope.everything() ? lastDay : Scope.min(scope.adherenceTo(), lastDay);
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            Adherence.Report week = Adherence.compute(e, w.prescription(), w.days(), day.minusDays(Scope.WINDOW_BEFORE), day);
            Double ratio = week.ratio();
            if (ratio != null && ratio < LOW_ADHERENCE_RATIO - ROUNDING) {
                found.add(new Occurrence(FlagRule.LOW_ADHERENCE, "", day, day.plusDays(1).atStartOfDay(e.zone()).toInstant(),
                        day.toString(), String.format(Locale.ROOT, "7-day adherence %.0f %% up to %s", 100 * ratio, day)));
            }
        }
    }

    /**
     * No exercise and no pain report on {@value #QUIET_DAYS} scheduled local days of care in a row, as of today: LOW;
     * on {@value #LONG_QUIET_DAYS}, MEDIUM (the same flag). Counted from the day after the last report of care, or
     * without one from the day after the invitation was accepted (nobody reports before that: a start date in the past
     * is no quiet spell); days without exercise on the schedule are skipped (a twice-a-week plan is not a quiet week),
     * and a day with nothing prescribed (everything paused or stopped) ends the count. Nothing while nothing is
     * prescribed today or once care has an end. Only the current quiet spell is an occurrence, so the flag is withdrawn
     * once the patient reports again (or a late report shows they did); its evidence and detail name the spell's
     * first day, so the occurrences of one spell stay the same from day to day.
     */
    private static void activityRule(PatientWindow w, Scope scope, List<Occurrence> found) {
        Facts.Enrollment e = w.enrollment();
        LocalDate today = w.today();
        if (!scope.covers(FlagRule.Family.ACTIVITY, today) || e.endDate() != null || !w.prescription().expectsAnything(today)
                || w.lastActiveDay() != null && !w.lastActiveDay().isBefore(today)) {
            return;
        }
        boolean reported = w.lastActiveDay() != null && !w.lastActiveDay().isBefore(e.startDate());
        LocalDate firstQuiet = reported ? w.lastActiveDay().plusDays(1)
                : Scope.max(e.startDate(), e.localDate(e.enrolledAt()).plusDays(1));
        List<LocalDate> quiet = new ArrayList<>();     // the scheduled quiet days, latest first
        LocalDate spellStart = null;
        for (LocalDate day = today.minusDays(1); !day.isBefore(firstQuiet); day = day.minusDays(1)) {
            if (!w.prescription().expectsAnything(day)) {
                break;
            }
            spellStart = day;
            if (w.prescription().schedules(day)) {
                quiet.add(day);
            }
        }
        for (QuietLevel level : QuietLevel.values()) {
            if (quiet.size() >= level.days) {
                LocalDate reached = quiet.get(quiet.size() - level.days);
                found.add(new Occurrence(FlagRule.NO_RECENT_ACTIVITY, "", reached, reached.plusDays(1).atStartOfDay(e.zone()).toInstant(),
                        level.days + " quiet days from " + spellStart,
                        String.format(Locale.ROOT, "No exercise or pain report on %d or more scheduled days since %s", level.days, spellStart),
                        level.severity));
            }
        }
    }

    /** How long a quiet spell has to last for each severity. */
    private enum QuietLevel {
        NOTICED(QUIET_DAYS, FlagRule.Severity.LOW),
        LONG(LONG_QUIET_DAYS, FlagRule.Severity.MEDIUM);

        final int days;
        final FlagRule.Severity severity;

        QuietLevel(int days, FlagRule.Severity severity) {
            this.days = days;
            this.severity = severity;
        }
    }
}
