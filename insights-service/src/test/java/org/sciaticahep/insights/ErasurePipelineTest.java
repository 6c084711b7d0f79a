package org.sciaticahep.insights;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.sciaticahep.contracts.CloudEventHeaders;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.contracts.session.PainContext;
import org.sciaticahep.contracts.session.PainLocation;
import org.sciaticahep.contracts.session.PainReported;
import org.sciaticahep.contracts.session.Side;
import org.sciaticahep.insights.domain.ReportIntake;
import org.sciaticahep.insights.store.FactStore;
import org.sciaticahep.insights.store.PatientErasure;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;
import org.sciaticahep.stack.TopicReader;

/**
 * A patient erased mid-stream at session-service is gone from insights (facts, aggregates, flags, queue) and stays
 * gone through a rebuild, which cannot open their records any more and counts them as erased; the other patients'
 * results are the same before and after, and the records balance: on the topic = applied + erased.
 */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "insights"))
class ErasurePipelineTest extends PipelineTest {

    @Inject
    MeterRegistry metrics;

    @Inject
    FactStore facts;

    @Inject
    ReportIntake intake;

    @Test
    void anErasedPatientIsGoneEverywhereAndARebuildBringsNothingOfThemBack() {
        Clinic gone = Clinic.patient("erased", "Europe/Berlin", 5).enroll("c-erasure");
        Clinic kept = Clinic.patient("kept", "Europe/Berlin", 5).enroll("c-erasure");
        gone.post(FlagRulesPipelineTest.painWeek(gone)).awaitApplied(db);
        kept.post(FlagRulesPipelineTest.painWeek(kept)).awaitApplied(db);
        assertTrue(rows(gone.patientId) > 0);
        gone.clinician().get("/review-queue").then().statusCode(200).body(containsString(gone.patientId));
        String keptFlags = RebuildTest.stable(FlagRulesPipelineTest.comparable("/flags", kept));
        String keptPain = FlagRulesPipelineTest.comparable("/pain", kept);
        String keptAdherence = FlagRulesPipelineTest.comparable("/adherence", kept);
        List<String> keptAggregates = aggregates(kept.patientId);

        As.admin().baseUri(Clinic.session()).contentType(ContentType.JSON).body(Map.of("reason", "The patient asked"))
                .delete("/patients/" + gone.patientId).then().statusCode(204);

        await().atMost(Duration.ofSeconds(30)).until(() -> rows(gone.patientId) == 0);
        String base = "/patients/" + gone.patientId;
        gone.clinician().get(base + "/pain").then().statusCode(404).contentType("application/problem+json");
        As.patient(gone.patientId).get(base + "/today").then().statusCode(404);
        As.admin().get(base + "/fhir").then().statusCode(404);
        gone.clinician().get("/review-queue").then().statusCode(200).body(not(containsString(gone.patientId)));
        gone.clinician().get("/dashboard/patients/" + gone.patientId).then().statusCode(404);

        // a copy of one of their reports, opened by an instance that still held their key, stays out: the erasure
        // left the ids of what the logs held
        PainReported copy = new PainReported(UUID.fromString(gone.eventIds.get(1)), gone.patientId,
                OffsetDateTime.now(ZoneOffset.UTC), 4, PainLocation.LOWER_BACK, Side.LEFT,
                PainContext.CHECK_IN, null, false, List.of());
        assertEquals(Set.of(), facts.inTransaction(tx -> facts.logPain(tx, List.of(copy), Arrays.asList((Instant) null)))
                .await().indefinitely());
        facts.inTransaction(tx -> intake.apply(tx, List.of(new ReportIntake.Arrival(copy, null)))).await().indefinitely();
        assertEquals(0, rows(gone.patientId), "the copy brought nothing of the patient back, not even a state row");

        double erasedBefore = erasedCount();
        As.admin().post("/admin/rebuild").then().statusCode(202);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                As.admin().get("/admin/rebuild").then().statusCode(200).body("status", equalTo("DONE")));
        kept.awaitApplied(db);

        assertEquals(0, rows(gone.patientId), "a rebuild brought an erased patient's data back");
        assertEquals(keptFlags, RebuildTest.stable(FlagRulesPipelineTest.comparable("/flags", kept)));
        assertEquals(keptPain, FlagRulesPipelineTest.comparable("/pain", kept));
        assertEquals(keptAdherence, FlagRulesPipelineTest.comparable("/adherence", kept));
        assertEquals(keptAggregates, aggregates(kept.patientId));

        // the records balance: every record of the two on the topic was applied, or was the erased patient's and
        // counted as erased; none of the erased patient's was applied in the replay
        List<ConsumerRecord<String, String>> goneRecords = recordsOf(gone.patientId);
        List<ConsumerRecord<String, String>> sealed = goneRecords.stream()
                .filter(r -> TopicReader.header(r, CloudEventHeaders.ENCRYPTION) != null).toList();
        assertEquals(EventTypes.PATIENT_ERASED, TopicReader.header(goneRecords.get(goneRecords.size() - 1), CloudEventHeaders.TYPE));
        assertEquals(goneRecords.size() - 1, sealed.size(), "every record of the patient but the announcement is sealed");
        assertEquals(gone.eventIds.size(), sealed.size(), "the enrollment's start and the patient's posts");

        assertEquals(sealed.size(), erasedCount() - erasedBefore, 0.0, "each sealed record of the erased patient counted as erased");
        List<UUID> goneIds = goneRecords.stream().map(r -> UUID.fromString(TopicReader.header(r, CloudEventHeaders.ID))).toList();
        assertEquals(0L, db.preparedQuery("SELECT count(*) FROM applied_event WHERE event_id = ANY($1)")
                .execute(Tuple.of((Object) goneIds.toArray(new UUID[0]))).await().indefinitely().iterator().next().getLong(0));
        List<ConsumerRecord<String, String>> keptRecords = recordsOf(kept.patientId);
        List<UUID> keptIds = keptRecords.stream().map(r -> UUID.fromString(TopicReader.header(r, CloudEventHeaders.ID))).toList();
        assertEquals(keptRecords.size(), db.preparedQuery("SELECT count(*) FROM applied_event WHERE event_id = ANY($1)")
                .execute(Tuple.of((Object) keptIds.toArray(new UUID[0]))).await().indefinitely().iterator().next().getLong(0));
        assertFalse(keptRecords.isEmpty());
    }

    /** Every row insights holds of the patient, in every table that names patients. */
    private long rows(String patientId) {
        List<String> tables = new ArrayList<>(PatientErasure.BY_PATIENT);
        tables.add("enrollment");
        long total = 0;
        for (String table : tables) {
            total += db.preparedQuery("SELECT count(*) FROM " + table + " WHERE patient_id = $1").execute(Tuple.of(patientId))
                    .await().indefinitely().iterator().next().getLong(0);
        }
        return total + db.preparedQuery("SELECT count(*) FROM outbox WHERE message_key = $1").execute(Tuple.of(patientId))
                .await().indefinitely().iterator().next().getLong(0);
    }

    private double erasedCount() {
        Counter c = metrics.find("insights.events.erased").counter();
        return c == null ? 0 : c.count();
    }

    private static List<ConsumerRecord<String, String>> recordsOf(String patientId) {
        try (TopicReader reader = TopicReader.raw(StackTestResource.kafka(), Topics.SESSION_EVENTS.name())) {
            return reader.readAll().stream().filter(r -> patientId.equals(r.key())).toList();
        }
    }
}
