package org.sciaticahep.insights;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.Pipeline;
import org.sciaticahep.stack.StackTestResource;
import org.sciaticahep.stack.Tokens;

/**
 * What ops rely on is really there: every metric the alert rules (deploy/prometheus) and the Grafana dashboard
 * (deploy/grafana) query is exposed by the service it belongs to once the system has done the things it counts;
 * and the services' JSON logs carry the ids a line is about, never a token.
 */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "insights"))
class OperationsTest extends PipelineTest {

    static final Path DEPLOY = Path.of("../deploy").toAbsolutePath().normalize();
    // metric names in PromQL; labels, functions and keywords never carry these prefixes
    static final Pattern METRIC = Pattern.compile("\\b((?:session|insights|catalog|outbox|http_server|jvm)_[a-z0-9_]+)");

    @TestHTTPResource("/")
    URL insights;

    @Test
    void everyMetricTheAlertsAndTheDashboardQueryIsExposed() throws Exception {
        Clinic p = Clinic.patient("ops", "Europe/Rome", 2).enroll("c-ops");
        List<Map<String, Object>> batch = List.of(Clinic.with(p.pain(0, 8, 0, 3, "LOWER_BACK", "LEFT", "CHECK_IN"),
                "redFlags", List.of("LEG_WEAKNESS")), p.exercise(0, 9, "pelvic-tilt", null, 1, 10));
        p.post(batch).post(batch).awaitApplied(db);                                   // a retry: duplicates
        As.patient(p.patientId).baseUri(Clinic.session()).contentType(ContentType.JSON)   // a refused batch
                .body(List.of(Clinic.with(p.pain(1, 8, 0, 3, "LOWER_BACK", "LEFT", "CHECK_IN"), "score", 11)))
                .post("/patients/" + p.patientId + "/events").then().statusCode(422);
        Clinic.produce(List.of(Clinic.again(p.published(EventTypes.PAIN_REPORTED)), p.poison("{", EventTypes.PAIN_REPORTED)));

        Map<String, String> owners = Map.of("session", Clinic.session(), "insights", insights.toString(),
                "catalog", Pipeline.url("catalog-service"));
        As.patient(p.patientId).baseUri(owners.get("catalog")).get("/exercises").then().statusCode(200);
        p.clinician().get("/review-queue").then().statusCode(200);
        Set<String> queried = queriedMetrics();
        assertTrue(queried.size() >= 15, "found " + queried);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Map<String, String> scraped = new HashMap<>();
            owners.forEach((prefix, url) -> scraped.put(prefix, As.ops().baseUri(url).get("/q/metrics").then()
                    .statusCode(200).extract().asString()));
            Set<String> missing = new TreeSet<>();
            for (String metric : queried) {
                String owner = metric.substring(0, metric.indexOf('_'));
                // http_server_*, jvm_* and outbox_* must be exposed by every service; the others by the service they are named after
                for (String prefix : owners.containsKey(owner) ? Set.of(owner) : owners.keySet()) {
                    if (!Pattern.compile("(?m)^" + metric + "[{ ]").matcher(scraped.get(prefix)).find()) {
                        missing.add(prefix + ": " + metric);
                    }
                }
            }
            assertEquals(Set.of(), missing);
        });
        // the figures move with what happened
        String insightsMetrics = As.ops().get("/q/metrics").asString();
        assertTrue(Pattern.compile("(?m)^insights_flags_open\\{severity=\"CRITICAL\"} [1-9]").matcher(insightsMetrics).find());
        assertTrue(Pattern.compile("(?m)^insights_events_duplicates_total [1-9]").matcher(insightsMetrics).find());
    }

    @Test
    void jsonLogsCarryIdsAndNeverATokenOrWhatWasReported() throws Exception {
        Clinic p = Clinic.patient("logs", "Europe/Rome", 1).enroll("c-logs");
        String token = StackTestResource.tokens().mint(Tokens.PATIENT, p.patientId, Duration.ofMinutes(5));
        As.bearer(token).baseUri(Clinic.session()).contentType(ContentType.JSON)
                .body(List.of(Clinic.with(p.pain(0, 8, 0, 3, "THIGH", "LEFT", "CHECK_IN"), "score", 42)))
                .post("/patients/" + p.patientId + "/events").then().statusCode(422);

        Path log = Path.of("target/session-service.log");
        ObjectMapper json = new ObjectMapper();
        JsonNode refused = await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(log).stream()
                .filter(line -> line.startsWith("{") && line.contains(p.patientId)).map(line -> read(json, line))
                .filter(line -> line.path("message").asText().contains("refused")).findFirst().orElse(null), line -> line != null);
        assertEquals(p.patientId, refused.path("patientId").asText(), "the patient's id is a field of its own");
        assertEquals("INFO", refused.path("level").asText());
        String everything = Files.readString(log);
        assertFalse(everything.contains(token), "a token was logged");
        assertFalse(everything.contains("\"score\":42") || everything.contains("THIGH"), "what the patient reported was logged");
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("{")) {
                assertTrue(read(json, line).has("timestamp"), line);
            }
        }
    }

    /** Every metric name that deploy/prometheus/rules.yml and deploy/grafana/*.json query. */
    static Set<String> queriedMetrics() throws Exception {
        StringBuilder queries = new StringBuilder(Files.readString(DEPLOY.resolve("prometheus/rules.yml")));
        try (var dashboards = Files.list(DEPLOY.resolve("grafana"))) {
            for (Path dashboard : dashboards.filter(f -> f.toString().endsWith(".json")).toList()) {
                new ObjectMapper().readTree(dashboard.toFile()).findValues("expr").forEach(e -> queries.append('\n').append(e.asText()));
            }
        }
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(queries);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static JsonNode read(ObjectMapper json, String line) {
        try {
            return json.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
