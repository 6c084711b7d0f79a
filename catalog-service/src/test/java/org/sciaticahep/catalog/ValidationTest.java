package org.sciaticahep.catalog;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;

/** Every kind of bad input gets a problem+json naming the field, and nothing is stored. */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class ValidationTest {

    static Stream<Arguments> badExercises() {
        return Stream.of(
                bad("empty name", e -> e.put("name", " "), "name"),
                bad("missing name", e -> e.remove("name"), "name"),
                bad("id not a slug", e -> e.put("id", "Knee To Chest"), "id"),
                bad("missing kind", e -> e.remove("kind"), "kind"),
                bad("no steps", e -> e.put("steps", List.of()), "steps"),
                bad("blank step", e -> e.put("steps", List.of("Lie down.", "")), "steps[1]"),
                bad("missing dosage", e -> e.remove("dosage"), "dosage"),
                bad("zero sets", e -> Drafts.dosage(e).put("sets", 0), "dosage.sets"),
                bad("reps min > max", e -> Drafts.range(e, "reps").put("min", 12), "dosage.reps"),
                bad("missing reps max", e -> Drafts.range(e, "reps").remove("max"), "dosage.reps.max"),
                bad("negative hold", e -> Drafts.range(e, "holdSeconds").put("min", -5), "dosage.holdSeconds.min"),
                bad("missing per side", e -> Drafts.dosage(e).remove("perSide"), "dosage.perSide"),
                bad("name too long", e -> e.put("name", "x".repeat(500)), "name"),
                // progression: draft dosage 2 sets of 5-8 reps, hold 5-10 s
                bad("empty progression", e -> e.put("progression", Map.of()), "progression"),
                bad("reps step of 0", e -> e.put("progression", Map.of("reps", Map.of("by", 0, "max", 12))), "progression.reps.by"),
                bad("reps max below where it starts", e -> e.put("progression", Map.of("reps", Map.of("by", 1, "max", 4))),
                        "progression.reps.max"),
                bad("sets max over the limit", e -> e.put("progression", Map.of("sets", Map.of("by", 1, "max", 21))),
                        "progression.sets.max"),
                bad("missing step size", e -> e.put("progression", Map.of("sets", Map.of("max", 3))), "progression.sets.by"),
                bad("a hold step without a hold", e -> {
                    Drafts.dosage(e).remove("holdSeconds");
                    e.put("progression", Map.of("holdSeconds", Map.of("by", 5, "max", 30)));
                }, "progression.holdSeconds"));
    }

    static Arguments bad(String what, Consumer<Map<String, Object>> change, String field) {
        return Arguments.of(what, change, field);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badExercises")
    void invalidExerciseIsRejectedAndNotStored(String what, Consumer<Map<String, Object>> change, String field) {
        String id = Drafts.newId("bad");
        Map<String, Object> draft = Drafts.exercise(id);
        change.accept(draft);
        String storedId = draft.get("id") instanceof String s ? s : id;

        problem(As.catalogEditor().contentType(ContentType.JSON).body(draft).post("/exercises"), 422)
                .body("violations.field", hasItem(field));
        As.catalogEditor().get("/exercises/" + storedId).then().statusCode(404);
    }

    @Test
    void malformedJsonIs400() {
        problem(As.catalogEditor().contentType(ContentType.JSON).body("{\"id\": \"x\", ").post("/exercises"), 400)
                .body("violations[0].field", equalTo("body"));
    }

    @Test
    void wrongTypeNamesTheField() {
        Map<String, Object> draft = Drafts.exercise(Drafts.newId("typed"));
        Drafts.dosage(draft).put("sets", "three");
        problem(As.catalogEditor().contentType(ContentType.JSON).body(draft).post("/exercises"), 400)
                .body("violations[0].field", equalTo("dosage.sets"));
        As.catalogEditor().get("/exercises/" + draft.get("id")).then().statusCode(404);
    }

    @Test
    void unknownKindIs400NamingKind() {
        Map<String, Object> draft = Drafts.exercise(Drafts.newId("kind"));
        draft.put("kind", "YOGA");
        problem(As.catalogEditor().contentType(ContentType.JSON).body(draft).post("/exercises"), 400)
                .body("violations[0].field", equalTo("kind"));
    }

    @Test
    void misspelledFieldIsRejectedNotIgnored() {
        Map<String, Object> draft = Drafts.exercise(Drafts.newId("typo"));
        draft.put("cuations", List.of("typo"));
        problem(As.catalogEditor().contentType(ContentType.JSON).body(draft).post("/exercises"), 400)
                .body("violations[0].field", equalTo("cuations"));
    }

    @Test
    void unknownIdIs404Problem() {
        problem(As.catalogEditor().get("/exercises/no-such-exercise"), 404);
        problem(As.catalogEditor().get("/exercises/no-such-exercise/versions"), 404);
        problem(As.catalogEditor().get("/programs/no-such-program"), 404);
        problem(As.catalogEditor().contentType(ContentType.JSON).body(Drafts.exercise("no-such-exercise"))
                .put("/exercises/no-such-exercise"), 404);
    }

    @Test
    void existingIdCannotBeCreatedTwice() {
        problem(As.catalogEditor().contentType(ContentType.JSON).body(Drafts.exercise("pelvic-tilt")).post("/exercises"), 409);
        As.catalogEditor().get("/exercises/pelvic-tilt").then().body("name", equalTo("Pelvic tilt")).body("version", equalTo(2));
    }

    @Test
    void putWithAnotherIdInTheBodyIsRejected() {
        String id = Drafts.newId("mismatch");
        As.catalogEditor().contentType(ContentType.JSON).body(Drafts.exercise(id)).post("/exercises").then().statusCode(201);
        problem(As.catalogEditor().contentType(ContentType.JSON).body(Drafts.exercise("glute-bridge")).put("/exercises/" + id), 422)
                .body("violations.field", hasItem("id"));
        As.catalogEditor().get("/exercises/" + id + "/versions").then().body("size()", equalTo(1));
    }

    @Test
    void programWithUnknownExerciseIsRejectedNamingTheEntry() {
        String id = Drafts.newId("program");
        problem(As.catalogEditor().contentType(ContentType.JSON).body(Drafts.program(id, "pelvic-tilt", "moon-walk")).post("/programs"), 422)
                .body("violations.field", hasItem("exercises[1].exerciseId"))
                .body("violations.reason", hasItem("unknown exercise 'moon-walk'"));
        As.catalogEditor().get("/programs/" + id).then().statusCode(404);
    }

    @Test
    void programScheduleAndDosageOverrideAreChecked() {
        String id = Drafts.newId("program");
        Map<String, Object> program = Drafts.program(id, "pelvic-tilt", "pelvic-tilt");
        @SuppressWarnings("unchecked")
        Map<String, Object> schedule = (Map<String, Object>) program.get("schedule");
        schedule.put("timesPerDay", 0);
        schedule.put("daysOfWeek", List.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> first = ((List<Map<String, Object>>) program.get("exercises")).get(0);
        first.put("dosage", Map.of("sets", 1, "reps", Map.of("min", 10, "max", 5), "perSide", false));
        problem(As.catalogEditor().contentType(ContentType.JSON).body(program).post("/programs"), 422)
                .body("violations.field", hasItem("schedule.timesPerDay"))
                .body("violations.field", hasItem("schedule.daysOfWeek"))
                .body("violations.field", hasItem("exercises[1].exerciseId"))
                .body("violations.field", hasItem("exercises[0].dosage.reps"));
        As.catalogEditor().get("/programs/" + id).then().statusCode(404);
    }

    static ValidatableResponse problem(io.restassured.response.Response response, int status) {
        return response.then().statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(status));
    }
}
