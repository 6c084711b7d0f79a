package org.sciaticahep.insights;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;

/** Reset and replay from the topics gives identical adherence, pain and flags. */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "insights"))
class RebuildTest extends PipelineTest {

    @Test
    void replayGivesIdenticalResults() {
        Clinic p = Clinic.patient("replay", "Asia/Kolkata", 5).enroll("c-020");
        List<Map<String, Object>> events = new ArrayList<>(FlagRulesPipelineTest.painWeek(p));
        events.add(p.exercise(2, 9, "pelvic-tilt", null, 1, 10));
        events.add(p.exercise(3, 9, "knee-to-chest", "LEFT", 1, 3));
        p.post(events).awaitApplied(db);
        String flags = stable(FlagRulesPipelineTest.comparable("/flags", p));
        String pain = FlagRulesPipelineTest.comparable("/pain", p);
        String adherence = FlagRulesPipelineTest.comparable("/adherence", p);

        As.ops().post("/admin/rebuild").then().statusCode(200).body("rewoundPartitions", greaterThan(0));
        // everything is gone, then comes back from the topic
        p.awaitApplied(db);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(flags, stable(FlagRulesPipelineTest.comparable("/flags", p))));
        assertEquals(pain, FlagRulesPipelineTest.comparable("/pain", p));
        assertEquals(adherence, FlagRulesPipelineTest.comparable("/adherence", p));
    }

    /** Flags without the moment insights raised them, which a replay does again later. */
    static String stable(String flags) {
        return flags.replaceAll("\"raisedAt\": \"[^\"]+\"", "");
    }
}
