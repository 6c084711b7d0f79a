package org.sciaticahep.insights.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sciaticahep.contracts.catalog.Dosage;
import org.sciaticahep.contracts.catalog.Progression;
import org.sciaticahep.contracts.catalog.Range;
import org.sciaticahep.contracts.catalog.Schedule;
import org.sciaticahep.contracts.session.ItemStatus;
import org.sciaticahep.contracts.session.PrescribedItem;
import org.sciaticahep.contracts.session.PrescriptionVersion;
import org.sciaticahep.contracts.session.Side;

/**
 * The next step of a dosage by the article's progressions, and when it (or a step back) is suggested. Dosages are written
 * {@code sets x repsMin-repsMax [hold holdMin-holdMax]}, progressions {@code reps by/max, sets by/max, hold by/max}.
 */
class ProgressionRulesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // what | dosage | progression (reps; sets; hold) | next
            "glute bridge: reps 8-10 to 10 first          | 1 x 8-10        | 2/10; 1/3; -  | 1 x 10-10",
            "glute bridge: then a second set              | 1 x 10-10       | 2/10; 1/3; -  | 2 x 10-10",
            "glute bridge: a third set                    | 2 x 10-10       | 2/10; 1/3; -  | 3 x 10-10",
            "glute bridge: at the top                     | 3 x 10-10       | 2/10; 1/3; -  | -",
            "pelvic tilt: from 10 by 2                    | 1 x 10-10       | 2/20; -; -    | 1 x 12-12",
            "pelvic tilt: capped at 20                    | 1 x 19-19       | 2/20; -; -    | 1 x 20-20",
            "pelvic tilt: at 20                           | 1 x 20-20       | 2/20; -; -    | -",
            "knee to chest: the hold's low end by 5       | 1 x 3-3 h 0-30  | -; -; 5/30    | 1 x 3-3 h 5-30",
            "pigeon: up to 20                             | 1 x 1-1 h 15-20 | -; -; 5/20    | 1 x 1-1 h 20-20",
            "pigeon: at 20                                | 1 x 1-1 h 20-20 | -; -; 5/20    | -",
            "a hold above the range's top lifts the top   | 1 x 1-1 h 10-10 | -; -; 5/30    | 1 x 1-1 h 15-15",
            "no progression                               | 1 x 8-10        | -             | -",
            "a hold step but no hold in the dosage        | 1 x 8-10        | -; -; 5/30    | -",
    })
    void next(String what, String dosage, String progression, String expected) {
        assertEquals(expected == null ? null : dosage(expected), ProgressionRules.next(dosage(dosage), progression(progression)), what);
    }

    static final String TILT = "pelvic-tilt";
    static final Progression TILT_UP = new Progression(new Progression.Step(2, 20), null, null);
    static final Set<DayOfWeek> EVERY_DAY = EnumSet.allOf(DayOfWeek.class);
    /** Today is day 10 of care; the tables' five columns are days 6 to 10. */
    static final LocalDate TODAY = DomainFixtures.day(10);

    /**
     * Readiness of the pelvic tilt (1 x 10, once a day, every day, since day 0): repetitions done on days 6..10 (today
     * last, one completion a day), the difficulty given on those days (0: none), and what speaks against building up
     * as {@code RULE@day:exercise} ({@code rest}: no exercise).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // what | reps days 6..10 | difficulty days 6..10 | evidence | suggested
            "three full days, today not yet done          | 0 10 10 10 0   | -             | -                           | 1 x 12-12",
            "today done in full counts                    | 0 0 10 10 10   | -             | -                           | 1 x 12-12",
            "today started, not over: skipped             | 0 10 10 10 5   | -             | -                           | 1 x 12-12",
            "a hard rating today, not done in full, counts | 0 10 10 10 5  | 0 3 3 3 5     | -                           | -",
            "one repetition short on one day              | 0 10 9 10 0    | -             | -                           | -",
            "only two days                                | 0 0 10 10 0    | -             | -                           | -",
            "extra work is still a full day               | 0 20 10 10 0   | -             | -                           | 1 x 12-12",
            "difficulty averaging exactly 3               | 0 10 10 10 0   | 0 3 3 3 0     | -                           | 1 x 12-12",
            "difficulty averaging above 3 (3, 3, 4)       | 0 10 10 10 0   | 0 3 3 4 0     | -                           | -",
            "difficulty given once, 2                     | 0 10 10 10 0   | 0 0 2 0 0     | -                           | 1 x 12-12",
            "a hard day before the last three             | 10 10 10 10 0  | 5 2 2 2 0     | -                           | 1 x 12-12",
            "worse pain with it 6 days ago                | 0 10 10 10 0   | -             | EXERCISE_WORSENS_PAIN@4:pelvic-tilt | -",
            "worse pain with it 7 days ago: over          | 0 10 10 10 0   | -             | EXERCISE_WORSENS_PAIN@3:pelvic-tilt | 1 x 12-12",
            "severe pain with another exercise            | 0 10 10 10 0   | -             | SEVERE_PAIN@9:knee-to-chest | 1 x 12-12",
            "worse pain with another exercise             | 0 10 10 10 0   | -             | EXERCISE_WORSENS_PAIN@9:knee-to-chest | 1 x 12-12",
            "severe pain with it                          | 0 10 10 10 0   | -             | SEVERE_PAIN@9:pelvic-tilt   | -",
            "severe pain at rest                          | 0 10 10 10 0   | -             | SEVERE_PAIN@9:rest          | -",
            "new pain at rest                             | 0 10 10 10 0   | -             | NEW_PAIN@10:rest            | -",
            "new pain with it                             | 0 10 10 10 0   | -             | NEW_PAIN@8:pelvic-tilt      | -",
            "a red flag                                   | 0 10 10 10 0   | -             | RED_FLAG_SYMPTOMS@9:rest    | -",
            "pain trending worse                          | 0 10 10 10 0   | -             | PAIN_TRENDING_WORSE@10:rest | -",
            "pain trending worse 7 days ago: over         | 0 10 10 10 0   | -             | PAIN_TRENDING_WORSE@3:rest  | 1 x 12-12",
    })
    void readyToProgress(String what, String reps, String difficulty, String evidence, String expected) {
        List<ProgressionRules.Suggestion> found = suggest(List.of(version(1, DomainFixtures.START, 1, EVERY_DAY, tilt(10, ItemStatus.ACTIVE))),
                days(reps, difficulty), evidence(evidence));
        assertEquals(expected == null ? List.of() : List.of(ProgressionRules.Direction.PROGRESS),
                found.stream().map(ProgressionRules.Suggestion::direction).toList(), what);
        if (expected != null) {
            assertEquals(dosage(expected), found.get(0).suggested(), what);
            assertEquals(tilt(10, ItemStatus.ACTIVE).dosage(), found.get(0).current(), what);
        }
    }

    /** Scheduled days only: on Monday, Wednesday and Friday, the three done in full are ready however far apart. */
    @Test
    void onlyScheduledDaysCount() {
        // day 10 is a Thursday: the last scheduled days are days 9 (Wed), 7 (Mon) and 4 (Fri)
        Set<DayOfWeek> mwf = EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY);
        List<PrescriptionVersion> published = List.of(version(1, DomainFixtures.START, 1, mwf, tilt(10, ItemStatus.ACTIVE)));
        NavigableMap<LocalDate, PatientDay> days = new TreeMap<>();
        for (int d : new int[] {4, 7, 9}) {
            done(days, DomainFixtures.day(d), TILT, Side.BOTH, 10, 1, null, 0);
        }
        assertEquals(1, suggest(published, days, List.of()).size());
        days.remove(DomainFixtures.day(4));
        assertEquals(List.of(), suggest(published, days, List.of()), "the third scheduled day back was missed");
    }

    /** Twice a day: a day is done in full with two sessions of the dosage, not one of twice the dosage. */
    @Test
    void twiceADayNeedsBothSessions() {
        List<PrescriptionVersion> published = List.of(version(1, DomainFixtures.START, 2, EVERY_DAY, tilt(10, ItemStatus.ACTIVE)));
        assertEquals(List.of(), suggest(published, days("0 10 10 10 0", null), List.of()), "once a day");
        assertEquals(List.of(), suggest(published, days("0 20 20 20 0", null), List.of()), "one session of 20");
        NavigableMap<LocalDate, PatientDay> twice = new TreeMap<>();
        for (int d = 7; d <= 9; d++) {
            done(twice, DomainFixtures.day(d), TILT, Side.BOTH, 20, 2, null, 0);
        }
        assertEquals(1, suggest(published, twice, List.of()).size(), "two sessions of 10");
        NavigableMap<LocalDate, PatientDay> uneven = new TreeMap<>();
        for (int d = 7; d <= 9; d++) {
            done(uneven, DomainFixtures.day(d), TILT, Side.BOTH, 20, 2, null, 0, 1);
        }
        assertEquals(List.of(), suggest(published, uneven, List.of()), "sessions of 19 and 1");
    }

    /** A new schedule starts the count again: days done once a day do not show a twice-a-day plan suits. */
    @Test
    void aNewScheduleStartsTheCountAgain() {
        List<PrescriptionVersion> published = List.of(
                version(1, DomainFixtures.START, 1, EVERY_DAY, tilt(10, ItemStatus.ACTIVE)),
                version(2, DomainFixtures.day(9), 2, EVERY_DAY, tilt(10, ItemStatus.ACTIVE)));
        NavigableMap<LocalDate, PatientDay> days = new TreeMap<>();
        for (int d = 6; d <= 10; d++) {
            done(days, DomainFixtures.day(d), TILT, Side.BOTH, 20, 2, null, 0);
        }
        assertEquals(List.of(), suggest(published, days, List.of()), "two days on the new schedule");
    }

    /**
     * A held exercise (knee to chest, 1 x 3 a leg, hold 10-30 s) is done in full only held at least 10 s on each
     * completion, on both legs; a completion stored before holds were kept shows nothing.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // what | left shortest hold | right shortest hold | left completions without details | ready
            "held 10 s on both legs          | 10 | 10 | 0 | true",
            "held longer                     | 30 | 20 | 0 | true",
            "one leg held 9 s                | 9  | 10 | 0 | false",
            "no hold reported on one leg     | 0  | 10 | 0 | false",
            "stored before details were kept | 10 | 10 | 1 | false",
    })
    void aHeldExerciseNeedsItsHold(String what, int left, int right, int withoutDetails, boolean ready) {
        Dosage knee = new Dosage(1, new Range(3, 3), new Range(10, 30), true);
        List<PrescriptionVersion> published = List.of(version(1, DomainFixtures.START, 1, EVERY_DAY,
                new PrescribedItem(DomainFixtures.KNEE, knee, ItemStatus.ACTIVE, null)));
        NavigableMap<LocalDate, PatientDay> days = new TreeMap<>();
        for (int d = 7; d <= 9; d++) {
            days.put(DomainFixtures.day(d), new PatientDay.Builder(DomainFixtures.day(d))
                    .addRepetitions(DomainFixtures.KNEE, Side.LEFT, 3)
                    .addEffort(DomainFixtures.KNEE, Side.LEFT, 1, 1 - withoutDetails, 0, 0, left, 3L)
                    .addRepetitions(DomainFixtures.KNEE, Side.RIGHT, 3).addEffort(DomainFixtures.KNEE, Side.RIGHT, 1, 1, 0, 0, right, 3L)
                    .build());
        }
        List<ProgressionRules.Suggestion> found = ProgressionRules.suggestions(DomainFixtures.enrollment(DomainFixtures.BERLIN),
                Prescription.fromPublished(published), id -> new Progression(null, null, new Progression.Step(5, 30)), days, List.of(), TODAY);
        assertEquals(ready ? List.of(new Dosage(1, new Range(3, 3), new Range(15, 30), true)) : List.of(),
                found.stream().map(ProgressionRules.Suggestion::suggested).toList(), what);
    }

    /** Days at the dosage before the current one do not count: the new dosage needs its own three days. */
    @Test
    void daysAtTheEarlierDosageDoNotCount() {
        List<PrescriptionVersion> published = List.of(
                version(1, DomainFixtures.START, 1, EVERY_DAY, tilt(10, ItemStatus.ACTIVE)),
                version(2, DomainFixtures.day(9), 1, EVERY_DAY, tilt(12, ItemStatus.ACTIVE)));
        assertEquals(List.of(), suggest(published, days("12 12 12 12 12", null), List.of()), "two days at 12");
        List<PrescriptionVersion> earlier = List.of(published.get(0),
                version(2, DomainFixtures.day(8), 1, EVERY_DAY, tilt(12, ItemStatus.ACTIVE)));
        assertEquals(List.of(dosage("1 x 14-14")), suggest(earlier, days("0 0 12 12 12", null), List.of()).stream()
                .map(ProgressionRules.Suggestion::suggested).toList(), "three days at 12");
    }

    /** A pause starts the count again: the days before it do not show that the exercise suits the patient now. */
    @Test
    void aPauseStartsTheCountAgain() {
        List<PrescriptionVersion> published = List.of(
                version(1, DomainFixtures.START, 1, EVERY_DAY, tilt(10, ItemStatus.ACTIVE)),
                version(2, DomainFixtures.day(7), 1, EVERY_DAY, tilt(10, ItemStatus.PAUSED)),
                version(3, DomainFixtures.day(9), 1, EVERY_DAY, tilt(10, ItemStatus.ACTIVE)));
        assertEquals(List.of(), suggest(published, days("10 10 10 10 10", null), List.of()), "two days since the resume");
        List<PrescriptionVersion> longer = List.of(published.get(0), published.get(1),
                version(3, DomainFixtures.day(8), 1, EVERY_DAY, tilt(10, ItemStatus.ACTIVE)));
        assertEquals(1, suggest(longer, days("10 10 10 10 10", null), List.of()).size(), "three days since the resume");
    }

    /**
     * The article's "stop if pain gets worse", applied to a raise: worse pain with the exercise since its dosage was
     * raised suggests the dosage before the raise; before the raise, or without one, there is nothing to step back to.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // what | raised on day | evidence | suggested
            "worse the day after the raise        | 8 | EXERCISE_WORSENS_PAIN@9:pelvic-tilt  | STEP_BACK 1 x 10-10",
            "worse on the day of the raise        | 8 | EXERCISE_WORSENS_PAIN@8:pelvic-tilt  | STEP_BACK 1 x 10-10",
            "worse the day before the raise       | 8 | EXERCISE_WORSENS_PAIN@7:pelvic-tilt  | -",
            "worse with another exercise: ready   | 8 | EXERCISE_WORSENS_PAIN@9:knee-to-chest | PROGRESS 1 x 14-14",
            "severe pain with it is not 'worse'   | 8 | SEVERE_PAIN@9:pelvic-tilt            | -",
            "never raised                         | - | EXERCISE_WORSENS_PAIN@9:pelvic-tilt  | -",
    })
    void stepBackAfterARaiseThatHurt(String what, Integer raisedOn, String evidence, String expected) {
        List<PrescriptionVersion> published = new ArrayList<>(List.of(
                version(1, DomainFixtures.START, 1, EVERY_DAY, tilt(10, ItemStatus.ACTIVE))));
        if (raisedOn != null) {
            published.add(version(2, DomainFixtures.day(raisedOn), 1, EVERY_DAY, tilt(12, ItemStatus.ACTIVE)));
        }
        List<String> found = suggest(published, days("12 12 12 12 12", null), evidence(evidence)).stream()
                .map(x -> x.direction() + " " + written(x.suggested())).toList();
        assertEquals(expected == null ? List.of() : List.of(expected), found, what);
    }

    /** A raise long ago, paused and resumed since at the same dosage, is still the one to step back from. */
    @Test
    void stepBackFromARaiseLongAgo() {
        LocalDate today = DomainFixtures.day(60);
        List<PrescriptionVersion> published = List.of(
                version(1, DomainFixtures.START, 1, EVERY_DAY, tilt(10, ItemStatus.ACTIVE)),
                version(2, DomainFixtures.day(5), 1, EVERY_DAY, tilt(12, ItemStatus.ACTIVE)),
                version(3, DomainFixtures.day(40), 1, EVERY_DAY, tilt(12, ItemStatus.PAUSED)),
                version(4, DomainFixtures.day(45), 1, EVERY_DAY, tilt(12, ItemStatus.ACTIVE)));
        List<ProgressionRules.Suggestion> found = ProgressionRules.suggestions(DomainFixtures.enrollment(DomainFixtures.BERLIN),
                Prescription.fromPublished(published), id -> TILT_UP, new TreeMap<>(),
                List.of(new ProgressionRules.PainEvidence(FlagRule.EXERCISE_WORSENS_PAIN, today, TILT)), today);
        assertEquals(List.of("STEP_BACK 1 x 10-10"), found.stream().map(x -> x.direction() + " " + written(x.suggested())).toList());
        assertEquals("Pain worse with it on " + today + " since its dosage was raised on " + DomainFixtures.day(5), found.get(0).reason());
    }

    /**
     * The raise is the last change of level (sets, minimum repetitions, shortest hold): a later edit of a range's top
     * does not hide it, nor does a version that left the exercise out; a lowering is no raise.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // what | dosages of versions 1..n from days 0, 4, 6, 8 (x: left out) | raised on day, from
            "one raise                          | 1 x 10-10; 1 x 12-12               | 4 1 x 10-10",
            "a top edited after the raise       | 1 x 10-10; 1 x 12-12; 1 x 12-15    | 4 1 x 10-10",
            "left out, then back higher         | 1 x 10-10; x; 1 x 12-12            | 6 1 x 10-10",
            "two raises: the last               | 1 x 10-10; 1 x 12-12; 2 x 12-12    | 6 1 x 12-12",
            "lowered                            | 1 x 12-12; 1 x 10-10               | -",
            "never changed                      | 1 x 10-10                          | -",
            "raised then lowered back           | 1 x 10-10; 1 x 12-12; 1 x 10-10    | -",
    })
    void theLastRaise(String what, String dosages, String expected) {
        int[] from = {0, 4, 6, 8};
        List<PrescriptionVersion> published = new ArrayList<>();
        String[] each = dosages.split(";");
        for (int i = 0; i < each.length; i++) {
            PrescribedItem[] items = each[i].trim().equals("x") ? new PrescribedItem[0]
                    : new PrescribedItem[] {new PrescribedItem(TILT, dosage(each[i]), ItemStatus.ACTIVE, null)};
            published.add(version(i + 1, DomainFixtures.day(from[i]), 1, EVERY_DAY, items));
        }
        Prescription.Raise raise = Prescription.fromPublished(published).lastRaise(TILT, TODAY);
        assertEquals(expected, raise == null ? null
                : DomainFixtures.dayNumber(raise.from()) + " " + written(raise.before()), what);
    }

    /**
     * Nothing is suggested for a paused exercise, once care has an end date, or while a version waiting for its date
     * changes that exercise (a waiting version that a newer one replaced, or one about another exercise, does not
     * count).
     */
    @Test
    void nothingWhilePausedEndingOrAlreadyChanged() {
        NavigableMap<LocalDate, PatientDay> full = days("10 10 10 10 10", null);
        PrescriptionVersion first = version(1, DomainFixtures.START, 1, EVERY_DAY, tilt(10, ItemStatus.ACTIVE));
        assertEquals(1, suggest(List.of(first), full, List.of()).size());
        assertEquals(List.of(), suggest(List.of(version(1, DomainFixtures.START, 1, EVERY_DAY, tilt(10, ItemStatus.PAUSED))), full, List.of()));
        assertEquals(List.of(), suggest(List.of(first, version(2, TODAY.plusDays(1), 1, EVERY_DAY, tilt(12, ItemStatus.ACTIVE))),
                full, List.of()), "applied from tomorrow");
        assertEquals(1, suggest(List.of(first, version(2, TODAY.plusDays(5), 1, EVERY_DAY, tilt(12, ItemStatus.ACTIVE)),
                version(3, DomainFixtures.START, 1, EVERY_DAY, tilt(10, ItemStatus.ACTIVE))), full, List.of()).size(),
                "a waiting version replaced");
        PrescribedItem knee = new PrescribedItem(DomainFixtures.KNEE, new Dosage(1, new Range(3, 3), null, true), ItemStatus.ACTIVE, null);
        assertEquals(1, suggest(List.of(version(1, DomainFixtures.START, 1, EVERY_DAY, tilt(10, ItemStatus.ACTIVE), knee),
                version(2, TODAY.plusDays(1), 1, EVERY_DAY, tilt(10, ItemStatus.ACTIVE),
                        new PrescribedItem(DomainFixtures.KNEE, knee.dosage(), ItemStatus.PAUSED, null))), full, List.of()).size(),
                "a waiting change of another exercise");
        Facts.Enrollment e = DomainFixtures.enrollment(DomainFixtures.BERLIN);
        Facts.Enrollment ending = new Facts.Enrollment(e.enrollmentId(), e.patientId(), e.programId(), e.programVersion(),
                e.startDate(), e.zone(), e.clinicianId(), e.enrolledAt(), TODAY.plusDays(3));
        assertEquals(List.of(), ProgressionRules.suggestions(ending, Prescription.fromPublished(List.of(first)), id -> TILT_UP, full,
                List.of(), TODAY));
        assertEquals(List.of(), suggest(List.of(version(1, DomainFixtures.START, 1, EVERY_DAY, tilt(20, ItemStatus.ACTIVE))), days(
                "20 20 20 20 20", null), List.of()), "at the top of its progression");
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "1 x 10-10       | 1 x 12-12       | true",
            "1 x 10-10       | 2 x 10-10       | true",
            "1 x 3-3 h 0-30  | 1 x 3-3 h 5-30  | true",
            "1 x 10-10       | 1 x 10-10       | false",
            "2 x 10-10       | 1 x 12-12       | false",
            "1 x 12-12       | 1 x 10-10       | false",
    })
    void raised(String before, String after, boolean raised) {
        assertEquals(raised, ProgressionRules.raised(dosage(before), dosage(after)));
    }

    private static List<ProgressionRules.Suggestion> suggest(List<PrescriptionVersion> published, NavigableMap<LocalDate, PatientDay> days,
                                                             List<ProgressionRules.PainEvidence> evidence) {
        return ProgressionRules.suggestions(DomainFixtures.enrollment(DomainFixtures.BERLIN), Prescription.fromPublished(published),
                id -> TILT_UP, days, evidence, TODAY);
    }

    private static PrescriptionVersion version(int number, LocalDate from, int timesPerDay, Set<DayOfWeek> days, PrescribedItem... items) {
        return new PrescriptionVersion(number, from, "sciatica-relief", 1, new Schedule(timesPerDay, days), List.of(items));
    }

    private static PrescribedItem tilt(int reps, ItemStatus status) {
        return new PrescribedItem(TILT, new Dosage(1, new Range(reps, reps), null, false), status, null);
    }

    /**
     * A day on which the exercise was done: repetitions in equal completions on a side, a difficulty (null: none),
     * a hold.
     */
    private static void done(NavigableMap<LocalDate, PatientDay> days, LocalDate date, String exerciseId, Side side, long reps,
                             int completions, Integer difficulty, int hold) {
        done(days, date, exerciseId, side, reps, completions, difficulty, hold, reps / completions);
    }

    private static void done(NavigableMap<LocalDate, PatientDay> days, LocalDate date, String exerciseId, Side side, long reps,
                             int completions, Integer difficulty, int hold, long fewestReps) {
        days.put(date, new PatientDay.Builder(date).addRepetitions(exerciseId, side, reps).addEffort(exerciseId, side, completions,
                completions, difficulty == null ? 0 : difficulty, difficulty == null ? 0 : 1, hold, fewestReps).build());
    }

    /** Repetitions of the pelvic tilt on days 6..10, one completion a day, and the difficulties (null or 0: none given). */
    private static NavigableMap<LocalDate, PatientDay> days(String reps, String difficulty) {
        NavigableMap<LocalDate, PatientDay> days = new TreeMap<>();
        String[] done = reps.trim().split("\\s+");
        String[] given = difficulty == null ? null : difficulty.trim().split("\\s+");
        for (int i = 0; i < done.length; i++) {
            int d = given == null ? 0 : Integer.parseInt(given[i]);
            if (Integer.parseInt(done[i]) > 0) {
                done(days, DomainFixtures.day(6 + i), TILT, Side.BOTH, Integer.parseInt(done[i]), 1, d == 0 ? null : d, 0);
            }
        }
        return days;
    }

    /** "RULE@day:exercise RULE@day:rest" → evidence. */
    private static List<ProgressionRules.PainEvidence> evidence(String written) {
        if (written == null) {
            return List.of();
        }
        return Arrays.stream(written.trim().split("\\s+")).map(e -> {
            String[] ruleRest = e.split("@");
            String[] dayExercise = ruleRest[1].split(":");
            return new ProgressionRules.PainEvidence(FlagRule.valueOf(ruleRest[0]), DomainFixtures.day(Integer.parseInt(dayExercise[0])),
                    dayExercise[1].equals("rest") ? null : dayExercise[1]);
        }).toList();
    }

    private static String written(Dosage d) {
        return d.sets() + " x " + d.reps().min() + "-" + d.reps().max() + (d.holdSeconds() == null ? ""
                : " h " + d.holdSeconds().min() + "-" + d.holdSeconds().max());
    }

    /** "2 x 10-12 h 5-30" → a dosage. */
    private static Dosage dosage(String written) {
        String[] parts = written.trim().split("\\s+");
        int sets = Integer.parseInt(parts[0]);
        Range reps = range(parts[2]);
        Range hold = parts.length > 3 ? range(parts[4]) : null;
        return new Dosage(sets, reps, hold, false);
    }

    private static Range range(String minMax) {
        String[] mm = minMax.split("-");
        return new Range(Integer.parseInt(mm[0]), Integer.parseInt(mm[1]));
    }

    /** "2/10; 1/3; -" → reps, sets, hold steps. */
    private static Progression progression(String written) {
        if (written == null) {
            return null;
        }
        String[] steps = written.split(";");
        return new Progression(step(steps[0]), step(steps.length > 1 ? steps[1] : "-"), step(steps.length > 2 ? steps[2] : "-"));
    }

    private static Progression.Step step(String byMax) {
        String s = byMax.trim();
        if (s.equals("-")) {
            return null;
        }
        String[] parts = s.split("/");
        return new Progression.Step(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }
}
