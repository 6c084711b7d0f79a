package org.sciaticahep.session.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.inject.Vetoed;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
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
import org.sciaticahep.contracts.catalog.ProgramDefinition;
import org.sciaticahep.contracts.catalog.ProgramExercise;
import org.sciaticahep.contracts.catalog.Range;
import org.sciaticahep.contracts.catalog.Schedule;
import org.sciaticahep.contracts.session.ExerciseCompleted;
import org.sciaticahep.contracts.session.PainContext;
import org.sciaticahep.contracts.session.PainLocation;
import org.sciaticahep.contracts.session.PainReported;
import org.sciaticahep.contracts.session.RedFlag;
import org.sciaticahep.contracts.session.SessionEvent;
import org.sciaticahep.contracts.session.SessionEventContract;
import org.sciaticahep.contracts.session.Side;
import org.sciaticahep.support.Violation;
import org.sciaticahep.support.Violations;

/**
 * What session-service accepts from a patient app, without HTTP, Kafka or a database: {@link EventRules} at and
 * around every threshold, field by field. Each row says which fields are refused (none: accepted), and the refusals
 * must name exactly those fields. The bounds are written out as numbers, so changing one in
 * {@link SessionEventContract} fails here until the change is meant.
 */
class EventRulesTest {

    static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
    /** As session-service is configured ({@code session.occurred-at.*} in application.properties). */
    static final Duration SKEW = Duration.ofMinutes(5);
    static final Duration MAX_AGE = Duration.ofDays(365);
    static final ZoneOffset BERLIN_WINTER = ZoneOffset.ofHours(1);

    static final String PER_SIDE = "knee-to-chest";
    static final String NOT_PER_SIDE = "pelvic-tilt";

    static final EventRules RULES = new EventRules(new ArticleCatalog(), SKEW, MAX_AGE);

    // ---- occurredAt ------------------------------------------------------------------------------------------

    static Stream<Arguments> occurredAt() {
        return Stream.of(
                row("now", pain().at(NOW), ""),
                row("exactly the allowed skew in the future", pain().at(NOW.plus(SKEW)), ""),
                row("1 s past the allowed skew", pain().at(NOW.plus(SKEW).plusSeconds(1)), "occurredAt"),
                row("1 µs past the allowed skew", pain().at(NOW.plus(SKEW).plusNanos(1_000)), "occurredAt"),
                row("a day in the future", pain().at(NOW.plus(Duration.ofDays(1))), "occurredAt"),
                row("exactly the maximum age", pain().at(NOW.minus(MAX_AGE)), ""),
                row("1 s older than the maximum age", pain().at(NOW.minus(MAX_AGE).minusSeconds(1)), "occurredAt"),
                row("in 1970", pain().at(Instant.EPOCH), "occurredAt"),
                // instants count, not the wall clock: 09:05 in Berlin is 08:05 UTC
                row("the skew's edge written at +01:00", pain().occurredAt(OffsetDateTime.ofInstant(NOW.plus(SKEW), BERLIN_WINTER)), ""),
                row("past the skew's edge written at -10:00", pain().occurredAt(
                        OffsetDateTime.ofInstant(NOW.plus(SKEW).plusSeconds(1), ZoneOffset.ofHours(-10))), "occurredAt"),
                row("missing", pain().occurredAt(null), "occurredAt"),
                row("exercise: past the skew too", exercise(NOT_PER_SIDE).at(NOW.plus(SKEW).plusSeconds(1)), "occurredAt"),
                row("exercise: at the maximum age", exercise(NOT_PER_SIDE).at(NOW.minus(MAX_AGE)), ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("occurredAt")
    void occurredAtIsWithinTheSkewAndTheMaximumAge(String what, Event event, String refused) {
        assertRefuses(refused, event, what);
    }

    @Test
    void occurredAtRefusalsSayWhichLimit() {
        assertEquals(List.of("is more than 5 minutes in the future"),
                reasons(check(pain().at(NOW.plus(SKEW).plusSeconds(1))), "occurredAt"));
        assertEquals(List.of("is more than 365 days ago"),
                reasons(check(pain().at(NOW.minus(MAX_AGE).minusSeconds(1))), "occurredAt"));
        assertEquals(List.of("is required"), reasons(check(pain().occurredAt(null)), "occurredAt"));
    }

    // ---- exercise.completed: sets, reps, holdSeconds, difficulty ----------------------------------------------

    static Stream<Arguments> exerciseBounds() {
        return Stream.of(
                row("sets -1", exercise(NOT_PER_SIDE).sets(-1), "sets"),
                row("sets 0", exercise(NOT_PER_SIDE).sets(0), "sets"),
                row("sets 1", exercise(NOT_PER_SIDE).sets(1), ""),
                row("sets 50 (max)", exercise(NOT_PER_SIDE).sets(50), ""),
                row("sets 51", exercise(NOT_PER_SIDE).sets(51), "sets"),
                row("sets Integer.MAX_VALUE", exercise(NOT_PER_SIDE).sets(Integer.MAX_VALUE), "sets"),
                row("reps 0", exercise(NOT_PER_SIDE).reps(0), "reps"),
                row("reps 1", exercise(NOT_PER_SIDE).reps(1), ""),
                row("reps 500 (max)", exercise(NOT_PER_SIDE).reps(500), ""),
                row("reps 501", exercise(NOT_PER_SIDE).reps(501), "reps"),
                row("holdSeconds -1", exercise(NOT_PER_SIDE).hold(-1), "holdSeconds"),
                row("holdSeconds 0", exercise(NOT_PER_SIDE).hold(0), ""),
                row("holdSeconds 1", exercise(NOT_PER_SIDE).hold(1), ""),
                row("holdSeconds 3600 (max)", exercise(NOT_PER_SIDE).hold(3600), ""),
                row("holdSeconds 3601", exercise(NOT_PER_SIDE).hold(3601), "holdSeconds"),
                row("difficulty 0", exercise(NOT_PER_SIDE).difficulty(0), "difficulty"),
                row("difficulty 1", exercise(NOT_PER_SIDE).difficulty(1), ""),
                row("difficulty 5", exercise(NOT_PER_SIDE).difficulty(5), ""),
                row("difficulty 6", exercise(NOT_PER_SIDE).difficulty(6), "difficulty"),
                row("every bound at its maximum", exercise(NOT_PER_SIDE).sets(50).reps(500).hold(3600).difficulty(5), ""),
                row("every bound one past", exercise(NOT_PER_SIDE).sets(51).reps(501).hold(3601).difficulty(6),
                        "sets,reps,holdSeconds,difficulty"),
                row("every bound one below", exercise(NOT_PER_SIDE).sets(0).reps(0).hold(-1).difficulty(0),
                        "sets,reps,holdSeconds,difficulty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exerciseBounds")
    void exerciseBoundsAtAndAroundEachThreshold(String what, Event event, String refused) {
        assertRefuses(refused, event, what);
        // what session-service accepts, every consumer applies: the published payload keeps the contract exactly
        // where EventRules does, and breaks it in the same fields where EventRules refuses
        assertEquals(fields(refused), contractFields(event.published()), what + ": SessionEventContract disagrees");
    }

    static Stream<Arguments> requiredAndOptional() {
        return Stream.of(
                row("sets missing", exercise(NOT_PER_SIDE).sets(null), "sets"),
                row("reps missing", exercise(NOT_PER_SIDE).reps(null), "reps"),
                row("holdSeconds may be left out", exercise(NOT_PER_SIDE).hold(null), ""),
                row("difficulty may be left out", exercise(NOT_PER_SIDE).difficulty(null), ""),
                row("eventId missing", exercise(NOT_PER_SIDE).eventId(null), "eventId"),
                row("type missing: nothing else of the type is checked", exercise(NOT_PER_SIDE).type(null).sets(0), "type"),
                row("an enrollment posted as an event", pain().type(EventKind.ENROLLMENT_STARTED), "type"),
                row("an enrollment's end posted as an event", pain().type(EventKind.ENROLLMENT_ENDED), "type"),
                row("a prescription's change posted as an event", pain().type(EventKind.PRESCRIPTION_CHANGED), "type"),
                row("nothing at all", new Event().eventId(null).occurredAt(null), "eventId,occurredAt,type"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requiredAndOptional")
    void requiredFieldsAreNamed(String what, Event event, String refused) {
        assertRefuses(refused, event, what);
    }

    // ---- the exercise: known, and its side when it is done per side ---------------------------------------------

    @ParameterizedTest(name = "{0} side {1}")
    @CsvSource(nullValues = "null", value = {
            // exerciseId, side, refused
            "knee-to-chest, null, side",
            "knee-to-chest, LEFT, ''",
            "knee-to-chest, RIGHT, ''",
            "knee-to-chest, BOTH, ''",
            "sitting-pigeon-pose, null, side",
            "sitting-pigeon-pose, RIGHT, ''",
            "sitting-trunk-stretch, null, side",
            "sitting-trunk-stretch, LEFT, ''",
            "pelvic-tilt, null, ''",
            "pelvic-tilt, LEFT, ''",
            "glute-bridge, null, ''",
            "childs-pose, null, ''",
            "prone-extension, BOTH, ''",
            // an unknown exercise has no dosage to ask the side of: only its id is refused
            "moon-walk, null, exerciseId",
            "moon-walk, LEFT, exerciseId",
            "null, null, exerciseId",
    })
    void sideIsRequiredExactlyForPerSideExercises(String exerciseId, Side side, String refused) {
        assertRefuses(refused, exercise(exerciseId).side(side), exerciseId + " side " + side);
    }

    @Test
    void everyProgramExerciseOfTheCatalogIsKnown() {
        CatalogCopy catalog = new ArticleCatalog();
        ProgramDefinition program = catalog.program(ArticleCatalog.PROGRAM).orElseThrow();
        assertEquals(7, program.exercises().size());
        List<String> perSide = new ArrayList<>();
        for (ProgramExercise item : program.exercises()) {
            String id = item.exerciseId();
            if (catalog.exercise(id).orElseThrow().dosage().perSide()) {
                perSide.add(id);
            }
            for (Side side : Side.values()) {
                assertRefuses("", exercise(id).side(side), id + " " + side);
            }
            assertRefuses(perSide.contains(id) ? "side" : "", exercise(id).side(null), id + " without a side");
        }
        assertEquals(List.of("knee-to-chest", "sitting-pigeon-pose", "sitting-trunk-stretch"), perSide);
    }

    @Test
    void refusalsOfTheExerciseSayWhy() {
        assertEquals(List.of("is required: knee-to-chest is done on each side"), reasons(check(exercise(PER_SIDE).side(null)), "side"));
        assertEquals(List.of("unknown exercise 'moon-walk'"), reasons(check(exercise("moon-walk")), "exerciseId"));
        assertEquals(List.of("is required"), reasons(check(exercise(null)), "exerciseId"));
        assertEquals(List.of("must be between 1 and 50"), reasons(check(exercise(NOT_PER_SIDE).sets(0)), "sets"));
        assertEquals(List.of("must be between 1 and 500"), reasons(check(exercise(NOT_PER_SIDE).reps(501)), "reps"));
        assertEquals(List.of("must be between 0 and 3600"), reasons(check(exercise(NOT_PER_SIDE).hold(-1)), "holdSeconds"));
        assertEquals(List.of("must be between 1 and 5"), reasons(check(exercise(NOT_PER_SIDE).difficulty(6)), "difficulty"));
    }

    // ---- ids: an exerciseId that is no id is refused without being repeated -----------------------------------

    static Stream<Arguments> exerciseIds() {
        return Stream.of(
                // id | a valid id (refused as unknown, named) or not (refused without echoing it)
                Arguments.of("a", true),
                Arguments.of("e".repeat(64), true),
                Arguments.of("A.b_c-9", true),
                Arguments.of("9lives", true),
                Arguments.of("e".repeat(65), false),
                Arguments.of("", false),
                Arguments.of("-knee", false),
                Arguments.of(".hidden", false),
                Arguments.of("_x", false),
                Arguments.of("knee to chest", false),
                Arguments.of("knee/chest", false),
                Arguments.of("x' OR 1=1 --", false),
                Arguments.of("<script>", false),
                Arguments.of("kn\u00e9e", false),
                Arguments.of("knee\n", false),
                Arguments.of("knee\u0000", false));
    }

    @ParameterizedTest(name = "exerciseId \"{0}\"")
    @MethodSource("exerciseIds")
    void exerciseIdOutsideTheIdPatternIsRefusedWithoutEchoingIt(String id, boolean validId) {
        assertEquals(validId, Ids.valid(id), "Ids.valid");
        assertEquals(validId, SessionEventContract.validId(id), "SessionEventContract.validId");
        for (Event event : List.of(exercise(id), pain().context(PainContext.AFTER_EXERCISE).exerciseId(id),
                pain().context(PainContext.CHECK_IN).exerciseId(id))) {
            List<Violation> found = check(event);
            assertEquals(List.of("exerciseId"), fieldsOf(found), id);
            assertEquals(List.of(validId ? "unknown exercise '" + id + "'" : "is not an exercise of the catalog"),
                    reasons(found, "exerciseId"), id);
        }
    }

    @ParameterizedTest(name = "clinicianId \"{0}\" -> {1}")
    @CsvSource(nullValues = "null", value = {
            "c-001, ''",
            "c, ''",
            "c.0_1-A, ''",
            "null, clinicianId",
            "'', clinicianId",
            "-c, clinicianId",
            "c 1, clinicianId",
            "c;1, clinicianId",
    })
    void idsAreCheckedAgainstThePatternAndNamed(String id, String refused) {
        Violations v = Violations.collect();
        Ids.check(id, "clinicianId", v);
        assertEquals(fields(refused), fieldsOf(v.list()), id);
        v.list().forEach(violation -> assertEquals(id == null ? "is required" : "must be 1-64 letters, digits, '.', '_' or '-'",
                violation.reason(), id));
    }

    @Test
    void idsAreAtMost64Characters() {
        Violations longest = Violations.collect();
        Ids.check("c".repeat(64), "clinicianId", longest);
        assertTrue(longest.isEmpty(), "64 characters: " + longest.list());
        Violations tooLong = Violations.collect();
        Ids.check("c".repeat(65), "clinicianId", tooLong);
        assertEquals(List.of("clinicianId"), fieldsOf(tooLong.list()), "65 characters");
    }

    // ---- pain.reported ------------------------------------------------------------------------------------------

    static Stream<Arguments> painBounds() {
        return Stream.of(
                row("score -1", pain().score(-1), "score"),
                row("score 0", pain().score(0), ""),
                row("score 1", pain().score(1), ""),
                row("score 10", pain().score(10), ""),
                row("score 11", pain().score(11), "score"),
                row("score Integer.MIN_VALUE", pain().score(Integer.MIN_VALUE), "score"),
                row("DURING_EXERCISE of a known exercise", pain().context(PainContext.DURING_EXERCISE).exerciseId(PER_SIDE), ""),
                row("AFTER_EXERCISE of a known exercise", pain().context(PainContext.AFTER_EXERCISE).exerciseId(NOT_PER_SIDE), ""),
                row("CHECK_IN naming a known exercise", pain().context(PainContext.CHECK_IN).exerciseId(PER_SIDE), ""),
                row("BEFORE_EXERCISE of a known exercise", pain().context(PainContext.BEFORE_EXERCISE).exerciseId(PER_SIDE), ""),
                row("red flags: none", pain().redFlags(List.of()), ""),
                row("red flags: all four once", pain().redFlags(List.of(RedFlag.values())), ""),
                row("red flags: one twice", pain().redFlags(List.of(RedFlag.LEG_WEAKNESS, RedFlag.LEG_WEAKNESS)), "redFlags"),
                row("red flags: a null", pain().redFlags(Arrays.asList(RedFlag.BOTH_LEGS, null)), "redFlags"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("painBounds")
    void painBoundsAtAndAroundEachThreshold(String what, Event event, String refused) {
        assertRefuses(refused, event, what);
        assertEquals(fields(refused), contractFields(event.published()), what + ": SessionEventContract disagrees");
    }

    static Stream<Arguments> painFields() {
        return Stream.of(
                row("score missing", pain().score(null), "score"),
                row("location missing", pain().location(null), "location"),
                row("side missing: pain is always on a side", pain().side(null), "side"),
                row("context missing", pain().context(null), "context"),
                row("DURING_EXERCISE without exerciseId", pain().context(PainContext.DURING_EXERCISE).exerciseId(null), "exerciseId"),
                row("AFTER_EXERCISE without exerciseId", pain().context(PainContext.AFTER_EXERCISE).exerciseId(null), "exerciseId"),
                row("CHECK_IN without exerciseId", pain().context(PainContext.CHECK_IN).exerciseId(null), ""),
                row("BEFORE_EXERCISE without exerciseId", pain().context(PainContext.BEFORE_EXERCISE).exerciseId(null), ""),
                row("DURING_EXERCISE of an unknown exercise", pain().context(PainContext.DURING_EXERCISE).exerciseId("moon-walk"), "exerciseId"),
                row("CHECK_IN naming an unknown exercise", pain().context(PainContext.CHECK_IN).exerciseId("moon-walk"), "exerciseId"),
                row("no context: the exerciseId is not judged", pain().context(null).exerciseId("moon-walk"), "context"),
                row("red flags left out", pain().redFlags(null), ""),
                row("newPain", pain().newPain(true), ""),
                row("everything missing", pain().score(null).location(null).side(null).context(null), "score,location,side,context"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("painFields")
    void painFieldsAreRequiredAsTheContextSays(String what, Event event, String refused) {
        assertRefuses(refused, event, what);
    }

    @Test
    void refusalsOfPainSayWhy() {
        assertEquals(List.of("must be between 0 and 10 (numeric rating scale)"), reasons(check(pain().score(11)), "score"));
        assertEquals(List.of("is required"), reasons(check(pain().context(PainContext.DURING_EXERCISE).exerciseId(null)), "exerciseId"));
        assertEquals(List.of("must list each symptom once"),
                reasons(check(pain().redFlags(List.of(RedFlag.SADDLE_NUMBNESS, RedFlag.SADDLE_NUMBNESS))), "redFlags"));
    }

    // ---- fields of the other type ---------------------------------------------------------------------------

    static Stream<Arguments> fieldsOfTheOtherType() {
        return Stream.of(
                row("score on an exercise", exercise(NOT_PER_SIDE).score(3), "score"),
                row("location on an exercise", exercise(NOT_PER_SIDE).location(PainLocation.CALF), "location"),
                row("context on an exercise", exercise(NOT_PER_SIDE).context(PainContext.CHECK_IN), "context"),
                row("newPain false on an exercise", exercise(NOT_PER_SIDE).newPain(false), "newPain"),
                row("empty redFlags on an exercise", exercise(NOT_PER_SIDE).redFlags(List.of()), "redFlags"),
                row("sets on pain", pain().sets(1), "sets"),
                row("reps on pain", pain().reps(1), "reps"),
                row("holdSeconds on pain", pain().hold(0), "holdSeconds"),
                row("difficulty on pain", pain().difficulty(3), "difficulty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fieldsOfTheOtherType")
    void aFieldOfTheOtherTypeIsRefusedNotDropped(String what, Event event, String refused) {
        assertRefuses(refused, event, what);
        String field = refused;
        String type = event.type == EventKind.EXERCISE_COMPLETED ? "EXERCISE_COMPLETED" : "PAIN_REPORTED";
        assertEquals(List.of("is not a field of " + type), reasons(check(event), field), what);
    }

    // ---- a batch --------------------------------------------------------------------------------------------

    @Test
    void everyViolationOfEveryEventIsReportedWithItsIndex() {
        List<SubmittedEvent> batch = Arrays.asList(
                exercise(PER_SIDE).build(),
                exercise(PER_SIDE).side(null).sets(0).difficulty(6).build(),
                null,
                pain().build(),
                pain().score(11).context(PainContext.AFTER_EXERCISE).exerciseId(null).at(NOW.plus(Duration.ofHours(1))).build());
        Violations found = Violations.collect();
        RULES.check(batch, NOW, found);
        assertEquals(List.of("1 side", "1 sets", "1 difficulty", "2 body", "4 occurredAt", "4 score", "4 exerciseId"),
                found.list().stream().map(v -> v.index() + " " + v.field()).toList());
    }

    @Test
    void aValidBatchHasNoViolations() {
        List<SubmittedEvent> batch = new ArrayList<>();
        for (String id : ArticleCatalog.EXERCISES.keySet()) {
            batch.add(exercise(id).eventId(UUID.randomUUID())
                    .side(ArticleCatalog.EXERCISES.get(id).dosage().perSide() ? Side.BOTH : null).build());
            batch.add(pain().eventId(UUID.randomUUID()).context(PainContext.AFTER_EXERCISE).exerciseId(id).build());
        }
        Violations found = Violations.collect();
        RULES.check(batch, NOW, found);
        assertEquals(List.of(), found.list());
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    static Arguments row(String what, Event event, String refused) {
        return Arguments.of(what, event, refused);
    }

    static List<Violation> check(Event event) {
        Violations found = Violations.collect();
        RULES.check(List.of(event.build()), NOW, found);
        found.list().forEach(v -> assertEquals(0, v.index(), "the event's index in its batch: " + v));
        return found.list();
    }

    /** Refused in exactly these fields (comma-separated; empty: accepted), each named once. */
    static void assertRefuses(String refused, Event event, String what) {
        assertEquals(sorted(fields(refused)), sorted(fieldsOf(check(event))), what);
    }

    static List<String> fields(String commaSeparated) {
        return commaSeparated == null || commaSeparated.isBlank() ? List.of()
                : Arrays.stream(commaSeparated.split(",")).map(String::strip).toList();
    }

    static List<String> fieldsOf(List<Violation> violations) {
        return violations.stream().map(Violation::field).toList();
    }

    static List<String> reasons(List<Violation> violations, String field) {
        return violations.stream().filter(v -> v.field().equals(field)).map(Violation::reason).toList();
    }

    static List<String> contractFields(SessionEvent published) {
        return SessionEventContract.violations(published).stream().map(v -> v.substring(0, v.indexOf(':'))).toList();
    }

    static List<String> sorted(List<String> list) {
        List<String> copy = new ArrayList<>(list);
        Collections.sort(copy);
        return copy;
    }

    static Event exercise(String exerciseId) {
        Event e = new Event();
        e.type = EventKind.EXERCISE_COMPLETED;
        e.exerciseId = exerciseId;
        e.side = exerciseId != null && ArticleCatalog.EXERCISES.containsKey(exerciseId)
                && ArticleCatalog.EXERCISES.get(exerciseId).dosage().perSide() ? Side.LEFT : null;
        e.sets = 1;
        e.reps = 3;
        return e;
    }

    static Event pain() {
        Event e = new Event();
        e.type = EventKind.PAIN_REPORTED;
        e.score = 4;
        e.location = PainLocation.BUTTOCK;
        e.side = Side.LEFT;
        e.context = PainContext.CHECK_IN;
        return e;
    }

    /** A submitted event under construction: valid by default (from {@link #exercise} or {@link #pain}). */
    static final class Event {
        UUID eventId = UUID.fromString("6f1c1a7e-8a43-4d59-9a1b-0d3c2f1e4b5a");
        EventKind type;
        OffsetDateTime occurredAt = OffsetDateTime.ofInstant(NOW.minus(Duration.ofMinutes(10)), BERLIN_WINTER);
        String exerciseId;
        Side side;
        Integer sets;
        Integer reps;
        Integer holdSeconds;
        Integer difficulty;
        Integer score;
        PainLocation location;
        PainContext context;
        Boolean newPain;
        List<RedFlag> redFlags;

        Event eventId(UUID v) { eventId = v; return this; }
        Event type(EventKind v) { type = v; return this; }
        Event occurredAt(OffsetDateTime v) { occurredAt = v; return this; }
        Event at(Instant v) { occurredAt = OffsetDateTime.ofInstant(v, ZoneOffset.UTC); return this; }
        Event exerciseId(String v) { exerciseId = v; return this; }
        Event side(Side v) { side = v; return this; }
        Event sets(Integer v) { sets = v; return this; }
        Event reps(Integer v) { reps = v; return this; }
        Event hold(Integer v) { holdSeconds = v; return this; }
        Event difficulty(Integer v) { difficulty = v; return this; }
        Event score(Integer v) { score = v; return this; }
        Event location(PainLocation v) { location = v; return this; }
        Event context(PainContext v) { context = v; return this; }
        Event newPain(Boolean v) { newPain = v; return this; }
        /** A mutable list, as Jackson reads one (EventRules asks it {@code contains(null)}, which List.of refuses). */
        Event redFlags(List<RedFlag> v) { redFlags = v == null ? null : new ArrayList<>(v); return this; }

        SubmittedEvent build() {
            return new SubmittedEvent(eventId, type, occurredAt, exerciseId, side, sets, reps, holdSeconds, difficulty,
                    score, location, context, newPain, redFlags);
        }

        /** The payload session-service would publish for it (as {@code SessionRecorder} builds it). */
        SessionEvent published() {
            return switch (type) {
                case EXERCISE_COMPLETED -> new ExerciseCompleted(eventId, "p-001", occurredAt, exerciseId, side, sets, reps,
                        holdSeconds, difficulty);
                case PAIN_REPORTED -> new PainReported(eventId, "p-001", occurredAt, score, location, side, context, exerciseId,
                        Boolean.TRUE.equals(newPain), redFlags == null ? List.of() : redFlags);
                default -> throw new IllegalStateException(type + " is not published from a batch");
            };
        }

        @Override
        public String toString() {
            return build().toString();
        }
    }

    /**
     * The catalog as catalog-service seeds it (V2__seed_article_exercises.sql: the article's seven exercises, three of
     * them per side, and the sciatica-relief program of all seven). A CatalogCopy fills itself only from Kafka through
     * its database; without either, this one answers its lookups from these definitions.
     */
    @Vetoed // not a bean: this module's Quarkus tests inject the one real CatalogCopy
    static final class ArticleCatalog extends CatalogCopy {

        static final String PROGRAM = "sciatica-relief";
        static final Instant DEFINED = Instant.parse("2026-11-25T16:52:42Z");
        static final Map<String, ExerciseDefinition> EXERCISES = Stream.of(
                definition("knee-to-chest", ExerciseKind.STRETCH, new Dosage(1, Range.of(3, 3), Range.of(0, 30), true)),
                definition("glute-bridge", ExerciseKind.STRENGTHENING, new Dosage(1, Range.of(8, 10), null, false)),
                definition("sitting-pigeon-pose", ExerciseKind.STRETCH, new Dosage(1, Range.of(1, 1), Range.of(10, 20), true)),
                definition("sitting-trunk-stretch", ExerciseKind.STRETCH, new Dosage(1, Range.of(2, 3), Range.of(20, 30), true)),
                definition("childs-pose", ExerciseKind.STRETCH, new Dosage(1, Range.of(1, 1), Range.of(0, 30), false)),
                definition("prone-extension", ExerciseKind.STRETCH, new Dosage(1, Range.of(10, 10), Range.of(10, 30), false)),
                definition("pelvic-tilt", ExerciseKind.STRENGTHENING, new Dosage(1, Range.of(10, 10), null, false)))
                .collect(Collectors.toMap(ExerciseDefinition::id, Function.identity(), (a, b) -> a, java.util.LinkedHashMap::new));
        static final ProgramDefinition SCIATICA_RELIEF = new ProgramDefinition(PROGRAM, 1, "Sciatica relief",
                "The seven stretches and strengthening exercises of the source article, once a day, every day.",
                EXERCISES.keySet().stream().map(id -> new ProgramExercise(id, null)).toList(),
                new Schedule(1, EnumSet.allOf(DayOfWeek.class)), DEFINED);

        private static ExerciseDefinition definition(String id, ExerciseKind kind, Dosage dosage) {
            return new ExerciseDefinition(id, 1, id, List.of(), kind, List.of("lower back"), List.of("step"), dosage,
                    List.of("Exercises should cause a stretch and tension in the area, but must not worsen pain or cause new pain."),
                    null, DEFINED);
        }

        @Override
        public Optional<ExerciseDefinition> exercise(String id) {
            return Optional.ofNullable(id == null ? null : EXERCISES.get(id));
        }

        @Override
        public Optional<ProgramDefinition> program(String id) {
            return PROGRAM.equals(id) ? Optional.of(SCIATICA_RELIEF) : Optional.empty();
        }
    }
}
