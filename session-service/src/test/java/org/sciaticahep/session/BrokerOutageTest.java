package org.sciaticahep.session;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sciaticahep.session.SessionFixture.BOTH_SIDES;
import static org.sciaticahep.session.SessionFixture.exercise;
import static org.sciaticahep.session.SessionFixture.minutesAgo;
import static org.sciaticahep.session.SessionFixture.pain;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.contracts.CloudEventHeaders;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.stack.KafkaBroker;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;
import org.sciaticahep.stack.TopicReader;

/**
 * The broker stops while patients keep posting: the API keeps answering 202, readiness shows the backlog, and
 * once the broker is back every accepted event is on the topic, each patient's in the order sent (a round the broker
 * took but never acknowledged may follow once more: at least once on the topic, once in every consumer).
 */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "session"))
class BrokerOutageTest {

    static final int PATIENTS = 5;
    static final int BATCHES_PER_PATIENT = 6;

    @Inject
    CatalogCopy catalog;

    @BeforeEach
    void catalog() throws Exception {
        SessionFixture.publishCatalog(catalog);
    }

    @Test
    void everyAcceptedEventArrivesInOrderAfterTheBrokerReturns() {
        KafkaBroker kafka = StackTestResource.kafka();
        Map<String, List<String>> sentByPatient = new LinkedHashMap<>();
        for (int p = 0; p < PATIENTS; p++) {
            sentByPatient.put(SessionFixture.newPatient(), new ArrayList<>());
        }
        postRound(sentByPatient, 0);
        kafka.kill();
        try {
            for (int round = 1; round < BATCHES_PER_PATIENT; round++) {
                postRound(sentByPatient, round);
            }
            // the backlog is measured every 2 s: readiness shows it by then
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String readiness = given().get("/q/health/ready").asString();
                assertTrue(readiness.matches("(?s).*\"unpublished\"\\s*:\\s*[1-9].*"), readiness);
            });
        } finally {
            kafka.start();
        }

        int expected = PATIENTS * BATCHES_PER_PATIENT * 2;
        try (TopicReader reader = TopicReader.fromBeginning(kafka, Topics.SESSION_EVENTS.name())) {
            reader.readUntil(seen -> seen.stream().filter(r -> sentByPatient.containsKey(r.key())).count() >= expected,
                    Duration.ofSeconds(120));
            List<ConsumerRecord<String, String>> all = reader.readAll();
            for (Map.Entry<String, List<String>> patient : sentByPatient.entrySet()) {
                List<String> onTopic = all.stream().filter(r -> patient.getKey().equals(r.key()))
                        .map(r -> TopicReader.header(r, CloudEventHeaders.ID)).toList();
                // a round the dying broker wrote but never acknowledged is sent again with the same ids, after the
                // first copies: consumers drop repeats by ce_id (insights' tests count them applied once)
                assertEquals(patient.getValue(), onTopic.stream().distinct().toList(),
                        "patient " + patient.getKey() + ": all, in order of first arrival");
            }
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> As.ops().get("/q/metrics").then()
                .body(containsString("outbox_backlog 0.0")));
    }

    private static void postRound(Map<String, List<String>> sentByPatient, int round) {
        for (Map.Entry<String, List<String>> patient : sentByPatient.entrySet()) {
            List<Map<String, Object>> batch = List.of(pain(3, "BEFORE_EXERCISE", null, minutesAgo(100 - round * 2)),
                    exercise(BOTH_SIDES, null, 1, 10, minutesAgo(99 - round * 2)));
            As.patient(patient.getKey()).contentType(ContentType.JSON).body(batch).post("/patients/" + patient.getKey() + "/events").then()
                    .statusCode(202);
            batch.forEach(e -> patient.getValue().add((String) e.get("eventId")));
        }
    }
}
