package org.sciaticahep.insights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.hamcrest.Matchers;
import org.sciaticahep.insights.domain.PatientOrder;
import org.junit.jupiter.api.Test;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;

/** The patient list's day-by-day lines, from what the patient's app posted through the whole pipeline. */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "insights"))
class PatientListTest extends PipelineTest {

    @Test
    void eachRowCarriesTwentyEightDaysOfRestingPainAndAdherenceWithGapsBeforeCareBegan() {
        Clinic p = Clinic.patient("lines", "Europe/Berlin", 5).enroll("c-lines");
        p.post(FlagRulesPipelineTest.painWeek(p)).awaitApplied(db);

        JsonPath row = new JsonPath(p.clinician().get("/patients").then().statusCode(200).extract().asString()).setRootPath("items[0]");
        assertEquals(p.patientId, row.getString("patientId"));
        // care began 5 days ago (index 22); resting pain = check-ins and before exercise, every place: 4 | 4,3 | 4,2 | 4 | 7,6,2
        List<Double> expected = new ArrayList<>(Collections.nCopies(22, (Double) null));
        expected.addAll(Arrays.asList(4.0, 3.5, 3.0, 4.0, 5.0, null));
        assertEquals(expected, row.getList("painDays", Double.class));
        List<Double> adherence = row.getList("adherenceDays", Double.class);
        assertEquals(28, adherence.size());
        assertTrue(adherence.subList(0, 22).stream().allMatch(d -> d == null), "no adherence before care began");
        assertTrue(adherence.subList(22, 28).stream().anyMatch(d -> d != null && d == 0.0), "prescribed days with nothing done: 0 %");

        // a row, adherence and pain worked out once are kept (read again: taken from what was kept) until the
        // patient's revision moves: what is reported today shows at once
        String pain = "/patients/" + p.patientId + "/pain";
        String adherenceRead = "/patients/" + p.patientId + "/adherence";
        p.clinician().get(pain).then().statusCode(200);
        p.clinician().get(adherenceRead).then().statusCode(200);
        double[] kept = {kept("patient_row"), kept("pain"), kept("adherence")};
        p.clinician().get("/patients").then().statusCode(200);
        p.clinician().get(pain).then().statusCode(200);
        double done = p.clinician().get(adherenceRead).then().statusCode(200).extract().jsonPath().getDouble("completed");
        assertTrue(kept("patient_row") > kept[0], "the second reading of an unchanged row is a hit");
        assertTrue(kept("pain") > kept[1], "and of pain");
        assertTrue(kept("adherence") > kept[2], "and of adherence");
        p.post(List.of(p.pain(5, 0, 0, 8, "LOWER_BACK", "LEFT", "CHECK_IN"), p.exercise(5, 0, "pelvic-tilt", null, 1, 10))).awaitApplied(db);
        List<Double> now = new JsonPath(p.clinician().get("/patients").then().statusCode(200).extract().asString())
                .setRootPath("items[0]").getList("painDays", Double.class);
        assertEquals(8, p.clinician().get(pain).then().statusCode(200).extract().jsonPath().getInt("days[-1].max"), "today's pain");
        assertTrue(p.clinician().get(adherenceRead).then().statusCode(200).extract().jsonPath().getDouble("completed") > done,
                "today's exercise counts");
        assertEquals(8.0, now.get(27), "today's resting pain, reported after the row was first worked out");
        assertEquals(expected.subList(0, 27), now.subList(0, 27));

        // the dashboard draws them, with the numbers as the line's text for those who cannot see it
        String page = RestAssured.given().cookie("hep_clinician", StackTestResource.tokens().clinician("c-lines")).get("/").then()
                .statusCode(200).extract().asString();
        assertTrue(page.contains("<title>Resting pain each day (0-10), last 28 days, oldest first: " + "– ".repeat(22)
                + "4.0 3.5 3.0 4.0 5.0 8.0</title>"), page);
        assertTrue(page.contains("<title>Adherence each day, last 28 days, oldest first: " + "– ".repeat(22)), page);
        assertTrue(page.matches("(?s).*<svg class=\"spark pain\"[^>]*>.*?<path d=\"M[0-9. ML]+\"/>.*"), "a drawn line");
        As.patient(p.patientId).get("/patients").then().statusCode(403);
    }

    @Test
    void theListSortsByAnyColumnBothWaysAndShowsEndedCareApartWithoutFigures() {
        String clinician = "c-sort";
        Clinic low = Clinic.patient("sort-a", "UTC", 5).enroll(clinician);
        Clinic high = Clinic.patient("sort-b", "UTC", 5).enroll(clinician);
        Clinic quiet = Clinic.patient("sort-c", "UTC", 5).enroll(clinician);
        low.post(java.util.List.of(low.pain(1, 8, 0, 2, "LOWER_BACK", "LEFT", "CHECK_IN"))).awaitApplied(db);
        high.post(java.util.List.of(high.pain(1, 8, 0, 5, "LOWER_BACK", "LEFT", "CHECK_IN"))).awaitApplied(db);
        quiet.awaitApplied(db);

        assertEquals(List.of(low.patientId, high.patientId, quiet.patientId), ids(clinician, "pain-baseline", "asc"));
        assertEquals(List.of(high.patientId, low.patientId, quiet.patientId), ids(clinician, "pain-baseline", "desc"),
                "without a baseline: last either way");
        assertEquals(List.of(quiet.patientId, high.patientId, low.patientId), ids(clinician, "patient", "desc"));
        // paged after sorting: the second page goes on where the first stopped
        As.clinician(clinician).queryParam("sort", "pain-baseline").queryParam("order", "desc").queryParam("size", 2)
                .queryParam("page", 1).get("/patients").then().statusCode(200)
                .body("total", org.hamcrest.Matchers.equalTo(3)).body("items.patientId", org.hamcrest.Matchers.equalTo(List.of(quiet.patientId)));
        for (String[] bad : new String[][] {{"sort", "ADHERENCE"}, {"order", "up"}, {"care", "past"}}) {
            As.clinician(clinician).queryParam(bad[0], bad[1]).get("/patients").then().statusCode(400)
                    .contentType("application/problem+json").body("violations[0].field", org.hamcrest.Matchers.equalTo(bad[0]));
        }
        As.clinician(clinician).queryParam("care", "ended").queryParam("sort", "flags").get("/patients").then().statusCode(400)
                .body("violations[0].field", org.hamcrest.Matchers.equalTo("sort"));

        // care ended: out of the list of current care, into the one of ended care with its last day and no figures
        As.clinician(clinician).baseUri(Clinic.session()).contentType(io.restassured.http.ContentType.JSON)
                .body(java.util.Map.of("reason", "RECOVERED")).post("/patients/" + low.patientId + "/enrollments/" + low.eventIds.get(0) + "/end")
                .then().statusCode(200);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> !ids(clinician, "patient", "asc").contains(low.patientId));
        JsonPath ended = new JsonPath(As.clinician(clinician).queryParam("care", "ended").get("/patients").then().statusCode(200).extract().asString());
        assertEquals(List.of(low.patientId), ended.getList("items.patientId"));
        assertEquals(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString(), ended.getString("items[0].careEnded"));
        assertTrue(ended.get("items[0].painBaseline") == null, "no figures of a patient no longer in care");
        assertEquals(List.of(), ended.getList("items[0].painDays"));
        String page = RestAssured.given().cookie("hep_clinician", StackTestResource.tokens().clinician(clinician))
                .queryParam("care", "ended").get("/").then().statusCode(200).extract().asString();
        assertTrue(page.contains("care ended " + ended.getString("items[0].careEnded")), page);
        assertTrue(!page.contains("href=\"/dashboard/patients/" + low.patientId), "no way to their page: they are not in care");
        String sorted = RestAssured.given().cookie("hep_clinician", StackTestResource.tokens().clinician(clinician))
                .queryParam("sort", "pain-baseline").queryParam("order", "desc").get("/").then().statusCode(200).extract().asString();
        assertTrue(sorted.contains("aria-sort=\"descending\"><a href=\"/?queuePage=0&amp;patientPage=0&amp;sort=pain-baseline&amp;order=asc\""), sorted);
    }

    @Test
    void aCaseloadTooLargeToSortByAFigureIsRefusedNamingSortAndTheDashboardShowsItByPatientInstead() throws Exception {
        String clinician = "c-many";
        Clinic first = Clinic.patient("many", "UTC", 3).enroll(clinician);
        ConsumerRecord<String, String> started = first.published("enrollment.started");
        // past session-service, as many as the limit allows and one more: enrolling them one by one would take minutes
        List<ProducerRecord<String, String>> more = new ArrayList<>();
        for (int i = 0; i < PatientOrder.IN_MEMORY_LIMIT; i++) {
            String patientId = String.format("bulk-%04d", i);
            ObjectNode payload = (ObjectNode) HardeningTest.JSON.readTree(started.value());
            payload.put("eventId", UUID.randomUUID().toString()).put("enrollmentId", UUID.randomUUID().toString()).put("patientId", patientId);
            ProducerRecord<String, String> again = Clinic.again(started);
            more.add(new ProducerRecord<>(again.topic(), null, patientId, HardeningTest.JSON.writeValueAsString(payload), again.headers()));
        }
        Clinic.produce(more);
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> db.preparedQuery(
                "SELECT count(*) FROM enrollment WHERE clinician_id = $1 AND ended_at IS NULL").execute(Tuple.of(clinician))
                .await().indefinitely().iterator().next().getLong(0) == PatientOrder.IN_MEMORY_LIMIT + 1);

        As.clinician(clinician).queryParam("sort", "flags").get("/patients").then().statusCode(422)
                .contentType("application/problem+json").body("violations[0].field", Matchers.equalTo("sort"));
        As.clinician(clinician).queryParam("sort", "day").queryParam("size", 1).get("/patients").then().statusCode(200)
                .body("total", Matchers.equalTo(PatientOrder.IN_MEMORY_LIMIT + 1));
        // a search narrows the caseload under the limit: sorted, the total the sorted rows' own
        As.clinician(clinician).queryParam("search", "bulk-1").queryParam("sort", "pain-baseline").queryParam("size", 3)
                .queryParam("page", 1).get("/patients").then().statusCode(200).body("total", Matchers.equalTo(1000))
                .body("items.patientId", Matchers.equalTo(List.of("bulk-1003", "bulk-1004", "bulk-1005")));

        // the dashboard shows the list by patient, says why, and offers no figure's order it cannot give
        String page = RestAssured.given().cookie("hep_clinician", StackTestResource.tokens().clinician(clinician))
                .queryParam("sort", "adherence-7").get("/").then().statusCode(200).extract().asString();
        assertTrue(page.contains("id=\"sort-refused\""), page);
        assertTrue(page.contains(">bulk-0000<"), "the first page by patient id");
        assertTrue(!page.contains("sort=adherence-7"), "no link to an order the list cannot give");
        assertTrue(page.contains("sort=day"), "the enrollment's own columns still sort");
    }

    private static List<String> ids(String clinician, String sort, String order) {
        return As.clinician(clinician).queryParam("sort", sort).queryParam("order", order).get("/patients").then().statusCode(200)
                .extract().jsonPath().getList("items.patientId");
    }

    /** How often a read was answered from what was kept, from the metrics ops read. */
    static double kept(String read) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^insights_kept_reads_total\\{read=\"" + read
                + "\",result=\"hit\"} (\\S+)$").matcher(As.ops().get("/q/metrics").asString());
        assertTrue(m.find(), "insights_kept_reads_total of " + read + ", hits");
        return Double.parseDouble(m.group(1));
    }
}
