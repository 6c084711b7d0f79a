package org.sciaticahep.session.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sciaticahep.session.domain.EventRulesTest.fields;
import static org.sciaticahep.session.domain.EventRulesTest.fieldsOf;
import static org.sciaticahep.session.domain.EventRulesTest.sorted;

import jakarta.enterprise.inject.Vetoed;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.contracts.catalog.Dosage;
import org.sciaticahep.contracts.catalog.ExerciseDefinition;
import org.sciaticahep.contracts.catalog.ExerciseKind;
import org.sciaticahep.contracts.catalog.Range;
import org.sciaticahep.contracts.catalog.Schedule;
import org.sciaticahep.contracts.session.ItemStatus;
import org.sciaticahep.contracts.session.PrescribedItem;
import org.sciaticahep.contracts.session.PrescriptionChanged;
import org.sciaticahep.contracts.session.PrescriptionVersion;
import org.sciaticahep.contracts.session.SessionEventContract;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.Violations;

/**
 * What the treating clinician may write into a prescription, without HTTP, Kafka or a database: {@link PrescriptionRules}
 * at and around every bound, the status transitions of one exercise, and which version is in force on a day. Each
 * row says which fields are refused (none: accepted), and the refusal must name exactly those fields. The bounds are
 * written out as numbers, so changing one fails here until the change is meant.
 */
class PrescriptionRulesTest {

    static final LocalDate TODAY = LocalDate.parse("2026-11-30");
    static final String PER_SIDE = "knee-to-chest";
    static final String NOT_PER_SIDE = "pelvic-tilt";
    static final Schedule DAILY = new Schedule(1, EnumSet.allOf(DayOfWeek.class));
    static final WideCatalog CATALOG = new WideCatalog();

    // ---- a requested version, field by field -------------------------------------------------------------------

    static Stream<Arguments> requests() {
        return Stream.of(
                row("a valid version", request(), ""),
                row("no body", null, "body"),
                row("expectedVersion left out", request().expectedVersion(null), "expectedVersion"),

                row("effectiveFrom left out (today)", request().effectiveFrom(null), ""),
                row("effectiveFrom yesterday", request().effectiveFrom(TODAY.minusDays(1)), "effectiveFrom"),
                row("effectiveFrom today", request().effectiveFrom(TODAY), ""),
                row("effectiveFrom tomorrow", request().effectiveFrom(TODAY.plusDays(1)), ""),
                row("effectiveFrom in 365 days", request().effectiveFrom(TODAY.plusDays(365)), ""),
                // a day east of UTC, its event's UTC date is a day earlier: 367 days, past the contract's 366
                row("effectiveFrom in 366 days", request().effectiveFrom(TODAY.plusDays(366)), "effectiveFrom"),
                row("effectiveFrom on 29 February, 365 days ahead", request().today(LocalDate.parse("2027-03-01"))
                        .effectiveFrom(LocalDate.parse("2028-02-29")), ""),
                row("effectiveFrom a year ahead over 29 February (366 days)", request().today(LocalDate.parse("2027-03-01"))
                        .effectiveFrom(LocalDate.parse("2028-03-01")), "effectiveFrom"),
                row("replaceScheduled true", request().replaceScheduled(true), ""),
                row("replaceScheduled false", request().replaceScheduled(false), ""),

                row("schedule left out", request().schedule(null), "schedule"),
                row("0 times a day", request().schedule(new Schedule(0, DAILY.daysOfWeek())), "schedule.timesPerDay"),
                row("10 times a day", request().schedule(new Schedule(10, DAILY.daysOfWeek())), ""),
                row("11 times a day", request().schedule(new Schedule(11, DAILY.daysOfWeek())), "schedule.timesPerDay"),
                row("on no day", request().schedule(new Schedule(1, Set.of())), "schedule.daysOfWeek"),

                row("sets 0", request().dosage(0, dosage(0, 8, 10)), "items[0].dosage.sets"),
                row("sets 1", request().dosage(0, dosage(1, 8, 10)), ""),
                row("sets 20 (max)", request().dosage(0, dosage(20, 8, 10)), ""),
                row("sets 21", request().dosage(0, dosage(21, 8, 10)), "items[0].dosage.sets"),
                row("reps 1-100", request().dosage(0, dosage(1, 1, 100)), ""),
                row("reps min 0", request().dosage(0, dosage(1, 0, 10)), "items[0].dosage.reps.min"),
                row("reps max 101", request().dosage(0, dosage(1, 8, 101)), "items[0].dosage.reps.max"),
                row("reps min greater than max", request().dosage(0, dosage(1, 10, 8)), "items[0].dosage.reps"),
                row("reps min equal to max", request().dosage(0, dosage(1, 10, 10)), ""),
                row("hold 0-600", request().dosage(0, new Dosage(1, Range.of(3, 3), Range.of(0, 600), true)), ""),
                row("hold 601", request().dosage(0, new Dosage(1, Range.of(3, 3), Range.of(0, 601), true)), "items[0].dosage.holdSeconds.max"),
                row("perSide left out", request().dosage(0, new Dosage(1, Range.of(3, 3), null, null)), "items[0].dosage.perSide"),
                row("dosage left out", request().dosage(0, null), "items[0].dosage"),

                row("items left out", request().items(null), "items"),
                row("no items", request().items(List.of()), "items"),
                row("30 items (max)", request().items(distinct(30)), ""),
                row("31 items", request().items(distinct(31)), "items"),
                row("an item that is null", request().items(Arrays.asList(item(PER_SIDE), null)), "items[1]"),
                row("the same exercise twice", request().items(List.of(item(PER_SIDE), item(NOT_PER_SIDE), item(PER_SIDE))),
                        "items[2].exerciseId"),
                row("an unknown exercise", request().items(List.of(item(PER_SIDE), item("moon-walk"))), "items[1].exerciseId"),
                row("exerciseId left out", request().items(List.of(item(null))), "items[0].exerciseId"),

                row("status PAUSED", request().status(0, "PAUSED"), ""),
                row("status STOPPED", request().status(0, "STOPPED"), ""),
                row("status left out", request().status(0, null), "items[0].status"),
                row("an unknown status", request().status(0, "WALKING"), "items[0].status"),
                row("a status in lower case", request().status(0, "active"), "items[0].status"),

                row("reason of 500 characters", request().reason(0, "r".repeat(500)), ""),
                row("reason of 501 characters", request().reason(0, "r".repeat(501)), "items[0].reason"),

                row("everything wrong at once", request().expectedVersion(null).effectiveFrom(TODAY.minusDays(1))
                                .schedule(new Schedule(11, Set.of()))
                                .items(List.of(new PrescriptionRequest.Item(PER_SIDE, dosage(21, 10, 8), "WALKING", "r".repeat(501)),
                                        item("moon-walk"), item(PER_SIDE))),
                        "expectedVersion,effectiveFrom,schedule.timesPerDay,schedule.daysOfWeek,items[0].dosage.sets,"
                                + "items[0].dosage.reps,items[0].status,items[0].reason,items[1].exerciseId,items[2].exerciseId"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void requestedVersionIsCheckedWholeAtAndAroundEveryBound(String what, Request request, String refused) {
        LocalDate today = request == null ? TODAY : request.today;
        Violations found = Violations.collect();
        PrescriptionRules.check(request == null ? null : request.build(), today, CATALOG, found);
        assertEquals(sorted(fields(refused)), sorted(fieldsOf(found.list())), what);
        if (refused.isEmpty()) {
            // what session-service writes, every consumer of session-events accepts, also from a zone where today
            // is a day ahead of UTC's
            PrescriptionVersion next = PrescriptionRules.next(version(1, today), request.build(), today);
            assertEquals(List.of(), SessionEventContract.violations(new PrescriptionChanged(UUID.randomUUID(), "p-001",
                    today.minusDays(1).atTime(23, 0).atOffset(ZoneOffset.UTC), UUID.randomUUID(), "c-001", next)), what);
        }
    }

    @Test
    void refusalsSayWhatIsAllowed() {
        Violations found = Violations.collect();
        PrescriptionRules.check(request().effectiveFrom(TODAY.minusDays(1)).items(distinct(31)).build(), TODAY, CATALOG, found);
        assertEquals(List.of("must not be before today (2026-11-30) in the patient's time zone"),
                EventRulesTest.reasons(found.list(), "effectiveFrom"));
        assertEquals(List.of("must hold 1 to 30 exercises"), EventRulesTest.reasons(found.list(), "items"));
    }

    // ---- the next version --------------------------------------------------------------------------------------

    @Test
    void nextVersionIsTheRequestOnTheSameProgramVersion() {
        PrescriptionVersion current = version(4, TODAY.minusDays(20));
        PrescriptionVersion next = PrescriptionRules.next(current,
                request().effectiveFrom(null)
                        .items(List.of(new PrescriptionRequest.Item(NOT_PER_SIDE, dosage(2, 12, 15), "PAUSED", "too easy"))).build(),
                TODAY);
        assertEquals(5, next.version());
        assertEquals(TODAY, next.effectiveFrom(), "from today when effectiveFrom is left out");
        assertEquals(current.programId(), next.programId());
        assertEquals(current.programVersion(), next.programVersion());
        assertEquals(List.of(new PrescribedItem(NOT_PER_SIDE, dosage(2, 12, 15), ItemStatus.PAUSED, "too easy")), next.items());

        LocalDate later = TODAY.plusDays(3);
        assertEquals(later, PrescriptionRules.next(current, request().effectiveFrom(later).build(), TODAY).effectiveFrom());
    }

    @Test
    void aStaleReadIsAConflict() {
        PrescriptionRules.requireCurrent(version(3, TODAY), 3);
        for (int stale : new int[] {2, 4}) {
            ProblemException refused = assertThrows(ProblemException.class, () -> PrescriptionRules.requireCurrent(version(3, TODAY), stale));
            assertEquals(409, refused.problem().status());
        }
    }

    // ---- one exercise paused, resumed, stopped --------------------------------------------------------------

    @ParameterizedTest(name = "{0} then {1}: {2}")
    @CsvSource({
            "ACTIVE,  PAUSE,  PAUSED",
            "ACTIVE,  RESUME, ",
            "ACTIVE,  STOP,   STOPPED",
            "PAUSED,  PAUSE,  ",
            "PAUSED,  RESUME, ACTIVE",
            "PAUSED,  STOP,   STOPPED",
            "STOPPED, PAUSE,  ",
            "STOPPED, RESUME, ",
            "STOPPED, STOP,   "})
    void statusTransitions(ItemStatus from, ItemChange change, ItemStatus to) {
        if (to != null) {
            assertEquals(to, PrescriptionRules.after(from, change));
            return;
        }
        ProblemException refused = assertThrows(ProblemException.class, () -> PrescriptionRules.after(from, change));
        assertEquals(409, refused.problem().status());
        assertTrue(refused.problem().detail().contains("is " + from), "names the status: " + refused.problem().detail());
    }

    @Test
    void anItemChangeIsTheVersionInForceWithThatItemChanged() {
        PrescriptionVersion current = version(2, TODAY.minusDays(5));
        LocalDate from = TODAY.plusDays(1);
        List<PrescriptionVersion> next = PrescriptionRules.withItemChanged(List.of(version(1, TODAY.minusDays(9)), current),
                NOT_PER_SIDE, ItemChange.PAUSE, "flare-up", from);
        assertEquals(1, next.size(), "nothing is scheduled");
        PrescriptionVersion paused = next.get(0);
        assertEquals(3, paused.version());
        assertEquals(from, paused.effectiveFrom());
        assertEquals(current.schedule(), paused.schedule());
        assertEquals(current.programVersion(), paused.programVersion());
        assertEquals(current.items().get(0), paused.items().get(0), "the other exercise is unchanged");
        PrescribedItem changed = current.items().get(1);
        assertEquals(new PrescribedItem(NOT_PER_SIDE, changed.dosage(), ItemStatus.PAUSED, "flare-up"), paused.items().get(1));

        PrescriptionVersion resumed = PrescriptionRules.withItemChanged(List.of(current, paused), NOT_PER_SIDE, ItemChange.RESUME, null, from)
                .get(0);
        assertEquals(new PrescribedItem(NOT_PER_SIDE, changed.dosage(), ItemStatus.ACTIVE, null), resumed.items().get(1),
                "the reason is the new change's: none");
    }

    /**
     * Each version as {@code number@MM-DD:S} (dates in 2026): S the status of {@value #NOT_PER_SIDE} ({@code A}, {@code P},
     * {@code S}; {@code -} not prescribed), each version with a dosage and a schedule of its own. Written versions add
     * {@code *} when the exercise carries the change's reason (changed by it), and {@code <n}: the content of version
     * n. A refusal is its status.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            only version 1, from today                     | 1@11-01:A                       | PAUSE  | 11-30 | 2@11-30:P*<1
            only version 1, from a later day               | 1@11-01:A                       | PAUSE  | 12-03 | 2@12-03:P*<1
            a dosage raised from a later day stays there   | 1@11-01:A, 2@12-14:A            | PAUSE  | 11-30 | 3@11-30:P*<1, 4@12-14:P*<2
            already paused in the scheduled version: kept  | 1@11-01:A, 2@12-14:P            | PAUSE  | 11-30 | 3@11-30:P*<1, 4@12-14:P<2
            from the scheduled version's day               | 1@11-01:A, 2@12-14:A            | PAUSE  | 12-14 | 3@12-14:P*<2
            from after the scheduled version's day         | 1@11-01:A, 2@12-14:A            | PAUSE  | 12-20 | 3@12-20:P*<2
            each scheduled version, in date order          | 1@11-01:A, 2@12-05:A, 3@12-10:A | PAUSE  | 11-30 | 4@11-30:P*<1, 5@12-05:P*<2, 6@12-10:P*<3
            between two scheduled versions                 | 1@11-01:A, 2@12-05:A, 3@12-10:A | PAUSE  | 12-07 | 4@12-07:P*<2, 5@12-10:P*<3
            a replaced plan is not brought back            | 1@11-01:A, 2@12-10:A, 3@12-05:A | PAUSE  | 11-30 | 4@11-30:P*<1, 5@12-05:P*<3
            on the version in force, not the first         | 1@11-01:A, 2@11-20:A, 3@12-14:A | STOP   | 11-30 | 4@11-30:S*<2, 5@12-14:S*<3
            already stopped in the scheduled version: kept | 1@11-01:A, 2@12-14:S            | STOP   | 11-30 | 3@11-30:S*<1, 4@12-14:S<2
            paused now, active later: both stopped         | 1@11-01:P, 2@12-14:A            | STOP   | 11-30 | 3@11-30:S*<1, 4@12-14:S*<2
            resumed now, already active later: kept        | 1@11-01:P, 2@12-14:A            | RESUME | 11-30 | 3@11-30:A*<1, 4@12-14:A<2
            a pause planned for later stays planned        | 1@11-01:P, 2@12-14:P            | RESUME | 11-30 | 3@11-30:A*<1, 4@12-14:P<2
            not in the scheduled version: as it was        | 1@11-01:A, 2@12-14:-            | PAUSE  | 11-30 | 3@11-30:P*<1, 4@12-14:-<2
            before the program starts: from its start      | 1@12-10:A                       | PAUSE  | 11-30 | 2@12-10:P*<1
            before the start, a change scheduled after it  | 1@12-10:A, 2@12-20:A            | PAUSE  | 11-30 | 3@12-10:P*<1, 4@12-20:P*<2
            paused in the version in force: refused        | 1@11-01:P, 2@12-14:A            | PAUSE  | 11-30 | 409
            stopped in the version in force: refused       | 1@11-01:S, 2@12-14:P            | RESUME | 11-30 | 409
            only in a scheduled version: not found         | 1@11-01:-, 2@12-14:A            | PAUSE  | 11-30 | 404
            """)
    void anItemChangeIsCarriedIntoEveryScheduledVersion(String what, String history, ItemChange change, String from, String written) {
        List<PrescriptionVersion> versions = timeline(history);
        LocalDate day = LocalDate.parse("2026-" + from);
        if (written.matches("\\d{3}")) {
            ProblemException refused = assertThrows(ProblemException.class,
                    () -> PrescriptionRules.withItemChanged(versions, NOT_PER_SIDE, change, "flare-up", day));
            assertEquals(Integer.parseInt(written), refused.problem().status(), what);
            return;
        }
        List<PrescriptionVersion> next = PrescriptionRules.withItemChanged(versions, NOT_PER_SIDE, change, "flare-up", day);
        assertEquals(written, String.join(", ", next.stream().map(PrescriptionRulesTest::shown).toList()), what);
        for (PrescriptionVersion v : next) {
            assertEquals(versions.get(0).programVersion(), v.programVersion(), what);
            assertEquals(v.items().get(0).dosage().sets(), v.schedule().timesPerDay(), what + ": the schedule of the version it copies");
        }
        // from the change's day on, each day's plan is the one before but for the exercise
        List<PrescriptionVersion> after = new ArrayList<>(versions);
        after.addAll(next);
        for (LocalDate d = day; d.isBefore(LocalDate.parse("2027-01-01")); d = d.plusDays(1)) {
            Optional<PrescriptionVersion> was = PrescriptionRules.inForce(versions, d);
            Optional<PrescriptionVersion> is = PrescriptionRules.inForce(after, d);
            assertEquals(was.isPresent(), is.isPresent(), what + " on " + d);
            if (was.isPresent()) {
                assertEquals(was.get().items().get(0), is.get().items().get(0), what + " on " + d);
                assertEquals(was.get().schedule(), is.get().schedule(), what + " on " + d);
            }
        }
    }

    // ---- a whole version written over scheduled ones -----------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            nothing scheduled                            | 1@11-01:A                                  | 11-30 |       |
            a version scheduled later                    | 1@11-01:A, 2@12-14:A                       | 11-30 |       | version 2 is scheduled from 2026-12-14
            replaceScheduled false                       | 1@11-01:A, 2@12-14:A                       | 11-30 | false | version 2 is scheduled from 2026-12-14
            replaceScheduled true                        | 1@11-01:A, 2@12-14:A                       | 11-30 | true  |
            from the scheduled version's day             | 1@11-01:A, 2@12-14:A                       | 12-14 |       |
            from after it                                | 1@11-01:A, 2@12-14:A                       | 12-20 |       |
            the first of several, by date                | 1@11-01:A, 2@12-20:A, 3@12-14:A, 4@12-30:A | 11-30 |       | version 3 is scheduled from 2026-12-14
            a version replaced before its day is not     | 1@11-01:A, 2@12-10:A, 3@11-30:A            | 11-30 |       |
            before the program starts, on version 1      | 1@12-10:A                                  | 11-30 |       |
            before the program starts, a change after it | 1@12-10:A, 2@12-20:A                       | 11-30 |       | version 2 is scheduled from 2026-12-20
            """)
    void aWholeVersionReplacesScheduledOnesOnlyWhenAsked(String what, String history, String from, Boolean replaceScheduled,
                                                          String refused) {
        List<PrescriptionVersion> versions = timeline(history);
        LocalDate day = LocalDate.parse("2026-" + from);
        if (refused == null) {
            PrescriptionRules.requireNothingScheduled(versions, day, replaceScheduled);
            return;
        }
        ProblemException conflict = assertThrows(ProblemException.class,
                () -> PrescriptionRules.requireNothingScheduled(versions, day, replaceScheduled), what);
        assertEquals(409, conflict.problem().status(), what);
        assertTrue(conflict.problem().detail().startsWith(refused + ": "), what + ": " + conflict.problem().detail());
        assertTrue(conflict.problem().detail().contains("\"replaceScheduled\": true"), conflict.problem().detail());
    }

    // ---- at most 200 versions ------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} stored, {1} more")
    @CsvSource(delimiter = '|', textBlock = """
            1   | 1 |
            199 | 1 |
            198 | 2 |
            200 | 1 | this prescription has 200 versions: end the enrollment and enroll the patient again
            199 | 2 | this prescription has 199 versions and this change needs 2 more, of at most 200: end the enrollment and enroll the patient again
            """)
    void aPrescriptionHasAtMost200Versions(int stored, int adding, String refused) {
        assertEquals(200, PrescriptionRules.MAX_VERSIONS);
        if (refused == null) {
            PrescriptionRules.requireRoom(stored, adding);
            return;
        }
        ProblemException conflict = assertThrows(ProblemException.class, () -> PrescriptionRules.requireRoom(stored, adding));
        assertEquals(409, conflict.problem().status());
        assertEquals(refused, conflict.problem().detail());
    }

    // ---- the version in force on a day --------------------------------------------------------------------------

    // v1 from Dec 1; v2, written later, from Dec 10; v3, written after v2, from Dec 5: it replaces v2's plan too
    static final List<PrescriptionVersion> HISTORY = List.of(
            version(1, LocalDate.parse("2026-12-01")), version(2, LocalDate.parse("2026-12-10")), version(3, LocalDate.parse("2026-12-05")));

    @ParameterizedTest(name = "{0} of {1} versions: {2}")
    @CsvSource({
            "2026-11-30, 3, ",
            "2026-12-01, 3, 1",
            "2026-12-04, 3, 1",
            "2026-12-05, 3, 3",
            "2026-12-09, 3, 3",
            "2026-12-10, 3, 3",
            "2027-06-01, 3, 3",
            "2026-12-09, 2, 1",
            "2026-12-10, 2, 2",
            "2026-12-01, 1, 1",
            "2026-11-30, 1, "})
    void versionInForceIsTheHighestNumberedEffectiveByThatDay(LocalDate day, int written, Integer inForce) {
        assertEquals(Optional.ofNullable(inForce),
                PrescriptionRules.inForce(HISTORY.subList(0, written), day).map(PrescriptionVersion::version));
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    static Arguments row(String what, Request request, String refused) {
        return Arguments.of(what, request, refused);
    }

    static Dosage dosage(int sets, int minReps, int maxReps) {
        return new Dosage(sets, Range.of(minReps, maxReps), null, false);
    }

    static PrescriptionRequest.Item item(String exerciseId) {
        return new PrescriptionRequest.Item(exerciseId, dosage(1, 8, 10), "ACTIVE", null);
    }

    static List<PrescriptionRequest.Item> distinct(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> item(WideCatalog.NUMBERED + i)).toList();
    }

    static PrescriptionVersion version(int number, LocalDate effectiveFrom) {
        return new PrescriptionVersion(number, effectiveFrom, "sciatica-relief", 1, DAILY, List.of(
                new PrescribedItem(PER_SIDE, new Dosage(1, Range.of(3, 3), Range.of(0, 30), true), ItemStatus.ACTIVE, null),
                new PrescribedItem(NOT_PER_SIDE, dosage(1, 10, 10), ItemStatus.ACTIVE, null)));
    }

    /** Versions as {@code number@MM-DD:S}, comma-separated (see {@link #anItemChangeIsCarriedIntoEveryScheduledVersion}). */
    static List<PrescriptionVersion> timeline(String history) {
        List<PrescriptionVersion> versions = new ArrayList<>();
        for (String v : history.split(",")) {
            String[] parts = v.strip().split("[@:]");
            int number = Integer.parseInt(parts[0]);
            List<PrescribedItem> items = new ArrayList<>();
            items.add(new PrescribedItem(PER_SIDE, new Dosage(number, Range.of(3, 3), Range.of(0, 30), true), ItemStatus.ACTIVE, null));
            if (!parts[2].equals("-")) {
                ItemStatus status = Stream.of(ItemStatus.values()).filter(s -> s.name().startsWith(parts[2])).findFirst().orElseThrow();
                items.add(new PrescribedItem(NOT_PER_SIDE, dosage(1, 10, 10), status, null));
            }
            versions.add(new PrescriptionVersion(number, LocalDate.parse("2026-" + parts[1]), "sciatica-relief", 1,
                    new Schedule(number, DAILY.daysOfWeek()), List.copyOf(items)));
        }
        return versions;
    }

    /** A written version as {@link #anItemChangeIsCarriedIntoEveryScheduledVersion} names it. */
    static String shown(PrescriptionVersion v) {
        String status = v.items().stream().filter(i -> i.exerciseId().equals(NOT_PER_SIDE)).findFirst()
                .map(i -> i.status().name().substring(0, 1) + ("flare-up".equals(i.reason()) ? "*" : "")).orElse("-");
        return v.version() + "@" + v.effectiveFrom().toString().substring(5) + ":" + status + "<" + v.items().get(0).dosage().sets();
    }

    static Request request() {
        return new Request();
    }

    /** A requested version under construction: valid by default (both exercises of the article's program). */
    static final class Request {
        LocalDate today = TODAY;
        Integer expectedVersion = 1;
        LocalDate effectiveFrom = TODAY.plusDays(1);
        Schedule schedule = DAILY;
        List<PrescriptionRequest.Item> items = new ArrayList<>(List.of(
                new PrescriptionRequest.Item(PER_SIDE, new Dosage(1, Range.of(3, 3), Range.of(0, 30), true), "ACTIVE", null),
                item(NOT_PER_SIDE)));
        Boolean replaceScheduled;

        /** The patient's today the request is checked on (effectiveFrom stays as set). */
        Request today(LocalDate v) { today = v; return this; }

        Request expectedVersion(Integer v) { expectedVersion = v; return this; }
        Request effectiveFrom(LocalDate v) { effectiveFrom = v; return this; }
        Request schedule(Schedule v) { schedule = v; return this; }
        Request items(List<PrescriptionRequest.Item> v) { items = v; return this; }
        Request replaceScheduled(Boolean v) { replaceScheduled = v; return this; }

        Request dosage(int i, Dosage d) {
            PrescriptionRequest.Item x = items.get(i);
            items.set(i, new PrescriptionRequest.Item(x.exerciseId(), d, x.status(), x.reason()));
            return this;
        }

        Request status(int i, String status) {
            PrescriptionRequest.Item x = items.get(i);
            items.set(i, new PrescriptionRequest.Item(x.exerciseId(), x.dosage(), status, x.reason()));
            return this;
        }

        Request reason(int i, String reason) {
            PrescriptionRequest.Item x = items.get(i);
            items.set(i, new PrescriptionRequest.Item(x.exerciseId(), x.dosage(), x.status(), reason));
            return this;
        }

        PrescriptionRequest build() {
            return new PrescriptionRequest(expectedVersion, effectiveFrom, schedule, items, replaceScheduled);
        }

        @Override
        public String toString() {
            return build().toString();
        }
    }

    /** The article's catalog, and exercise-1, exercise-2, … as many as a prescription may hold and more. */
    @Vetoed // not a bean, as ArticleCatalog
    static final class WideCatalog extends CatalogCopy {

        static final String NUMBERED = "exercise-";

        private final CatalogCopy article = new EventRulesTest.ArticleCatalog();

        @Override
        public Optional<ExerciseDefinition> exercise(String id) {
            if (id != null && id.startsWith(NUMBERED)) {
                return Optional.of(new ExerciseDefinition(id, 1, id, List.of(), ExerciseKind.STRETCH, List.of("lower back"),
                        List.of("step"), dosage(1, 8, 10), List.of(), null, Instant.parse("2026-11-25T16:52:42Z")));
            }
            return article.exercise(id);
        }
    }
}
