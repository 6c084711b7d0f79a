package org.sciaticahep.support;

import java.util.Objects;
import org.sciaticahep.contracts.catalog.Dosage;
import org.sciaticahep.contracts.catalog.Progression;
import org.sciaticahep.contracts.catalog.Range;
import org.sciaticahep.contracts.catalog.Schedule;

/**
 * What makes a dosage and a schedule valid, wherever a clinician writes one: in the catalog (an exercise's or a program's) and in a
 * patient's prescription. Generous for clinicians, tight for abuse.
 */
public final class DosageRules {

    public static final int MAX_SETS = 20;
    public static final int MAX_REPS = 100;
    public static final int MAX_HOLD_SECONDS = 600;

    private DosageRules() {
    }

    public static void dosage(Dosage d, Violations v) {
        if (v.present(d.sets(), "sets")) {
            v.check(d.sets() >= 1 && d.sets() <= MAX_SETS, "sets", "must be between 1 and " + MAX_SETS);
        }
        if (v.present(d.reps(), "reps")) {
            range(d.reps(), "reps", 1, MAX_REPS, v);
        }
        if (d.holdSeconds() != null) {
            range(d.holdSeconds(), "holdSeconds", 0, MAX_HOLD_SECONDS, v);
        }
        v.present(d.perSide(), "perSide");
    }

    /**
     * How an exercise's dosage builds up: each step goes up by at least 1, to a maximum within the dosage limits and
     * not below where the dosage starts (a hold step needs a hold). Fields are named under {@code progression}.
     */
    public static void progression(Progression p, Dosage d, Violations parent) {
        if (p.reps() == null && p.sets() == null && p.holdSeconds() == null) {
            parent.add("progression", "at least one step (reps, sets or holdSeconds) is required");
            return;
        }
        Violations v = parent.under("progression");
        if (p.reps() != null) {
            step(p.reps(), "reps", d.reps() == null ? null : d.reps().min(), MAX_REPS, v);
        }
        if (p.sets() != null) {
            step(p.sets(), "sets", d.sets(), MAX_SETS, v);
        }
        if (p.holdSeconds() != null && v.check(d.holdSeconds() != null, "holdSeconds", "needs a dosage with holdSeconds")) {
            step(p.holdSeconds(), "holdSeconds", d.holdSeconds().min(), MAX_HOLD_SECONDS, v);
        }
    }

    private static void step(Progression.Step s, String field, Integer start, int highest, Violations v) {
        if (v.present(s.by(), field + ".by")) {
            v.check(s.by() >= 1 && s.by() <= highest, field + ".by", "must be between 1 and " + highest);
        }
        if (v.present(s.max(), field + ".max")) {
            int lowest = start == null ? 1 : Math.max(1, start);
            v.check(s.max() >= lowest && s.max() <= highest, field + ".max", "must be between " + lowest + " (where the dosage starts) and " + highest);
        }
    }

    /** When a program's or a prescription's exercises are expected. */
    public static void schedule(Schedule s, Violations v) {
        if (v.present(s.timesPerDay(), "timesPerDay")) {
            v.check(s.timesPerDay() >= 1 && s.timesPerDay() <= 10, "timesPerDay", "must be between 1 and 10");
        }
        v.check(s.daysOfWeek() != null && !s.daysOfWeek().isEmpty() && s.daysOfWeek().stream().allMatch(Objects::nonNull),
                "daysOfWeek", "must name at least one day, e.g. [\"MONDAY\"]");
    }

    private static void range(Range r, String field, int lowest, int highest, Violations v) {
        boolean min = v.present(r.min(), field + ".min")
                && v.check(r.min() >= lowest && r.min() <= highest, field + ".min", "must be between " + lowest + " and " + highest);
        boolean max = v.present(r.max(), field + ".max")
                && v.check(r.max() >= 1 && r.max() <= highest, field + ".max", "must be between 1 and " + highest);
        if (min && max) {
            v.check(r.min() <= r.max(), field, "min must not be greater than max");
        }
    }
}
