package org.sciaticahep.insights;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;

/**
 * Who read what, through the real path: reads of a patient's data in insights (API, export, the dashboard's page)
 * leave entries the patient, their clinician and an admin can list, newest first, refusals included, without any
 * health data.
 */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "insights"))
class AccessLogTest extends PipelineTest {

    @Test
    void everyReadOfThePatientLeavesAnEntry() {
        Clinic p = Clinic.patient("audited", "Europe/Lisbon", 2).enroll("c-audit-1");
        p.post(List.of(p.pain(1, 9, 0, 5, "THIGH", "LEFT", "CHECK_IN"))).awaitApplied(db);
        String base = "/patients/" + p.patientId;
        p.clinician().get(base + "/pain").then().statusCode(200);
        p.clinician().get(base + "/fhir").then().statusCode(200);
        p.clinician().get("/dashboard" + base).then().statusCode(200);
        As.clinician("c-audit-other").get(base + "/pain").then().statusCode(403);
        As.patient(p.patientId).get(base + "/adherence").then().statusCode(200);
        // no token: sent to sign in, nobody to name and nothing read
        RestAssured.given().redirects().follow(false).get("/dashboard" + base).then().statusCode(303);
        As.clinician("c-audit-1").get("/patients/not%20an%20id/pain").then().statusCode(400);

        awaitEntries(p.patientId, 5);
        JsonPath log = As.admin().get(base + "/access-log").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> items = log.getList("items");
        assertEquals(Set.of("at", "service", "subject", "role", "patientId", "action", "outcome"), items.get(0).keySet(),
                "who, which patient, what, when, where, outcome: nothing of what was read");
        assertEquals(List.of("patient GET /patients/{patientId}/adherence ALLOWED",
                        "clinician GET /patients/{patientId}/pain REFUSED",
                        "clinician GET /dashboard/patients/{patientId} ALLOWED",
                        "clinician GET /patients/{patientId}/fhir ALLOWED",
                        "clinician GET /patients/{patientId}/pain ALLOWED"),
                items.stream().map(e -> e.get("role") + " " + e.get("action") + " " + e.get("outcome")).toList(), "newest first");
        assertEquals(List.of(p.patientId, "c-audit-other", "c-audit-1", "c-audit-1", "c-audit-1"),
                items.stream().map(e -> e.get("subject")).toList());
        assertTrue(items.stream().allMatch(e -> "insights-service".equals(e.get("service")) && p.patientId.equals(e.get("patientId"))));
        for (int i = 1; i < items.size(); i++) {
            assertTrue(!Instant.parse((String) items.get(i).get("at")).isAfter(Instant.parse((String) items.get(i - 1).get("at"))));
        }

        assertEquals(5, log.getInt("total"));

        // reading the log is a read of the patient's data too; what is read next is pinned to now (later reads add entries)
        awaitEntries(p.patientId, 6);
        String now = Instant.now().toString();
        p.clinician().queryParam("size", 2).queryParam("until", now).get(base + "/access-log").then().statusCode(200)
                .body("items.size()", equalTo(2)).body("total", equalTo(6))
                .body("items[0].action", equalTo("GET /patients/{patientId}/access-log")).body("items[0].role", equalTo("admin"));
        p.clinician().queryParam("page", 1).queryParam("size", 4).queryParam("until", now).get(base + "/access-log").then()
                .statusCode(200).body("items.size()", equalTo(2)).body("total", equalTo(6));
        // further back than paging reaches: the entries up to an instant
        String fhirRead = (String) items.get(3).get("at");
        p.clinician().queryParam("until", fhirRead).get(base + "/access-log").then().statusCode(200)
                .body("items.action", equalTo(List.of("GET /patients/{patientId}/fhir", "GET /patients/{patientId}/pain")));
        p.clinician().queryParam("until", "yesterday").get(base + "/access-log").then().statusCode(400)
                .body("violations.field", equalTo(List.of("until")));
    }

    /** Entries are written a moment after the reads: wait until the table has them, without reading through the API. */
    private void awaitEntries(String patientId, long count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> db.preparedQuery("SELECT count(*) FROM access_entry WHERE patient_id = $1")
                .execute(Tuple.of(patientId)).await().indefinitely().iterator().next().getLong(0) == count);
    }

    @Test
    void badPagingIsRefusedNamingTheField() {
        Clinic p = Clinic.patient("audited-paging", "UTC", 1).enroll("c-audit-2");
        p.awaitApplied(db);
        p.clinician().queryParam("size", 0).get("/patients/" + p.patientId + "/access-log").then().statusCode(400)
                .contentType("application/problem+json").body("violations.field", equalTo(List.of("size")));
        p.clinician().queryParam("page", -1).get("/patients/" + p.patientId + "/access-log").then().statusCode(400)
                .body("violations.field", equalTo(List.of("page")));
    }
}
