package org.sciaticahep.session;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;

/** Reads of a patient's data in session-service leave entries in its own access log, which the patient can list. */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "session"))
class AccessLogTest {

    @Inject
    CatalogCopy catalog;

    @Inject
    Pool db;

    @Test
    void readsOfEventsEnrollmentsAndPrescriptionAreRecorded() throws Exception {
        SessionFixture.publishCatalog(catalog);
        String patient = SessionFixture.newPatient();
        EnrollmentTest.enroll("c-audit", patient);
        String base = "/patients/" + patient;
        As.clinician("c-audit").get(base + "/prescription").then().statusCode(200);
        As.clinician("c-stranger").get(base + "/events").then().statusCode(403);
        As.patient(patient).get(base + "/enrollments").then().statusCode(200);

        // entries are written a moment after the reads: wait on the table, not through the API (which adds its own)
        await().atMost(Duration.ofSeconds(10)).until(() -> db.preparedQuery("SELECT count(*) FROM access_entry WHERE patient_id = $1")
                .execute(Tuple.of(patient)).await().indefinitely().iterator().next().getLong(0) == 3);
        As.patient(patient).get(base + "/access-log").then().statusCode(200).body("total", equalTo(3))
                .body("items.collect { it.subject + ' ' + it.role + ' ' + it.action + ' ' + it.outcome }", equalTo(List.of(
                        patient + " patient GET /patients/{patientId}/enrollments ALLOWED",
                        "c-stranger clinician GET /patients/{patientId}/events REFUSED",
                        "c-audit clinician GET /patients/{patientId}/prescription ALLOWED")))
                .body("items.service.unique()", equalTo(List.of("session-service")));
        As.clinician("c-stranger").get(base + "/access-log").then().statusCode(403);
    }
}
