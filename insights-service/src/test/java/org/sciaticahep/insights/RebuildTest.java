package org.sciaticahep.insights;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
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

    @Inject
    KafkaClientService kafka;

    @Inject
    MeterRegistry metrics;

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
        long delays = delaysRecorded();
        double applied = applied();

        As.admin().post("/admin/rebuild").then().statusCode(202).body("status", equalTo("REPLAYING"));
        // half-rebuilt figures are never served
        p.clinician().get("/patients/" + p.patientId + "/pain").then().statusCode(503).header("Retry-After", "5");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                As.admin().get("/admin/rebuild").then().statusCode(200).body("status", equalTo("DONE")));

        p.awaitApplied(db);
        assertTrue(applied() >= applied + p.eventIds.size(), "the replay applied the patient's events again");
        assertEquals(delays, delaysRecorded(), "a replay's events are not processing delays");
        assertEquals(flags, stable(FlagRulesPipelineTest.comparable("/flags", p)));
        assertEquals(pain, FlagRulesPipelineTest.comparable("/pain", p));
        assertEquals(adherence, FlagRulesPipelineTest.comparable("/adherence", p));
        assertEquals(today, FlagRulesPipelineTest.comparable("/today", p));
        assertEquals(aggregates, aggregates(p.patientId), "a rebuild gives exactly the same daily aggregates");
        p.clinician().get("/patients/" + p.patientId + "/flags").then()
                .body("find { it.flagId == '" + flag + "' }.acknowledgementNote", equalTo("Phoned; resting two days"));
        // nothing changed, so nothing was published: no withdrawal and raising again while facts came back
        assertEquals(flagEvents, flagEvents(p).size());
        // an event taken in after the rebuild is timed again
        p.post(List.of(p.exercise(3, 10, "knee-to-chest", "LEFT", 1, 3))).awaitApplied(db);
        assertTrue(delaysRecorded() > delays, "an event applied as it comes is timed");
    }

    private long delaysRecorded() {
        return metrics.find("insights.processing.delay").timers().stream().mapToLong(Timer::count).sum();
    }

    private double applied() {
        return metrics.find("insights.events.applied").counters().stream().mapToDouble(Counter::count).sum();
    }

    @Test
    void aPartitionAssignedAgainGoesBackToWhereTheDatabaseSaysInsightsIs() {
        Clinic p = Clinic.patient("reassigned", "UTC", 2).enroll("c-021");
        p.post(List.of(p.pain(0, 8, 0, 4, "LOWER_BACK", "LEFT", "CHECK_IN"), p.exercise(0, 9, "pelvic-tilt", null, 1, 10)))
                .awaitApplied(db);
        Map<Integer, Long> applied = positions();
        // every partition the database has a position for, a partition without a commit yet included
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<Integer, Long> committed = committed();
            return applied.entrySet().stream().allMatch(e -> committed.getOrDefault(e.getKey(), 0L) >= e.getValue());
        });
        // the database says insights is at the start of every partition (what it holds takes nothing twice), while
        // Kafka's committed offsets are at the ends: as after a rebuild's reset, or a batch ahead of the database
        db.query("UPDATE consumer_position SET next_offset = 0 WHERE topic = 'session-events'").execute().await().indefinitely();
        // every consumer gives its partitions up and takes them again, from the committed offsets
        for (KafkaConsumer<String, String> consumer : consumers()) {
            consumer.runOnPollingThread(c -> {
                c.enforceRebalance();
                return null;
            }).await().atMost(Duration.ofSeconds(10));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Map<Integer, Long> now = positions();
            return applied.entrySet().stream().allMatch(e -> now.getOrDefault(e.getKey(), 0L) >= e.getValue());
        });
        assertAggregatesMatchFacts(p.patientId);
        p.clinician().get("/patients/" + p.patientId + "/pain").then().statusCode(200).body("days[0].reports", equalTo(1));
    }

    private List<KafkaConsumer<String, String>> consumers() {
        List<KafkaConsumer<String, String>> all = new ArrayList<>();
        kafka.getConsumerChannels().stream().filter(ch -> ch.startsWith("session-events-in"))
                .forEach(ch -> all.addAll(kafka.<String, String>getConsumers(ch)));
        return all;
    }

    /** Kafka's committed offset of each partition assigned to one of the consumers (those with one). */
    private Map<Integer, Long> committed() {
        Map<Integer, Long> committed = new HashMap<>();
        for (KafkaConsumer<String, String> consumer : consumers()) {
            // typed: the lambda alone would match runOnPollingThread's Consumer overload as well
            Function<Consumer<String, String>, Map<TopicPartition, OffsetAndMetadata>> read = c -> c.committed(c.assignment());
            consumer.runOnPollingThread(read).await().atMost(Duration.ofSeconds(10))
                    .forEach((tp, offset) -> {
                        if (offset != null) {
                            committed.put(tp.partition(), offset.offset());
                        }
                    });
        }
        return committed;
    }

    private Map<Integer, Long> positions() {
        Map<Integer, Long> positions = new HashMap<>();
        db.query("SELECT partition, next_offset FROM consumer_position WHERE topic = 'session-events'").execute().await().indefinitely()
                .forEach(r -> positions.put(r.getInteger(0), r.getLong(1)));
        return positions;
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
