package org.sciaticahep.session;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sciaticahep.session.SessionFixture.BOTH_SIDES;
import static org.sciaticahep.session.SessionFixture.PER_SIDE;
import static org.sciaticahep.session.SessionFixture.exercise;
import static org.sciaticahep.session.SessionFixture.minutesAgo;
import static org.sciaticahep.session.SessionFixture.pain;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.contracts.CloudEventHeaders;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;
import org.sciaticahep.stack.TopicReader;

/** A batch is stored whole or not at all, a retry counts nothing twice, and every event reaches Kafka once. */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "session"))
class BatchIngestTest {

    @Inject
    CatalogCopy catalog;

    @BeforeEach
    void catalog() throws Exception {
        SessionFixture.publishCatalog(catalog);
    }

    @Test
    void batchIsStoredAndPublishedWithKeyAndCloudEventsHeaders() {
        String patient = SessionFixture.newPatient();
        Map<String, Object> done = exercise(PER_SIDE, "LEFT", 1, 3, minutesAgo(30));
        Map<String, Object> before = pain(4, "BEFORE_EXERCISE", null, minutesAgo(40));
        Map<String, Object> after = pain(5, "AFTER_EXERCISE", PER_SIDE, minutesAgo(20));
        List<Map<String, Object>> batch = List.of(done, before, after);

        As.patient(patient).contentType(ContentType.JSON).body(batch).post("/patients/" + patient + "/events").then()
                .statusCode(202)
                .body("accepted", equalTo(3))
                .body("duplicates", equalTo(0))
                .body("events.eventId", contains(done.get("eventId"), before.get("eventId"), after.get("eventId")))
                .body("events.status", everyItem(equalTo("ACCEPTED")));

        As.patient(patient).get("/patients/" + patient + "/events").then().statusCode(200)
                .body("total", equalTo(3))
                .body("items.eventId", contains(after.get("eventId"), done.get("eventId"), before.get("eventId")))
                .body("items[0].type", equalTo("PAIN_REPORTED"))
                .body("items[0].score", equalTo(5));
        As.patient(patient).get("/patients/" + patient + "/events?type=EXERCISE_COMPLETED").then()
                .body("items.eventId", contains(done.get("eventId")));

        List<ConsumerRecord<String, String>> mine = recordsOf(patient, 3);
        assertEquals(3, mine.size());
        ConsumerRecord<String, String> completed = mine.stream()
                .filter(r -> done.get("eventId").equals(TopicReader.header(r, CloudEventHeaders.ID))).findFirst().orElseThrow();
        assertEquals(patient, completed.key());
        assertEquals(EventTypes.EXERCISE_COMPLETED, TopicReader.header(completed, CloudEventHeaders.TYPE));
        assertEquals(patient, TopicReader.header(completed, CloudEventHeaders.SUBJECT));
        assertEquals("/session-service", TopicReader.header(completed, CloudEventHeaders.SOURCE));
        assertEquals(OffsetDateTime.parse((String) done.get("occurredAt")).toInstant(),
                Instant.parse(TopicReader.header(completed, CloudEventHeaders.TIME)));
        JsonPath payload = new JsonPath(completed.value());
        assertEquals(PER_SIDE, payload.getString("exerciseId"));
        assertEquals("LEFT", payload.getString("side"));
        assertEquals(3, payload.getInt("reps"));
        assertEquals(patient, payload.getString("patientId"));
        assertEquals(List.of(done.get("eventId"), before.get("eventId"), after.get("eventId")),
                mine.stream().map(r -> TopicReader.header(r, CloudEventHeaders.ID)).toList(),
                "one patient's events stay in the order they were accepted");
    }

    @Test
    void oneBadEventRejectsTheWholeBatch() {
        String patient = SessionFixture.newPatient();
        List<Map<String, Object>> batch = List.of(
                exercise(BOTH_SIDES, null, 1, 10, minutesAgo(5)),
                pain(3, "CHECK_IN", null, minutesAgo(4)),
                pain(11, "CHECK_IN", null, minutesAgo(3)),
                exercise("moon-walk", null, 1, 10, minutesAgo(2)));

        As.patient(patient).contentType(ContentType.JSON).body(batch).post("/patients/" + patient + "/events").then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("violations.index", contains(2, 3))
                .body("violations.field", contains("score", "exerciseId"));

        As.patient(patient).get("/patients/" + patient + "/events").then().body("total", equalTo(0));
    }

    @Test
    void retryStoresNothingNewAndAnswersEveryEventAsStored() {
        String patient = SessionFixture.newPatient();
        List<Map<String, Object>> batch = List.of(exercise(BOTH_SIDES, null, 1, 10, minutesAgo(9)),
                pain(2, "CHECK_IN", null, minutesAgo(8)));
        As.patient(patient).contentType(ContentType.JSON).body(batch).post("/patients/" + patient + "/events").then().statusCode(202);

        As.patient(patient).contentType(ContentType.JSON).body(batch).post("/patients/" + patient + "/events").then()
                .statusCode(202)
                .body("accepted", equalTo(0))
                .body("duplicates", equalTo(2))
                .body("events.eventId", contains(batch.get(0).get("eventId"), batch.get(1).get("eventId")))
                .body("events.status", everyItem(equalTo("DUPLICATE")));

        As.patient(patient).get("/patients/" + patient + "/events").then().body("total", equalTo(2));
        assertEquals(2, recordsOf(patient, 2).size(), "each event is on Kafka once, not once per try");
    }

    @Test
    void sameEventTwiceInOneBatchCountsOnce() {
        String patient = SessionFixture.newPatient();
        Map<String, Object> event = pain(1, "CHECK_IN", null, minutesAgo(3));
        As.patient(patient).contentType(ContentType.JSON).body(List.of(event, event)).post("/patients/" + patient + "/events").then()
                .statusCode(202)
                .body("events.status", contains("ACCEPTED", "DUPLICATE"));
        As.patient(patient).get("/patients/" + patient + "/events").then().body("total", equalTo(1));
    }

    @Test
    void reusedEventIdWithOtherContentIsAConflictAndStoresNothing() {
        String patient = SessionFixture.newPatient();
        Map<String, Object> original = pain(3, "CHECK_IN", null, minutesAgo(10));
        As.patient(patient).contentType(ContentType.JSON).body(List.of(original)).post("/patients/" + patient + "/events").then().statusCode(202);

        Map<String, Object> changed = new HashMap<>(original);
        changed.put("score", 8);
        Map<String, Object> fresh = exercise(BOTH_SIDES, null, 1, 10, minutesAgo(1));
        As.patient(patient).contentType(ContentType.JSON).body(List.of(fresh, changed)).post("/patients/" + patient + "/events").then()
                .statusCode(409)
                .contentType("application/problem+json");

        As.patient(patient).get("/patients/" + patient + "/events").then()
                .body("total", equalTo(1))
                .body("items[0].score", equalTo(3));

        String otherPatient = SessionFixture.newPatient();
        As.patient(otherPatient).contentType(ContentType.JSON).body(List.of(original)).post("/patients/" + otherPatient + "/events").then()
                .statusCode(409);
    }

    @Test
    void twoAppsSendingOneIdWithDifferentContentAtOnceGetOneStoredBatchAndOneConflict() throws Exception {
        // at the same moment neither finds the id held; the log must still keep exactly one batch, whole
        ExecutorService apps = Executors.newFixedThreadPool(2);
        for (int round = 0; round < 20; round++) {
            String patient = SessionFixture.newPatient();
            Map<String, Object> three = pain(3, "CHECK_IN", null, minutesAgo(10));
            Map<String, Object> eight = new HashMap<>(three);
            eight.put("score", 8);
            List<List<Map<String, Object>>> batches = List.of(
                    List.of(exercise(BOTH_SIDES, null, 1, 10, minutesAgo(2)), three),
                    List.of(exercise(BOTH_SIDES, null, 1, 12, minutesAgo(1)), eight));
            List<CompletableFuture<Integer>> answers = batches.stream()
                    .map(batch -> CompletableFuture.supplyAsync(() -> As.patient(patient).contentType(ContentType.JSON)
                            .body(batch).post("/patients/" + patient + "/events").statusCode(), apps))
                    .toList();
            List<Integer> statuses = new ArrayList<>();
            for (CompletableFuture<Integer> answer : answers) {
                statuses.add(answer.get());
            }

            assertEquals(Set.of(202, 409), Set.copyOf(statuses), "round " + round + ": " + statuses);
            List<Map<String, Object>> kept = batches.get(statuses.indexOf(202));
            JsonPath stored = As.patient(patient).get("/patients/" + patient + "/events").jsonPath();
            assertEquals(2, stored.getInt("total"));
            assertEquals(Set.of(kept.get(0).get("eventId"), kept.get(1).get("eventId")), Set.copyOf(stored.getList("items.eventId")));
            assertEquals(kept.get(1).get("score"), stored.getInt("items.find { it.type == 'PAIN_REPORTED' }.score"));
        }
        apps.shutdown();
    }

    @Test
    void lateAndOutOfOrderEventsKeepTheirOwnTimes() {
        String patient = SessionFixture.newPatient();
        OffsetDateTime lastWeek = minutesAgo(7 * 24 * 60);
        OffsetDateTime yesterday = minutesAgo(24 * 60);
        OffsetDateTime today = minutesAgo(1);
        List<Map<String, Object>> sentOutOfOrder = List.of(pain(2, "CHECK_IN", null, today),
                pain(6, "CHECK_IN", null, lastWeek), pain(4, "CHECK_IN", null, yesterday));
        As.patient(patient).contentType(ContentType.JSON).body(sentOutOfOrder).post("/patients/" + patient + "/events").then().statusCode(202);

        List<String> times = As.patient(patient).get("/patients/" + patient + "/events").then().statusCode(200)
                .body("items.score", contains(2, 4, 6))
                .extract().jsonPath().getList("items.occurredAt");
        assertEquals(List.of(today.toInstant(), yesterday.toInstant(), lastWeek.toInstant()),
                times.stream().map(t -> OffsetDateTime.parse(t).toInstant()).toList());
        As.patient(patient).queryParam("from", yesterday.minusMinutes(1).toString()).queryParam("to", today.toString())
                .get("/patients/" + patient + "/events").then()
                .body("items.score", contains(4));
    }

    @Test
    void eventsOfAPatientWithoutEnrollmentAreKept() {
        String patient = SessionFixture.newPatient();
        As.patient(patient).get("/patients/" + patient + "/enrollments").then().body("size()", equalTo(0));
        As.patient(patient).contentType(ContentType.JSON).body(List.of(pain(3, "CHECK_IN", null, minutesAgo(2))))
                .post("/patients/" + patient + "/events").then().statusCode(202).body("accepted", equalTo(1));
        As.ops().get("/q/metrics").then().body(containsString("session_events_accepted_total"));
    }

    static List<ConsumerRecord<String, String>> recordsOf(String patient, int expected) {
        try (TopicReader reader = TopicReader.fromBeginning(StackTestResource.kafka(),
                Topics.SESSION_EVENTS.name())) {
            reader.readUntil(seen -> seen.stream().filter(r -> patient.equals(r.key())).count() >= expected,
                    Duration.ofSeconds(60));
            // a moment more, so an extra (duplicate) record would be seen too
            return reader.readAll().stream().filter(r -> patient.equals(r.key())).collect(Collectors.toList());
        }
    }
}
