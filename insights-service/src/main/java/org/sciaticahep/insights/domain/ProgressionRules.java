package org.sciaticahep.insights.domain;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.sciaticahep.contracts.catalog.Dosage;
import org.sciaticahep.contracts.catalog.Progression;
import org.sciaticahep.contracts.catalog.Range;
import org.sciaticahep.contracts.session.PrescribedItem;
import org.sciaticahep.contracts.session.PrescriptionVersion;

/**
 * How a prescribed exercise may build up (the article: "build up this number over time", "moving up to multiple sets
 * when it is comfortable"): the next step of its dosage by the exercise's progression, and when to suggest it or a
 * step back. Suggestions for the clinician, never a change by themselves.
 */
public final class ProgressionRules {

    /** Scheduled days in a row done in full at the current dosage before the next step is suggested. */
    static final int READY_DAYS = 3;
    /** The highest mean difficulty (1 easy - 5 hard) of those days, when the patient gave one. */
    static final int MAX_MEAN_DIFFICULTY = 3;
    /** Days (today included) without pain evidence about the exercise before the next step is suggested. */
    static final int PAIN_FREE_DAYS = 7;
    /**
     * How far back (today included) the rules look, for the ready days and for the raise a step back undoes: the
     * days a caller reads.
     */
    public static final int LOOK_BACK_DAYS = 28;

    private ProgressionRules() {
    }

    /** Which way a suggestion goes. */
    public enum Direction {
        PROGRESS,
        STEP_BACK
    }

    /** A suggested dosage for an exercise of the prescription in force, and why. */
    public record Suggestion(String exerciseId, Direction direction, Dosage current, Dosage suggested, String reason) {
    }

    /**
     * An occurrence of a pain rule that speaks against building up ({@code EXERCISE_WORSENS_PAIN}, {@code NEW_PAIN},
     * {@code SEVERE_PAIN}) on a local day, with the exercise its report was about (null: pain at rest).
     */
    public record PainEvidence(FlagRule rule, LocalDate day, String exerciseId) {
    }

    /**
     * The suggestions for the prescription in force today. An active item whose exercise builds up is ready for its
     * next step when its last {@value #READY_DAYS} scheduled days at the current dosage were each done in full (today
     * counts once done in full; until then it is not over), the difficulty the patient gave them averages at most
     * {@value #MAX_MEAN_DIFFICULTY} (when given), and in the last {@value #PAIN_FREE_DAYS} days there was no pain
     * evidence about that exercise, nor severe or new pain at rest (unexplained pain is no time to build up). An
     * item whose dosage was raised, with exercise-worsens-pain evidence since, is suggested the dosage before the
     * raise. Nothing once care has an end date, nor while a newer version waits for its date (the clinician already
     * decided).
     *
     * @param published    the enrollment's versions, in version order
     * @param progressionOf each exercise's progression (null: it does not build up)
     * @param days         the daily aggregates of at least the last {@value #LOOK_BACK_DAYS} days
     * @param evidence     the pain evidence of at least those days
     */
    public static List<Suggestion> suggestions(Facts.Enrollment enrollment, List<PrescriptionVersion> published,
                                               Function<String, Progression> progressionOf,
                                               NavigableMap<LocalDate, PatientDay> days, List<PainEvidence> evidence,
                                               LocalDate today) {
        if (published == null || published.isEmpty() || enrollment.endDate() != null
                || published.get(published.size() - 1).effectiveFrom().isAfter(today)) {
            return List.of();
        }
        Prescription prescription = Prescription.fromPublished(published);
        Prescription.Version inForce = prescription.inForce(today);
        if (inForce == null) {
            return List.of();
        }
        Map<Integer, PrescriptionVersion> byNumber = new HashMap<>();
        published.forEach(v -> byNumber.put(v.version(), v));
        LocalDate oldest = Scope.max(enrollment.startDate(), today.minusDays(LOOK_BACK_DAYS - 1L));
        List<Suggestion> found = new ArrayList<>();
        for (PrescribedItem item : byNumber.get(inForce.number()).items()) {
            if (!item.expected()) {
                continue;
            }
            String id = item.exerciseId();
            LocalDate since = dosageSince(prescription, byNumber, id, item.dosage(), today, oldest);
            Dosage before = since.isAfter(oldest) ? dosageOn(prescription, byNumber, id, since.minusDays(1)) : null;
            LocalDate worsened = latest(evidence, e -> e.rule() == FlagRule.EXERCISE_WORSENS_PAIN && id.equals(e.exerciseId()), since);
            if (worsened != null && before != null && raised(before, item.dosage())) {
                found.add(new Suggestion(id, Direction.STEP_BACK, item.dosage(), before,
                        "Pain worse with it on " + worsened + " since its dosage was raised on " + since));
                continue;
            }
            Dosage next = next(item.dosage(), progressionOf.apply(id));
            if (next == null || latest(evidence, e -> id.equals(e.exerciseId()) || e.exerciseId() == null
                    && e.rule() != FlagRule.EXERCISE_WORSENS_PAIN, today.minusDays(PAIN_FREE_DAYS - 1L)) != null) {
                continue;
            }
            String ready = ready(prescription, id, days, since, today);
            if (ready != null) {
                found.add(new Suggestion(id, Direction.PROGRESS, item.dosage(), next, ready));
            }
        }
        return found;
    }

    /**
     * Why the item is ready (null: it is not): its last {@value #READY_DAYS} scheduled days from {@code since}, each
     * done in full, and their mean difficulty.
     */
    private static String ready(Prescription prescription, String exerciseId, NavigableMap<LocalDate, PatientDay> days,
                                LocalDate since, LocalDate today) {
        int done = 0;
        long difficultySum = 0;
        int difficultyCount = 0;
        for (LocalDate day = today; done < READY_DAYS && !day.isBefore(since); day = day.minusDays(1)) {
            Prescription.Version v = prescription.inForce(day);
            Prescription.Item item = v.items().stream().filter(i -> i.exerciseId().equals(exerciseId)).findFirst().orElseThrow();
            if (!v.schedules(day) || !item.expected()) {
                continue;
            }
            PatientDay reported = days.get(day);
            boolean inFull = reported != null
                    && Adherence.occurrencesCompleted(item, v.timesPerDay(), reported.repetitionsOf(exerciseId)) >= v.timesPerDay();
            if (!inFull) {
                if (day.equals(today)) {
                    continue;
                }
                return null;
            }
            done++;
            PatientDay.Difficulty difficulty = reported.difficultyOf(exerciseId);
            if (difficulty != null) {
                difficultySum += difficulty.sum();
                difficultyCount += difficulty.count();
            }
        }
        if (done < READY_DAYS) {
            return null;
        }
        if (difficultyCount == 0) {
            return READY_DAYS + " scheduled days done in full, no pain with it in " + PAIN_FREE_DAYS + " days";
        }
        // whole numbers: "at most 3 on average" compared exactly
        return difficultySum > (long) MAX_MEAN_DIFFICULTY * difficultyCount ? null
                : String.format("%d scheduled days done in full, difficulty %.1f of 5, no pain with it in %d days",
                        READY_DAYS, (double) difficultySum / difficultyCount, PAIN_FREE_DAYS);
    }

    /** The first day from which the item has had this dosage without a break (not before {@code oldest}). */
    private static LocalDate dosageSince(Prescription prescription, Map<Integer, PrescriptionVersion> byNumber, String exerciseId,
                                         Dosage dosage, LocalDate today, LocalDate oldest) {
        LocalDate since = today;
        while (since.isAfter(oldest) && dosage.equals(dosageOn(prescription, byNumber, exerciseId, since.minusDays(1)))) {
            since = since.minusDays(1);
        }
        return since;
    }

    /** The item's dosage in the version in force on {@code day}; null when it was not prescribed then. */
    private static Dosage dosageOn(Prescription prescription, Map<Integer, PrescriptionVersion> byNumber, String exerciseId,
                                  LocalDate day) {
        Prescription.Version v = prescription.inForce(day);
        if (v == null) {
            return null;
        }
        return byNumber.get(v.number()).items().stream().filter(i -> i.exerciseId().equals(exerciseId))
                .map(PrescribedItem::dosage).findFirst().orElse(null);
    }

    /** Whether {@code after} is {@code before} built up: no part lower, some part higher. */
    static boolean raised(Dosage before, Dosage after) {
        int[] b = levels(before);
        int[] a = levels(after);
        boolean higher = false;
        for (int i = 0; i < b.length; i++) {
            if (a[i] < b[i]) {
                return false;
            }
            higher |= a[i] > b[i];
        }
        return higher;
    }

    private static int[] levels(Dosage d) {
        return new int[] {d.sets() == null ? 0 : d.sets(), d.reps() == null ? 0 : d.reps().min(),
                d.holdSeconds() == null ? 0 : d.holdSeconds().min()};
    }

    /** The latest day from {@code from} on with evidence of the kind; null when none. */
    private static LocalDate latest(List<PainEvidence> evidence, Predicate<PainEvidence> about, LocalDate from) {
        LocalDate latest = null;
        for (PainEvidence e : evidence) {
            if (!e.day().isBefore(from) && about.test(e) && (latest == null || e.day().isAfter(latest))) {
                latest = e.day();
            }
        }
        return latest;
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
