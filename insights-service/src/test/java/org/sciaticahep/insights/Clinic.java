package org.sciaticahep.insights;

import static org.awaitility.Awaitility.await;

import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.contracts.CloudEventHeaders;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.Pipeline;
import org.sciaticahep.stack.StackTestResource;
import org.sciaticahep.stack.TopicReader;

/**
 * Plays the patient apps and the clinic for the pipeline tests: enrolls patients and posts their events to the
 * real session-service, then waits until insights has applied every one of them.
 */
final class Clinic {

    static final String PROGRAM = "sciatica-relief";

    final String patientId;
    final ZoneId zone;
    final LocalDate startDate;
    final List<String> eventIds = new ArrayList<>();
    String clinicianId;

    Clinic(String patientId, ZoneId zone, LocalDate startDate) {
        this.patientId = patientId;
        this.zone = zone;
        this.startDate = startDate;
    }

    static String session() {
        return Pipeline.url("session-service");
    }

    /** Starts the upstream services and waits until insights' catalog copy has the program and its exercises. */
    static void ready(CatalogCopy catalog) {
        // exact figures: fractions as doubles, not floats
        RestAssured.config = RestAssured.config().jsonConfig(JsonConfig.jsonConfig()
                .numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));
        session();
        await().atMost(Duration.ofSeconds(90)).until(() -> catalog.program(PROGRAM).isPresent()
                && catalog.exercise("pelvic-tilt").isPresent() && catalog.exercise("knee-to-chest").isPresent());
    }

    static Clinic patient(String prefix, String zone, int daysAgo) {
        ZoneId z = ZoneId.of(zone);
        return new Clinic(prefix + "-" + UUID.randomUUID().toString().substring(0, 8), z, LocalDate.now(z).minusDays(daysAgo));
    }

    /** The clinician invites the patient and the patient accepts with the code, as their app would. */
    Clinic enroll(String clinicianId) {
        return enroll(clinicianId, PROGRAM);
    }

    Clinic enroll(String clinicianId, String programId) {
        Map<String, Object> body = Map.of("programId", programId, "startDate", startDate.toString(),
                "timezone", zone.getId(), "clinicianId", clinicianId);
        this.clinicianId = clinicianId;
        JsonPath invitation = As.clinician(clinicianId).baseUri(session()).contentType(ContentType.JSON).body(body)
                .post("/patients/" + patientId + "/enrollments").then().statusCode(201).extract().jsonPath();
        String id = invitation.getString("enrollmentId");
        As.patient(patientId).baseUri(session()).contentType(ContentType.JSON)
                .body(Map.of("inviteCode", invitation.getString("inviteCode")))
                .post("/patients/" + patientId + "/enrollments/" + id + "/accept").then().statusCode(200);
        // enrollment.started, published on acceptance, has the enrollment's id
        eventIds.add(id);
        return this;
    }

    /** A local time on the enrollment's day {@code day} (0 = the start date), with the zone's offset. */
    OffsetDateTime at(int day, int hour, int minute) {
        OffsetDateTime at = ZonedDateTime.of(startDate.plusDays(day), LocalTime.of(hour, minute), zone).toOffsetDateTime();
        // session-service rejects the future: a test that asks for it depends on the hour it runs at
        if (at.isAfter(OffsetDateTime.now())) {
            throw new IllegalArgumentException(at + " is still to come: enroll the patient earlier");
        }
        return at;
    }

    Map<String, Object> exercise(int day, int hour, String exerciseId, String side, int sets, int reps) {
        Map<String, Object> e = event("EXERCISE_COMPLETED", at(day, hour, 0));
        e.put("exerciseId", exerciseId);
        if (side != null) {
            e.put("side", side);
        }
        e.put("sets", sets);
        e.put("reps", reps);
        return e;
    }

    Map<String, Object> pain(int day, int hour, int minute, int score, String location, String side, String context) {
        Map<String, Object> e = event("PAIN_REPORTED", at(day, hour, minute));
        e.put("score", score);
        e.put("location", location);
        e.put("side", side);
        e.put("context", context);
        return e;
    }

    static Map<String, Object> with(Map<String, Object> event, String field, Object value) {
        event.put(field, value);
        return event;
    }

    private static Map<String, Object> event(String type, OffsetDateTime at) {
        Map<String, Object> e = new HashMap<>();
        e.put("eventId", UUID.randomUUID().toString());
        e.put("type", type);
        e.put("occurredAt", at.toString());
        return e;
    }

    Clinic post(List<Map<String, Object>> events) {
        As.patient(patientId).baseUri(session()).contentType(ContentType.JSON).body(events)
                .post("/patients/" + patientId + "/events").then().statusCode(202);
        events.forEach(e -> {
            if (!eventIds.contains((String) e.get("eventId"))) {
                eventIds.add((String) e.get("eventId"));
            }
        });
        return this;
    }

    /** A request to insights by the clinician the patient is enrolled with. */
    RequestSpecification clinician() {
        return As.clinician(clinicianId);
    }

    /** The patient's first record of a CloudEvents type on session-events, as session-service published it. */
    ConsumerRecord<String, String> published(String type) {
        try (TopicReader reader = TopicReader.fromBeginning(StackTestResource.kafka(), Topics.SESSION_EVENTS.name())) {
            return reader.readUntil(seen -> seen.stream().anyMatch(r -> patientId.equals(r.key()) && type.equals(TopicReader.header(r, CloudEventHeaders.TYPE))),
                            Duration.ofSeconds(30)).stream()
                    .filter(r -> patientId.equals(r.key()) && type.equals(TopicReader.header(r, CloudEventHeaders.TYPE)))
                    .findFirst().orElseThrow();
        }
    }

    /** The same record once more, as a consumer sees it after a rebalance or a producer's retry. */
    static ProducerRecord<String, String> again(ConsumerRecord<String, String> original) {
        ProducerRecord<String, String> again = new ProducerRecord<>(Topics.SESSION_EVENTS.name(), original.key(), original.value());
        original.headers().forEach(h -> again.headers().add(h));
        return again;
    }

    /** A record for this patient that is not a session event. */
    ProducerRecord<String, String> poison(String value, String type) {
        ProducerRecord<String, String> poison = new ProducerRecord<>(Topics.SESSION_EVENTS.name(), patientId, value);
        poison.headers().add(CloudEventHeaders.TYPE, type.getBytes(StandardCharsets.UTF_8));
        return poison;
    }

    /** Puts records on session-events directly, past session-service, as a faulty producer would. */
    static void produce(List<ProducerRecord<String, String>> records) throws Exception {
        Properties props = new Properties();
        props.putAll(StackTestResource.kafka().clientConfig());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (ProducerRecord<String, String> record : records) {
                producer.send(record).get();
            }
        }
    }

    /** Waits until insights has applied every event this patient posted. */
    Clinic awaitApplied(Pool insightsDb) {
        UUID[] ids = eventIds.stream().map(UUID::fromString).toArray(UUID[]::new);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> insightsDb
                .preparedQuery("SELECT count(*) FROM applied_event WHERE event_id = ANY($1)")
                .execute(Tuple.of((Object) ids)).await().indefinitely().iterator().next().getLong(0) == ids.length);
        return this;
    }
}
