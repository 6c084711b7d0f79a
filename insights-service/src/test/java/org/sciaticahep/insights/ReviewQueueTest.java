package org.sciaticahep.insights;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.sciaticahep.contracts.CloudEventHeaders;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;
import org.sciaticahep.stack.TopicReader;

/** The review queue, a flag's lifecycle, its events on review-flags, redelivery and poison records. */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "insights"))
class ReviewQueueTest extends PipelineTest {

    @Test
    void acknowledgeResolveAndRecurrence() {
        Clinic p = Clinic.patient("queue", "Europe/Madrid", 3).enroll("c-010");
        p.post(List.of(Clinic.with(p.pain(1, 9, 0, 3, "LOWER_BACK", "LEFT", "CHECK_IN"), "redFlags", List.of("SADDLE_NUMBNESS")),
                p.pain(1, 10, 0, 8, "BUTTOCK", "LEFT", "CHECK_IN"))).awaitApplied(db);

        List<Map<String, Object>> queue = p.clinician().get("/review-queue").then().statusCode(200).extract().jsonPath()
                .getList("items.findAll { it.patientId == '" + p.patientId + "' }");
        assertEquals(List.of("RED_FLAG_SYMPTOMS", "SEVERE_PAIN"), queue.stream().map(f -> f.get("rule")).toList(),
                "critical before high");
        String redFlag = (String) queue.get(0).get("flagId");

        // who acts comes from the token; a body that names someone else is refused, not believed
        p.clinician().contentType(ContentType.JSON).body(Map.of("by", "c-999")).post("/flags/" + redFlag + "/acknowledge").then()
                .statusCode(400).body("violations[0].field", equalTo("by"));
        p.clinician().contentType(ContentType.JSON).body(Map.of("note", "Called the patient"))
                .post("/flags/" + redFlag + "/acknowledge").then()
                .statusCode(200).body("status", equalTo("ACKNOWLEDGED")).body("acknowledgedBy", equalTo("c-010"))
                .body("acknowledgedAt", notNullValue()).body("acknowledgementNote", equalTo("Called the patient"));
        p.clinician().contentType(ContentType.JSON).post("/flags/" + redFlag + "/acknowledge").then()
                .statusCode(409);
        p.clinician().contentType(ContentType.JSON).body(Map.of()).post("/flags/" + redFlag + "/resolve").then()
                .statusCode(422).body("violations.field", hasItem("note"));
        p.clinician().contentType(ContentType.JSON).body(Map.of("note", "x".repeat(2001))).post("/flags/" + redFlag + "/resolve")
                .then().statusCode(422).body("violations.field", hasItem("note"));
        // another clinician may neither act on the flag nor see it
        As.clinician("c-other").contentType(ContentType.JSON).body(Map.of("note", "not mine"))
                .post("/flags/" + redFlag + "/resolve").then().statusCode(404);
        As.clinician("c-other").get("/review-queue").then().body("items.flagId", not(hasItem(redFlag)));
        p.clinician().contentType(ContentType.JSON).body(Map.of("note", "Sent to A&E; MRI booked"))
                .post("/flags/" + redFlag + "/resolve").then()
                .statusCode(200).body("status", equalTo("RESOLVED")).body("resolutionNote", equalTo("Sent to A&E; MRI booked"))
                .body("resolvedBy", equalTo("c-010")).body("resolvedAt", notNullValue());
        p.clinician().get("/review-queue").then().body("items.flagId", not(hasItem(redFlag)));

        // the condition happens again after the resolution: a new flag, the resolved one stays as it was
        Map<String, Object> again = p.pain(3, 0, 0, 3, "LOWER_BACK", "LEFT", "CHECK_IN");
        // after the resolution (a phone clock may run a little ahead: up to 5 minutes is accepted)
        again.put("occurredAt", OffsetDateTime.now().plusSeconds(2).toString());
        again.put("redFlags", List.of("BLADDER_OR_BOWEL_CHANGE"));
        p.post(List.of(again)).awaitApplied(db);
        List<Map<String, Object>> reds = p.clinician().get("/patients/" + p.patientId + "/flags").then().extract().jsonPath()
                .getList("findAll { it.rule == 'RED_FLAG_SYMPTOMS' }");
        assertEquals(2, reds.size());
        assertEquals(List.of("RESOLVED", "OPEN"), reds.stream().map(f -> f.get("status")).toList());

        try (TopicReader reader = TopicReader.fromBeginning(StackTestResource.kafka(), Topics.REVIEW_FLAGS.name())) {
            List<String> types = reader.readUntil(seen -> typesFor(seen, p.patientId).size() >= 5, Duration.ofSeconds(30))
                    .stream().filter(r -> p.patientId.equals(r.key()))
                    .map(r -> TopicReader.header(r, CloudEventHeaders.TYPE)).toList();
            assertEquals(List.of(EventTypes.FLAG_RAISED, EventTypes.FLAG_RAISED, EventTypes.FLAG_ACKNOWLEDGED,
                    EventTypes.FLAG_RESOLVED, EventTypes.FLAG_RAISED), types);
        }
    }

    @Test
    void redeliveredRecordIsAppliedOnceAndPoisonGoesToDeadLetters() throws Exception {
        Clinic p = Clinic.patient("redeliver", "UTC", 2).enroll("c-011");
        p.post(List.of(p.pain(0, 8, 0, 5, "LOWER_BACK", "LEFT", "CHECK_IN"), p.exercise(0, 9, "pelvic-tilt", null, 1, 10)))
                .awaitApplied(db);
        Clinic.produce(List.of(Clinic.again(p.published(EventTypes.PAIN_REPORTED)), Clinic.again(p.published(EventTypes.EXERCISE_COMPLETED)),
                p.poison("not json {", EventTypes.PAIN_REPORTED), p.poison("{}", "nap.taken")));
        // consumption goes on after the poison: a later event is applied
        p.post(List.of(p.pain(1, 8, 0, 3, "LOWER_BACK", "LEFT", "CHECK_IN"))).awaitApplied(db);
        p.clinician().get("/patients/" + p.patientId + "/pain").then().body("days[0].reports", equalTo(1));
        assertEquals(1L, db.preparedQuery("SELECT sum(completions) FROM exercise_day WHERE patient_id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(p.patientId)).await().indefinitely().iterator().next().getLong(0),
                "the copy of the exercise counted once");
        assertAggregatesMatchFacts(p.patientId);

        try (TopicReader reader = TopicReader.fromBeginning(StackTestResource.kafka(),
                Topics.SESSION_EVENTS_DEAD_LETTERS.name())) {
            List<ConsumerRecord<String, String>> dead = reader.readUntil(
                    seen -> seen.stream().filter(r -> p.patientId.equals(r.key())).count() >= 2, Duration.ofSeconds(30))
                    .stream().filter(r -> p.patientId.equals(r.key())).toList();
            assertEquals(2, dead.size());
            assertTrue(TopicReader.header(dead.get(0), "dead-letter-reason").contains("JsonParseException"),
                    TopicReader.header(dead.get(0), "dead-letter-reason"));
            assertTrue(TopicReader.header(dead.get(1), "dead-letter-reason").contains("unknown ce_type nap.taken"));
            assertEquals("not json {", dead.get(0).value());
        }
    }

    @Test
    void queueAndPatientListComeInPagesWithATotal() {
        // three patients of one clinician: one with a CRITICAL and a HIGH flag, two with a HIGH flag each
        Clinic a = Clinic.patient("paged-a", "UTC", 3).enroll("c-012");
        Clinic b = Clinic.patient("paged-b", "UTC", 3).enroll("c-012");
        Clinic c = Clinic.patient("paged-c", "UTC", 3).enroll("c-012");
        a.post(List.of(Clinic.with(a.pain(1, 9, 0, 8, "LOWER_BACK", "LEFT", "CHECK_IN"), "redFlags", List.of("LEG_WEAKNESS"))))
                .awaitApplied(db);
        b.post(List.of(b.pain(1, 9, 0, 8, "BUTTOCK", "LEFT", "CHECK_IN"))).awaitApplied(db);
        c.post(List.of(c.pain(1, 9, 0, 9, "BUTTOCK", "LEFT", "CHECK_IN"))).awaitApplied(db);

        Map<String, Object> first = a.clinician().queryParam("size", 2).get("/review-queue").then().statusCode(200)
                .extract().jsonPath().getMap("$");
        Map<String, Object> second = a.clinician().queryParam("size", 2).queryParam("page", 1).get("/review-queue").then()
                .statusCode(200).extract().jsonPath().getMap("$");
        assertEquals(4, ((Number) first.get("total")).intValue(), "a's two flags, b's and c's");
        assertEquals(4, ((Number) second.get("total")).intValue());
        List<Map<String, Object>> all = new java.util.ArrayList<>(items(first));
        all.addAll(items(second));
        assertEquals(List.of("CRITICAL", "HIGH", "HIGH", "HIGH"), all.stream().map(f -> f.get("severity")).toList(),
                "most severe first, across pages");
        assertEquals(4, all.stream().map(f -> f.get("flagId")).distinct().count(), "no flag twice, none missed");
        a.clinician().queryParam("size", 2).queryParam("page", 2).get("/review-queue").then().statusCode(200)
                .body("items", org.hamcrest.Matchers.empty()).body("total", equalTo(4));

        a.clinician().queryParam("size", 2).get("/patients").then().statusCode(200)
                .body("total", equalTo(3)).body("items.patientId", equalTo(List.of(a.patientId, b.patientId)))
                .body("items[0].flagsWaiting", equalTo(2)).body("items[0].worstSeverity", equalTo("CRITICAL"))
                .body("items[0].day", equalTo(3));
        a.clinician().queryParam("size", 2).queryParam("page", 1).get("/patients").then().statusCode(200)
                .body("total", equalTo(3)).body("items.patientId", equalTo(List.of(c.patientId)));

        // bounds: the parameter is named, and nobody chooses how many rows are walked
        a.clinician().queryParam("size", 0).get("/patients").then().statusCode(400).body("violations[0].field", equalTo("size"));
        a.clinician().queryParam("size", 501).get("/review-queue").then().statusCode(400).body("violations[0].field", equalTo("size"));
        a.clinician().queryParam("page", 10_001).queryParam("size", 1).get("/review-queue").then().statusCode(400)
                .body("violations[0].field", equalTo("page"));
        As.patient(a.patientId).get("/patients").then().statusCode(403);
    }

    /** The queue by severity, rule and status, the patient list by the start of an id; bad values are named. */
    @Test
    void queueFiltersAndPatientSearch() {
        Clinic a = Clinic.patient("filtered-a", "UTC", 3).enroll("c-014");
        Clinic b = Clinic.patient("filtered-b", "UTC", 3).enroll("c-014");
        a.post(List.of(Clinic.with(a.pain(1, 9, 0, 3, "LOWER_BACK", "LEFT", "CHECK_IN"), "redFlags", List.of("LEG_WEAKNESS"))))
                .awaitApplied(db);
        b.post(List.of(b.pain(1, 9, 0, 8, "BUTTOCK", "LEFT", "CHECK_IN"))).awaitApplied(db);
        String flagOfB = a.clinician().queryParam("severity", "HIGH").get("/review-queue").then().statusCode(200)
                .body("total", equalTo(1)).body("items.patientId", equalTo(List.of(b.patientId)))
                .extract().jsonPath().getString("items[0].flagId");
        a.clinician().queryParam("rule", "RED_FLAG_SYMPTOMS").get("/review-queue").then().statusCode(200)
                .body("items.patientId", equalTo(List.of(a.patientId))).body("items.severity", equalTo(List.of("CRITICAL")));
        a.clinician().contentType(ContentType.JSON).body("{}").post("/flags/" + flagOfB + "/acknowledge").then().statusCode(200);
        a.clinician().queryParam("status", "ACKNOWLEDGED").get("/review-queue").then().statusCode(200)
                .body("total", equalTo(1)).body("items.flagId", equalTo(List.of(flagOfB)));
        a.clinician().queryParam("status", "OPEN").queryParam("severity", "HIGH").get("/review-queue").then().statusCode(200)
                .body("total", equalTo(0));
        a.clinician().queryParam("severity", "URGENT").queryParam("status", "RESOLVED").get("/review-queue").then().statusCode(400)
                .body("violations.field", equalTo(List.of("severity", "status")));

        a.clinician().queryParam("search", "filtered-b").get("/patients").then().statusCode(200)
                .body("total", equalTo(1)).body("items.patientId", equalTo(List.of(b.patientId)));
        a.clinician().queryParam("search", "filtered-").get("/patients").then().statusCode(200).body("total", equalTo(2));
        // '_' and '%' are not wildcards: an id's own characters only
        a.clinician().queryParam("search", "filtered_").get("/patients").then().statusCode(200).body("total", equalTo(0));
        a.clinician().queryParam("search", "a%").get("/patients").then().statusCode(400).body("violations[0].field", equalTo("search"));
        // the patient page's chart range is one it knows
        a.clinician().queryParam("range", "year").get("/dashboard/patients/" + a.patientId).then().statusCode(400)
                .body("violations[0].field", equalTo("range"));
        a.clinician().queryParam("range", "84").get("/dashboard/patients/" + a.patientId).then().statusCode(200);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("items");
    }

    static List<String> typesFor(List<ConsumerRecord<String, String>> records, String patientId) {
        return records.stream().filter(r -> patientId.equals(r.key())).map(r -> TopicReader.header(r, CloudEventHeaders.TYPE)).toList();
    }
}
