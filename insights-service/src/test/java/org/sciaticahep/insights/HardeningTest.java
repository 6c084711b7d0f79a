package org.sciaticahep.insights;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.insights.store.FlagStore;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;
import org.sciaticahep.stack.TopicReader;

/** Defects found on a running stack and in review, each driven through the real path. */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "insights"))
class HardeningTest extends PipelineTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    FlagStore flags;

    /** A patient app once took the service down with to=9999-12-31 (a list of days allocated up to it). */
    @Test
    void adherenceRangeIsBoundedAndTheRefusedParameterNamed() {
        Clinic p = Clinic.patient("range", "Pacific/Kiritimati", 3).enroll("c-030");
        p.post(List.of(p.exercise(1, 9, "pelvic-tilt", null, 1, 10))).awaitApplied(db);
        String adherence = "/patients/" + p.patientId + "/adherence";
        LocalDate tomorrow = LocalDate.now(ZoneId.of("Pacific/Kiritimati")).plusDays(1);

        for (String to : List.of("9999-12-31", tomorrow.plusDays(1).toString())) {
            As.patient(p.patientId).queryParam("to", to).get(adherence).then().statusCode(400)
                    .contentType("application/problem+json").body("violations[0].field", equalTo("to"));
        }
        As.patient(p.patientId).queryParam("from", tomorrow.minusDays(366).toString()).queryParam("to", tomorrow.toString())
                .get(adherence).then().statusCode(400).body("violations[0].field", equalTo("from"));
        As.patient(p.patientId).queryParam("from", "0001-01-01").get(adherence).then().statusCode(400)
                .body("violations[0].field", equalTo("from"));
        // the largest allowed range is served, and the service still answers everyone
        As.patient(p.patientId).queryParam("from", tomorrow.minusDays(365).toString()).queryParam("to", tomorrow.toString())
                .get(adherence).then().statusCode(200).body("completed", equalTo(1.0));
        p.clinician().get("/review-queue").then().statusCode(200);
    }

    /**
     * Records that pass for session events but break the contract (a pain report without location, an enrollment in
     * no known time zone) used to throw deeper and be retried for ever, stopping the partition for every patient on
     * it. Each goes to the dead-letter topic with its reason; the patient's next event is applied.
     */
    @Test
    void halfValidRecordsAreDeadLetteredAndThePartitionGoesOn() throws Exception {
        Clinic p = Clinic.patient("half-valid", "UTC", 2).enroll("c-031");
        p.post(List.of(p.pain(0, 8, 0, 5, "LOWER_BACK", "LEFT", "CHECK_IN"))).awaitApplied(db);
        ConsumerRecord<String, String> pain = p.published(EventTypes.PAIN_REPORTED);
        ConsumerRecord<String, String> enrolled = p.published(EventTypes.ENROLLMENT_STARTED);
        Clinic.produce(List.of(altered(pain, "location", null), altered(pain, "score", 99),
                altered(enrolled, "timezone", "Mars/Olympus"), altered(pain, "patientId", "someone-else")));

        p.post(List.of(p.pain(1, 8, 0, 3, "LOWER_BACK", "LEFT", "CHECK_IN"))).awaitApplied(db);
        p.clinician().get("/patients/" + p.patientId + "/pain").then().statusCode(200)
                .body("days.size()", equalTo(2)).body("latest.score", equalTo(3));

        try (TopicReader reader = TopicReader.fromBeginning(StackTestResource.kafka(),
                Topics.SESSION_EVENTS_DEAD_LETTERS.name())) {
            List<String> reasons = reader.readUntil(seen -> seen.stream().filter(r -> p.patientId.equals(r.key())).count() >= 4,
                            Duration.ofSeconds(30)).stream().filter(r -> p.patientId.equals(r.key()))
                    .map(r -> TopicReader.header(r, "dead-letter-reason")).toList();
            assertEquals(4, reasons.size(), reasons.toString());
            assertTrue(reasons.get(0).contains("location: is required"), reasons.get(0));
            assertTrue(reasons.get(1).contains("score: must be between 0 and 10"), reasons.get(1));
            assertTrue(reasons.get(2).contains("timezone"), reasons.get(2));
            assertTrue(reasons.get(3).contains("key is not the event's patientId"), reasons.get(3));
        }
    }

    /**
     * A record without a key, in a batch of no valid key, failed the whole batch (a lookup of null in an empty map)
     * and came back for ever, stopping its partition; so did a header without a value (Kafka allows one). Both go
     * to the dead-letter topic, and the patient's next event is applied.
     */
    @Test
    void aRecordWithoutAKeyOrWithEmptyHeadersIsDeadLettered() throws Exception {
        Clinic p = Clinic.patient("no-key", "UTC", 2).enroll("c-031");
        p.post(List.of(p.pain(0, 8, 0, 5, "LOWER_BACK", "LEFT", "CHECK_IN"))).awaitApplied(db);
        ProducerRecord<String, String> keyed = altered(p.published(EventTypes.PAIN_REPORTED), "score", 4);
        String keyless = JSON.readTree(keyed.value()).path("eventId").asText();
        String valueless = "headers without values " + UUID.randomUUID();
        ProducerRecord<String, String> emptyHeaders = new ProducerRecord<>(keyed.topic(), null, p.patientId, valueless);
        for (Header h : keyed.headers()) {
            emptyHeaders.headers().add(h.key(), null);
        }
        Clinic.produce(List.of(new ProducerRecord<>(keyed.topic(), null, (String) null, keyed.value(), keyed.headers())));
        Clinic.produce(List.of(emptyHeaders));

        try (TopicReader reader = TopicReader.fromBeginning(StackTestResource.kafka(),
                Topics.SESSION_EVENTS_DEAD_LETTERS.name())) {
            List<ConsumerRecord<String, String>> found = reader.readUntil(seen -> seen.stream().filter(r -> holds(r, keyless, valueless)).count() >= 2,
                    Duration.ofSeconds(30)).stream().filter(r -> holds(r, keyless, valueless)).toList();
            assertEquals(2, found.size(), "the keyless record and the one with empty headers on the dead-letter topic");
        }
        p.post(List.of(p.pain(1, 8, 0, 3, "LOWER_BACK", "LEFT", "CHECK_IN"))).awaitApplied(db);
        p.clinician().get("/patients/" + p.patientId + "/pain").then().statusCode(200).body("latest.score", equalTo(3));
    }

    private static boolean holds(ConsumerRecord<String, String> r, String keyless, String valueless) {
        return r.value() != null && (r.key() == null && r.value().contains(keyless) || r.value().equals(valueless));
    }

    /** A withdrawal that read the flag as OPEN must not delete it once a clinician acknowledged it, note and all. */
    @Test
    void onlyAnOpenFlagIsWithdrawn() {
        Clinic p = Clinic.patient("withdraw", "UTC", 2).enroll("c-032");
        p.post(List.of(p.pain(0, 9, 0, 8, "BUTTOCK", "LEFT", "CHECK_IN"))).awaitApplied(db);
        String flag = p.clinician().get("/patients/" + p.patientId + "/flags").jsonPath().getString("[0].flagId");
        p.clinician().contentType(ContentType.JSON).body(Map.of("note", "Called, resting today"))
                .post("/flags/" + flag + "/acknowledge").then().statusCode(200);

        // as if its evidence had gone: the withdrawal finds it no longer OPEN
        UUID id = UUID.fromString(flag);
        FlagStore.Unsupported closed = db.withTransaction(tx -> tx.preparedQuery("DELETE FROM flag_occurrence WHERE flag_id = $1")
                .execute(Tuple.of(id)).chain(() -> flags.closeUnsupported(tx, List.of(id), java.time.Instant.now()))).await().indefinitely();

        assertTrue(closed.withdrawn().isEmpty());
        assertTrue(closed.resolved().isEmpty(), "only a quiet-spell flag is resolved when its evidence is gone");
        p.clinician().get("/patients/" + p.patientId + "/flags").then()
                .body("[0].status", equalTo("ACKNOWLEDGED")).body("[0].acknowledgementNote", equalTo("Called, resting today"));
    }

    /** Another clinician's flag is refused exactly like a flag that does not exist, so ids tell nothing. */
    @Test
    void aFlagOneMayNotSeeLooksLikeNoFlag() {
        Clinic p = Clinic.patient("unseen", "UTC", 2).enroll("c-033");
        p.post(List.of(p.pain(0, 9, 0, 9, "BUTTOCK", "LEFT", "CHECK_IN"))).awaitApplied(db);
        String flag = p.clinician().get("/patients/" + p.patientId + "/flags").jsonPath().getString("[0].flagId");
        String unknown = UUID.randomUUID().toString();

        for (String action : List.of("acknowledge", "resolve")) {
            Response theirs = As.clinician("c-other").contentType(ContentType.JSON).body(Map.of("note", "x")).post("/flags/" + flag + "/" + action);
            Response none = As.clinician("c-other").contentType(ContentType.JSON).body(Map.of("note", "x")).post("/flags/" + unknown + "/" + action);
            assertEquals(404, theirs.statusCode(), theirs.asString());
            assertEquals(none.statusCode(), theirs.statusCode());
            assertEquals(none.asString(), theirs.asString());
        }
        assertEquals(1L, db.preparedQuery("SELECT count(*) FROM review_flag WHERE flag_id = $1 AND status = 'OPEN'")
                .execute(Tuple.of(UUID.fromString(flag))).await().indefinitely().iterator().next().getLong(0));
        // ids are random, not derived from what a caller could know
        assertEquals(4, UUID.fromString(flag).version());
    }

    /** A copy of a published record with one field of its payload changed (and an id of its own). */
    static ProducerRecord<String, String> altered(ConsumerRecord<String, String> original, String field, Object value) throws Exception {
        ObjectNode payload = (ObjectNode) JSON.readTree(original.value());
        payload.put("eventId", UUID.randomUUID().toString());
        if (value == null) {
            payload.remove(field);
        } else {
            payload.set(field, JSON.valueToTree(value));
        }
        ProducerRecord<String, String> copy = Clinic.again(original);
        return new ProducerRecord<>(copy.topic(), null, copy.key(), JSON.writeValueAsString(payload), copy.headers());
    }
}
