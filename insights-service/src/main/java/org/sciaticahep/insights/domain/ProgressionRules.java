package org.sciaticahep.insights.domain;

import org.sciaticahep.contracts.catalog.Dosage;
import org.sciaticahep.contracts.catalog.Progression;
import org.sciaticahep.contracts.catalog.Range;

/**
 * How a prescribed exercise may build up: the next step of its dosage by the exercise's progression, shown to the
 * clinician as a suggestion, never a change by itself.
 */
public final class ProgressionRules {

    private ProgressionRules() {
    }

    /**
     * The dosage one step up, in the progression's order: repetitions (the range's low end up by the step, its high
     * end at least as high), then sets, then the hold; null when every step is at its maximum, or there is none.
     */
    public static Dosage next(Dosage current, Progression progression) {
        if (progression == null || current == null) {
            return null;
        }
        Progression.Step reps = progression.reps();
        if (reps != null && current.reps() != null && current.reps().min() < reps.max()) {
            return new Dosage(current.sets(), raised(current.reps(), reps), current.holdSeconds(), current.perSide());
        }
        Progression.Step sets = progression.sets();
        if (sets != null && current.sets() < sets.max()) {
            return new Dosage(Math.min(current.sets() + sets.by(), sets.max()), current.reps(), current.holdSeconds(), current.perSide());
        }
        Progression.Step hold = progression.holdSeconds();
        if (hold != null && current.holdSeconds() != null && current.holdSeconds().min() < hold.max()) {
            return new Dosage(current.sets(), current.reps(), raised(current.holdSeconds(), hold), current.perSide());
        }
        return null;
    }

    private static Range raised(Range range, Progression.Step step) {
        int min = Math.min(range.min() + step.by(), step.max());
        return new Range(min, Math.max(range.max(), min));
    }
}
