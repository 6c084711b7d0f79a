package org.sciaticahep.insights;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.DemoClinic;
import org.sciaticahep.stack.StackTestResource;

/**
 * ./stack.sh --demo through the real path: the demo clinic is entered at session-service as clinicians and apps
 * would, and the dashboard's clinicians then see its stories: a red flag first in the queue, pain worse after an
 * exercise, patients not improving, low adherence, quiet ones, and discharged patients out of the list. Entering it
 * again adds nothing.
 */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "insights"))
class DemoClinicTest extends PipelineTest {

    @Test
    void theDemoClinicTellsItsStories() throws Exception {
        List<DemoClinic.Patient> patients = DemoClinic.patients(LocalDate.now());
        assertEquals(40, patients.size());
        assertEquals(patients, DemoClinic.patients(LocalDate.now()), "the same clinic every run");
        com.fasterxml.jackson.databind.JsonNode prescription = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                {"schedule": {"timesPerDay": 1, "daysOfWeek": ["MONDAY", "WEDNESDAY", "FRIDAY"]},
                 "items": [{"exerciseId": "pelvic-tilt", "status": "ACTIVE", "dosage": {"sets": 1, "reps": {"min": 10, "max": 10}}},
                           {"exerciseId": "knee-to-chest", "status": "ACTIVE", "dosage": {"sets": 1, "reps": {"min": 3, "max": 3}, "perSide": true}}]}""");
        java.time.ZonedDateTime until = java.time.ZonedDateTime.now(patients.get(0).zone());
        List<com.fasterxml.jackson.databind.node.ObjectNode> once = DemoClinic.events(patients.get(0), prescription, until);
        assertTrue(once.size() > 50, "weeks of a patient's events: " + once.size());
        assertEquals(once.toString(), DemoClinic.events(patients.get(0), prescription, until).toString(), "the same events from the same seed");
        DemoClinic clinic = new DemoClinic(URI.create(Clinic.session()), StackTestResource.tokens(),
                new PrintStream(new ByteArrayOutputStream()));
        int posted = clinic.fill();
        assertTrue(posted > 10_000, "eight weeks of 40 patients: " + posted);

        Set<String> rules = new HashSet<>();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            rules.clear();
            for (String clinician : DemoClinic.CLINICIANS) {
                JsonPath queue = As.clinician(clinician).queryParam("size", 500).get("/review-queue").then().statusCode(200)
                        .extract().jsonPath();
                queue.getList("items.rule", String.class).forEach(rules::add);
            }
            assertTrue(rules.containsAll(Set.of("RED_FLAG_SYMPTOMS", "EXERCISE_WORSENS_PAIN", "NOT_IMPROVING", "LOW_ADHERENCE",
                    "NO_RECENT_ACTIVITY")), "flags so far: " + rules);
        });
        boolean redFlagFirst = DemoClinic.CLINICIANS.stream().anyMatch(c -> "RED_FLAG_SYMPTOMS".equals(
                As.clinician(c).get("/review-queue").then().statusCode(200).extract().jsonPath().getString("items[0].rule")));
        assertTrue(redFlagFirst, "the most severe flag leads a queue");

        for (String clinician : DemoClinic.CLINICIANS) {
            long inCare = patients.stream().filter(p -> p.clinicianId().equals(clinician) && p.story() != DemoClinic.Story.DISCHARGED).count();
            JsonPath list = As.clinician(clinician).queryParam("size", 100).get("/patients").then().statusCode(200).extract().jsonPath();
            assertEquals(inCare, list.getLong("total"), "discharged patients have left " + clinician + "'s list");
            List<Map<String, Object>> rows = list.getList("items");
            DemoClinic.Patient improving = patients.stream()
                    .filter(p -> p.clinicianId().equals(clinician) && p.story() == DemoClinic.Story.IMPROVING).findFirst().orElseThrow();
            Map<String, Object> row = rows.stream().filter(r -> improving.patientId().equals(r.get("patientId"))).findFirst().orElseThrow();
            assertTrue(((Number) row.get("painChange")).doubleValue() < -1, "an improving patient's pain fell: " + row);
        }
        assertEquals(0, clinic.fill(), "a clinic that is there is left as it is");
    }
}
