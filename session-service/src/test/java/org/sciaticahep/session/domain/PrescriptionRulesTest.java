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
                row("effectiveFrom in 366 days", request().effectiveFrom(TODAY.plusDays(366)), ""),
                row("effectiveFrom in 367 days", request().effectiveFrom(TODAY.plusDays(367)), "effectiveFrom"),

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
        Violations found = Violations.collect();
        PrescriptionRules.check(request == null ? null : request.build(), TODAY, CATALOG, found);
        assertEquals(sorted(fields(refused)), sorted(fieldsOf(found.list())), what);
        if (refused.isEmpty()) {
            // what session-service writes, every consumer of session-events accepts
            PrescriptionVersion next = PrescriptionRules.next(version(1, TODAY), request.build(), TODAY);
            assertEquals(List.of(), SessionEventContract.violations(new PrescriptionChanged(UUID.randomUUID(), "p-001",
                    TODAY.atStartOfDay().atOffset(ZoneOffset.UTC), UUID.randomUUID(), "c-001", next)), what);
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
    void anItemChangeIsTheCurrentVersionWithThatItemChanged() {
        PrescriptionVersion current = version(2, TODAY.minusDays(5));
        LocalDate from = TODAY.plusDays(1);
        PrescriptionVersion next = PrescriptionRules.withItemChanged(current, NOT_PER_SIDE, ItemChange.PAUSE, "flare-up", from);
        assertEquals(3, next.version());
        assertEquals(from, next.effectiveFrom());
        assertEquals(current.schedule(), next.schedule());
        assertEquals(current.programVersion(), next.programVersion());
        assertEquals(current.items().get(0), next.items().get(0), "the other exercise is unchanged");
        PrescribedItem changed = current.items().get(1);
        assertEquals(new PrescribedItem(NOT_PER_SIDE, changed.dosage(), ItemStatus.PAUSED, "flare-up"), next.items().get(1));

        PrescriptionVersion resumed = PrescriptionRules.withItemChanged(next, NOT_PER_SIDE, ItemChange.RESUME, null, from);
        assertEquals(new PrescribedItem(NOT_PER_SIDE, changed.dosage(), ItemStatus.ACTIVE, null), resumed.items().get(1),
                "the reason is the new change's: none");

        ProblemException absent = assertThrows(ProblemException.class,
                () -> PrescriptionRules.withItemChanged(current, "glute-bridge", ItemChange.STOP, null, from));
        assertEquals(404, absent.problem().status());
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

    static Request request() {
        return new Request();
    }

    /** A requested version under construction: valid by default (both exercises of the article's program). */
    static final class Request {
        Integer expectedVersion = 1;
        LocalDate effectiveFrom = TODAY.plusDays(1);
        Schedule schedule = DAILY;
        List<PrescriptionRequest.Item> items = new ArrayList<>(List.of(
                new PrescriptionRequest.Item(PER_SIDE, new Dosage(1, Range.of(3, 3), Range.of(0, 30), true), "ACTIVE", null),
                item(NOT_PER_SIDE)));

        Request expectedVersion(Integer v) { expectedVersion = v; return this; }
        Request effectiveFrom(LocalDate v) { effectiveFrom = v; return this; }
        Request schedule(Schedule v) { schedule = v; return this; }
        Request items(List<PrescriptionRequest.Item> v) { items = v; return this; }

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
            return new PrescriptionRequest(expectedVersion, effectiveFrom, schedule, items);
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
                        List.of("step"), dosage(1, 8, 10), List.of(), Instant.parse("2026-11-25T16:52:42Z")));
            }
            return article.exercise(id);
        }
    }
}
