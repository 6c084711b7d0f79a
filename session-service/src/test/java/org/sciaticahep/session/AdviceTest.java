package org.sciaticahep.session;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.sciaticahep.session.SessionFixture.BOTH_SIDES;
import static org.sciaticahep.session.SessionFixture.exercise;
import static org.sciaticahep.session.SessionFixture.minutesAgo;
import static org.sciaticahep.session.SessionFixture.pain;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;

/**
 * The article's rule, in the same answer: a pain report that meets a safety rule gets advice the patient's app
 * shows at once (red flags: urgent care; worse with an exercise: stop it; 7 or more: rest and call), in English or
 * German, and a duplicate or late report the advice it got the first time.
 */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "session"))
class AdviceTest {

    @Inject
    CatalogCopy catalog;

    @BeforeEach
    void catalog() throws Exception {
        SessionFixture.publishCatalog(catalog);
        // reports minutes apart must fall on one UTC day (these patients have no enrollment: their days are UTC)
        Assumptions.assumeTrue(LocalTime.now(ZoneOffset.UTC).isAfter(LocalTime.of(0, 5)), "too close to midnight UTC");
    }

    private static ValidatableResponse post(String patientId, String language, List<Map<String, Object>> events) {
        return As.patient(patientId).contentType(ContentType.JSON).header("Accept-Language", language).body(events)
                .post("/patients/" + patientId + "/events").then().statusCode(202);
    }

    @Test
    void aRedFlagIsUrgentCareInThePatientsLanguage() {
        String patient = SessionFixture.newPatient();
        Map<String, Object> redFlag = pain(3, "CHECK_IN", null, minutesAgo(2));
        redFlag.put("redFlags", List.of("BOTH_LEGS"));
        post(patient, "en-GB,en;q=0.8", List.of(redFlag)).header("Content-Language", "en")
                .body("events[0].advice.code", equalTo(List.of("SEEK_URGENT_CARE")))
                .body("events[0].advice[0].severity", equalTo("CRITICAL"))
                .body("events[0].advice[0].text", containsString("urgent medical care"));
        Map<String, Object> german = pain(8, "CHECK_IN", null, minutesAgo(1));
        german.put("redFlags", List.of("SADDLE_NUMBNESS"));
        post(patient, "de-DE,de;q=0.9,en;q=0.5", List.of(german)).header("Content-Language", "de")
                .body("events[0].advice.code", equalTo(List.of("SEEK_URGENT_CARE", "SEVERE_PAIN")))
                .body("events[0].advice[0].text", startsWith("Sie haben ein Warnzeichen"))
                .body("events[0].advice[1].text", startsWith("Ihre Schmerzen sind stark"));
        // a language there are no texts in: English
        post(patient, "fr-FR", List.of(pain(7, "CHECK_IN", null, minutesAgo(1)))).header("Content-Language", "en")
                .body("events[0].advice[0].code", equalTo("SEVERE_PAIN"));
        post(patient, "en", List.of(pain(6, "CHECK_IN", null, minutesAgo(1)))).body("events[0].advice", empty());
        // a header the app got wrong costs it nothing: English
        post(patient, "de;q=2", List.of(pain(9, "CHECK_IN", null, minutesAgo(1)))).header("Content-Language", "en")
                .body("events[0].advice[0].code", equalTo("SEVERE_PAIN"));
    }

    /** Resting 2, then 4 after pelvic tilt in the same batch: stop pelvic tilt; resent, the same answer as a duplicate. */
    @Test
    void painWorseWithAnExerciseMeansStopItAndARetryIsToldTheSame() {
        String patient = SessionFixture.newPatient();
        List<Map<String, Object>> batch = List.of(pain(2, "CHECK_IN", null, minutesAgo(3)),
                exercise(BOTH_SIDES, null, 1, 10, minutesAgo(3)),
                pain(4, "AFTER_EXERCISE", BOTH_SIDES, minutesAgo(2)),
                pain(3, "DURING_EXERCISE", BOTH_SIDES, minutesAgo(2)));
        for (String status : List.of("ACCEPTED", "DUPLICATE")) {
            post(patient, "en", batch)
                    .body("events.status", equalTo(List.of(status, status, status, status)))
                    .body("events[0].advice", empty())
                    .body("events[1].advice", empty())
                    .body("events[2].advice.code", equalTo(List.of("STOP_EXERCISE")))
                    .body("events[2].advice[0].severity", equalTo("HIGH"))
                    .body("events[2].advice[0].text", startsWith("Stop doing Pelvic tilt now"))
                    .body("events[3].advice", empty()); // 1 point above: it may stretch
        }
    }

    /**
     * An exercise's score without an earlier resting score that day gets no stop advice; a resting score reported
     * later (for earlier that day) does not change what the first report was told, but counts for the next one.
     */
    @Test
    void aLateReportChangesNoAdviceGivenButCountsForTheNext() {
        String patient = SessionFixture.newPatient();
        List<Map<String, Object>> first = List.of(pain(5, "AFTER_EXERCISE", BOTH_SIDES, minutesAgo(2)));
        post(patient, "en", first).body("events[0].advice", empty());
        post(patient, "en", List.of(pain(2, "CHECK_IN", null, minutesAgo(3)))).body("events[0].advice", empty());
        post(patient, "en", first).body("events[0].status", equalTo("DUPLICATE")).body("events[0].advice", empty());
        post(patient, "en", List.of(pain(5, "AFTER_EXERCISE", BOTH_SIDES, minutesAgo(1))))
                .body("events[0].advice.code", equalTo(List.of("STOP_EXERCISE")));
    }
}
