package org.sciaticahep.session;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.contracts.CloudEventHeaders;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;
import org.sciaticahep.stack.TopicReader;

@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "session"))
class EnrollmentTest {

    @Inject
    CatalogCopy catalog;

    @BeforeEach
    void catalog() throws Exception {
        SessionFixture.publishCatalog(catalog);
    }

    static Map<String, Object> enrollment() {
        Map<String, Object> body = new HashMap<>();
        body.put("programId", SessionFixture.PROGRAM);
        body.put("startDate", LocalDate.now().minusDays(2).toString());
        body.put("timezone", "America/New_York");
        body.put("clinicianId", "c-001");
        return body;
    }

    @Test
    void enrollmentIsStoredListedAndPublished() {
        String patient = SessionFixture.newPatient();
        String id = As.clinician("c-001").contentType(ContentType.JSON).body(enrollment()).post("/patients/" + patient + "/enrollments")
                .then().statusCode(201)
                .body("programId", equalTo(SessionFixture.PROGRAM))
                .body("programVersion", equalTo(1))
                .body("timezone", equalTo("America/New_York"))
                .extract().path("enrollmentId");

        As.patient(patient).get("/patients/" + patient + "/enrollments").then().statusCode(200)
                .body("enrollmentId", hasItem(id))
                .body("size()", equalTo(1));

        List<ConsumerRecord<String, String>> mine = BatchIngestTest.recordsOf(patient, 1);
        assertEquals(1, mine.size());
        assertEquals(EventTypes.ENROLLMENT_STARTED, TopicReader.header(mine.get(0), CloudEventHeaders.TYPE));
        assertEquals(id, TopicReader.header(mine.get(0), CloudEventHeaders.ID));
        assertEquals("c-001", new JsonPath(mine.get(0).value()).getString("clinicianId"));
        assertEquals(SessionFixture.PROGRAM, new JsonPath(mine.get(0).value()).getString("programId"));
    }

    @Test
    void retryWithTheSameEnrollmentIdReturnsTheFirstOne() {
        String patient = SessionFixture.newPatient();
        Map<String, Object> body = enrollment();
        body.put("enrollmentId", UUID.randomUUID().toString());
        As.clinician("c-001").contentType(ContentType.JSON).body(body).post("/patients/" + patient + "/enrollments").then().statusCode(201);
        As.clinician("c-001").contentType(ContentType.JSON).body(body).post("/patients/" + patient + "/enrollments").then()
                .statusCode(200).body("enrollmentId", equalTo(body.get("enrollmentId")));

        body.put("startDate", LocalDate.now().minusDays(1).toString());
        As.clinician("c-001").contentType(ContentType.JSON).body(body).post("/patients/" + patient + "/enrollments").then().statusCode(409);
        As.patient(patient).get("/patients/" + patient + "/enrollments").then().body("size()", equalTo(1))
                .body("[0].startDate", equalTo(LocalDate.now().minusDays(2).toString()));
    }

    @Test
    void unknownProgramIs422() {
        String patient = SessionFixture.newPatient();
        Map<String, Object> body = enrollment();
        body.put("programId", "no-such-program");
        As.clinician("c-001").contentType(ContentType.JSON).body(body).post("/patients/" + patient + "/enrollments").then()
                .statusCode(422).contentType("application/problem+json")
                .body("violations.field", hasItem("programId"));
        As.patient(patient).get("/patients/" + patient + "/enrollments").then().body("size()", equalTo(0));
    }

    @Test
    void invalidTimezoneOrDateIs400() {
        String patient = SessionFixture.newPatient();
        Map<String, Object> badZone = enrollment();
        badZone.put("timezone", "Mars/Olympus_Mons");
        As.clinician("c-001").contentType(ContentType.JSON).body(badZone).post("/patients/" + patient + "/enrollments").then()
                .statusCode(400).body("violations.field", hasItem("timezone"));

        Map<String, Object> badDate = enrollment();
        badDate.put("startDate", "2026-02-30");
        As.clinician("c-001").contentType(ContentType.JSON).body(badDate).post("/patients/" + patient + "/enrollments").then()
                .statusCode(400).body("violations.field", hasItem("startDate"));

        Map<String, Object> noDate = enrollment();
        noDate.remove("startDate");
        As.clinician("c-001").contentType(ContentType.JSON).body(noDate).post("/patients/" + patient + "/enrollments").then()
                .statusCode(400).body("violations.field", hasItem("startDate"));

        As.patient(patient).get("/patients/" + patient + "/enrollments").then().body("size()", equalTo(0));
    }
}
