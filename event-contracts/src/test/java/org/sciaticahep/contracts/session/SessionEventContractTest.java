package org.sciaticahep.contracts.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.sciaticahep.contracts.catalog.Dosage;
import org.sciaticahep.contracts.catalog.Range;
import org.sciaticahep.contracts.catalog.Schedule;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each bound of the contract, at it and one past it; a broken event names the field. */
class SessionEventContractTest {

    static final UUID ID = UUID.fromString("6f1c1a7e-8a43-4d59-9a1b-0d3c2f1e4b5a");
    static final OffsetDateTime AT = OffsetDateTime.parse("2026-11-30T08:00:00+01:00");

    static ExerciseCompleted exercise(String exerciseId, int sets, int reps, Integer hold, Integer difficulty) {
        return new ExerciseCompleted(ID, "p-1", AT, exerciseId, Side.LEFT, sets, reps, hold, difficulty);
    }

    static PainReported pain(int score, PainLocation location, PainContext context, String exerciseId, List<RedFlag> redFlags) {
        return new PainReported(ID, "p-1", AT, score, location, Side.LEFT, context, exerciseId, false, redFlags);
    }

    static EnrollmentStarted enrollment(String timezone, int version, String clinicianId) {
        return enrollment(timezone, version, clinicianId, "2026-11-01");
    }

    static EnrollmentStarted enrollment(String timezone, int version, String clinicianId, String startDate) {
        return new EnrollmentStarted(ID, "p-1", AT, ID, "sciatica-relief", version, LocalDate.parse(startDate), timezone, clinicianId, null);
    }

    static PrescriptionVersion prescription(Schedule schedule, PrescribedItem... items) {
        return new PrescriptionVersion(2, LocalDate.parse("2026-11-30"), "sciatica-relief", 1, schedule, Arrays.asList(items));
    }

    static PrescribedItem item(String exerciseId, Dosage dosage, ItemStatus status) {
        return new PrescribedItem(exerciseId, dosage, status, null);
    }

    static PrescriptionChanged changed(PrescriptionVersion p) {
        return new PrescriptionChanged(ID, "p-1", AT, ID, "c-1", p);
    }

    static final Schedule DAILY = new Schedule(1, EnumSet.allOf(DayOfWeek.class));
    static final Dosage TEN = new Dosage(1, Range.of(8, 10), null, false);

    static Stream<Arguments> events() {
        return Stream.of(
                Arguments.of("exercise within every bound", exercise("pelvic-tilt", 1, 1, 0, 1), ""),
                Arguments.of("exercise at the upper bounds", exercise("pelvic-tilt", 50, 500, 3600, 5), ""),
                Arguments.of("no sets", exercise("pelvic-tilt", 0, 10, null, null), "sets"),
                Arguments.of("51 sets", exercise("pelvic-tilt", 51, 10, null, null), "sets"),
                Arguments.of("501 reps", exercise("pelvic-tilt", 1, 501, null, null), "reps"),
                Arguments.of("hold of an hour and a second", exercise("pelvic-tilt", 1, 1, 3601, null), "holdSeconds"),
                Arguments.of("negative hold", exercise("pelvic-tilt", 1, 1, -1, null), "holdSeconds"),
                Arguments.of("difficulty 0", exercise("pelvic-tilt", 1, 1, null, 0), "difficulty"),
                Arguments.of("difficulty 6", exercise("pelvic-tilt", 1, 1, null, 6), "difficulty"),
                Arguments.of("no exercise", exercise(null, 1, 1, null, null), "exerciseId"),
                Arguments.of("an id with a quote", exercise("x' OR 1=1 --", 1, 1, null, null), "exerciseId"),
                Arguments.of("a 65-character id", exercise("e".repeat(65), 1, 1, null, null), "exerciseId"),
                Arguments.of("pain 0", pain(0, PainLocation.CALF, PainContext.CHECK_IN, null, null), ""),
                Arguments.of("pain 10 after an exercise", pain(10, PainLocation.CALF, PainContext.AFTER_EXERCISE, "bridge", List.of(RedFlag.BOTH_LEGS)), ""),
                Arguments.of("pain 11", pain(11, PainLocation.CALF, PainContext.CHECK_IN, null, null), "score"),
                Arguments.of("pain -1", pain(-1, PainLocation.CALF, PainContext.CHECK_IN, null, null), "score"),
                Arguments.of("pain without location", pain(5, null, PainContext.CHECK_IN, null, null), "location"),
                Arguments.of("pain without context", pain(5, PainLocation.FOOT, null, null, null), "context"),
                Arguments.of("pain during an unnamed exercise", pain(5, PainLocation.FOOT, PainContext.DURING_EXERCISE, null, null), "exerciseId"),
                Arguments.of("a red flag twice", pain(5, PainLocation.FOOT, PainContext.CHECK_IN, null, List.of(RedFlag.BOTH_LEGS, RedFlag.BOTH_LEGS)), "redFlags"),
                Arguments.of("a null red flag", pain(5, PainLocation.FOOT, PainContext.CHECK_IN, null, Arrays.asList((RedFlag) null)), "redFlags"),
                Arguments.of("enrollment", enrollment("Europe/Berlin", 1, "c-1"), ""),
                Arguments.of("enrollment in an unknown zone", enrollment("Mars/Olympus", 1, "c-1"), "timezone"),
                Arguments.of("enrollment at an offset, not a zone", enrollment("+01:00", 1, "c-1"), "timezone"),
                Arguments.of("starting 366 days before enrolling", enrollment("Europe/Berlin", 1, "c-1", "2025-11-29"), ""),
                Arguments.of("starting 367 days before enrolling", enrollment("Europe/Berlin", 1, "c-1", "2025-11-28"), "startDate"),
                Arguments.of("starting in year 1", enrollment("Europe/Berlin", 1, "c-1", "0001-01-01"), "startDate"),
                Arguments.of("enrollment of version 0", enrollment("Europe/Berlin", 0, "c-1"), "programVersion"),
                Arguments.of("enrollment without clinician", enrollment("Europe/Berlin", 1, null), "clinicianId"),
                Arguments.of("ended", new EnrollmentEnded(ID, "p-1", AT, ID, "c-1", "RECOVERED", null), ""),
                Arguments.of("ended for no known reason", new EnrollmentEnded(ID, "p-1", AT, ID, "c-1", "BORED", null), "reason"),
                Arguments.of("ended on a date", new EnrollmentEnded(ID, "p-1", AT, ID, "c-1", "RECOVERED", LocalDate.parse("2026-11-29")), ""),
                Arguments.of("ended 367 days away", new EnrollmentEnded(ID, "p-1", AT, ID, "c-1", "RECOVERED", LocalDate.parse("2027-12-02")), "endDate"),
                Arguments.of("enrollment with its prescription", new EnrollmentStarted(ID, "p-1", AT, ID, "sciatica-relief", 1,
                        LocalDate.parse("2026-11-01"), "Europe/Berlin", "c-1", prescription(DAILY, item("bridge", TEN, ItemStatus.ACTIVE))), ""),
                Arguments.of("enrollment with a broken prescription", new EnrollmentStarted(ID, "p-1", AT, ID, "sciatica-relief", 1,
                        LocalDate.parse("2026-11-01"), "Europe/Berlin", "c-1", prescription(DAILY, item("bridge", null, ItemStatus.ACTIVE))),
                        "prescription.items[0].dosage"),
                Arguments.of("prescription changed", changed(prescription(DAILY, item("bridge", TEN, ItemStatus.ACTIVE),
                        item("pelvic-tilt", new Dosage(50, Range.of(1, 500), Range.of(0, 3600), true), ItemStatus.PAUSED))), ""),
                Arguments.of("prescription of nothing but stopped items", changed(prescription(DAILY, item("bridge", TEN, ItemStatus.STOPPED))), ""),
                Arguments.of("prescription without a version", changed(null), "prescription"),
                Arguments.of("an exercise twice", changed(prescription(DAILY, item("bridge", TEN, ItemStatus.ACTIVE),
                        item("bridge", TEN, ItemStatus.PAUSED))), "prescription.items[1].exerciseId"),
                Arguments.of("an item without status", changed(prescription(DAILY, item("bridge", TEN, null))), "prescription.items[0].status"),
                Arguments.of("reps 0", changed(prescription(DAILY, item("bridge", new Dosage(1, Range.of(0, 10), null, false),
                        ItemStatus.ACTIVE))), "prescription.items[0].dosage.reps"),
                Arguments.of("reps min over max", changed(prescription(DAILY, item("bridge", new Dosage(1, Range.of(11, 10), null, false),
                        ItemStatus.ACTIVE))), "prescription.items[0].dosage.reps"),
                Arguments.of("51 sets prescribed", changed(prescription(DAILY, item("bridge", new Dosage(51, Range.of(1, 10), null, false),
                        ItemStatus.ACTIVE))), "prescription.items[0].dosage.sets"),
                Arguments.of("hold over an hour", changed(prescription(DAILY, item("bridge", new Dosage(1, Range.of(1, 10), Range.of(0, 3601), false),
                        ItemStatus.ACTIVE))), "prescription.items[0].dosage.holdSeconds"),
                Arguments.of("11 times a day", changed(prescription(new Schedule(11, EnumSet.of(DayOfWeek.MONDAY)),
                        item("bridge", TEN, ItemStatus.ACTIVE))), "prescription.schedule.timesPerDay"),
                Arguments.of("no day of the week", changed(prescription(new Schedule(1, EnumSet.noneOf(DayOfWeek.class)),
                        item("bridge", TEN, ItemStatus.ACTIVE))), "prescription.schedule.daysOfWeek"),
                Arguments.of("31 exercises", changed(prescription(DAILY, java.util.stream.IntStream.range(0, 31)
                        .mapToObj(i -> item("e" + i, TEN, ItemStatus.ACTIVE)).toArray(PrescribedItem[]::new))), "prescription.items"),
                Arguments.of("in force 367 days later", changed(new PrescriptionVersion(2, LocalDate.parse("2027-12-02"), "sciatica-relief", 1,
                        DAILY, List.of(item("bridge", TEN, ItemStatus.ACTIVE)))), "prescription.effectiveFrom"),
                Arguments.of("no patient", new ExerciseCompleted(ID, null, AT, "bridge", null, 1, 1, null, null), "patientId"),
                Arguments.of("no time", new ExerciseCompleted(ID, "p-1", null, "bridge", null, 1, 1, null, null), "occurredAt"),
                Arguments.of("no id", new ExerciseCompleted(null, "p-1", AT, "bridge", null, 1, 1, null, null), "eventId"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void namesTheBrokenField(String what, SessionEvent event, String brokenField) {
        List<String> fields = SessionEventContract.violations(event).stream().map(v -> v.substring(0, v.indexOf(':'))).toList();
        assertEquals(brokenField.isEmpty() ? List.of() : List.of(brokenField), fields, what);
    }
}
