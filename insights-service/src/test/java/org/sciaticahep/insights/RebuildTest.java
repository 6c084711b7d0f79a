package org.sciaticahep.insights;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.sciaticahep.contracts.CloudEventHeaders;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;
import org.sciaticahep.stack.TopicReader;

/**
 * Reset and replay from the topics gives identical adherence, pain and flags; what clinicians did with the flags
 * (acknowledgements, notes) survives, no flag event is published for what did not change, and reads answer 503
 * until the rebuild is done.
 */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "insights"))
class RebuildTest extends PipelineTest {

    @Test
    void replayGivesIdenticalResultsAndKeepsClinicianWork() {
        Clinic p = Clinic.patient("replay", "Asia/Kolkata", 5).enroll("c-020");
        List<Map<String, Object>> events = new ArrayList<>(FlagRulesPipelineTest.painWeek(p));
        events.add(p.exercise(2, 9, "pelvic-tilt", null, 1, 10));
        events.add(p.exercise(3, 9, "knee-to-chest", "LEFT", 1, 3));
        p.post(events);
        // prescription versions in the stream: pelvic tilt stopped from today, to be read back the same way
        As.clinician("c-020").baseUri(Clinic.session()).contentType(ContentType.JSON).body(Map.of("reason", "not helping"))
                .post("/patients/" + p.patientId + "/prescription/items/pelvic-tilt/stop").then().statusCode(200);
        p.eventIds.add(PrescriptionPipelineTest.versionEventId(java.util.UUID.fromString(p.eventIds.get(0)), 2).toString());
        p.awaitApplied(db);
        String flag = p.clinician().get("/patients/" + p.patientId + "/flags").jsonPath().getString("[0].flagId");
        p.clinician().contentType(ContentType.JSON).body(Map.of("note", "Phoned; resting two days"))
                .post("/flags/" + flag + "/acknowledge").then().statusCode(200);
        String flags = stable(FlagRulesPipelineTest.comparable("/flags", p));
        String pain = FlagRulesPipelineTest.comparable("/pain", p);
        String adherence = FlagRulesPipelineTest.comparable("/adherence", p);
        String today = FlagRulesPipelineTest.comparable("/today", p);
        assertTrue(today.contains("STOPPED"), today);
        List<String> aggregates = aggregates(p.patientId);
        assertAggregatesMatchFacts(p.patientId);
        // once the acknowledgement is on review-flags, every flag event so far is
        await().atMost(Duration.ofSeconds(30)).until(() -> flagEvents(p).stream()
                .anyMatch(r -> EventTypes.FLAG_ACKNOWLEDGED.equals(TopicReader.header(r, CloudEventHeaders.TYPE))));
        int flagEvents = flagEvents(p).size();

        As.admin().post("/admin/rebuild").then().statusCode(202).body("status", equalTo("REPLAYING"));
        // half-rebuilt figures are never served
        p.clinician().get("/patients/" + p.patientId + "/pain").then().statusCode(503).header("Retry-After", "5");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                As.admin().get("/admin/rebuild").then().statusCode(200).body("status", equalTo("DONE")));

        p.awaitApplied(db);
        assertEquals(flags, stable(FlagRulesPipelineTest.comparable("/flags", p)));
        assertEquals(pain, FlagRulesPipelineTest.comparable("/pain", p));
        assertEquals(adherence, FlagRulesPipelineTest.comparable("/adherence", p));
        assertEquals(today, FlagRulesPipelineTest.comparable("/today", p));
        assertEquals(aggregates, aggregates(p.patientId), "a rebuild gives exactly the same daily aggregates");
        p.clinician().get("/patients/" + p.patientId + "/flags").then()
                .body("find { it.flagId == '" + flag + "' }.acknowledgementNote", equalTo("Phoned; resting two days"));
        // nothing changed, so nothing was published: no withdrawal and raising again while facts came back
        assertEquals(flagEvents, flagEvents(p).size());
    }

    private static List<ConsumerRecord<String, String>> flagEvents(Clinic p) {
        try (TopicReader reader = TopicReader.fromBeginning(StackTestResource.kafka(), Topics.REVIEW_FLAGS.name())) {
            return reader.readAll().stream().filter(r -> p.patientId.equals(r.key())).toList();
        }
    }

    /** Flags without the moment insights raised them, which a replay does again later. */
    static String stable(String flags) {
        return flags.replaceAll("\"raisedAt\": \"[^\"]+\"", "");
    }
}
