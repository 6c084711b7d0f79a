package org.sciaticahep.insights;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.Pipeline;
import org.sciaticahep.stack.StackTestResource;

/**
 * Adherence follows the prescription in force each day, through the real path: the clinician changes the patient's
 * prescription at session-service, which publishes the version; insights counts each day against it.
 */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "insights"))
class PrescriptionPipelineTest extends PipelineTest {

    static final double EPS = 1e-9;
    static final List<String> WHOLE = List.of("glute-bridge", "childs-pose", "prone-extension", "pelvic-tilt");
    static final List<String> PER_SIDE = List.of("knee-to-chest", "sitting-pigeon-pose", "sitting-trunk-stretch");

    /** The patient's whole dose of every exercise but {@code except}, at {@code at}. */
    static List<Map<String, Object>> everythingBut(Clinic p, String except, OffsetDateTime at) {
        List<Map<String, Object>> done = new ArrayList<>();
        WHOLE.stream().filter(e -> !e.equals(except)).forEach(e -> done.add(Clinic.with(p.exercise(0, 9, e, null, 1, 10), "occurredAt", at.toString())));
        PER_SIDE.stream().filter(e -> !e.equals(except)).forEach(e -> done.add(Clinic.with(p.exercise(0, 9, e, "BOTH", 1, 3), "occurredAt", at.toString())));
        return done;
    }

    /** The article's rule: glute bridge hurt yesterday; the clinician pauses it today; only the other six count from today. */
    @Test
    void aPausedExerciseIsNotExpectedFromItsDate() {
        Clinic p = Clinic.patient("paused", "Europe/Berlin", 1).enroll("c-003");
        UUID enrollmentId = UUID.fromString(p.eventIds.get(0));
        List<Map<String, Object>> yesterday = everythingBut(p, null, p.at(0, 9, 0));
        yesterday.add(p.pain(0, 8, 0, 2, "BUTTOCK", "LEFT", "CHECK_IN"));
        yesterday.add(Clinic.with(p.pain(0, 9, 30, 6, "BUTTOCK", "LEFT", "AFTER_EXERCISE"), "exerciseId", "glute-bridge"));
        p.post(yesterday);

        var prescription = As.clinician("c-003").baseUri(Clinic.session()).get("/patients/" + p.patientId + "/prescription")
                .then().statusCode(200).body("version", equalTo(1)).body("items.size()", equalTo(7)).extract().jsonPath();
        assertEquals(p.startDate.toString(), prescription.getString("effectiveFrom"));
        As.clinician("c-003").baseUri(Clinic.session()).contentType(ContentType.JSON).body(Map.of("reason", "worse pain after it"))
                .post("/patients/" + p.patientId + "/prescription/items/glute-bridge/pause").then().statusCode(200)
                .body("version", equalTo(2)).body("effectiveFrom", equalTo(LocalDate.now(p.zone).toString()));
        p.eventIds.add(versionEventId(enrollmentId, 2).toString());

        p.post(everythingBut(p, "glute-bridge", OffsetDateTime.now(p.zone).minusSeconds(1))).awaitApplied(db);

        LocalDate today = LocalDate.now(p.zone);
        p.clinician().queryParam("from", today.toString()).queryParam("to", today.toString())
                .get("/patients/" + p.patientId + "/adherence").then().statusCode(200)
                .body("expected", closeTo(6.0, EPS)).body("completed", closeTo(6.0, EPS))
                .body("exercises.find { it.exerciseId == 'glute-bridge' }.expected", closeTo(0.0, EPS));
        p.clinician().get("/patients/" + p.patientId + "/adherence").then()
                .body("days[0].expected", closeTo(7.0, EPS)).body("days[0].completed", closeTo(7.0, EPS))
                .body("exercises.find { it.exerciseId == 'glute-bridge' }.expected", closeTo(1.0, EPS));
        As.patient(p.patientId).get("/patients/" + p.patientId + "/today").then().statusCode(200)
                .body("date", equalTo(today.toString())).body("version", equalTo(2)).body("completion", closeTo(1.0, EPS))
                .body("items.find { it.exerciseId == 'glute-bridge' }.status", equalTo("PAUSED"))
                .body("items.find { it.exerciseId == 'glute-bridge' }.reason", equalTo("worse pain after it"))
                .body("items.find { it.exerciseId == 'glute-bridge' }.remaining.size()", equalTo(0))
                .body("items.find { it.exerciseId == 'knee-to-chest' }.remaining.LEFT", equalTo(0))
                .body("items.find { it.exerciseId == 'pelvic-tilt' }.name", equalTo("Pelvic tilt"))
                .body("items.find { it.exerciseId == 'pelvic-tilt' }.steps.size()", org.hamcrest.Matchers.greaterThan(0));
        Set<String> flags = FlagRulesPipelineTest.flagSet(p);
        assertTrue(flags.contains("EXERCISE_WORSENS_PAIN glute-bridge HIGH"), flags.toString());
        assertTrue(flags.stream().noneMatch(f -> f.startsWith("LOW_ADHERENCE")), flags.toString());
        // another patient's app, or a clinician who does not treat them, learns nothing
        As.patient("someone-else").get("/patients/" + p.patientId + "/today").then().statusCode(403);
        As.clinician("c-999").get("/patients/" + p.patientId + "/today").then().statusCode(403);
    }

    /**
     * Care ended on day 7 (recovered): the time-based rules stop after it (LOW_ADHERENCE keeps day 7, days 8 and 9 go),
     * and a red flag the patient reports afterwards still raises its CRITICAL flag.
     */
    @Test
    void afterTheEndOfCareOnlyReportsRaiseFlags() {
        Clinic p = Clinic.patient("ended", "Europe/Berlin", 10).enroll("c-003");
        UUID enrollmentId = UUID.fromString(p.eventIds.get(0));
        p.post(List.of(p.pain(0, 8, 0, 3, "BUTTOCK", "LEFT", "CHECK_IN"))).awaitApplied(db);
        assertEquals(p.startDate.plusDays(9), lastDayOf(p, "LOW_ADHERENCE"), "nothing done: every day from day 7 to yesterday");

        LocalDate endDate = p.startDate.plusDays(7);
        As.clinician("c-003").baseUri(Clinic.session()).contentType(ContentType.JSON)
                .body(Map.of("reason", "RECOVERED", "endDate", endDate.toString(), "note", "back at work"))
                .post("/patients/" + p.patientId + "/enrollments/" + enrollmentId + "/end").then().statusCode(200);
        p.eventIds.add(UUID.nameUUIDFromBytes(("enrollment.ended/" + enrollmentId).getBytes(StandardCharsets.UTF_8)).toString());
        p.post(List.of(Clinic.with(Clinic.with(p.pain(10, 0, 0, 4, "BUTTOCK", "LEFT", "CHECK_IN"), "occurredAt",
                OffsetDateTime.now(p.zone).minusSeconds(1).toString()), "redFlags", List.of("SADDLE_NUMBNESS")))).awaitApplied(db);

        assertEquals(endDate, lastDayOf(p, "LOW_ADHERENCE"));
        assertEquals(1, db.preparedQuery("SELECT count(*) FROM review_flag WHERE patient_id = $1 AND rule = 'RED_FLAG_SYMPTOMS' AND severity = 'CRITICAL'")
                .execute(Tuple.of(p.patientId)).await().indefinitely().iterator().next().getLong(0));
    }

    /**
     * A program template edited after a patient enrolled changes none of their days, past or present; the next
     * patient enrolled gets the new version.
     */
    @Test
    void aTemplateEditChangesNoEnrolledPatientOnlyTheNextEnrollment() {
        String program = "template-" + UUID.randomUUID().toString().substring(0, 8);
        String catalogService = Pipeline.url("catalog-service");
        Map<String, Object> draft = new HashMap<>(Map.of("id", program, "name", "Two exercises", "description", "For tests",
                "exercises", List.of(Map.of("exerciseId", "pelvic-tilt"), Map.of("exerciseId", "childs-pose")),
                "schedule", Map.of("timesPerDay", 1, "daysOfWeek", List.of(DayOfWeek.values()))));
        As.catalogEditor().baseUri(catalogService).contentType(ContentType.JSON).body(draft).post("/programs").then().statusCode(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> catalog.program(program).isPresent());
        Clinic before = enrolled(program);
        before.post(List.of(before.exercise(0, 9, "pelvic-tilt", null, 1, 10), before.exercise(0, 10, "childs-pose", null, 1, 1)))
                .awaitApplied(db);
        String adherence = FlagRulesPipelineTest.comparable("/adherence", before);
        assertEquals(4.0, before.clinician().get("/patients/" + before.patientId + "/adherence").jsonPath().getDouble("expected"), EPS);

        draft.put("version", 1);
        draft.put("exercises", List.of(Map.of("exerciseId", "pelvic-tilt", "dosage",
                Map.of("sets", 3, "reps", Map.of("min", 10, "max", 12), "perSide", false))));
        As.catalogEditor().baseUri(catalogService).contentType(ContentType.JSON).body(draft).put("/programs/" + program).then()
                .statusCode(200).body("version", equalTo(2));
        await().atMost(Duration.ofSeconds(30)).until(() -> catalog.program(program).orElseThrow().version() == 2);
        Clinic after = enrolled(program);

        // a new event makes insights evaluate the first patient again: still their own version 1
        before.post(List.of(before.pain(0, 7, 0, 2, "BUTTOCK", "LEFT", "CHECK_IN"))).awaitApplied(db);
        assertEquals(adherence, FlagRulesPipelineTest.comparable("/adherence", before));
        As.clinician("c-004").baseUri(Clinic.session()).get("/patients/" + before.patientId + "/prescription").then()
                .body("programVersion", equalTo(1)).body("items.size()", equalTo(2));
        As.clinician("c-004").baseUri(Clinic.session()).get("/patients/" + after.patientId + "/prescription").then()
                .body("programVersion", equalTo(2)).body("items.size()", equalTo(1)).body("items[0].dosage.sets", equalTo(3));
        after.awaitApplied(db);
        after.clinician().get("/patients/" + after.patientId + "/adherence").then().body("exercises.size()", equalTo(1));
    }

    /** A patient enrolled on the program yesterday, once session-service's catalog copy has it. */
    private static Clinic enrolled(String program) {
        Clinic p = Clinic.patient("template", "Europe/Berlin", 1);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> p.enroll("c-004", program));
        return p;
    }

    /** A version keyed to one patient but naming another's enrollment changes nobody's plan (a faulty producer). */
    @Test
    void aVersionNamingAnotherPatientsEnrollmentChangesNothing() throws Exception {
        Clinic a = Clinic.patient("own", "Europe/Berlin", 1).enroll("c-003");
        Clinic b = Clinic.patient("other", "Europe/Berlin", 1).enroll("c-003");
        As.clinician("c-003").baseUri(Clinic.session()).contentType(ContentType.JSON).body(Map.of())
                .post("/patients/" + a.patientId + "/prescription/items/pelvic-tilt/stop").then().statusCode(200);
        ObjectNode forged = (ObjectNode) JSON.readTree(a.published(EventTypes.PRESCRIPTION_CHANGED).value());
        String forgedId = UUID.randomUUID().toString();
        forged.put("eventId", forgedId);
        forged.put("enrollmentId", b.eventIds.get(0));
        ((ObjectNode) forged.path("prescription")).put("version", 3);
        ProducerRecord<String, String> original = Clinic.again(a.published(EventTypes.PRESCRIPTION_CHANGED));
        Clinic.produce(List.of(new ProducerRecord<>(original.topic(), null, a.patientId, JSON.writeValueAsString(forged),
                original.headers())));
        a.eventIds.add(forgedId);
        a.awaitApplied(db);
        b.awaitApplied(db);
        assertEquals(0, db.preparedQuery("SELECT count(*) FROM prescription_version WHERE version = 3 AND enrollment_id = ANY($1)")
                .execute(Tuple.of((Object) new UUID[] {UUID.fromString(a.eventIds.get(0)), UUID.fromString(b.eventIds.get(0))}))
                .await().indefinitely().iterator().next().getLong(0));
        b.clinician().get("/patients/" + b.patientId + "/today").then().statusCode(200)
                .body("items.find { it.exerciseId == 'pelvic-tilt' }.status", equalTo("ACTIVE"));
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalDate lastDayOf(Clinic p, String rule) {
        return db.preparedQuery("SELECT max(day) FROM flag_occurrence WHERE patient_id = $1 AND rule = $2")
                .execute(Tuple.of(p.patientId, rule)).await().indefinitely().iterator().next().getLocalDate(0);
    }

    static UUID versionEventId(UUID enrollmentId, int version) {
        return UUID.nameUUIDFromBytes(("prescription.changed/" + enrollmentId + "/" + version).getBytes(StandardCharsets.UTF_8));
    }
}
