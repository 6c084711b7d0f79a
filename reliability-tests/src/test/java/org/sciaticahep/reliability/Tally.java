package org.sciaticahep.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.sciaticahep.contracts.CloudEventHeaders;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.stack.TopicReader;

/**
 * The count at the end of a scenario, from each place an event can be: what the apps sent and got a 202 for, what
 * is on session-events, what insights applied, and what insights shows clinicians. Asserts nothing was lost,
 * nothing counted twice, and that adherence and flags are exactly what the accepted events make them.
 */
record Tally(String scenario, int sent, int accepted, int published, int publishedAgain, int applied, int lost,
             int doubled, Duration recovery) {

    static final Duration CATCH_UP = Duration.ofMinutes(3);

    /**
     * Waits until insights has applied everything the apps got a 202 for (at most {@link #CATCH_UP}), then counts
     * and checks. {@code recovery}: how long the system took to work end to end again after the fault (null: none).
     */
    static Tally of(String scenario, WholeSystem system, PatientApps apps, Duration recovery) throws Exception {
        List<UUID> accepted = List.copyOf(apps.accepted);
        Instant deadline = Instant.now().plus(CATCH_UP);
        int applied = system.appliedCount(accepted);
        while (applied < accepted.size() && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            applied = system.appliedCount(accepted);
        }

        Set<String> ids = new HashSet<>();
        accepted.forEach(id -> ids.add(id.toString()));
        int records = 0;
        Set<String> published = new HashSet<>();
        try (TopicReader reader = TopicReader.fromBeginning(system.kafka, Topics.SESSION_EVENTS.name())) {
            for (ConsumerRecord<String, String> r : reader.readAll()) {
                String id = TopicReader.header(r, CloudEventHeaders.ID);
                if (apps.patients.contains(r.key()) && id != null && apps.planned.containsKey(UUID.fromString(id))) {
                    records++;
                    published.add(id);
                }
            }
        }
        int stored = 0;
        int storedDistinct = 0;
        try (Connection db = system.database("insights");
             PreparedStatement facts = db.prepareStatement("""
                     SELECT count(*), count(DISTINCT event_id) FROM (
                         SELECT event_id FROM exercise_log WHERE patient_id = ANY(?)
                         UNION ALL SELECT event_id FROM pain_report WHERE patient_id = ANY(?)) f""")) {
            Array patients = db.createArrayOf("text", apps.patients.toArray());
            facts.setArray(1, patients);
            facts.setArray(2, patients);
            try (ResultSet rs = facts.executeQuery()) {
                rs.next();
                stored = rs.getInt(1);
                storedDistinct = rs.getInt(2);
            }
        }
        Set<String> lostIds = new TreeSet<>(ids);
        lostIds.removeAll(published);
        Tally tally = new Tally(scenario, apps.sent.size(), accepted.size(), (int) published.stream().filter(ids::contains).count(),
                records - published.size(), applied, Math.max(accepted.size() - applied, lostIds.size()),
                apps.acceptedTwice.size() + (stored - storedDistinct), recovery);

        assertEquals(apps.sent.size(), accepted.size(), scenario + ": every event sent was accepted in the end (the apps retry)");
        assertEquals(Set.of(), lostIds, scenario + ": accepted but never published");
        assertEquals(accepted.size(), applied, scenario + ": accepted but not applied by insights");
        assertEquals(accepted.size(), stored, scenario + ": insights holds each accepted event once");
        assertEquals(0, tally.doubled(), scenario + ": counted twice");
        assertShownAsAccepted(scenario, system, apps);
        return tally;
    }

    /** What clinicians see: adherence completed = exercise events applied; one SEVERE_PAIN flag, nothing else. */
    static void assertShownAsAccepted(String scenario, WholeSystem system, PatientApps apps) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        String token = system.tokens.clinician(apps.clinician);
        for (String patient : apps.patients) {
            JsonNode adherence = json.readTree(get(http, system.url("insights-service") + "/patients/" + patient + "/adherence", token));
            assertEquals((double) apps.acceptedOf(patient, true).size(), adherence.path("completed").asDouble(), 1e-9,
                    scenario + ": adherence of " + patient);
            long days = ChronoUnit.DAYS.between(apps.startDate, LocalDate.now(ZoneOffset.UTC)) + 1;
            assertEquals(7.0 * days, adherence.path("expected").asDouble(), 1e-9, scenario + ": expected of " + patient);
            Set<String> rules = new TreeSet<>();
            json.readTree(get(http, system.url("insights-service") + "/patients/" + patient + "/flags", token))
                    .forEach(f -> rules.add(f.path("rule").asText()));
            assertEquals(apps.acceptedOf(patient, false).isEmpty() ? Set.of() : Set.of("SEVERE_PAIN"), rules,
                    scenario + ": flags of " + patient);
        }
    }

    static String get(HttpClient http, String url, String token) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(answer.statusCode() == 200, url + " answered " + answer.statusCode() + " " + answer.body());
        return answer.body();
    }

    String row() {
        return String.format("| %s | %,d | %,d | %,d | %,d | %,d | %d | %d | %s |", scenario, sent, accepted, published,
                publishedAgain, applied, lost, doubled, recovery == null ? "no fault" : String.format("%.1f s", recovery.toMillis() / 1000.0));
    }

    static final String HEADER = """
            | scenario | events sent | accepted (202) | on session-events | sent to Kafka again | applied by insights | lost | counted twice | recovery |
            |---|---:|---:|---:|---:|---:|---:|---:|---:|""";
}
