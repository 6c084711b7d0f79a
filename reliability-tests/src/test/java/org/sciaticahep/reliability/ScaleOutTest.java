package org.sciaticahep.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sciaticahep.contracts.CloudEventHeaders;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.stack.TopicReader;

/**
 * More than one instance of a service: two insights-service instances in one consumer group (one stopped
 * mid-run, a rebalance) give exactly what one instance gives for the same input; two session-service instances on
 * one database publish each event once and each patient's events in the order they were posted.
 */
class ScaleOutTest {

    static final int PATIENTS = 40;
    static final int EVENTS_PER_SECOND = 200;

    static WholeSystem system;

    @BeforeAll
    static void start() throws Exception {
        system = Reliability.system();
    }

    @Test
    void twoInsightsInstancesGiveWhatOneGives() throws Exception {
        PatientApps one = new PatientApps(system, "one-insights", PATIENTS);
        one.postEverything(() -> List.of("session-service"), EVENTS_PER_SECOND);
        Reliability.report(Tally.of("one insights-service instance", system, one, null));

        system.start("insights-service#2");
        PatientApps two = new PatientApps(system, "two-insights", PATIENTS);
        PatientApps probe = new PatientApps(system, "two-insights-probe", 1);
        two.start(() -> List.of("session-service"), EVENTS_PER_SECOND);
        Thread.sleep(8_000);
        // the group rebalances: the remaining instance takes over the partitions, mid-batch
        Instant stopping = Instant.now();
        system.stop("insights-service#2");
        Duration recovery = probe.endToEnd(stopping);
        two.stop();
        Reliability.report(Tally.of("two insights-service instances, one stopped mid-run", system, two, recovery));

        // the same plan gives the same adherence and flags, patient for patient
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < PATIENTS; i++) {
            assertEquals(view(http, one, i), view(http, two, i), "patient " + i);
        }
    }

    /**
     * A rebuild asked of one of two instances while patients post: the whole group replays (the other instance's
     * partitions included), no event is lost or counted twice, and every patient ends exactly as with one instance.
     */
    @Test
    void aRebuildOnOneOfTwoInstancesGivesWhatOneGives() throws Exception {
        PatientApps one = new PatientApps(system, "rebuild-reference", PATIENTS);
        one.postEverything(() -> List.of("session-service"), EVENTS_PER_SECOND);
        Tally.of("reference for the rebuild", system, one, null);

        system.start("insights-service#2");
        try {
            PatientApps two = new PatientApps(system, "rebuild-two-insights", PATIENTS);
            two.start(() -> List.of("session-service"), EVENTS_PER_SECOND);
            Thread.sleep(8_000);
            Instant asked = Instant.now();
            HttpResponse<String> rebuild = system.post("insights-service#2", "/admin/rebuild", "", system.tokens.admin());
            assertEquals(202, rebuild.statusCode(), rebuild.body());
            // the apps post the rest of their plan while the group replays
            two.finish();
            HttpClient http = HttpClient.newHttpClient();
            ObjectMapper json = new ObjectMapper();
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            while (!"DONE".equals(json.readTree(Tally.get(http, system.url("insights-service") + "/admin/rebuild",
                    system.tokens.admin())).path("status").asText())) {
                assertTrue(Instant.now().isBefore(deadline), "the rebuild ends");
                Thread.sleep(250);
            }
            Reliability.report(Tally.of("two insights-service instances, rebuild asked of one mid-run", system, two,
                    Duration.between(asked, Instant.now())));
            for (int i = 0; i < PATIENTS; i++) {
                assertEquals(view(http, one, i), view(http, two, i), "patient " + i);
            }
        } finally {
            system.stop("insights-service#2");
        }
    }

    @Test
    void twoSessionInstancesPublishEachEventOnceInOrder() throws Exception {
        system.start("session-service#2");
        try {
            PatientApps apps = new PatientApps(system, "two-sessions", PATIENTS);
            // each patient's batches go to the two instances in turn
            apps.postEverything(() -> List.of("session-service", "session-service#2"), EVENTS_PER_SECOND);
            Tally tally = Tally.of("two session-service instances on one database", system, apps, null);
            Reliability.report(tally);
            assertEquals(0, tally.publishedAgain(), "no event published twice");

            Map<String, List<String>> onTopic = new HashMap<>();
            try (TopicReader reader = TopicReader.fromBeginning(system.kafka, Topics.SESSION_EVENTS.name())) {
                for (ConsumerRecord<String, String> r : reader.readAll()) {
                    if (apps.patients.contains(r.key()) && !"enrollment.started".equals(TopicReader.header(r, CloudEventHeaders.TYPE))) {
                        onTopic.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(TopicReader.header(r, CloudEventHeaders.ID));
                    }
                }
            }
            for (String patient : apps.patients) {
                assertEquals(apps.postedInOrder(patient), onTopic.get(patient), patient + "'s events in the order they were posted");
            }
        } finally {
            system.stop("session-service#2");
        }
    }

    /** A patient's adherence and flags as insights shows them, without what differs by name or clock. */
    private static String view(HttpClient http, PatientApps apps, int i) throws Exception {
        String patient = apps.patients.get(i);
        String token = system.tokens.clinician(apps.clinician);
        String base = system.url("insights-service") + "/patients/" + patient;
        String flags = Tally.get(http, base + "/flags", token)
                .replaceAll("\"(flagId|raisedAt|firstEvidenceAt|lastEvidenceAt|evidence)\":(\"[^\"]*\"|\\[[^]]*])", "")
                .replaceAll("\"detail\":\"[^\"]*\"", "");
        return (Tally.get(http, base + "/adherence", token) + flags).replace(patient, "PATIENT");
    }
}
