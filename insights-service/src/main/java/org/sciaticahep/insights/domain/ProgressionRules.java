package org.sciaticahep.insights.domain;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.sciaticahep.contracts.catalog.Dosage;
import org.sciaticahep.contracts.catalog.Progression;
import org.sciaticahep.contracts.catalog.Range;

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
     * How far back (today included) the rules look for the ready days and for pain evidence: the days a caller reads.
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
     * An occurrence of a rule that speaks against building up, on a local day, with the exercise its report was about
     * (null: pain at rest, or a rule about the patient, not a report).
     */
    public record PainEvidence(FlagRule rule, LocalDate day, String exerciseId) {
    }

    /** The rules whose occurrences speak against building up (what {@link PainEvidence} is read of). */
    public static final List<FlagRule> EVIDENCE = List.of(FlagRule.EXERCISE_WORSENS_PAIN, FlagRule.NEW_PAIN,
            FlagRule.SEVERE_PAIN, FlagRule.RED_FLAG_SYMPTOMS, FlagRule.PAIN_TRENDING_WORSE);

    /**
     * The suggestions for the prescription in force today. An active item whose exercise builds up is ready for its
     * next step when its last {@value #READY_DAYS} scheduled days of its current run (active at this dosage, without
     * a pause) were each done in full, hold included (today counts once done in full; until then it is not over, but
     * a difficulty given today counts), the difficulties given average at most {@value #MAX_MEAN_DIFFICULTY}, and in
     * the last {@value #PAIN_FREE_DAYS} days nothing speaks against it: no exercise-worsens-pain, new or severe pain
     * about that exercise, no new or severe pain at rest, no red flag, no worsening pain trend. An item whose dosage
     * was raised, with exercise-worsens-pain evidence since the raise, is suggested the dosage before it. Nothing once
     * care has an end date, nor while a newer version waits for its date (the clinician already decided).
     *
     * @param prescription  the enrollment's versions (null: not known yet)
     * @param progressionOf each exercise's progression (null: it does not build up)
     * @param days          the daily aggregates of at least the last {@value #LOOK_BACK_DAYS} days
     * @param evidence      what speaks against building up, of at least those days
     */
    public static List<Suggestion> suggestions(Facts.Enrollment enrollment, Prescription prescription,
                                               Function<String, Progression> progressionOf,
                                               NavigableMap<LocalDate, PatientDay> days, List<PainEvidence> evidence,
                                               LocalDate today) {
        if (prescription == null || enrollment.endDate() != null) {
            return List.of();
        }
        Prescription.Version inForce = prescription.inForce(today);
        if (inForce == null) {
            return List.of();
        }
        LocalDate oldest = Scope.max(enrollment.startDate(), today.minusDays(LOOK_BACK_DAYS - 1L));
        LocalDate painFree = today.minusDays(PAIN_FREE_DAYS - 1L);
        // about the patient, not one exercise: nothing builds up
        boolean holdEverything = latest(evidence, e -> e.rule() == FlagRule.RED_FLAG_SYMPTOMS || e.rule() == FlagRule.PAIN_TRENDING_WORSE
                || e.exerciseId() == null && e.rule() != FlagRule.EXERCISE_WORSENS_PAIN, painFree) != null;
        List<Suggestion> found = new ArrayList<>();
        for (Prescription.Item item : inForce.items()) {
            if (!item.expected()) {
                continue;
            }
            String id = item.exerciseId();
            if (prescription.changesAfter(today, id)) {
                continue;     // the clinician has decided its next dosage already
            }
            Prescription.Raise raise = prescription.lastRaise(id, today);
            LocalDate worsened = raise == null ? null
                    : latest(evidence, e -> e.rule() == FlagRule.EXERCISE_WORSENS_PAIN && id.equals(e.exerciseId()), raise.from());
            if (worsened != null) {
                found.add(new Suggestion(id, Direction.STEP_BACK, item.dosage(), raise.before(),
                        "Pain worse with it on " + worsened + " since its dosage was raised on " + raise.from()));
                continue;
            }
            Dosage next = next(item.dosage(), progressionOf.apply(id));
            if (next == null || holdEverything || latest(evidence, e -> id.equals(e.exerciseId()), painFree) != null) {
                continue;
            }
            String ready = ready(prescription, item, days, runSince(prescription, item, today, oldest), today);
            if (ready != null) {
                found.add(new Suggestion(id, Direction.PROGRESS, item.dosage(), next, ready));
            }
        }
        return found;
    }

    /**
     * Why the item is ready (null: it is not): its last {@value #READY_DAYS} scheduled days from {@code since}, each
     * done in full, and the mean of the difficulties given.
     */
    private static String ready(Prescription prescription, Prescription.Item current, NavigableMap<LocalDate, PatientDay> days,
                                LocalDate since, LocalDate today) {
        String id = current.exerciseId();
        int done = 0;
        long difficultySum = 0;
        int difficultyCount = 0;
        for (LocalDate day = today; done < READY_DAYS && !day.isBefore(since); day = day.minusDays(1)) {
            Prescription.Version v = prescription.inForce(day);
            PatientDay reported = days.get(day);
            PatientDay.Effort effort = reported == null ? null : reported.effortOf(id);
            if (effort != null) {
                difficultySum += effort.difficultySum();
                difficultyCount += effort.difficultyCount();
            }
            if (!v.schedules(day)) {
                continue;
            }
            if (reported == null || !inFull(current, v.timesPerDay(), reported)) {
                if (day.equals(today)) {
                    continue;
                }
                return null;
            }
            done++;
        }
        // whole numbers: "at most 3 on average" compared exactly
        if (done < READY_DAYS || difficultySum > (long) MAX_MEAN_DIFFICULTY * difficultyCount) {
            return null;
        }
        return difficultyCount == 0
                ? String.format(Locale.ROOT, "%d scheduled days done in full, no pain with it in %d days", READY_DAYS, PAIN_FREE_DAYS)
                : String.format(Locale.ROOT, "%d scheduled days done in full, difficulty %.1f of 5, no pain with it in %d days",
                        READY_DAYS, (double) difficultySum / difficultyCount, PAIN_FREE_DAYS);
    }

    /**
     * Done in full: every occurrence of the day as its own session (times per day, on each required side), each
     * completion with every repetition the dosage asks for (sets × minimum reps) and held at least its shortest hold,
     * and none stored without those details (before they were kept).
     */
    static boolean inFull(Prescription.Item item, int timesPerDay, PatientDay day) {
        String id = item.exerciseId();
        PatientDay.Effort effort = day.effortOf(id);
        return effort != null && effort.withoutDetails() == 0 && day.sessionsOf(id, item.perSide()) >= timesPerDay
                && effort.fewestReps() != null && effort.fewestReps() >= item.requiredReps()
                && (item.minHold() == 0 || effort.shortestHold() != null && effort.shortestHold() >= item.minHold())
                && Adherence.occurrencesCompleted(item, timesPerDay, day.repetitionsOf(id)) >= timesPerDay;
    }

    /**
     * The first day of the item's current run: active at its current dosage and schedule every day from then to
     * today, without a pause (a pause starts the count again), not before {@code oldest}.
     */
    private static LocalDate runSince(Prescription prescription, Prescription.Item current, LocalDate today, LocalDate oldest) {
        Prescription.Version now = prescription.inForce(today);
        LocalDate since = today;
        while (since.isAfter(oldest)) {
            Prescription.Version v = prescription.inForce(since.minusDays(1));
            Prescription.Item before = v == null ? null : v.item(current.exerciseId());
            // how often counts as much as how much: a new schedule starts the count again
            if (before == null || !before.expected() || !before.dosage().equals(current.dosage())
                    || v.timesPerDay() != now.timesPerDay() || !v.days().equals(now.days())) {
                break;
            }
            since = since.minusDays(1);
        }
        return since;
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

    /** Whether two dosages ask for as much (sets, minimum repetitions, shortest hold): ranges' tops aside. */
    static boolean sameLevel(Dosage a, Dosage b) {
        return java.util.Arrays.equals(levels(a), levels(b));
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
