package org.sciaticahep.insights;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;

/**
 * Progression suggested, the clinician decides, through the real path: the app posts completions with their
 * difficulty to session-service, insights suggests the next step (API and patient list), the clinician writes the
 * version from tomorrow at session-service, and a raise that hurt is suggested back.
 */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "insights"))
class ProgressionPipelineTest extends PipelineTest {

    /**
     * Pelvic tilt done in full on the last three days, rated 2 of 5: ready for 12 repetitions. The glute bridge done
     * as fully but rated 4: not ready. Knee to chest done on one leg only: not ready. What the aggregates keep of
     * difficulty and hold is what the facts say. Once the clinician applies the step from tomorrow, nothing more is
     * suggested until then.
     */
    @Test
    void threeFullEasyDaysMakeAnExerciseReadyAndTheStepIsAppliedFromTomorrow() {
        Clinic p = Clinic.patient("ready", "Europe/Berlin", 4).enroll("c-041");
        List<Map<String, Object>> done = new ArrayList<>();
        for (int day = 1; day <= 3; day++) {
            done.add(Clinic.with(p.exercise(day, 9, "pelvic-tilt", null, 1, 10), "difficulty", 2));
            done.add(Clinic.with(p.exercise(day, 9, "glute-bridge", null, 1, 8), "difficulty", 4));
            done.add(Clinic.with(p.exercise(day, 9, "knee-to-chest", "LEFT", 1, 3), "holdSeconds", 20 + day));
        }
        p.post(done).awaitApplied(db);
        assertAggregatesMatchFacts(p.patientId);

        p.clinician().get("/patients/" + p.patientId + "/progression").then().statusCode(200)
                .body("exerciseId", equalTo(List.of("pelvic-tilt"))).body("[0].direction", equalTo("PROGRESS"))
                .body("[0].current.reps.min", equalTo(10)).body("[0].suggested.reps.min", equalTo(12))
                .body("[0].reason", containsString("difficulty 2.0 of 5"));
        p.clinician().get("/patients").then().statusCode(200)
                .body("items.find { it.patientId == '" + p.patientId + "' }.readyToProgress", equalTo(1))
                .body("items.find { it.patientId == '" + p.patientId + "' }.stepBack", equalTo(0))
                .body("items.find { it.patientId == '" + p.patientId + "' }.suggestions.suggested.reps.min", equalTo(List.of(12)));
        As.patient(p.patientId).get("/patients/" + p.patientId + "/progression").then().statusCode(403);

        String tomorrow = LocalDate.now(p.zone).plusDays(1).toString();
        prescribe(p, "pelvic-tilt", 12, tomorrow).then().statusCode(200).body("version", equalTo(2))
                .body("effectiveFrom", equalTo(tomorrow));
        p.eventIds.add(PrescriptionPipelineTest.versionEventId(UUID.fromString(p.eventIds.get(0)), 2).toString());
        p.awaitApplied(db);
        p.clinician().get("/patients/" + p.patientId + "/progression").then().statusCode(200).body("size()", equalTo(0));
        As.clinician("c-041").baseUri(Clinic.session()).queryParam("on", tomorrow).get("/patients/" + p.patientId + "/prescription")
                .then().statusCode(200).body("items.find { it.exerciseId == 'pelvic-tilt' }.dosage.reps.min", equalTo(12));
    }

    /**
     * The article's "stop if pain gets worse" after a raise: the clinician raises the pelvic tilt from today, the
     * patient reports pain worse after it; the app is told to stop it and the clinician is suggested the dosage before.
     */
    @Test
    void aRaiseThatMakesPainWorseIsSuggestedBack() {
        Clinic p = Clinic.patient("step-back", "Europe/Berlin", 2).enroll("c-042");
        prescribe(p, "pelvic-tilt", 12, null).then().statusCode(200).body("version", equalTo(2));
        p.eventIds.add(PrescriptionPipelineTest.versionEventId(UUID.fromString(p.eventIds.get(0)), 2).toString());
        OffsetDateTime now = OffsetDateTime.now(p.zone);
        Map<String, Object> before = Clinic.with(p.pain(0, 8, 0, 2, "BUTTOCK", "LEFT", "CHECK_IN"), "occurredAt",
                now.minusMinutes(3).toString());
        Map<String, Object> after = Clinic.with(Clinic.with(p.pain(0, 9, 0, 5, "BUTTOCK", "LEFT", "AFTER_EXERCISE"), "occurredAt",
                now.minusMinutes(2).toString()), "exerciseId", "pelvic-tilt");
        As.patient(p.patientId).baseUri(Clinic.session()).contentType(ContentType.JSON).body(List.of(before, after))
                .post("/patients/" + p.patientId + "/events").then().statusCode(202)
                .body("events[1].advice.code", equalTo(List.of("STOP_EXERCISE")));
        p.eventIds.add((String) before.get("eventId"));
        p.eventIds.add((String) after.get("eventId"));
        p.awaitApplied(db);

        p.clinician().get("/patients/" + p.patientId + "/progression").then().statusCode(200)
                .body("exerciseId", equalTo(List.of("pelvic-tilt"))).body("[0].direction", equalTo("STEP_BACK"))
                .body("[0].current.reps.min", equalTo(12)).body("[0].suggested.reps.min", equalTo(10));
        p.clinician().get("/patients").then().statusCode(200)
                .body("items.find { it.patientId == '" + p.patientId + "' }.stepBack", equalTo(1));
    }

    /** The current version with one exercise's repetitions changed, written by the patient's clinician. */
    private static io.restassured.response.Response prescribe(Clinic p, String exerciseId, int reps, String effectiveFrom) {
        Map<String, Object> current = As.clinician(p.clinicianId).baseUri(Clinic.session())
                .get("/patients/" + p.patientId + "/prescription").then().statusCode(200).extract().jsonPath().getMap("$");
        List<Map<String, Object>> items = new ArrayList<>();
        for (Object o : (List<?>) current.get("items")) {
            Map<?, ?> item = (Map<?, ?>) o;
            Map<String, Object> copy = new LinkedHashMap<>();
            copy.put("exerciseId", item.get("exerciseId"));
            copy.put("status", item.get("status"));
            Map<String, Object> dosage = new HashMap<>((Map<String, Object>) item.get("dosage"));
            if (exerciseId.equals(item.get("exerciseId"))) {
                dosage.put("reps", Map.of("min", reps, "max", reps));
            }
            copy.put("dosage", dosage);
            items.add(copy);
        }
        Map<String, Object> version = new HashMap<>();
        version.put("expectedVersion", current.get("version"));
        version.put("schedule", current.get("schedule"));
        version.put("items", items);
        if (effectiveFrom != null) {
            version.put("effectiveFrom", effectiveFrom);
        }
        return As.clinician(p.clinicianId).baseUri(Clinic.session()).contentType(ContentType.JSON).body(version)
                .put("/patients/" + p.patientId + "/prescription");
    }
}
