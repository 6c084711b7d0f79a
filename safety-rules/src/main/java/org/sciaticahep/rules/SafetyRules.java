package org.sciaticahep.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.sciaticahep.contracts.session.PainContext;
import org.sciaticahep.contracts.session.PainLocation;
import org.sciaticahep.contracts.session.RedFlag;
import org.sciaticahep.contracts.session.Side;

/**
 * The article's safety rules as plain functions, one copy for both uses: the advice a patient's app gets in the
 * answer to a report (session-service), and the flags a clinician reviews (insights-service). Exercise may stretch
 * but must not worsen pain: a score during or after an exercise 2 or more points above the patient's resting score
 * means stop it; a red-flag symptom (leg pain on both sides is one) means urgent care; a score of 7 or more, rest and
 * contact the clinician.
 */
public final class SafetyRules {

    public static final int SEVERE_SCORE = 7;
    private static final Set<PainLocation> LEGS = EnumSet.of(PainLocation.THIGH, PainLocation.CALF, PainLocation.FOOT);
    public static final int CLINICALLY_IMPORTANT_POINTS = 2;
    /**
     * Thresholds are exact (2 points): a mean that equals one in arithmetic may differ from it in the last bit of a
     * double, so comparisons allow this much on the documented side.
     */
    public static final double ROUNDING = 1e-9;

    /** What a patient is told, most urgent first, with the severity of the flag the same rule raises. */
    public enum Advice {
        SEEK_URGENT_CARE("CRITICAL"),
        STOP_EXERCISE("HIGH"),
        SEVERE_PAIN("HIGH");

        private final String severity;

        Advice(String severity) {
            this.severity = severity;
        }

        public String severity() {
            return severity;
        }
    }

    /** A pain score as the rules look at it. */
    public record Score(UUID eventId, Instant at, PainContext context, int score) {
    }

    private SafetyRules() {
    }

    /**
     * The reference of an exercise's score at {@code at}: the latest resting score strictly earlier among
     * {@code sameDay} (the patient's scores of that local day), ties of one instant broken by event id; null when there
     * is none.
     */
    public static Double restingBefore(Collection<Score> sameDay, Instant at) {
        Score latest = null;
        for (Score s : sameDay) {
            if (atRest(s.context()) && s.at().isBefore(at) && (latest == null || s.at().isAfter(latest.at())
                    || s.at().equals(latest.at()) && s.eventId().toString().compareTo(latest.eventId().toString()) > 0)) {
                latest = s;
            }
        }
        return latest == null ? null : Double.valueOf(latest.score());
    }

    /**
     * The red flags a report shows: those the app ticked, and {@code BOTH_LEGS} when the pain is in a leg (thigh,
     * calf or foot) on both sides, whether or not it was ticked (sciatica in both legs can be cauda equina).
     */
    public static List<RedFlag> redFlags(List<RedFlag> reported, PainLocation location, Side side) {
        List<RedFlag> flags = reported == null ? List.of() : reported;
        if (side != Side.BOTH || !LEGS.contains(location) || flags.contains(RedFlag.BOTH_LEGS)) {
            return flags;
        }
        List<RedFlag> withBothLegs = new ArrayList<>(flags);
        withBothLegs.add(RedFlag.BOTH_LEGS);
        return withBothLegs;
    }

    public static boolean severe(int score) {
        return score >= SEVERE_SCORE;
    }

    /** Scores taken at rest (a check-in or before exercising): the reference an exercise's scores are judged against. */
    public static boolean atRest(PainContext context) {
        return context == PainContext.CHECK_IN || context == PainContext.BEFORE_EXERCISE;
    }

    /**
     * An exercise worsens pain: a score during or after it at least {@value #CLINICALLY_IMPORTANT_POINTS} points above
     * {@code reference} (the latest resting score earlier that local day; insights falls back to the baseline).
     */
    public static boolean worsensPain(PainContext context, int score, Double reference) {
        return context != null && context.isAboutAnExercise() && reference != null
                && score >= reference + CLINICALLY_IMPORTANT_POINTS - ROUNDING;
    }

    /** The advice one pain report earns, most urgent first; {@code reference} as for {@link #worsensPain}. */
    public static List<Advice> advise(int score, PainLocation location, Side side, PainContext context,
                                      List<RedFlag> redFlags, Double reference) {
        List<Advice> advice = new ArrayList<>(3);
        if (!redFlags(redFlags, location, side).isEmpty()) {
            advice.add(Advice.SEEK_URGENT_CARE);
        }
        if (worsensPain(context, score, reference)) {
            advice.add(Advice.STOP_EXERCISE);
        }
        if (severe(score)) {
            advice.add(Advice.SEVERE_PAIN);
        }
        return advice;
    }
}
