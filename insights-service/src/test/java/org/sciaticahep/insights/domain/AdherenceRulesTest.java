package org.sciaticahep.insights.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sciaticahep.insights.domain.DomainFixtures.BERLIN;
import static org.sciaticahep.insights.domain.DomainFixtures.enrollment;
import static org.sciaticahep.insights.domain.DomainFixtures.everyDay;
import static org.sciaticahep.insights.domain.DomainFixtures.onDays;
import static org.sciaticahep.insights.domain.DomainFixtures.window;
import static org.sciaticahep.insights.domain.DomainFixtures.withReps;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sciaticahep.contracts.session.Side;
import org.sciaticahep.contracts.catalog.Dosage;
import org.sciaticahep.contracts.catalog.Range;
import org.sciaticahep.contracts.catalog.Schedule;
import org.sciaticahep.contracts.session.ItemStatus;
import org.sciaticahep.contracts.session.PrescribedItem;
import org.sciaticahep.contracts.session.PrescriptionVersion;

/**
 * Adherence as completed over expected occurrences: partial sides, capped extra work, several times a day, the
 * schedule's days, the start date, and local days that are 23 or 25 hours long.
 */
class AdherenceRulesTest {

    private static final double EXACT = 1e-12;
    private static final String A = "knee-to-chest";
    private static final String B = "piriformis-stretch";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // what | per side | sets | min reps | times per day | reps by side | occurrences completed
            "all of it                                   | false | 1 | 10 | 1 | BOTH=10                 | 1.0",
            "half of it                                  | false | 1 | 10 | 1 | BOTH=5                  | 0.5",
            "nothing                                     | false | 1 | 10 | 1 |                         | 0.0",
            "double is capped at 1                       | false | 1 | 10 | 1 | BOTH=20                 | 1.0",
            "not per side: sides are summed              | false | 1 | 10 | 1 | LEFT=5 RIGHT=5          | 1.0",
            "per side: left only is half                 | true  | 1 | 3  | 1 | LEFT=3                  | 0.5",
            "per side: right only is half                | true  | 1 | 3  | 1 | RIGHT=3                 | 0.5",
            "per side: both sides                        | true  | 1 | 3  | 1 | LEFT=3 RIGHT=3          | 1.0",
            "per side: BOTH counts for both sides        | true  | 1 | 3  | 1 | BOTH=3                  | 1.0",
            "per side: extra left does not fill right    | true  | 1 | 3  | 1 | LEFT=6                  | 0.5",
            "per side: ten times as much is capped       | true  | 1 | 3  | 1 | LEFT=30 RIGHT=30        | 1.0",
            "per side: 3 left, 1 right                   | true  | 1 | 3  | 1 | LEFT=3 RIGHT=1          | 0.6666666666666666",
            "per side: BOTH adds to each side            | true  | 1 | 3  | 1 | BOTH=1 LEFT=2 RIGHT=2   | 1.0",
            "per side: BOTH 2 and left 1                 | true  | 1 | 3  | 1 | BOTH=2 LEFT=1           | 0.8333333333333333",
            "per side, 2 sets: 6 left, 3 right           | true  | 2 | 3  | 1 | LEFT=6 RIGHT=3          | 0.75",
            "twice a day: the dosage once                | false | 1 | 3  | 2 | BOTH=3                  | 1.0",
            "twice a day: the dosage twice               | false | 1 | 3  | 2 | BOTH=6                  | 2.0",
            "twice a day: four times is capped at 2      | false | 1 | 3  | 2 | BOTH=12                 | 2.0",
            "twice a day: 4 of 6                         | false | 1 | 3  | 2 | BOTH=4                  | 1.3333333333333333",
            "three times a day, per side: all            | true  | 1 | 3  | 3 | LEFT=9 RIGHT=9          | 3.0",
            "three times a day, per side: left only      | true  | 1 | 3  | 3 | LEFT=9                  | 1.5",
            "three times a day, per side: BOTH once      | true  | 1 | 3  | 3 | BOTH=3                  | 1.0",
            "twice a day, per side, 2 sets: 6 left 3 right | true | 2 | 3 | 2 | LEFT=6 RIGHT=3          | 0.75",
            "twice a day, per side, 2 sets: 12 left 6 right | true | 2 | 3 | 2 | LEFT=12 RIGHT=6        | 1.5",
    })
    void occurrencesCompleted(String what, boolean perSide, int sets, int minReps, int timesPerDay, String reps, double expected) {
        Map<Side, Long> bySide = new EnumMap<>(Side.class);
        if (reps != null) {
            for (String part : reps.trim().split("\\s+")) {
                String[] kv = part.split("=");
                bySide.put(Side.valueOf(kv[0]), Long.valueOf(kv[1]));
            }
        }
        assertEquals(expected, Adherence.occurrencesCompleted(new Prescription.Item(A, sets, minReps, perSide), timesPerDay, bySide),
                EXACT, what);
    }

    /** Mon, Wed and Fri, two exercises (B per side); the week of 2026-11-02 (a Monday) with work on every day. */
    @Test
    void onlyTheSchedulesDaysAndTheProgramsExercisesCount() {
        Prescription p = onDays(1, EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY),
                new Prescription.Item(A, 1, 10, false), new Prescription.Item(B, 1, 3, true));
        NavigableMap<LocalDate, PatientDay> days = new TreeMap<>();
        withReps(days, date("2026-11-02"), A, Side.BOTH, 10);         // Mon: A 1
        withReps(days, date("2026-11-02"), B, Side.LEFT, 3);          //      B 0.5
        withReps(days, date("2026-11-02"), "bird-dog", Side.BOTH, 99); //     not in the program
        withReps(days, date("2026-11-03"), A, Side.BOTH, 10);         // Tue: not scheduled
        withReps(days, date("2026-11-04"), B, Side.RIGHT, 3);         // Wed: B 0.5
        withReps(days, date("2026-11-06"), A, Side.BOTH, 5);          // Fri: A 0.5
        withReps(days, date("2026-11-06"), B, Side.BOTH, 3);          //      B 1
        withReps(days, date("2026-11-08"), A, Side.BOTH, 10);         // Sun: not scheduled

        Adherence.Report r = Adherence.compute(enrollment(date("2026-11-02"), BERLIN), p, days, date("2026-11-02"), date("2026-11-08"));

        assertEquals(List.of(new Adherence.Day(date("2026-11-02"), 2, 1.5, 0.75), new Adherence.Day(date("2026-11-04"), 2, 0.5, 0.25),
                new Adherence.Day(date("2026-11-06"), 2, 1.5, 0.75)), r.days());
        assertEquals(6.0, r.expected(), EXACT);
        assertEquals(3.5, r.completed(), EXACT);
        assertEquals(3.5 / 6, r.ratio(), EXACT);
        assertEquals(List.of(new Adherence.PerExercise(A, 3, 1.5, 0.5, 35), new Adherence.PerExercise(B, 3, 2.0, 2.0 / 3, 9)), r.exercises());
        assertEquals(date("2026-11-02"), r.from());
        assertEquals(date("2026-11-08"), r.to());
    }

    @Test
    void daysBeforeTheStartDateExpectNothing() {
        Prescription p = everyDay(1, new Prescription.Item(A, 1, 10, false));
        NavigableMap<LocalDate, PatientDay> days = new TreeMap<>();
        withReps(days, date("2026-11-03"), A, Side.BOTH, 10); // the day before the start: not counted
        withReps(days, date("2026-11-04"), A, Side.BOTH, 10);
        withReps(days, date("2026-11-05"), A, Side.BOTH, 5);

        Adherence.Report r = Adherence.compute(enrollment(date("2026-11-04"), BERLIN), p, days, date("2026-11-01"), date("2026-11-07"));

        assertEquals(date("2026-11-04"), r.from(), "clamped to the start date");
        assertEquals(List.of(date("2026-11-04"), date("2026-11-05"), date("2026-11-06"), date("2026-11-07")),
                r.days().stream().map(Adherence.Day::date).toList());
        assertEquals(4.0, r.expected(), EXACT);
        assertEquals(1.5, r.completed(), EXACT);
        assertEquals(0.375, r.ratio(), EXACT);
    }

    @Test
    void nothingExpectedIsNoRatio() {
        Prescription p = everyDay(1, new Prescription.Item(A, 1, 10, false));
        NavigableMap<LocalDate, PatientDay> days = withReps(new TreeMap<>(), date("2026-10-20"), A, Side.BOTH, 10);
        Adherence.Report before = Adherence.compute(enrollment(date("2026-11-04"), BERLIN), p, days, date("2026-10-01"), date("2026-10-31"));
        assertEquals(List.of(), before.days(), "a range before the start date");
        assertEquals(0.0, before.expected(), EXACT);
        assertNull(before.ratio());

        Prescription sundaysOnly = onDays(1, EnumSet.of(DayOfWeek.SUNDAY), new Prescription.Item(A, 1, 10, false));
        Adherence.Report weekdays = Adherence.compute(enrollment(date("2026-11-02"), BERLIN), sundaysOnly, days, date("2026-11-02"), date("2026-11-07"));
        assertEquals(List.of(), weekdays.days(), "Mon..Sat of a Sundays-only program");
        assertNull(weekdays.ratio());
        assertEquals(List.of(new Adherence.PerExercise(A, 0, 0, null, 0)), weekdays.exercises());
    }

    @Test
    void severalTimesPerDay() {
        Prescription p = everyDay(2, new Prescription.Item(A, 1, 3, false), new Prescription.Item(B, 1, 3, true));
        NavigableMap<LocalDate, PatientDay> days = new TreeMap<>();
        withReps(days, date("2026-11-02"), A, Side.BOTH, 3);  // 1 of 2
        withReps(days, date("2026-11-02"), B, Side.LEFT, 6);  // left 1, right 0: 2 x 0.5 = 1 of 2
        withReps(days, date("2026-11-03"), A, Side.BOTH, 9);  // capped: 2 of 2
        withReps(days, date("2026-11-03"), B, Side.BOTH, 3);  // 3 of 6 each side: 1 of 2
        Adherence.Report r = Adherence.compute(enrollment(date("2026-11-02"), BERLIN), p, days, date("2026-11-02"), date("2026-11-03"));
        assertEquals(List.of(new Adherence.Day(date("2026-11-02"), 4, 2, 0.5), new Adherence.Day(date("2026-11-03"), 4, 3, 0.75)), r.days());
        assertEquals(5.0 / 8, r.ratio(), EXACT);
        assertEquals(List.of(new Adherence.PerExercise(A, 4, 3, 0.75, 12), new Adherence.PerExercise(B, 4, 2, 0.5, 9)), r.exercises());
    }

    /**
     * Europe/Berlin's 23-hour day 2026-03-29 and 25-hour day 2026-10-25 are one local day each: completions are put on
     * their local date (as the stored aggregates are), and each day expects exactly one occurrence.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // what | from | to | completions (offset date-time=reps) | expected days | completed per day
            "spring forward | 2026-03-28 | 2026-03-30 | 2026-03-29T01:30+01:00=4 2026-03-29T03:30+02:00=4 2026-03-29T23:30+02:00=2 2026-03-30T00:30+02:00=5 | 3 | 0.0 1.0 0.5",
            "fall back      | 2026-10-24 | 2026-10-26 | 2026-10-25T02:30+02:00=4 2026-10-25T02:30+01:00=4 2026-10-25T23:30+01:00=2 2026-10-26T00:30+01:00=5 | 3 | 0.0 1.0 0.5",
    })
    void aDaylightSavingChangeDayIsOneDay(String what, LocalDate from, LocalDate to, String completions, int expectedDays, String perDay) {
        Prescription p = everyDay(1, new Prescription.Item(A, 1, 10, false));
        NavigableMap<LocalDate, PatientDay> days = new TreeMap<>();
        for (String c : completions.split("\\s+")) {
            String[] kv = c.split("=");
            LocalDate local = OffsetDateTime.parse(kv[0]).toInstant().atZone(BERLIN).toLocalDate();
            withReps(days, local, A, Side.BOTH, Long.parseLong(kv[1]));
        }
        Adherence.Report r = Adherence.compute(enrollment(from, BERLIN), p, days, from, to);
        assertEquals(expectedDays, r.days().size(), what);
        List<Double> completed = new ArrayList<>();
        r.days().forEach(d -> {
            assertEquals(1.0, d.expected(), EXACT, d.date() + " expects one occurrence");
            completed.add(d.completed());
        });
        List<Double> expected = new ArrayList<>();
        for (String s : perDay.split("\\s+")) {
            expected.add(Double.valueOf(s));
        }
        assertEquals(expected, completed, what);
        assertEquals(1.5 / 3, r.ratio(), EXACT, what);
    }

    /** LOW_ADHERENCE of a local day is due when that day is over: at the local midnight after it, whatever its length. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "spring forward | 2026-03-20 | 2026-03-28 | 2026-03-30 | 2026-03-28T23:00:00Z 2026-03-29T22:00:00Z 2026-03-30T22:00:00Z",
            "fall back      | 2026-10-10 | 2026-10-24 | 2026-10-26 | 2026-10-24T22:00:00Z 2026-10-25T23:00:00Z 2026-10-26T23:00:00Z",
    })
    void lowAdherenceIsDueAtTheLocalMidnightAfterItsDay(String what, LocalDate start, LocalDate from, LocalDate to, String dueAt) {
        Prescription p = everyDay(1, new Prescription.Item(A, 1, 10, false));
        PatientWindow w = window(enrollment(start, BERLIN), BERLIN, p, new TreeMap<>(), List.of(), Map.of(), to.plusDays(3));
        List<FlagRules.Occurrence> found = DomainFixtures.only(FlagRule.LOW_ADHERENCE, FlagRules.evaluate(w, Scope.periods(from, to)));
        assertEquals(List.of(from, from.plusDays(1), to), found.stream().map(FlagRules.Occurrence::day).toList(), what);
        assertEquals(DomainFixtures.list(dueAt.replace(' ', ',')).stream().map(Instant::parse).toList(),
                found.stream().map(FlagRules.Occurrence::at).toList(), what);
    }

    /** An exercise done after local midnight changes the adherence of the local day it was done on and the six after. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "Asia/Kolkata, 2026-11-25T20:00:00Z, 2026-11-26",       // 01:30 local
            "Asia/Kolkata, 2026-11-25T18:00:00Z, 2026-11-25",       // 23:30 local
            "America/Los_Angeles, 2026-11-26T07:30:00Z, 2026-11-25", // 23:30 local
            "Europe/Berlin, 2026-03-29T22:30:00Z, 2026-03-30",      // 00:30 CEST
    })
    void anExerciseScopesItsLocalDayAndTheSixAfter(ZoneId zone, Instant doneAt, LocalDate localDay) {
        Scope scope = new Scope.Builder().exercise(doneAt.atZone(zone).toLocalDate()).build();
        assertFalse(scope.covers(FlagRule.Family.ADHERENCE, localDay.minusDays(1)), "the day before");
        for (int i = 0; i < 7; i++) {
            assertTrue(scope.covers(FlagRule.Family.ADHERENCE, localDay.plusDays(i)), "day " + i);
        }
        assertFalse(scope.covers(FlagRule.Family.ADHERENCE, localDay.plusDays(7)), "the eighth day");
        assertFalse(scope.covers(FlagRule.Family.REPORT, localDay), "no report rules");
        assertFalse(scope.covers(FlagRule.Family.PAIN_TREND, localDay), "no pain trend");
        assertEquals(localDay, scope.firstDay());
        assertEquals(localDay.plusDays(6), scope.lastDay());
    }

    private static LocalDate date(String iso) {
        return LocalDate.parse(iso);
    }

    static Prescription.Version version(int number, String from, Prescription.Item... items) {
        return new Prescription.Version(number, date(from), 1, EnumSet.allOf(DayOfWeek.class), List.of(items));
    }

    /** Which version is in force on a day: the highest-numbered one that has started by then. */
    @ParameterizedTest(name = "{0}: version {1}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "2026-11-01|none", // before version 1
            "2026-11-02|1",    // version 1's first day
            "2026-11-09|1",
            "2026-11-10|3",    // version 3 (written after 2, in force earlier) replaces 2's plan from its date on
            "2026-11-20|3",    // 2 would have started here: 3 replaced it
            "2026-12-01|4"})
    void theHighestNumberedVersionThatHasStartedIsInForce(String day, Integer expected) {
        Prescription p = Prescription.of(List.of(version(4, "2026-12-01"), version(2, "2026-11-20"), version(1, "2026-11-02"),
                version(3, "2026-11-10")));
        Prescription.Version v = p.inForce(date(day));
        assertEquals(expected, v == null ? null : v.number());
    }

    /** The patient paused A the day after it hurt: from then on only B is expected; work on A is kept, not counted. */
    @Test
    void aPausedExerciseExpectsNothingFromItsDate() {
        Prescription p = Prescription.of(List.of(
                version(1, "2026-11-02", new Prescription.Item(A, 1, 10, false), new Prescription.Item(B, 1, 10, false)),
                version(2, "2026-11-04", new Prescription.Item(A, 1, 10, false, false), new Prescription.Item(B, 1, 10, false))));
        NavigableMap<LocalDate, PatientDay> days = new TreeMap<>();
        for (LocalDate d = date("2026-11-02"); !d.isAfter(date("2026-11-06")); d = d.plusDays(1)) {
            withReps(days, d, B, Side.BOTH, 10);
        }
        withReps(days, date("2026-11-03"), A, Side.BOTH, 10);
        withReps(days, date("2026-11-05"), A, Side.BOTH, 4); // done although paused: kept, not counted

        Adherence.Report r = Adherence.compute(enrollment(date("2026-11-02"), BERLIN), p, days, date("2026-11-02"), date("2026-11-06"));

        assertEquals(List.of(new Adherence.Day(date("2026-11-02"), 2, 1, 0.5), new Adherence.Day(date("2026-11-03"), 2, 2, 1.0),
                new Adherence.Day(date("2026-11-04"), 1, 1, 1.0), new Adherence.Day(date("2026-11-05"), 1, 1, 1.0),
                new Adherence.Day(date("2026-11-06"), 1, 1, 1.0)), r.days());
        assertEquals(List.of(new Adherence.PerExercise(A, 2, 1, 0.5, 14), new Adherence.PerExercise(B, 5, 5, 1.0, 50)), r.exercises());
        assertEquals(6.0 / 7, r.ratio(), EXACT);
    }

    /** Dosage raised from 11-04: 10 reps complete a day before it, half of one from it (exact figures). */
    @Test
    void aRaisedDosageCountsFromItsDate() {
        Prescription p = Prescription.of(List.of(version(1, "2026-11-02", new Prescription.Item(A, 1, 10, false)),
                version(2, "2026-11-04", new Prescription.Item(A, 2, 10, false))));
        NavigableMap<LocalDate, PatientDay> days = new TreeMap<>();
        for (LocalDate d = date("2026-11-02"); !d.isAfter(date("2026-11-05")); d = d.plusDays(1)) {
            withReps(days, d, A, Side.BOTH, 10);
        }
        Adherence.Report r = Adherence.compute(enrollment(date("2026-11-02"), BERLIN), p, days, date("2026-11-02"), date("2026-11-05"));
        assertEquals(List.of(1.0, 1.0, 0.5, 0.5), r.days().stream().map(Adherence.Day::ratio).toList());
        assertEquals(0.75, r.ratio(), EXACT);
    }

    /** Nothing is expected after the last day of care. */
    @ParameterizedTest(name = "care ended {0}: {1} days expected")
    @CsvSource({"2026-11-01,0", "2026-11-02,1", "2026-11-04,3", "2026-11-08,7", "2026-12-31,7"})
    void nothingIsExpectedAfterTheEndOfCare(String endDate, int expectedDays) {
        Facts.Enrollment started = enrollment(date("2026-11-02"), BERLIN);
        Facts.Enrollment ended = new Facts.Enrollment(started.enrollmentId(), started.patientId(), started.programId(),
                started.programVersion(), started.startDate(), started.zone(), started.clinicianId(), started.enrolledAt(), date(endDate));
        Adherence.Report r = Adherence.compute(ended, everyDay(1, new Prescription.Item(A, 1, 10, false)), new TreeMap<>(),
                date("2026-11-02"), date("2026-11-08"));
        assertEquals(expectedDays, r.days().size());
        assertEquals(expectedDays, r.expected(), EXACT);
    }

    /**
     * A shorter period's ratio read off a longer report (the patient list's 7 days from its 28) is the one computed
     * for that period, also when care started within it or ended before today, and null when nothing was expected.
     */
    @ParameterizedTest(name = "started day {0}, ended day {1}")
    @CsvSource(nullValues = "-", value = {"0, -", "20, -", "24, -", "27, -", "0, 22", "0, 25", "0, 18", "26, -"})
    void aShorterPeriodsRatioFromALongerReport(int startDay, Integer endDay) {
        LocalDate day0 = date("2026-11-02");
        LocalDate today = day0.plusDays(27);
        Facts.Enrollment started = enrollment(day0.plusDays(startDay), BERLIN);
        Facts.Enrollment e = endDay == null ? started : new Facts.Enrollment(started.enrollmentId(), started.patientId(),
                started.programId(), started.programVersion(), started.startDate(), started.zone(), started.clinicianId(),
                started.enrolledAt(), day0.plusDays(endDay));
        Prescription p = everyDay(1, new Prescription.Item(A, 1, 10, false), new Prescription.Item(B, 1, 4, true));
        NavigableMap<LocalDate, PatientDay> days = new TreeMap<>();
        for (int d = 0; d < 28; d++) {
            withReps(days, day0.plusDays(d), A, Side.BOTH, d % 3 == 0 ? 10 : 4);
            withReps(days, day0.plusDays(d), B, d % 2 == 0 ? Side.LEFT : Side.BOTH, 4);
        }
        Adherence.Report month = Adherence.compute(e, p, days, today.minusDays(27), today);
        Adherence.Report week = Adherence.compute(e, p, days, today.minusDays(6), today);
        assertEquals(week.ratio(), month.ratioFrom(today.minusDays(6)));
        assertEquals(month.ratio(), month.ratioFrom(today.minusDays(27)));
    }

    /** Published versions become the timeline: statuses, dosages, sides and schedule carried over. */
    @Test
    void publishedVersionsAreReadAsTheyWerePrescribed() {
        Schedule weekdays = new Schedule(2, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
        PrescriptionVersion v1 = new PrescriptionVersion(1, date("2026-11-02"), "sciatica-relief", 3, weekdays, List.of(
                new PrescribedItem(A, new Dosage(2, Range.of(8, 10), null, true), ItemStatus.ACTIVE, null),
                new PrescribedItem(B, new Dosage(1, Range.of(5, 5), Range.of(20, 30), false), ItemStatus.PAUSED, "hurt")));
        PrescriptionVersion v2 = new PrescriptionVersion(2, date("2026-11-05"), "sciatica-relief", 3, weekdays, List.of(
                new PrescribedItem(A, new Dosage(2, Range.of(8, 10), null, true), ItemStatus.STOPPED, null)));
        Prescription p = Prescription.fromPublished(List.of(v2, v1));
        assertEquals(new Prescription.Version(1, date("2026-11-02"), 2, weekdays.daysOfWeek(), List.of(
                new Prescription.Item(A, new Dosage(2, Range.of(8, 10), null, true), true),
                new Prescription.Item(B, new Dosage(1, Range.of(5, 5), Range.of(20, 30), false), false))), p.inForce(date("2026-11-04")));
        assertFalse(p.inForce(date("2026-11-05")).items().get(0).expected(), "stopped");
        assertEquals(List.of(A, B), p.exerciseIds());
    }
}
