package org.sciaticahep.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sciaticahep.session.SessionFixture.minutesAgo;
import static org.sciaticahep.session.SessionFixture.pain;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.stack.AccessTable;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;

/**
 * Every endpoint × every caller: an app writes and reads only its own patient's events and answers only its own
 * invitations, a clinician invites any patient (which opens nothing) and reads only the patients whose enrollment
 * with them is active (and writes only their prescriptions, which the patient reads too), metrics are for ops, and only health probes answer without a token. A refused write stores
 * nothing.
 */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "session"))
class AccessTest {

    // p-own's active enrollment is with c-own; {new}: a patient nobody has invited yet; {active}: that active
    // enrollment; {pending}: a new invitation of p-own by c-own, p-own's active enrollment ended first, so that p-own
    // may accept it
    static final String TABLE = """
            endpoint                                          | none | expired:p-own | forged:p-own | wrong-issuer:p-own | wrong-audience:p-own | patient:p-own | patient:p-other | clinician:c-own | clinician:c-other | catalog-editor | ops
            POST /patients/p-own/events                       | 401  | 401           | 401          | 401                | 401                  | 202           | 403             | 403             | 403               | 403            | 403
            GET /patients/p-own/events                        | 401  | 401           | 401          | 401                | 401                  | 200           | 403             | 200             | 403               | 403            | 403
            GET /patients/p-own/enrollments                   | 401  | 401           | 401          | 401                | 401                  | 200           | 403             | 200             | 403               | 403            | 403
            POST /patients/p-own/enrollments                  | 401  | 401           | 401          | 401                | 401                  | 403           | 403             | 201             | 201               | 403            | 403
            POST /patients/{new}/enrollments                  | 401  | 401           | 401          | 401                | 401                  | 403           | 403             | 201             | 201               | 403            | 403
            POST /patients/p-own/enrollments/{pending}/accept | 401  | 401           | 401          | 401                | 401                  | 200           | 403             | 403             | 403               | 403            | 403
            POST /patients/p-own/enrollments/{active}/revoke  | 401  | 401           | 401          | 401                | 401                  | 200           | 403             | 403             | 403               | 403            | 403
            POST /patients/p-own/enrollments/{active}/end     | 401  | 401           | 401          | 401                | 401                  | 403           | 403             | 200             | 403               | 403            | 403
            GET /patients/p-own/prescription                  | 401  | 401           | 401          | 401                | 401                  | 200           | 403             | 200             | 403               | 403            | 403
            GET /patients/p-own/prescription/versions         | 401  | 401           | 401          | 401                | 401                  | 200           | 403             | 200             | 403               | 403            | 403
            PUT /patients/p-own/prescription                  | 401  | 401           | 401          | 401                | 401                  | 403           | 403             | 200             | 403               | 403            | 403
            GET /patients/p-own/access-log                    | 401  | 401           | 401          | 401                | 401                  | 200           | 403             | 200             | 403               | 403            | 403
            GET /q/openapi                                    | 200  | 401           | 401          | 401                | 401                  | 200           | 200             | 200             | 200               | 200            | 200
            GET /q/swagger-ui/                                | 200  | 401           | 401          | 401                | 401                  | 200           | 200             | 200             | 200               | 200            | 200
            GET /q/metrics                                    | 401  | 401           | 401          | 401                | 401                  | 403           | 403             | 403             | 403               | 403            | 200
            GET /q/health/ready                               | 200  | 401           | 401          | 401                | 401                  | 200           | 200             | 200             | 200               | 200            | 200
            """;

    static List<AccessTable.Case> cases() {
        return AccessTable.parse(TABLE);
    }

    @Inject
    CatalogCopy catalog;

    @BeforeEach
    void ownPatientEnrolledWithOwnClinician() throws Exception {
        SessionFixture.publishCatalog(catalog);
        if (activeOf("p-own") == null) {
            EnrollmentTest.enroll("c-own", "p-own");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void endpointAnswersCallerAsTheTableSays(AccessTable.Case c) {
        String patient = c.path().contains("{new}") ? SessionFixture.newPatient() : "p-own";
        String path = c.path().replace("{new}", patient);
        String enrollmentId = null;
        String inviteCode = null;
        if (path.contains("{active}")) {
            enrollmentId = activeOf(patient);
            path = path.replace("{active}", enrollmentId);
        } else if (path.contains("{pending}")) {
            As.clinician("c-own").post("/patients/" + patient + "/enrollments/" + activeOf(patient) + "/end").then().statusCode(200);
            JsonPath invitation = EnrollmentTest.invite("c-own", patient);
            enrollmentId = invitation.getString("enrollmentId");
            inviteCode = invitation.getString("inviteCode");
            path = path.replace("{pending}", enrollmentId);
        }
        String subject = c.caller().contains(":") ? c.caller().substring(c.caller().indexOf(':') + 1) : c.caller();
        Map<String, Object> event = pain(3, "CHECK_IN", null, minutesAgo(1));
        String action = c.method() + " " + path.substring(path.lastIndexOf('/'));
        Object body = switch (action) {
            case "POST /events" -> List.of(event);
            case "POST /enrollments" -> enrollment(c.caller().startsWith("clinician:") ? subject : "c-own");
            case "POST /accept" -> Map.of("inviteCode", inviteCode);
            case "POST /revoke" -> Map.of();
            case "POST /end" -> Map.of("reason", "DISCHARGED");
            case "PUT /prescription" -> PrescriptionTest.rewrite(PrescriptionTest.current(patient));
            default -> null;
        };
        String statusBefore = enrollmentId == null ? null : EnrollmentTest.statusOf(patient, enrollmentId);
        int enrollmentsBefore = enrollments(patient);
        int versionsBefore = "PUT /prescription".equals(action) ? PrescriptionTest.versionNumbers(patient).size() : 0;

        Response response = AccessTable.call(new AccessTable.Case(c.method(), path, c.caller(), c.status()), body);

        assertEquals(c.status(), response.statusCode(), response.asString());
        if (c.status() == 403) {
            assertEquals("application/problem+json", response.contentType());
        }
        if ("POST /events".equals(action)) {
            List<String> stored = As.patient(patient).get(path).jsonPath().getList("items.eventId");
            assertEquals(c.status() == 202, stored.contains(event.get("eventId")), "stored only when accepted");
        }
        if ("PUT /prescription".equals(action)) {
            assertEquals(versionsBefore + (c.status() == 200 ? 1 : 0), PrescriptionTest.versionNumbers(patient).size(),
                    "written only when allowed");
        }
        if ("POST /enrollments".equals(action)) {
            assertEquals(enrollmentsBefore + (c.status() == 201 ? 1 : 0), enrollments(patient), "invited only when allowed");
        }
        if (enrollmentId != null) {
            String expected = c.status() != 200 ? statusBefore : switch (action) {
                case "POST /accept" -> "ACTIVE";
                case "POST /revoke" -> "REVOKED";
                default -> "ENDED";
            };
            assertEquals(expected, EnrollmentTest.statusOf(patient, enrollmentId), "changed only when allowed");
        }
    }

    @Test
    void aTokenIsVerifiedOnceThenRememberedAndAnAlteredCopyIsVerifiedAndRefused() {
        String ops = StackTestResource.tokens().ops();
        String token = StackTestResource.tokens().patient("p-own");
        double verified = tokensChecked(ops, "verified");
        double before = tokensChecked(ops, "remembered");
        double oneLook = tokensChecked(ops, "remembered") - before; // what looking at the metrics itself adds
        double remembered = before + oneLook;
        for (int i = 0; i < 3; i++) {
            As.bearer(token).get("/patients/p-own/enrollments").then().statusCode(200);
        }
        // the patient's token verified once and remembered twice
        assertEquals(verified + 1, tokensChecked(ops, "verified"));
        assertEquals(remembered + 2 + 2 * oneLook, tokensChecked(ops, "remembered"));

        int i = token.length() - 20; // inside the signature, away from its last character's padding bits
        String altered = token.substring(0, i) + (token.charAt(i) == 'A' ? 'B' : 'A') + token.substring(i + 1);
        As.bearer(altered).get("/patients/p-own/enrollments").then().statusCode(401);
        assertEquals(verified + 2, tokensChecked(ops, "verified"));
    }

    private static double tokensChecked(String opsToken, String how) {
        Matcher m = Pattern.compile("(?m)^http_auth_tokens_total\\{checked=\"" + how + "\"[^}]*} ([0-9.E]+)$")
                .matcher(As.bearer(opsToken).get("/q/metrics").then().statusCode(200).extract().asString());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void clinicianEnrollsPatientsOnlyWithThemselves() {
        String patient = SessionFixture.newPatient();
        Response response = As.clinician("c-own").contentType(ContentType.JSON).body(enrollment("c-other"))
                .post("/patients/" + patient + "/enrollments");
        assertEquals(403, response.statusCode());
        assertEquals(0, enrollments(patient));
    }

    @Test
    void clinicianOfAnotherPatientCannotReadThisOne() {
        String mine = SessionFixture.newPatient();
        EnrollmentTest.enroll("c-x", mine);
        As.clinician("c-x").get("/patients/" + mine + "/events").then().statusCode(200);
        // c-x treats someone, but not p-own
        As.clinician("c-x").get("/patients/p-own/events").then().statusCode(403);
        As.clinician("c-x").get("/patients/p-own/enrollments").then().statusCode(403);
    }

    @Test
    void invitingIsNoWayIntoAPatientsData() {
        // the defect invitations replace: any clinician could enroll a patient and read all their earlier events
        String patient = SessionFixture.newPatient();
        As.patient(patient).contentType(ContentType.JSON).body(List.of(pain(3, "CHECK_IN", null, minutesAgo(5))))
                .post("/patients/" + patient + "/events").then().statusCode(202);
        EnrollmentTest.invite("c-y", patient);
        As.clinician("c-y").get("/patients/" + patient + "/events").then().statusCode(403);
        As.clinician("c-y").get("/patients/" + patient + "/enrollments").then().statusCode(403);

        // nor into an enrolled patient's: inviting p-own changes nothing of p-own's enrollment with c-own
        String active = activeOf("p-own");
        EnrollmentTest.invite("c-y", "p-own");
        As.clinician("c-y").get("/patients/p-own/events").then().statusCode(403);
        assertEquals(active, activeOf("p-own"));
    }

    private static int enrollments(String patient) {
        return As.patient(patient).get("/patients/" + patient + "/enrollments").jsonPath().getList("$").size();
    }

    /** The patient's active enrollment with c-own, or null. */
    private static String activeOf(String patient) {
        return As.patient(patient).get("/patients/" + patient + "/enrollments").then().statusCode(200).extract().jsonPath()
                .getString("find { it.status == 'ACTIVE' && it.clinicianId == 'c-own' }.enrollmentId");
    }

    private static Map<String, Object> enrollment(String clinicianId) {
        Map<String, Object> body = EnrollmentTest.enrollment();
        body.put("clinicianId", clinicianId);
        return body;
    }
}
