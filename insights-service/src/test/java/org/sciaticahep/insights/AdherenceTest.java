package org.sciaticahep.insights;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;

/** Completed over expected, through the whole pipeline, with exact figures, counted in the patient's time zone. */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "insights"))
class AdherenceTest extends PipelineTest {

    static final double EPS = 1e-9;

    @Test
    void completedOverExpectedPerDayAndPerExercise() {
        // New York: 23:30 on day 0 is already day 1 in UTC, and must count for day 0
        Clinic p = Clinic.patient("adh", "America/New_York", 2).enroll("c-001");
        p.post(List.of(
                p.exercise(0, 8, "knee-to-chest", "LEFT", 1, 3),
                Clinic.with(p.exercise(0, 8, "knee-to-chest", "RIGHT", 1, 3), "occurredAt", p.at(0, 23, 30).toString()),
                p.exercise(0, 9, "glute-bridge", null, 1, 8),          // minimum of 8-10 reps: complete
                p.exercise(0, 9, "pelvic-tilt", null, 1, 5),           // 5 of 10: half
                p.exercise(1, 7, "knee-to-chest", "BOTH", 1, 3),       // BOTH counts for both sides
                p.exercise(1, 7, "prone-extension", null, 2, 10),      // twice the dosage still counts once
                p.exercise(1, 8, "sitting-pigeon-pose", "LEFT", 1, 1), // one side of two: half
                Clinic.with(p.exercise(2, 0, "childs-pose", null, 1, 1), "occurredAt",
                        java.time.OffsetDateTime.now(p.zone).minusSeconds(5).toString())));
        p.awaitApplied(db);

        p.clinician().get("/patients/" + p.patientId + "/adherence").then().statusCode(200)
                .body("from", equalTo(p.startDate.toString()))
                .body("expected", closeTo(21.0, EPS))
                .body("completed", closeTo(6.0, EPS))
                .body("ratio", closeTo(6.0 / 21, EPS))
                .body("days.date", contains(p.startDate.toString(), p.startDate.plusDays(1).toString(), p.startDate.plusDays(2).toString()))
                .body("days.completed", contains(closeTo(2.5, EPS), closeTo(2.5, EPS), closeTo(1.0, EPS)))
                .body("days.expected", contains(closeTo(7.0, EPS), closeTo(7.0, EPS), closeTo(7.0, EPS)))
                .body("exercises.find { it.exerciseId == 'knee-to-chest' }.completed", closeTo(2.0, EPS))
                .body("exercises.find { it.exerciseId == 'glute-bridge' }.completed", closeTo(1.0, EPS))
                .body("exercises.find { it.exerciseId == 'pelvic-tilt' }.completed", closeTo(0.5, EPS))
                .body("exercises.find { it.exerciseId == 'sitting-pigeon-pose' }.completed", closeTo(0.5, EPS))
                .body("exercises.find { it.exerciseId == 'sitting-trunk-stretch' }.completed", closeTo(0.0, EPS))
                .body("exercises.find { it.exerciseId == 'sitting-trunk-stretch' }.expected", closeTo(3.0, EPS));

        p.clinician().queryParam("from", p.startDate.plusDays(1).toString()).queryParam("to", p.startDate.plusDays(1).toString())
                .get("/patients/" + p.patientId + "/adherence").then()
                .body("expected", closeTo(7.0, EPS))
                .body("completed", closeTo(2.5, EPS));
    }

    @Test
    void patientWithoutPainReportsHasNoBaselineAndNoFlags() {
        Clinic p = Clinic.patient("nopain", "Europe/Berlin", 1).enroll("c-001");
        p.post(List.of(p.exercise(0, 9, "pelvic-tilt", null, 1, 10)));
        p.awaitApplied(db);
        p.clinician().get("/patients/" + p.patientId + "/pain").then().statusCode(200)
                .body("baseline", nullValue())
                .body("latest", nullValue())
                .body("trailingMean", nullValue())
                .body("days.size()", equalTo(0));
        p.clinician().get("/patients/" + p.patientId + "/flags").then().body("size()", equalTo(0));
        p.clinician().get("/patients/" + p.patientId + "/adherence").then().body("completed", closeTo(1.0, EPS));
    }

    @Test
    void badDateIs400AndUnknownPatientIs404ToThemselves() {
        As.clinician("c-001").queryParam("from", "yesterday").get("/patients/p-x/adherence").then().statusCode(400)
                .body("violations[0].field", equalTo("from"));
        As.patient("nobody-here").get("/patients/nobody-here/adherence").then().statusCode(404);
        // a clinician learns nothing about a patient who is not theirs, not even whether they exist
        As.clinician("c-001").get("/patients/nobody-here/adherence").then().statusCode(403);
    }
}
