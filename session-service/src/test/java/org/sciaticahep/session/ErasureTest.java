package org.sciaticahep.session;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sciaticahep.session.SessionFixture.PER_SIDE;
import static org.sciaticahep.session.SessionFixture.exercise;
import static org.sciaticahep.session.SessionFixture.minutesAgo;
import static org.sciaticahep.session.SessionFixture.pain;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.session.domain.Erasure;
import org.sciaticahep.contracts.CloudEventHeaders;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.contracts.PayloadCipher;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.PatientKeyStore;
import org.sciaticahep.stack.StackTestResource;
import org.sciaticahep.stack.TopicReader;

/**
 * A patient's records leave session-service sealed under their own data key, and an admin's erasure destroys that
 * key and everything session-service holds of them, tells the consumers, and leaves the id answering 404.
 */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "session"))
class ErasureTest {

    @Inject
    CatalogCopy catalog;

    @Inject
    Pool db;

    @Inject
    Erasure erasure;

    @BeforeEach
    void catalog() throws Exception {
        SessionFixture.publishCatalog(catalog);
    }

    @Test
    void recordsOnTheTopicAreSealedPerPatientAndOpenOnlyWithTheirKey() {
        String patient = SessionFixture.newPatient();
        EnrollmentTest.enroll("c-seal", patient);
        Map<String, Object> report = pain(7, "AFTER_EXERCISE", PER_SIDE, minutesAgo(5));
        post(patient, List.of(report));

        List<ConsumerRecord<String, String>> raw = rawRecordsOf(patient, 2);
        assertEquals(List.of(EventTypes.ENROLLMENT_STARTED, EventTypes.PAIN_REPORTED), raw.stream().map(r -> TopicReader.header(r, CloudEventHeaders.TYPE)).toList());
        PatientKeyStore keys = StackTestResource.kafka().patientKeys();
        for (ConsumerRecord<String, String> r : raw) {
            assertEquals(CloudEventHeaders.A256GCM, TopicReader.header(r, CloudEventHeaders.ENCRYPTION));
            assertFalse(r.value().contains("AFTER_EXERCISE") || r.value().contains("c-seal") || r.value().contains(patient), r.value());
        }
        assertTrue(keys.open(raw.get(1)).contains("\"score\":7"));
        // another patient's key does not open it
        String other = SessionFixture.newPatient();
        EnrollmentTest.enroll("c-seal", other);
        rawRecordsOf(other, 1);
        byte[] otherKey = keys.key(other);
        assertNotNull(otherKey);
        assertThrows(PayloadCipher.Unreadable.class, () -> PayloadCipher.openText(otherKey, raw.get(1).value(),
                PayloadCipher.recordContext(patient, TopicReader.header(raw.get(1), CloudEventHeaders.ID), EventTypes.PAIN_REPORTED)));
    }

    @Test
    void anAdminErasesAPatientEverywhereSessionServiceKeepsThemAndOnlyAnAdminWithAReason() {
        String patient = SessionFixture.newPatient();
        String kept = SessionFixture.newPatient();
        EnrollmentTest.enroll("c-erase", patient);
        EnrollmentTest.enroll("c-erase", kept);
        post(patient, List.of(exercise(PER_SIDE, "LEFT", 1, 5, minutesAgo(20)), pain(6, "AFTER_EXERCISE", PER_SIDE, minutesAgo(10))));
        post(kept, List.of(pain(3, "CHECK_IN", null, minutesAgo(10))));
        rawRecordsOf(patient, 3);
        As.clinician("c-erase").contentType(ContentType.JSON).body(Map.of("reason", "pain after it"))
                .post("/patients/" + patient + "/prescription/items/" + PER_SIDE + "/pause").then().statusCode(200);
        assertEquals(2L, count("SELECT count(*) FROM prescription_version v JOIN enrollment e USING (enrollment_id) WHERE e.patient_id = $1", patient));

        String base = "/patients/" + patient;
        // the patient's own clinician, and the patient, may not; nor may an admin without a reason
        As.clinician("c-erase").contentType(ContentType.JSON).body(Map.of("reason", "asked")).delete(base).then().statusCode(403);
        As.patient(patient).contentType(ContentType.JSON).body(Map.of("reason", "asked")).delete(base).then().statusCode(403);
        As.admin().contentType(ContentType.JSON).body(Map.of("reason", "  ")).delete(base).then().statusCode(422)
                .contentType("application/problem+json").body("violations.field", contains("reason"));
        As.admin().contentType(ContentType.JSON).body("{}").delete(base).then().statusCode(422).body("violations.field", contains("reason"));
        As.admin().contentType(ContentType.JSON).body(Map.of("reason", "x".repeat(501))).delete(base).then().statusCode(422);
        assertEquals(4L, count("SELECT count(*) FROM patient_event WHERE patient_id = $1", patient), "a refused erasure erased nothing");

        As.admin().contentType(ContentType.JSON).body(Map.of("reason", "The patient asked (request 118)")).delete(base).then().statusCode(204);

        for (String table : List.of("patient_event", "enrollment")) {
            assertEquals(0L, count("SELECT count(*) FROM " + table + " WHERE patient_id = $1", patient), table);
        }
        assertEquals(0L, count("SELECT count(*) FROM prescription_version v WHERE NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.enrollment_id = v.enrollment_id)", null),
                "no prescription version is left of the patient's enrollments");
        assertEquals(1L, count("SELECT count(*) FROM patient_erasure WHERE patient_id = $1 AND reason = 'The patient asked (request 118)'", patient));
        assertEquals(2L, count("SELECT count(*) FROM patient_event WHERE patient_id = $1", kept), "another patient untouched (enrolled, one report)");

        // the key is gone: every record of theirs on the topic stays sealed for good; the erasure is announced in the clear
        PatientKeyStore keys = StackTestResource.kafka().patientKeys();
        assertNull(keys.key(patient));
        assertNotNull(keys.key(kept));
        List<ConsumerRecord<String, String>> raw = rawRecordsOf(patient, 5);
        ConsumerRecord<String, String> announcement = raw.get(raw.size() - 1);
        assertEquals(EventTypes.PATIENT_ERASED, TopicReader.header(announcement, CloudEventHeaders.TYPE));
        assertNull(TopicReader.header(announcement, CloudEventHeaders.ENCRYPTION));
        assertEquals(List.of("eventId", "patientId", "occurredAt"),
                List.copyOf(io.restassured.path.json.JsonPath.from(announcement.value()).getMap("").keySet()));
        raw.subList(0, raw.size() - 1).forEach(r -> assertEquals(CloudEventHeaders.A256GCM, TopicReader.header(r, CloudEventHeaders.ENCRYPTION)));
        raw.subList(0, raw.size() - 1).forEach(r -> assertNull(keys.open(r), "an erased patient's record opens"));

        // from now on the id answers 404 to everyone allowed the route, for anything, a late post and a new invitation included
        As.patient(patient).get(base + "/events").then().statusCode(404).contentType("application/problem+json");
        As.clinician("c-erase").get(base + "/prescription").then().statusCode(404);
        As.patient(patient).contentType(ContentType.JSON).body(List.of(pain(5, "CHECK_IN", null, minutesAgo(1))))
                .post(base + "/events").then().statusCode(404);
        As.clinician("c-erase").contentType(ContentType.JSON).body(Map.of("programId", SessionFixture.PROGRAM,
                "startDate", java.time.LocalDate.now().toString(), "timezone", "UTC", "clinicianId", "c-erase"))
                .post(base + "/enrollments").then().statusCode(404);
        assertEquals(0L, count("SELECT count(*) FROM enrollment WHERE patient_id = $1", patient));

        // asked again, it completes (nothing is left to do: the same answer); the erasure is in the access log
        As.admin().contentType(ContentType.JSON).body(Map.of("reason", "again")).delete(base).then().statusCode(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> count(
                "SELECT count(*) FROM access_entry WHERE patient_id = $1 AND action = 'DELETE /patients/{patientId}' AND outcome = 'ALLOWED'", patient) == 2);
        As.admin().get(base + "/access-log").then().statusCode(200).body("items.action", org.hamcrest.Matchers.hasItem("DELETE /patients/{patientId}"));
        assertEquals(1L, count("SELECT count(*) FROM patient_erasure WHERE patient_id = $1", patient), "the first erasure's record is kept");
    }

    @Test
    void anErasureInterruptedAfterItWasRecordedIsCompletedByItself() {
        String patient = SessionFixture.newPatient();
        EnrollmentTest.enroll("c-interrupted", patient);
        post(patient, List.of(pain(4, "CHECK_IN", null, minutesAgo(3))));
        rawRecordsOf(patient, 2);
        // as left by an instance that stopped right after recording the request: nothing erased yet, appends refused
        db.preparedQuery("INSERT INTO patient_erasure (patient_id, erased_at, erased_by, reason) VALUES ($1, now() - interval '2 minutes', 'admin-1', 'asked')")
                .execute(Tuple.of(patient)).await().indefinitely();
        As.patient(patient).contentType(ContentType.JSON).body(List.of(pain(5, "CHECK_IN", null, minutesAgo(1))))
                .post("/patients/" + patient + "/events").then().statusCode(404);
        assertNotNull(StackTestResource.kafka().patientKeys().key(patient));

        erasure.completeInterrupted().await().atMost(Duration.ofSeconds(30));

        assertNull(StackTestResource.kafka().patientKeys().key(patient));
        assertEquals(0L, count("SELECT count(*) FROM patient_event WHERE patient_id = $1", patient));
        assertEquals(0L, count("SELECT count(*) FROM enrollment WHERE patient_id = $1", patient));
        assertEquals(0L, count("SELECT count(*) FROM patient_erasure WHERE patient_id = $1 AND completed_at IS NULL", patient));
        List<ConsumerRecord<String, String>> raw = rawRecordsOf(patient, 3);
        assertEquals(EventTypes.PATIENT_ERASED, TopicReader.header(raw.get(raw.size() - 1), CloudEventHeaders.TYPE));
    }

    @Test
    void anIdNeverKnownIsNotFoundAndIsNotBlockedForLater() {
        String stranger = SessionFixture.newPatient();
        As.admin().contentType(ContentType.JSON).body(Map.of("reason", "typo")).delete("/patients/" + stranger).then().statusCode(404)
                .contentType("application/problem+json");
        assertNull(StackTestResource.kafka().patientKeys().key(stranger));
        EnrollmentTest.enroll("c-later", stranger);
        As.patient(stranger).get("/patients/" + stranger + "/enrollments").then().statusCode(200).body("size()", equalTo(1));
    }

    private static void post(String patient, List<Map<String, Object>> events) {
        As.patient(patient).contentType(ContentType.JSON).body(events).post("/patients/" + patient + "/events").then().statusCode(202);
    }

    private long count(String sql, String patient) {
        return db.preparedQuery(sql).execute(patient == null ? Tuple.tuple() : Tuple.of(patient)).await().indefinitely()
                .iterator().next().getLong(0);
    }

    static List<ConsumerRecord<String, String>> rawRecordsOf(String patient, int expected) {
        try (TopicReader reader = TopicReader.raw(StackTestResource.kafka(), Topics.SESSION_EVENTS.name())) {
            return reader.readUntil(seen -> seen.stream().filter(r -> patient.equals(r.key())).count() >= expected, Duration.ofSeconds(60))
                    .stream().filter(r -> patient.equals(r.key())).toList();
        }
    }
}
