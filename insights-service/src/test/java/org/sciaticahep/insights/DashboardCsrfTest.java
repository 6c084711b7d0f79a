package org.sciaticahep.insights;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sciaticahep.stack.StackTestResource;

/**
 * Another site's page can make a signed-in clinician's browser post a form, with the cookie if SameSite ever fails
 * (an old browser, a sibling site): the dashboard's forms therefore carry a CSRF token derived from the session's
 * own bearer token, which such a page cannot read, and the JSON API takes JSON only, which such a page cannot send.
 */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "insights"))
class DashboardCsrfTest extends PipelineTest {

    static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @Test
    void actionsNeedTheSessionsCsrfTokenAndTheApiTakesOnlyJson() throws Exception {
        Clinic p = Clinic.patient("csrf", "Europe/Paris", 2).enroll("c-csrf");
        p.post(List.of(p.pain(0, 9, 0, 8, "BUTTOCK", "LEFT", "CHECK_IN"))).awaitApplied(db);
        String flag = p.clinician().get("/patients/" + p.patientId + "/flags").jsonPath().getString("[0].flagId");
        String acknowledge = "/dashboard/flags/" + flag + "/acknowledge";
        String token = StackTestResource.tokens().clinician("c-csrf");
        String csrf = csrfOf(token);

        // the queue's forms carry the session's token
        String page = signedIn(token).get("/").then().statusCode(200).extract().asString();
        Matcher field = CSRF_FIELD.matcher(page);
        assertTrue(field.find(), "the page has no csrf field");
        assertEquals(csrf, field.group(1));
        // every form's, the queue's rows too (kept rendered a while); another session of the same clinician gets its own
        everyFieldIs(page, csrf);
        String other = StackTestResource.tokens().clinician("c-csrf");
        everyFieldIs(signedIn(other).get("/").then().statusCode(200).extract().asString(), csrfOf(other));

        // without it, or with another session's (another token of the same clinician), nothing is done
        signedIn(token).formParam("note", "forged").post(acknowledge).then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("CSRF"));
        signedIn(token).formParam("csrf", csrfOf(StackTestResource.tokens().clinician("c-csrf"))).formParam("note", "forged")
                .post(acknowledge).then().statusCode(403);
        assertEquals("OPEN", status(p, flag));

        // the JSON API refuses what a form can send: a form or text/plain body is 415
        p.clinician().contentType(ContentType.TEXT).body("{}").post("/flags/" + flag + "/acknowledge").then().statusCode(415);
        p.clinician().contentType(ContentType.URLENC).formParam("note", "forged").post("/flags/" + flag + "/acknowledge")
                .then().statusCode(415);
        p.clinician().contentType(ContentType.URLENC).formParam("note", "forged").post("/flags/" + flag + "/resolve")
                .then().statusCode(415);
        assertEquals("OPEN", status(p, flag));

        // with the session's token the form does what it says, and goes back to the queue
        signedIn(token).formParam("csrf", csrf).formParam("note", "Called the patient").post(acknowledge).then().statusCode(303);
        assertEquals("ACKNOWLEDGED", status(p, flag));

        // signing out takes it too
        signedIn(token).post("/logout").then().statusCode(403);
        signedIn(token).formParam("csrf", csrf).post("/logout").then().statusCode(303)
                .header("Set-Cookie", containsString("Max-Age=0"));
    }

    private static void everyFieldIs(String page, String csrf) {
        Matcher field = CSRF_FIELD.matcher(page);
        int forms = 0;
        while (field.find()) {
            assertEquals(csrf, field.group(1));
            forms++;
        }
        assertTrue(forms >= 3, "the bulk form and a flag's two forms: " + forms);
    }

    /** What the dashboard derives: base64url(SHA-256("csrf|" + token)). */
    static String csrfOf(String token) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(("csrf|" + token).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    /** A browser signed in to the dashboard: the token in its cookie, forms posted as forms, redirects not followed. */
    private static RequestSpecification signedIn(String token) {
        return RestAssured.given().cookie("hep_clinician", token).contentType(ContentType.URLENC).redirects().follow(false);
    }

    private static String status(Clinic p, String flag) {
        return p.clinician().get("/patients/" + p.patientId + "/flags").jsonPath()
                .getString("find { it.flagId == '" + flag + "' }.status");
    }
}
