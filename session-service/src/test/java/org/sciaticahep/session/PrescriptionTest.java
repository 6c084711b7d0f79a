package org.sciaticahep.session;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sciaticahep.session.EnrollmentTest.enrollments;
import static org.sciaticahep.session.EnrollmentTest.types;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.contracts.CloudEventHeaders;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.contracts.catalog.Dosage;
import org.sciaticahep.contracts.catalog.ExerciseDefinition;
import org.sciaticahep.contracts.catalog.ExerciseKind;
import org.sciaticahep.contracts.catalog.ProgramDefinition;
import org.sciaticahep.contracts.catalog.ProgramExercise;
import org.sciaticahep.contracts.catalog.Range;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;
import org.sciaticahep.stack.TopicReader;

/**
 * A patient's prescription through HTTP, PostgreSQL and the real session-events topic: version 1 is the program the
 * patient accepted (and rides on enrollment.started), each later version is the treating clinician's, written on the
 * version they read and published whole (prescription.changed); the version in force on a day is what counts. And
 * the end of care: the last day in the patient's time zone, a note that goes nowhere but the database.
 */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "session"))
class PrescriptionTest {

    /** EnrollmentTest's invitations are in this zone. */
    static final ZoneId PATIENT_ZONE = ZoneId.of("America/New_York");
    static final ObjectMapper JSON = new ObjectMapper();
    /** The two exercises of the test program, as paths into a prescription's JSON. */
    static final String PER_SIDE_ITEM = "items.find { it.exerciseId == '" + SessionFixture.PER_SIDE + "' }";
    static final String BOTH_SIDES_ITEM = "items.find { it.exerciseId == '" + SessionFixture.BOTH_SIDES + "' }";

    @Inject
    CatalogCopy catalog;

    @Inject
    AgroalDataSource database;

    @BeforeEach
    void catalog() throws Exception {
        SessionFixture.publishCatalog(catalog);
    }

    static String prescription(String patient) {
        return "/patients/" + patient + "/prescription";
    }

    static LocalDate today() {
        return LocalDate.now(PATIENT_ZONE);
    }

    static JsonPath current(String patient) {
        return As.patient(patient).get(prescription(patient)).then().statusCode(200).extract().jsonPath();
    }

    static List<Integer> versionNumbers(String patient) {
        return As.patient(patient).get(prescription(patient) + "/versions").then().statusCode(200).extract().jsonPath()
                .getList("version", Integer.class);
    }

    /** The version read, as a PUT body that writes it again: the request's fields only (no names, no ids). */
    static Map<String, Object> rewrite(JsonPath read) {
        Map<String, Object> body = new HashMap<>();
        body.put("expectedVersion", read.getInt("version"));
        body.put("schedule", read.getMap("schedule"));
        List<Map<String, Object>> items = new ArrayList<>();
        for (Map<String, Object> item : read.<Map<String, Object>>getList("items")) {
            Map<String, Object> requested = new LinkedHashMap<>(item);
            requested.remove("name");
            items.add(requested);
        }
        body.put("items", items);
        return body;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> item(Map<String, Object> body, String exerciseId) {
        return ((List<Map<String, Object>>) body.get("items")).stream()
                .filter(i -> exerciseId.equals(i.get("exerciseId"))).findFirst().orElseThrow();
    }

    static Response put(String clinician, String patient, Object body) {
        return As.clinician(clinician).contentType(ContentType.JSON).body(body).put(prescription(patient));
    }

    static Response change(String clinician, String patient, String exerciseId, String action, Object body) {
        var request = As.clinician(clinician);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.post(prescription(patient) + "/items/" + exerciseId + "/" + action);
    }

    /** The catalog's dosage of an exercise, as JSON reads it. */
    Map<?, ?> catalogDosage(String exerciseId) {
        return JSON.convertValue(catalog.exercise(exerciseId).orElseThrow().dosage(), Map.class);
    }

    @Test
    void acceptancePublishesTheProgramAsVersionOne() {
        String patient = SessionFixture.newPatient();
        String id = EnrollmentTest.enroll("c-001", patient);
        ProgramDefinition program = catalog.program(SessionFixture.PROGRAM).orElseThrow();
        List<String> programExercises = program.exercises().stream().map(ProgramExercise::exerciseId).toList();
        String startDate = As.patient(patient).get(enrollments(patient)).jsonPath().getString("[0].startDate");

        List<ConsumerRecord<String, String>> mine = BatchIngestTest.recordsOf(patient, 1);
        assertEquals(List.of(EventTypes.ENROLLMENT_STARTED), types(mine));
        JsonPath started = new JsonPath(mine.get(0).value());
        assertEquals(1, started.getInt("prescription.version"));
        assertEquals(startDate, started.getString("prescription.effectiveFrom"));
        assertEquals(program.id(), started.getString("prescription.programId"));
        assertEquals(program.version(), started.getInt("prescription.programVersion"));
        assertEquals(program.schedule().timesPerDay(), started.getInt("prescription.schedule.timesPerDay"));
        assertEquals(programExercises, started.getList("prescription.items.exerciseId"));
        for (String exercise : programExercises) {
            assertEquals(catalogDosage(exercise), started.getMap("prescription.items.find { it.exerciseId == '" + exercise + "' }.dosage"),
                    "the catalog's dosage of " + exercise);
        }
        assertEquals(List.of("ACTIVE", "ACTIVE"), started.getList("prescription.items.status"));

        JsonPath read = current(patient);
        assertEquals(id, read.getString("enrollmentId"));
        assertEquals(patient, read.getString("patientId"));
        assertEquals(1, read.getInt("version"));
        assertEquals(startDate, read.getString("effectiveFrom"));
        assertEquals("c-001", read.getString("changedBy"));
        assertEquals(Instant.parse(started.getString("occurredAt")), Instant.parse(read.getString("changedAt")),
                "written when the patient accepted");
        assertEquals(programExercises, read.getList("items.exerciseId"));
        assertEquals(programExercises.stream().map(e -> catalog.exercise(e).orElseThrow().name()).toList(), read.getList("items.name"));
        assertEquals(started.getList("prescription.items.dosage"), read.getList("items.dosage"));

        LocalDate start = LocalDate.parse(startDate);
        As.patient(patient).get(prescription(patient) + "?on=" + start).then().statusCode(200).body("version", equalTo(1));
        As.clinician("c-001").get(prescription(patient) + "?on=" + start.plusDays(400)).then().statusCode(200).body("version", equalTo(1));
        As.patient(patient).get(prescription(patient) + "?on=" + start.minusDays(1)).then().statusCode(404)
                .contentType("application/problem+json");
        assertEquals(List.of(1), versionNumbers(patient));
    }

    @Test
    void raisingADosageFromTomorrowIsVersionTwoPublishedWhole() {
        String patient = SessionFixture.newPatient();
        String id = EnrollmentTest.enroll("c-001", patient);
        JsonPath first = current(patient);
        Map<String, Object> body = rewrite(first);
        LocalDate tomorrow = today().plusDays(1);
        body.put("effectiveFrom", tomorrow.toString());
        int raised = first.getInt(BOTH_SIDES_ITEM + ".dosage.reps.max") + 2;
        Map<String, Object> dosage = new HashMap<>(first.getMap(BOTH_SIDES_ITEM + ".dosage"));
        dosage.put("reps", Map.of("min", raised, "max", raised));
        item(body, SessionFixture.BOTH_SIDES).put("dosage", dosage);
        item(body, SessionFixture.BOTH_SIDES).put("reason", "tolerates more");

        Instant before = Instant.now();
        JsonPath second = put("c-001", patient, body).then().statusCode(200)
                .body("version", equalTo(2))
                .body("effectiveFrom", equalTo(tomorrow.toString()))
                .body("changedBy", equalTo("c-001"))
                .body("enrollmentId", equalTo(id))
                .extract().jsonPath();
        assertEquals(raised, second.getInt(BOTH_SIDES_ITEM + ".dosage.reps.min"));
        assertEquals("tolerates more", second.getString(BOTH_SIDES_ITEM + ".reason"));
        assertEquals(first.getMap("items.find { it.exerciseId == '" + SessionFixture.PER_SIDE + "' }"),
                second.getMap("items.find { it.exerciseId == '" + SessionFixture.PER_SIDE + "' }"), "the other exercise as it was");

        List<ConsumerRecord<String, String>> mine = BatchIngestTest.recordsOf(patient, 2);
        assertEquals(List.of(EventTypes.ENROLLMENT_STARTED, EventTypes.PRESCRIPTION_CHANGED), types(mine));
        ConsumerRecord<String, String> changed = mine.get(1);
        String eventId = UUID.nameUUIDFromBytes(("prescription.changed/" + id + "/2").getBytes(StandardCharsets.UTF_8)).toString();
        assertEquals(eventId, TopicReader.header(changed, CloudEventHeaders.ID));
        assertEquals(patient, changed.key());
        JsonPath payload = new JsonPath(changed.value());
        assertEquals(eventId, payload.getString("eventId"));
        assertEquals(id, payload.getString("enrollmentId"));
        assertEquals(patient, payload.getString("patientId"));
        assertEquals("c-001", payload.getString("clinicianId"));
        assertFalse(Instant.parse(payload.getString("occurredAt")).isBefore(before.minusSeconds(1)));
        assertEquals(2, payload.getInt("prescription.version"));
        assertEquals(tomorrow.toString(), payload.getString("prescription.effectiveFrom"));
        assertEquals(first.getString("programId"), payload.getString("prescription.programId"));
        assertEquals(first.getInt("programVersion"), payload.getInt("prescription.programVersion"));
        assertEquals(second.getMap("schedule").get("timesPerDay"), payload.getInt("prescription.schedule.timesPerDay"));
        assertEquals(item(rewrite(second), SessionFixture.BOTH_SIDES), payload.getMap("prescription.items.find { it.exerciseId == '"
                + SessionFixture.BOTH_SIDES + "' }"), "the whole version");
        assertEquals(rewrite(second).get("items"), payload.getList("prescription.items"));

        As.patient(patient).get(prescription(patient) + "?on=" + today()).then().statusCode(200).body("version", equalTo(1));
        As.patient(patient).get(prescription(patient) + "?on=" + tomorrow).then().statusCode(200).body("version", equalTo(2))
                .body(BOTH_SIDES_ITEM + ".dosage.reps.min", equalTo(raised));
        assertEquals(2, current(patient).getInt("version"), "the newest version, although in force only from tomorrow");
        assertEquals(List.of(1, 2), versionNumbers(patient));

        // written on version 1, read before version 2 was: refused, and nothing changes
        put("c-001", patient, body).then().statusCode(409).contentType("application/problem+json");
        assertEquals(List.of(1, 2), versionNumbers(patient));
    }

    @Test
    void twoWritesOnTheSameVersionOneWinsTheOtherIs409() throws Exception {
        String patient = SessionFixture.newPatient();
        EnrollmentTest.enroll("c-001", patient);
        ExecutorService clinicians = Executors.newFixedThreadPool(2);
        try {
            for (int round = 1; round <= 5; round++) {
                Map<String, Object> body = rewrite(current(patient));
                List<CompletableFuture<Integer>> answers = List.of(
                        CompletableFuture.supplyAsync(() -> put("c-001", patient, body).statusCode(), clinicians),
                        CompletableFuture.supplyAsync(() -> put("c-001", patient, body).statusCode(), clinicians));
                List<Integer> statuses = new ArrayList<>();
                for (CompletableFuture<Integer> answer : answers) {
                    statuses.add(answer.get());
                }
                assertEquals(Set.of(200, 409), Set.copyOf(statuses), "round " + round + ": " + statuses);
                assertEquals(round + 1, versionNumbers(patient).size(), "round " + round + ": one version more");
            }
        } finally {
            clinicians.shutdown();
        }
    }

    @Test
    void invalidVersionsAreRefusedWholeAndStoreNothing() {
        String patient = SessionFixture.newPatient();
        EnrollmentTest.enroll("c-001", patient);
        JsonPath first = current(patient);

        Map<String, Object> invalid = rewrite(first);
        invalid.remove("expectedVersion");
        invalid.put("effectiveFrom", today().minusDays(1).toString());
        invalid.put("schedule", Map.of("timesPerDay", 0, "daysOfWeek", List.of("MONDAY")));
        List<Map<String, Object>> items = new ArrayList<>();
        items.add(Map.of("exerciseId", SessionFixture.PER_SIDE, "status", "WALKING", "reason", "r".repeat(501),
                "dosage", Map.of("sets", 0, "reps", Map.of("min", 10, "max", 8), "perSide", true)));
        items.add(Map.of("exerciseId", "moon-walk", "status", "ACTIVE",
                "dosage", Map.of("sets", 1, "reps", Map.of("min", 8, "max", 10), "perSide", false)));
        items.add(Map.of("exerciseId", SessionFixture.PER_SIDE, "status", "ACTIVE",
                "dosage", Map.of("sets", 1, "reps", Map.of("min", 3, "max", 3), "perSide", true)));
        invalid.put("items", items);
        put("c-001", patient, invalid).then().statusCode(422).contentType("application/problem+json")
                .body("violations.field", containsInAnyOrder("expectedVersion", "effectiveFrom", "schedule.timesPerDay",
                        "items[0].status", "items[0].reason", "items[0].dosage.sets", "items[0].dosage.reps",
                        "items[1].exerciseId", "items[2].exerciseId"));

        Map<String, Object> tooMany = rewrite(first);
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 31; i++) {
            many.add(item(rewrite(first), SessionFixture.PER_SIDE));
        }
        tooMany.put("items", many);
        put("c-001", patient, tooMany).then().statusCode(422).body("violations.field", equalTo(List.of("items")));
        Map<String, Object> farAhead = rewrite(first);
        farAhead.put("effectiveFrom", today().plusDays(366).toString());
        put("c-001", patient, farAhead).then().statusCode(422).body("violations.field", equalTo(List.of("effectiveFrom")));

        // unreadable: 400, naming the field
        As.clinician("c-001").contentType(ContentType.JSON).body("{\"expectedVersion\": 1,").put(prescription(patient))
                .then().statusCode(400).contentType("application/problem+json");
        Map<String, Object> wrongType = rewrite(first);
        item(wrongType, SessionFixture.PER_SIDE).put("dosage", Map.of("sets", "two", "reps", Map.of("min", 3, "max", 3), "perSide", true));
        put("c-001", patient, wrongType).then().statusCode(400).body("violations.field", hasItem(containsString("dosage.sets")));
        Map<String, Object> badDate = rewrite(first);
        badDate.put("effectiveFrom", "2026-02-30");
        put("c-001", patient, badDate).then().statusCode(400).body("violations.field", hasItem("effectiveFrom"));
        // what GET answers is not a request: its names and ids are not fields to write
        put("c-001", patient, first.getMap("$")).then().statusCode(400).contentType("application/problem+json");

        assertEquals(List.of(1), versionNumbers(patient), "nothing stored");
        assertEquals(first.getMap("$"), current(patient).getMap("$"));
        EnrollmentTest.postMarker(patient);
        assertEquals(List.of(EventTypes.ENROLLMENT_STARTED, EventTypes.PAIN_REPORTED), types(BatchIngestTest.recordsOf(patient, 2)),
                "nothing published");
    }

    @Test
    void pauseResumeStopAndTheirRefusals() {
        String patient = SessionFixture.newPatient();
        String id = EnrollmentTest.enroll("c-001", patient);

        change("c-001", patient, SessionFixture.PER_SIDE, "pause", Map.of("reason", "flare-up")).then().statusCode(200)
                .body("version", equalTo(2))
                .body("effectiveFrom", equalTo(today().toString()))
                .body(PER_SIDE_ITEM + ".status", equalTo("PAUSED"))
                .body(PER_SIDE_ITEM + ".reason", equalTo("flare-up"))
                .body(BOTH_SIDES_ITEM + ".status", equalTo("ACTIVE"));
        change("c-001", patient, SessionFixture.PER_SIDE, "pause", null).then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("PAUSED"));

        // no body at all: the reason is cleared, from today
        change("c-001", patient, SessionFixture.PER_SIDE, "resume", null).then().statusCode(200)
                .body("version", equalTo(3)).body(PER_SIDE_ITEM + ".status", equalTo("ACTIVE")).body(PER_SIDE_ITEM + ".reason", nullValue());
        change("c-001", patient, SessionFixture.PER_SIDE, "resume", Map.of()).then().statusCode(409).body("detail", containsString("ACTIVE"));

        LocalDate tomorrow = today().plusDays(1);
        change("c-001", patient, SessionFixture.PER_SIDE, "stop", Map.of("reason", "causes new pain", "effectiveFrom", tomorrow.toString()))
                .then().statusCode(200)
                .body("version", equalTo(4)).body("effectiveFrom", equalTo(tomorrow.toString()))
                .body(PER_SIDE_ITEM + ".status", equalTo("STOPPED"));
        for (String action : List.of("pause", "resume", "stop")) {
            change("c-001", patient, SessionFixture.PER_SIDE, action, Map.of("effectiveFrom", tomorrow.toString()))
                    .then().statusCode(409).body("detail", containsString("STOPPED"));
        }
        change("c-001", patient, SessionFixture.BOTH_SIDES, "stop", Map.of("effectiveFrom", today().minusDays(1).toString()))
                .then().statusCode(422).body("violations.field", equalTo(List.of("effectiveFrom")));
        change("c-001", patient, SessionFixture.BOTH_SIDES, "pause", Map.of("reason", "r".repeat(501)))
                .then().statusCode(422).body("violations.field", equalTo(List.of("reason")));
        change("c-001", patient, SessionFixture.BOTH_SIDES, "pause", Map.of("why", "no"))
                .then().statusCode(400).body("violations.field", equalTo(List.of("why")));
        change("c-001", patient, "glute-bridge", "pause", null).then().statusCode(404).contentType("application/problem+json");

        assertEquals(List.of(1, 2, 3, 4), versionNumbers(patient));
        As.patient(patient).get(prescription(patient) + "?on=" + today()).then().body(PER_SIDE_ITEM + ".status", equalTo("ACTIVE"));
        As.patient(patient).get(prescription(patient) + "?on=" + tomorrow).then().body(PER_SIDE_ITEM + ".status", equalTo("STOPPED"));
        List<ConsumerRecord<String, String>> mine = BatchIngestTest.recordsOf(patient, 4);
        assertEquals(List.of(EventTypes.ENROLLMENT_STARTED, EventTypes.PRESCRIPTION_CHANGED, EventTypes.PRESCRIPTION_CHANGED,
                EventTypes.PRESCRIPTION_CHANGED), types(mine));
        for (int version = 2; version <= 4; version++) {
            assertEquals(UUID.nameUUIDFromBytes(("prescription.changed/" + id + "/" + version).getBytes(StandardCharsets.UTF_8)).toString(),
                    TopicReader.header(mine.get(version - 1), CloudEventHeaders.ID));
            assertEquals(version, new JsonPath(mine.get(version - 1).value()).getInt("prescription.version"));
        }
    }

    @Test
    void thePatientAndTheirClinicianReadOnlyTheClinicianWrites() {
        String patient = SessionFixture.newPatient();
        EnrollmentTest.enroll("c-001", patient);
        String nobody = SessionFixture.newPatient();
        Map<String, Object> body = rewrite(current(patient));

        As.clinician("c-001").get(prescription(patient)).then().statusCode(200).body("patientId", equalTo(patient));
        As.patient(SessionFixture.newPatient()).get(prescription(patient)).then().statusCode(403).contentType("application/problem+json");
        for (String path : List.of("", "/versions", "?on=" + today())) {
            Response existing = As.clinician("c-002").get(prescription(patient) + path);
            Response missing = As.clinician("c-002").get(prescription(nobody) + path);
            assertEquals(403, existing.statusCode(), path);
            assertEquals(existing.contentType() + existing.asString(), missing.contentType() + missing.asString(),
                    "a clinician who does not treat the patient learns nothing: " + path);
        }
        Response existing = put("c-002", patient, body);
        Response missing = put("c-002", nobody, body);
        assertEquals(403, existing.statusCode());
        assertEquals(existing.asString(), missing.asString());
        change("c-002", patient, SessionFixture.PER_SIDE, "pause", null).then().statusCode(403);

        As.patient(patient).contentType(ContentType.JSON).body(body).put(prescription(patient)).then().statusCode(403)
                .contentType("application/problem+json");
        As.patient(patient).post(prescription(patient) + "/items/" + SessionFixture.PER_SIDE + "/pause").then().statusCode(403);
        assertEquals(List.of(1), versionNumbers(patient), "a refused write stores nothing");

        As.patient(patient).get(prescription(patient) + "?on=25.11.2026").then().statusCode(400)
                .body("violations.field", equalTo(List.of("on")));
        As.patient(nobody).get(prescription(nobody)).then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("this patient has no active enrollment"));
        As.patient(nobody).get(prescription(nobody) + "/versions").then().statusCode(404);
    }

    @Test
    void anEndedEnrollmentHasNoPrescriptionToReadOrWrite() {
        String patient = SessionFixture.newPatient();
        String id = EnrollmentTest.enroll("c-001", patient);
        Map<String, Object> body = rewrite(current(patient));
        As.patient(patient).post(enrollments(patient) + "/" + id + "/revoke").then().statusCode(200);

        As.patient(patient).get(prescription(patient)).then().statusCode(404).body("detail", equalTo("this patient has no active enrollment"));
        put("c-001", patient, body).then().statusCode(403);
    }

    @Test
    void anEnrollmentFromBeforePrescriptionsGetsVersionOneWhenFirstReadAndPublishesIt() throws Exception {
        String patient = SessionFixture.newPatient();
        String id = EnrollmentTest.enroll("c-001", patient);
        JsonPath published = new JsonPath(BatchIngestTest.recordsOf(patient, 1).get(0).value());
        assertEquals(1, forget(id), "version 1 was stored at acceptance");

        Instant before = Instant.now();
        JsonPath derived = current(patient);
        assertEquals(1, derived.getInt("version"));
        assertEquals(published.getList("prescription.items"), rewrite(derived).get("items"), "what acceptance wrote, derived the same");
        assertEquals(published.getString("prescription.effectiveFrom"), derived.getString("effectiveFrom"));
        assertEquals("c-001", derived.getString("changedBy"));
        assertEquals(Instant.parse(published.getString("occurredAt")), Instant.parse(derived.getString("changedAt")));
        assertEquals(1, stored(id), "derived once, and kept");
        assertEquals(List.of(1), versionNumbers(patient));

        // published in the transaction that stored it, so insights learns it from session-service; read again, not again
        EnrollmentTest.postMarker(patient);
        List<ConsumerRecord<String, String>> mine = BatchIngestTest.recordsOf(patient, 3);
        assertEquals(List.of(EventTypes.ENROLLMENT_STARTED, EventTypes.PRESCRIPTION_CHANGED, EventTypes.PAIN_REPORTED), types(mine),
                "a derived version 1 is published once");
        String eventId = UUID.nameUUIDFromBytes(("prescription.changed/" + id + "/1").getBytes(StandardCharsets.UTF_8)).toString();
        assertEquals(eventId, TopicReader.header(mine.get(1), CloudEventHeaders.ID));
        JsonPath changed = new JsonPath(mine.get(1).value());
        assertEquals(eventId, changed.getString("eventId"));
        assertEquals(id, changed.getString("enrollmentId"));
        assertEquals("c-001", changed.getString("clinicianId"), "the enrollment's clinician");
        assertFalse(Instant.parse(changed.getString("occurredAt")).isBefore(before.minusSeconds(1)), "published now");
        assertEquals(published.getMap("prescription"), changed.getMap("prescription"), "version 1 as acceptance published it");

        // a write on such an enrollment derives and publishes version 1 first, in its own transaction
        String writer = SessionFixture.newPatient();
        String writerId = EnrollmentTest.enroll("c-001", writer);
        assertEquals(1, forget(writerId));
        put("c-001", writer, rewrite(derived)).then().statusCode(200).body("version", equalTo(2));
        assertEquals(List.of(1, 2), versionNumbers(writer));
        List<ConsumerRecord<String, String>> written = BatchIngestTest.recordsOf(writer, 3);
        assertEquals(List.of(EventTypes.ENROLLMENT_STARTED, EventTypes.PRESCRIPTION_CHANGED, EventTypes.PRESCRIPTION_CHANGED),
                types(written));
        assertEquals(List.of(1, 2), written.subList(1, 3).stream().map(r -> new JsonPath(r.value()).getInt("prescription.version")).toList());
    }

    @Test
    void aVersionOneInForceFromOverAYearAgoIsKeptButNotPublished() throws Exception {
        String patient = SessionFixture.newPatient();
        String id = EnrollmentTest.enroll("c-001", patient);
        assertEquals(1, forget(id));
        LocalDate longAgo = LocalDate.now(ZoneOffset.UTC).minusDays(400);
        moveStart(id, longAgo);

        JsonPath derived = current(patient);
        assertEquals(1, derived.getInt("version"));
        assertEquals(longAgo.toString(), derived.getString("effectiveFrom"));
        assertEquals(1, stored(id));

        // the contract lets no event reach that far back: consumers derive it from enrollment.started, as before
        EnrollmentTest.postMarker(patient);
        assertEquals(List.of(EventTypes.ENROLLMENT_STARTED, EventTypes.PAIN_REPORTED), types(BatchIngestTest.recordsOf(patient, 2)));
        change("c-001", patient, SessionFixture.PER_SIDE, "pause", null).then().statusCode(200).body("version", equalTo(2));
    }

    @Test
    void aStatusChangeKeepsWhatIsScheduledAndAWholeVersionReplacesItOnlyWhenAsked() {
        String patient = SessionFixture.newPatient();
        String id = EnrollmentTest.enroll("c-001", patient);
        JsonPath first = current(patient);
        int dosage = first.getInt(BOTH_SIDES_ITEM + ".dosage.reps.max");
        int raised = dosage + 2;

        // version 2, from two weeks on: a raised dosage, and a rest of the other exercise
        LocalDate later = today().plusDays(14);
        Map<String, Object> body = rewrite(first);
        body.put("effectiveFrom", later.toString());
        Map<String, Object> raisedDosage = new HashMap<>(first.getMap(BOTH_SIDES_ITEM + ".dosage"));
        raisedDosage.put("reps", Map.of("min", raised, "max", raised));
        item(body, SessionFixture.BOTH_SIDES).put("dosage", raisedDosage);
        item(body, SessionFixture.PER_SIDE).put("status", "PAUSED");
        item(body, SessionFixture.PER_SIDE).put("reason", "planned rest");
        put("c-001", patient, body).then().statusCode(200).body("version", equalTo(2));

        // paused today: on version 1, in force today; version 2's plan stays from its day, with the exercise as it was there
        change("c-001", patient, SessionFixture.PER_SIDE, "pause", Map.of("reason", "flare-up")).then().statusCode(200)
                .body("version", equalTo(3))
                .body("effectiveFrom", equalTo(today().toString()))
                .body(PER_SIDE_ITEM + ".status", equalTo("PAUSED"))
                .body(PER_SIDE_ITEM + ".reason", equalTo("flare-up"))
                .body(BOTH_SIDES_ITEM + ".dosage.reps.max", equalTo(dosage));
        As.patient(patient).get(prescription(patient) + "?on=" + later).then().statusCode(200)
                .body("version", equalTo(4))
                .body("effectiveFrom", equalTo(later.toString()))
                .body(BOTH_SIDES_ITEM + ".dosage.reps.max", equalTo(raised))
                .body(PER_SIDE_ITEM + ".status", equalTo("PAUSED"))
                .body(PER_SIDE_ITEM + ".reason", equalTo("planned rest"));

        // stopped from next week: carried into the raised plan too
        LocalDate nextWeek = today().plusDays(7);
        change("c-001", patient, SessionFixture.BOTH_SIDES, "stop", Map.of("reason", "new pain", "effectiveFrom", nextWeek.toString()))
                .then().statusCode(200)
                .body("version", equalTo(5))
                .body("effectiveFrom", equalTo(nextWeek.toString()))
                .body(BOTH_SIDES_ITEM + ".status", equalTo("STOPPED"))
                .body(BOTH_SIDES_ITEM + ".dosage.reps.max", equalTo(dosage))
                .body(PER_SIDE_ITEM + ".reason", equalTo("flare-up"));
        for (LocalDate day : List.of(today(), nextWeek.minusDays(1))) {
            As.patient(patient).get(prescription(patient) + "?on=" + day).then().body("version", equalTo(3));
        }
        As.patient(patient).get(prescription(patient) + "?on=" + later.minusDays(1)).then().body("version", equalTo(5));
        As.patient(patient).get(prescription(patient) + "?on=" + later).then()
                .body("version", equalTo(6))
                .body(BOTH_SIDES_ITEM + ".status", equalTo("STOPPED"))
                .body(BOTH_SIDES_ITEM + ".reason", equalTo("new pain"))
                .body(BOTH_SIDES_ITEM + ".dosage.reps.max", equalTo(raised))
                .body(PER_SIDE_ITEM + ".reason", equalTo("planned rest"));
        assertEquals(List.of(1, 2, 3, 4, 5, 6), versionNumbers(patient));

        List<ConsumerRecord<String, String>> mine = BatchIngestTest.recordsOf(patient, 6);
        assertEquals(List.of(EventTypes.ENROLLMENT_STARTED), types(mine.subList(0, 1)));
        List<String> effective = new ArrayList<>();
        for (int version = 2; version <= 6; version++) {
            ConsumerRecord<String, String> changed = mine.get(version - 1);
            assertEquals(EventTypes.PRESCRIPTION_CHANGED, TopicReader.header(changed, CloudEventHeaders.TYPE));
            assertEquals(UUID.nameUUIDFromBytes(("prescription.changed/" + id + "/" + version).getBytes(StandardCharsets.UTF_8)).toString(),
                    TopicReader.header(changed, CloudEventHeaders.ID));
            assertEquals(version, new JsonPath(changed.value()).getInt("prescription.version"));
            effective.add(new JsonPath(changed.value()).getString("prescription.effectiveFrom"));
        }
        assertEquals(List.of(later, today(), later, nextWeek, later).stream().map(LocalDate::toString).toList(), effective);

        // a whole version from today would replace the plan from next week on: only when asked to
        Map<String, Object> fromToday = rewrite(current(patient));
        put("c-001", patient, fromToday).then().statusCode(409).contentType("application/problem+json")
                .body("detail", startsWith("version 5 is scheduled from " + nextWeek + ": "));
        fromToday.put("replaceScheduled", false);
        put("c-001", patient, fromToday).then().statusCode(409);
        assertEquals(List.of(1, 2, 3, 4, 5, 6), versionNumbers(patient), "refused: nothing stored");

        fromToday.put("replaceScheduled", true);
        put("c-001", patient, fromToday).then().statusCode(200).body("version", equalTo(7)).body("effectiveFrom", equalTo(today().toString()));
        As.patient(patient).get(prescription(patient) + "?on=" + later).then().body("version", equalTo(7))
                .body(BOTH_SIDES_ITEM + ".dosage.reps.max", equalTo(raised));
        // nothing is scheduled any more; from the day of a scheduled version is no replacement either
        Map<String, Object> again = rewrite(current(patient));
        put("c-001", patient, again).then().statusCode(200).body("version", equalTo(8));
        Map<String, Object> scheduled = rewrite(current(patient));
        scheduled.put("effectiveFrom", later.toString());
        put("c-001", patient, scheduled).then().statusCode(200).body("version", equalTo(9));
        Map<String, Object> sameDay = rewrite(current(patient));
        sameDay.put("effectiveFrom", later.toString());
        put("c-001", patient, sameDay).then().statusCode(200).body("version", equalTo(10));
    }

    @Test
    void acceptanceWaitsUntilTheCatalogCopyHasTheProgramsExercises() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        ExerciseDefinition late = new ExerciseDefinition("late-" + suffix, 1, "Late stretch", List.of(), ExerciseKind.STRETCH,
                List.of("lower back"), List.of("Stretch."), new Dosage(2, Range.of(5, 6), null, false), List.of(), null, Instant.now());
        ProgramDefinition program = new ProgramDefinition("late-program-" + suffix, 1, "Late", "test",
                List.of(new ProgramExercise(SessionFixture.PER_SIDE, null), new ProgramExercise(late.id(), null)),
                catalog.program(SessionFixture.PROGRAM).orElseThrow().schedule(), Instant.now());
        SessionFixture.publish(program);
        await().atMost(Duration.ofSeconds(30)).until(() -> catalog.program(program.id()).isPresent());

        String patient = SessionFixture.newPatient();
        Map<String, Object> invitation = EnrollmentTest.enrollment();
        invitation.put("programId", program.id());
        JsonPath invited = As.clinician("c-001").contentType(ContentType.JSON).body(invitation).post(enrollments(patient))
                .then().statusCode(201).extract().jsonPath();
        String id = invited.getString("enrollmentId");
        EnrollmentTest.accept(patient, id, invited.getString("inviteCode")).then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", equalTo("the program is not in this service's catalog copy yet; try again shortly"));
        assertEquals("PENDING", EnrollmentTest.statusOf(patient, id), "nothing changed");

        SessionFixture.publish(late);
        await().atMost(Duration.ofSeconds(30)).until(() -> catalog.exercise(late.id()).isPresent());
        EnrollmentTest.accept(patient, id, invited.getString("inviteCode")).then().statusCode(200);
        List<ConsumerRecord<String, String>> mine = BatchIngestTest.recordsOf(patient, 1);
        assertEquals(List.of(EventTypes.ENROLLMENT_STARTED), types(mine));
        JsonPath started = new JsonPath(mine.get(0).value());
        assertEquals(List.of(SessionFixture.PER_SIDE, late.id()), started.getList("prescription.items.exerciseId"));
        assertEquals(JSON.convertValue(late.dosage(), Map.class), started.getMap("prescription.items[1].dosage"));
    }

    @Test
    void endOfCareKeepsTheLastDayAndTheNoteGoesNowhereElse() throws Exception {
        String patient = SessionFixture.newPatient();
        String id = EnrollmentTest.enroll("c-001", patient);
        String end = enrollments(patient) + "/" + id + "/end";
        LocalDate start = LocalDate.parse(As.patient(patient).get(enrollments(patient)).jsonPath().getString("[0].startDate"));
        String note = "MRI reviewed " + UUID.randomUUID() + "; referred to the spine clinic";

        As.clinician("c-001").contentType(ContentType.JSON).body(Map.of("endDate", today().plusDays(1).toString()))
                .post(end).then().statusCode(422).contentType("application/problem+json")
                .body("violations.field", equalTo(List.of("endDate")));
        As.clinician("c-001").contentType(ContentType.JSON).body(Map.of("endDate", start.minusDays(1).toString()))
                .post(end).then().statusCode(422).body("violations.field", equalTo(List.of("endDate")));
        As.clinician("c-001").contentType(ContentType.JSON).body(Map.of("reason", "BORED", "note", "n".repeat(2001)))
                .post(end).then().statusCode(422).body("violations.field", containsInAnyOrder("reason", "note"));
        As.clinician("c-001").contentType(ContentType.JSON).body(Map.of("endDate", "yesterday"))
                .post(end).then().statusCode(400).body("violations.field", equalTo(List.of("endDate")));
        assertEquals("ACTIVE", EnrollmentTest.statusOf(patient, id));

        LocalDate last = today().minusDays(1);
        List<String> logged;
        try (LogCapture capture = LogCapture.start()) {
            As.clinician("c-001").contentType(ContentType.JSON).body(Map.of("reason", "REFERRED", "note", note, "endDate", last.toString()))
                    .post(end).then().statusCode(200)
                    .body("status", equalTo("ENDED"))
                    .body("endReason", equalTo("REFERRED"))
                    .body("endDate", equalTo(last.toString()))
                    .body("endNote", equalTo(note));
            logged = capture.lines();
        }
        assertTrue(logged.stream().anyMatch(line -> line.contains(id)), "the capture sees the service's lines: " + logged);
        logged.forEach(line -> assertFalse(line.contains(note), "logged: " + line));

        String listed = As.patient(patient).get(enrollments(patient)).then().statusCode(200)
                .body("[0].endDate", equalTo(last.toString())).extract().asString();
        assertFalse(listed.contains(note) || listed.contains("endNote"), listed);
        assertEquals(note, storedNote(id), "kept in the database");

        List<ConsumerRecord<String, String>> mine = BatchIngestTest.recordsOf(patient, 2);
        assertEquals(List.of(EventTypes.ENROLLMENT_STARTED, EventTypes.ENROLLMENT_ENDED), types(mine));
        assertEquals(last.toString(), new JsonPath(mine.get(1).value()).getString("endDate"));
        assertFalse(mine.get(1).value().contains(note), mine.get(1).value());
    }

    @Test
    void endOfCareDefaultsToTodayInThePatientsZone() {
        String ended = SessionFixture.newPatient();
        String endedId = EnrollmentTest.enroll("c-001", ended);
        As.clinician("c-001").post(enrollments(ended) + "/" + endedId + "/end").then().statusCode(200)
                .body("endDate", equalTo(today().toString())).body("endReason", equalTo("OTHER")).body("endNote", nullValue());

        String revoked = SessionFixture.newPatient();
        String revokedId = EnrollmentTest.enroll("c-001", revoked);
        As.patient(revoked).post(enrollments(revoked) + "/" + revokedId + "/revoke").then().statusCode(200)
                .body("endDate", equalTo(today().toString()));
        assertEquals(today().toString(), new JsonPath(BatchIngestTest.recordsOf(revoked, 2).get(1).value()).getString("endDate"));
    }

    @Test
    void aPrescriptionHasAtMost200Versions() throws Exception {
        String patient = SessionFixture.newPatient();
        String id = EnrollmentTest.enroll("c-001", patient);
        copyVersionOne(id, 199);

        Map<String, Object> body = rewrite(current(patient));
        assertEquals(199, body.get("expectedVersion"));
        put("c-001", patient, body).then().statusCode(200).body("version", equalTo(200));
        body.put("expectedVersion", 200);
        put("c-001", patient, body).then().statusCode(409).contentType("application/problem+json")
                .body("detail", equalTo("this prescription has 200 versions: end the enrollment and enroll the patient again"));
        change("c-001", patient, SessionFixture.PER_SIDE, "pause", null).then().statusCode(409)
                .body("detail", equalTo("this prescription has 200 versions: end the enrollment and enroll the patient again"));
        assertEquals(200, stored(id));
    }

    @Test
    void theLastDayOfCareIsAtMostAYearBack() {
        String patient = SessionFixture.newPatient();
        Map<String, Object> invitation = EnrollmentTest.enrollment();
        invitation.put("startDate", LocalDate.now(ZoneOffset.UTC).minusDays(366).toString());
        JsonPath invited = As.clinician("c-001").contentType(ContentType.JSON).body(invitation).post(enrollments(patient))
                .then().statusCode(201).extract().jsonPath();
        String id = invited.getString("enrollmentId");
        EnrollmentTest.accept(patient, id, invited.getString("inviteCode")).then().statusCode(200);
        String end = enrollments(patient) + "/" + id + "/end";

        // the enrollment.ended it publishes must reach back from its UTC date: 366 days at most
        As.clinician("c-001").contentType(ContentType.JSON).body(Map.of("endDate", today().minusDays(366).toString()))
                .post(end).then().statusCode(422).contentType("application/problem+json")
                .body("violations.field", equalTo(List.of("endDate")))
                .body("violations[0].reason", containsString(today().minusDays(365).toString()));
        As.clinician("c-001").contentType(ContentType.JSON).body(Map.of("endDate", today().minusDays(365).toString()))
                .post(end).then().statusCode(200).body("endDate", equalTo(today().minusDays(365).toString()));
        List<ConsumerRecord<String, String>> mine = BatchIngestTest.recordsOf(patient, 2);
        assertEquals(List.of(EventTypes.ENROLLMENT_STARTED, EventTypes.ENROLLMENT_ENDED), types(mine));
        assertEquals(today().minusDays(365).toString(), new JsonPath(mine.get(1).value()).getString("endDate"));
    }

    /**
     * Invited with a start date a year back and accepted days later: its enrollment.started would break the contract
     * every consumer checks, so the acceptance is refused (409) and nothing is started or published.
     */
    @Test
    void anInvitationWhoseStartHasBecomeOverAYearOldCannotBeAccepted() throws Exception {
        String patient = SessionFixture.newPatient();
        Map<String, Object> invitation = EnrollmentTest.enrollment();
        invitation.put("startDate", LocalDate.now(ZoneOffset.UTC).minusDays(366).toString());
        JsonPath invited = As.clinician("c-001").contentType(ContentType.JSON).body(invitation).post(enrollments(patient))
                .then().statusCode(201).extract().jsonPath();
        String id = invited.getString("enrollmentId");
        // as if the patient accepted a day later
        moveStart(id, LocalDate.now(ZoneOffset.UTC).minusDays(367));
        EnrollmentTest.accept(patient, id, invited.getString("inviteCode")).then().statusCode(409)
                .body("detail", containsString("more than a year ago"));
        As.patient(patient).get(enrollments(patient)).then().body("[0].status", equalTo("PENDING"));
    }

    /** Versions 2 to {@code upTo} as copies of version 1, as a long-treated patient's would be. */
    void copyVersionOne(String enrollmentId, int upTo) throws Exception {
        try (Connection db = database.getConnection();
             PreparedStatement copy = db.prepareStatement("""
                     INSERT INTO prescription_version (enrollment_id, version, effective_from, document, changed_by, changed_at)
                     SELECT enrollment_id, g, effective_from, jsonb_set(document, '{version}', to_jsonb(g)), changed_by, changed_at
                     FROM prescription_version, generate_series(2, ?) g
                     WHERE enrollment_id = ? AND version = 1""")) {
            copy.setInt(1, upTo);
            copy.setObject(2, UUID.fromString(enrollmentId));
            assertEquals(upTo - 1, copy.executeUpdate());
        }
    }

    /** Moves an enrollment's start (and so a version 1 derived from it), as for one that started long before. */
    void moveStart(String enrollmentId, LocalDate startDate) throws Exception {
        try (Connection db = database.getConnection();
             PreparedStatement update = db.prepareStatement("UPDATE enrollment SET start_date = ? WHERE enrollment_id = ?")) {
            update.setObject(1, startDate);
            update.setObject(2, UUID.fromString(enrollmentId));
            assertEquals(1, update.executeUpdate());
        }
    }

    /** Deletes an enrollment's stored versions, as it was before prescriptions existed; answers how many there were. */
    int forget(String enrollmentId) throws Exception {
        try (Connection db = database.getConnection();
             PreparedStatement delete = db.prepareStatement("DELETE FROM prescription_version WHERE enrollment_id = ?")) {
            delete.setObject(1, UUID.fromString(enrollmentId));
            return delete.executeUpdate();
        }
    }

    int stored(String enrollmentId) throws Exception {
        return Integer.parseInt(single("SELECT count(*) FROM prescription_version WHERE enrollment_id = ?", enrollmentId));
    }

    String storedNote(String enrollmentId) throws Exception {
        return single("SELECT end_note FROM enrollment WHERE enrollment_id = ?", enrollmentId);
    }

    private String single(String sql, String enrollmentId) throws Exception {
        try (Connection db = database.getConnection(); PreparedStatement query = db.prepareStatement(sql)) {
            query.setObject(1, UUID.fromString(enrollmentId));
            try (ResultSet rows = query.executeQuery()) {
                assertTrue(rows.next());
                return rows.getString(1);
            }
        }
    }
}
