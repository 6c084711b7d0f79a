package org.sciaticahep.insights;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sciaticahep.stack.AccessTable;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;

/**
 * Every endpoint × every caller: a patient reads their own adherence and pain, a clinician reads and acts on the
 * patients enrolled with them only, the dashboard signs in clinicians, metrics are for ops, the rebuild for admin,
 * and only health probes (and the sign-in page) answer without a token. A refused action changes nothing.
 */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "insights"))
class AccessTest extends PipelineTest {

    // {own}: a patient enrolled with c-own, with an open flag {flag}; rows run top to bottom, the rebuild last
    static final String TABLE = """
            endpoint                           | none | expired:c-own | forged:c-own | wrong-issuer:c-own | wrong-audience:c-own | patient:{own} | patient:p-other | clinician:c-own | clinician:c-other | catalog-editor | ops | admin
            GET /patients/{own}/adherence      | 401  | 401           | 401          | 401                | 401                  | 200           | 403             | 200             | 403               | 403            | 403 | 403
            GET /patients/{own}/pain           | 401  | 401           | 401          | 401                | 401                  | 200           | 403             | 200             | 403               | 403            | 403 | 403
            GET /patients/{own}/flags          | 401  | 401           | 401          | 401                | 401                  | 403           | 403             | 200             | 403               | 403            | 403 | 403
            # a patient's whole record as FHIR: their clinician, and admin (who moves records)
            GET /patients/{own}/fhir           | 401  | 401           | 401          | 401                | 401                  | 403           | 403             | 200             | 403               | 403            | 403 | 200
            # who read the patient's data: the patient, their clinician, admin
            GET /patients/{own}/access-log     | 401  | 401           | 401          | 401                | 401                  | 200           | 403             | 200             | 403               | 403            | 403 | 200
            GET /review-queue                  | 401  | 401           | 401          | 401                | 401                  | 403           | 403             | 200             | 200               | 403            | 403 | 403
            GET /patients                      | 401  | 401           | 401          | 401                | 401                  | 403           | 403             | 200             | 200               | 403            | 403 | 403
            # another clinician's flag is answered as no flag at all (404): a refusal confirms nothing
            POST /flags/{flag}/acknowledge     | 401  | 401           | 401          | 401                | 401                  | 403           | 403             | 200             | 404               | 403            | 403 | 403
            POST /flags/{flag}/resolve         | 401  | 401           | 401          | 401                | 401                  | 403           | 403             | 200             | 404               | 403            | 403 | 403
            # alert targets: a clinician's own, an admin's the clinic's on-call ones
            GET /notification-subscriptions    | 401  | 401           | 401          | 401                | 401                  | 403           | 403             | 200             | 200               | 403            | 403 | 200
            # the dashboard's pages send anyone who is not a signed-in clinician to the sign-in page
            GET /                              | 303  | 401           | 401          | 401                | 401                  | 303           | 303             | 200             | 200               | 303            | 303 | 303
            GET /dashboard/patients/{own}      | 303  | 401           | 401          | 401                | 401                  | 303           | 303             | 200             | 403               | 303            | 303 | 303
            GET /login                         | 200  | 401           | 401          | 401                | 401                  | 200           | 200             | 200             | 200               | 200            | 200 | 200
            GET /q/openapi                     | 200  | 401           | 401          | 401                | 401                  | 200           | 200             | 200             | 200               | 200            | 200 | 200
            GET /q/swagger-ui/                 | 200  | 401           | 401          | 401                | 401                  | 200           | 200             | 200             | 200               | 200            | 200 | 200
            # metrics are ops' only; maintenance is admin's only (admin is not ops)
            GET /q/metrics                     | 401  | 401           | 401          | 401                | 401                  | 403           | 403             | 403             | 403               | 403            | 200 | 403
            GET /q/health/ready                | 200  | 401           | 401          | 401                | 401                  | 200           | 200             | 200             | 200               | 200            | 200 | 200
            GET /admin/rebuild                 | 401  | 401           | 401          | 401                | 401                  | 403           | 403             | 403             | 403               | 403            | 403 | 200
            POST /admin/rebuild                | 401  | 401           | 401          | 401                | 401                  | 403           | 403             | 403             | 403               | 403            | 403 | 202
            """;

    static List<AccessTable.Case> cases() {
        return AccessTable.parse(TABLE);
    }

    static Clinic own;
    static String flag;

    @BeforeEach
    void ownPatientWithAnOpenFlag() {
        if (own == null) {
            own = Clinic.patient("own", "Europe/Paris", 2).enroll("c-own");
            own.post(List.of(own.pain(0, 9, 0, 8, "BUTTOCK", "LEFT", "CHECK_IN"))).awaitApplied(db);
            flag = own.clinician().get("/patients/" + own.patientId + "/flags").jsonPath().getString("[0].flagId");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void endpointAnswersCallerAsTheTableSays(AccessTable.Case c) {
        AccessTable.Case call = new AccessTable.Case(c.method(), c.path().replace("{own}", own.patientId).replace("{flag}", flag),
                c.caller().replace("{own}", own.patientId), c.status());
        // the API's actions take JSON only (a form or text/plain post is 415); acknowledge's body may be empty
        Object body = c.path().endsWith("/resolve") ? Map.of("note", "Seen in clinic")
                : c.path().endsWith("/acknowledge") ? Map.of() : null;
        String statusBefore = flagStatus();

        Response response = AccessTable.call(call, body);

        assertEquals(c.status(), response.statusCode(), response.asString());
        if (c.status() == 303) {
            assertEquals("/login", URI.create(response.header("Location")).getPath());
        }
        if (c.status() == 403 && !c.path().startsWith("/dashboard")) {
            assertEquals("application/problem+json", response.contentType());
        }
        if (c.path().equals("/admin/rebuild") && c.status() == 202) {
            // the rows and tests after this one read again only once the rebuild is done
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() ->
                    "DONE".equals(As.admin().get("/admin/rebuild").jsonPath().getString("status")));
        }
        if (c.path().startsWith("/flags/") && c.status() != 200) {
            assertEquals(statusBefore, flagStatus(), "a refused action changes nothing");
        }
    }

    @Test
    void reviewQueueShowsEachClinicianOnlyTheirPatients() {
        Clinic theirs = Clinic.patient("theirs", "Europe/Paris", 2).enroll("c-other");
        theirs.post(List.of(theirs.pain(0, 9, 0, 9, "LOWER_BACK", "LEFT", "CHECK_IN"))).awaitApplied(db);
        List<String> ownQueue = As.clinician("c-own").get("/review-queue").jsonPath().getList("items.patientId");
        List<String> otherQueue = As.clinician("c-other").get("/review-queue").jsonPath().getList("items.patientId");
        assertEquals(false, ownQueue.contains(theirs.patientId));
        assertEquals(true, otherQueue.contains(theirs.patientId));
        assertEquals(false, otherQueue.contains(own.patientId));
        List<String> ownPatients = As.clinician("c-own").queryParam("size", 500).get("/patients").jsonPath().getList("items.patientId");
        assertEquals(true, ownPatients.contains(own.patientId));
        assertEquals(false, ownPatients.contains(theirs.patientId));
    }

    private static String flagStatus() {
        return As.clinician("c-own").get("/patients/" + own.patientId + "/flags").jsonPath()
                .getString("find { it.flagId == '" + flag + "' }.status");
    }
}
