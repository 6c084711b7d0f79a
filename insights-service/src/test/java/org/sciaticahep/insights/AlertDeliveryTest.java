package org.sciaticahep.insights;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.Ports;
import org.sciaticahep.stack.StackTestResource;

/**
 * Alerts reach a person: a real HTTP receiver on a free port gets each flag change of the clinician's patients,
 * signed with the subscription's secret and keyed by the flag event's id; a receiver that is down gets everything
 * once it is back; an unacknowledged CRITICAL flag goes to the on-call target after the (test's short) delay.
 */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "insights"))
class AlertDeliveryTest extends PipelineTest {

    static final ObjectMapper JSON = new ObjectMapper();

    /** What a receiver got: the headers that matter and the exact body. */
    record Received(String query, String signature, String timestamp, String key, String type, String attempt, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    /**
     * An HTTP receiver on loopback that answers 204, or {@code status} while it is set to fail, or (while
     * {@code endless}) 200 with an answer that never ends.
     */
    static final class Receiver implements AutoCloseable {
        final int port;
        final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
        final AtomicInteger status = new AtomicInteger(204);
        final AtomicBoolean endless = new AtomicBoolean();
        private HttpServer server;

        Receiver(int port) {
            this.port = port;
        }

        Receiver start() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            server.createContext("/hook", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                var h = exchange.getRequestHeaders();
                received.add(new Received(exchange.getRequestURI().getRawQuery(), h.getFirst("X-Signature-SHA256"), h.getFirst("X-Signature-Timestamp"),
                        h.getFirst("Idempotency-Key"),
                        h.getFirst("X-Alert-Type"), h.getFirst("X-Delivery-Attempt"), new String(body, StandardCharsets.UTF_8)));
                if (endless.get()) {
                    exchange.sendResponseHeaders(200, 0);
                    try (var out = exchange.getResponseBody()) {
                        for (int i = 0; i < 600; i++) {    // a minute of answer, unless the sender hangs up first
                            out.write(' ');
                            out.flush();
                            Thread.sleep(100);
                        }
                    } catch (IOException | InterruptedException hungUp) {
                        // what a sender that does not read the answer does
                    }
                } else {
                    exchange.sendResponseHeaders(status.get(), -1);
                }
                exchange.close();
            });
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
            return this;
        }

        String url() {
            return "http://127.0.0.1:" + port + "/hook";
        }

        List<Received> about(String patientId) {
            return received.stream().filter(r -> r.body().contains("\"" + patientId + "\"")).toList();
        }

        @Override
        public void close() {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    static JsonPath subscribe(RequestSpecification as, String url, String minSeverity) {
        return as.contentType(ContentType.JSON).body(Map.of("url", url, "minSeverity", minSeverity))
                .post("/notification-subscriptions").then().statusCode(201).contentType(ContentType.JSON)
                .header("Cache-Control", "no-store").extract().jsonPath();
    }

    /** What a receiver checks: HMAC-SHA256 of the timestamp, a dot and the body, and a timestamp of now. */
    static void assertSigned(String secret, Received r) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal((r.timestamp() + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, r.signature(), "signature over the timestamp and the exact body with the subscription's secret");
        assertTrue(Math.abs(Long.parseLong(r.timestamp()) - java.time.Instant.now().getEpochSecond()) < 120, "a fresh timestamp");
    }

    @Test
    void eachFlagChangeReachesTheTreatingCliniciansTargetsSignedAtTheirSeverity() throws Exception {
        String clinician = "c-alerts-" + Ports.free();
        try (Receiver receiver = new Receiver(Ports.free()).start()) {
            JsonPath high = subscribe(As.clinician(clinician), receiver.url(), "HIGH");
            JsonPath critical = subscribe(As.clinician(clinician), receiver.url() + "?only=critical", "CRITICAL");
            String secret = high.getString("secret");
            assertEquals(43, secret.length(), "32 random bytes, base64url");
            // a secret is shown once: the list never carries it
            String listed = As.clinician(clinician).get("/notification-subscriptions").then().statusCode(200).extract().asString();
            assertFalse(listed.contains(secret));
            assertEquals(2, new JsonPath(listed).getList("$").size());

            Clinic p = Clinic.patient("alert", "Europe/Berlin", 1).enroll(clinician);
            p.post(List.of(Clinic.with(p.pain(0, 9, 0, 3, "LOWER_BACK", "LEFT", "CHECK_IN"), "redFlags", List.of("LEG_WEAKNESS")),
                    p.pain(0, 10, 0, 8, "BUTTOCK", "LEFT", "CHECK_IN"),          // SEVERE_PAIN: HIGH
                    p.pain(0, 11, 0, 5, "LOWER_BACK", "LEFT", "CHECK_IN"))).awaitApplied(db);

            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.about(p.patientId).size() >= 3);
            // at least once: a change may come twice (with the same key); count each key once
            List<Received> got = once(receiver.about(p.patientId));
            for (Received r : got) {
                String key = r.query() == null ? secret : critical.getString("secret");
                assertSigned(key, r);
                assertEquals(r.json().get("eventId").asText(), r.key(), "the idempotency key is the flag event's id");
                assertEquals("flag.raised", r.type());
                assertEquals("1", r.attempt());
                assertEquals(Set.of("eventId", "type", "flagId", "patientId", "rule", "severity", "status", "at", "link"),
                        fields(r.json()), "no scores, locations or notes");
                assertTrue(r.json().get("link").asText().endsWith("/dashboard/patients/" + p.patientId));
            }
            // HIGH and CRITICAL to the HIGH target, only CRITICAL to the CRITICAL one; nothing twice
            assertEquals(List.of("CRITICAL RED_FLAG_SYMPTOMS", "CRITICAL RED_FLAG_SYMPTOMS", "HIGH SEVERE_PAIN"),
                    got.stream().map(r -> field(r, "severity") + " " + field(r, "rule")).sorted().toList());
            assertEquals(3, got.stream().map(r -> r.key() + r.query()).distinct().count());

            // the clinician acknowledges the red flag: that change is sent too, to both targets
            String flagId = got.stream().filter(r -> field(r, "rule").equals("RED_FLAG_SYMPTOMS")).findFirst().map(r -> field(r, "flagId")).orElseThrow();
            p.clinician().contentType(ContentType.JSON).body("{}").post("/flags/" + flagId + "/acknowledge").then().statusCode(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> once(receiver.about(p.patientId)).stream()
                    .filter(r -> "flag.acknowledged".equals(r.type())).count() == 2);

            // the delivery log: the owner's, newest first; another clinician's look is answered as no such subscription
            String id = high.getString("subscriptionId");
            String deliveries = "/notification-subscriptions/" + id + "/deliveries";
            // the receiver has answered before its delivery is marked: wait for the mark
            await().atMost(Duration.ofSeconds(10)).until(() -> As.clinician(clinician).get(deliveries).jsonPath()
                    .getList("items.status").equals(List.of("DELIVERED", "DELIVERED", "DELIVERED")));
            JsonPath log = As.clinician(clinician).get(deliveries).then().statusCode(200).extract().jsonPath();
            assertEquals(3, log.getInt("total"));
            assertEquals("flag.acknowledged", log.getString("items[0].type"));
            assertFalse(log.prettify().contains(p.patientId), "the log names flags, not patients");
            As.clinician("c-someone-else").get("/notification-subscriptions/" + id + "/deliveries").then().statusCode(404)
                    .contentType("application/problem+json");
            As.clinician("c-someone-else").delete("/notification-subscriptions/" + id).then().statusCode(404);

            // deleted: nothing more is sent there
            As.clinician(clinician).delete("/notification-subscriptions/" + id).then().statusCode(204);
            As.clinician(clinician).delete("/notification-subscriptions/" + critical.getString("subscriptionId")).then().statusCode(204);
            As.clinician(clinician).get("/notification-subscriptions/" + id + "/deliveries").then().statusCode(404);
            int before = receiver.about(p.patientId).size();
            p.post(List.of(p.pain(0, 12, 0, 9, "CALF", "LEFT", "CHECK_IN"))).awaitApplied(db);
            Thread.sleep(3000);
            assertEquals(before, receiver.about(p.patientId).size());
        }
    }

    @Test
    void aReceiverThatIsDownGetsEverythingOnceItIsBack() throws Exception {
        String clinician = "c-down-" + Ports.free();
        try (Receiver receiver = new Receiver(Ports.free())) {            // nothing listens there yet
            JsonPath s = subscribe(As.clinician(clinician), receiver.url(), "LOW");
            Clinic p = Clinic.patient("down", "America/New_York", 1).enroll(clinician);
            p.post(List.of(Clinic.with(p.pain(0, 9, 0, 3, "LOWER_BACK", "LEFT", "CHECK_IN"), "redFlags", List.of("SADDLE_NUMBNESS")),
                    p.pain(0, 10, 0, 7, "BUTTOCK", "RIGHT", "CHECK_IN"))).awaitApplied(db);
            String deliveries = "/notification-subscriptions/" + s.getString("subscriptionId") + "/deliveries";
            // tried, refused, tried again: still pending, each with the connection's failure as its outcome
            await().atMost(Duration.ofSeconds(30)).until(() -> As.clinician(clinician).get(deliveries).jsonPath()
                    .getList("items.attempts", Integer.class).stream().allMatch(a -> a >= 2));
            JsonPath pending = As.clinician(clinician).get(deliveries).jsonPath();
            assertTrue(pending.getInt("total") >= 2);
            assertEquals(Set.of("PENDING"), Set.copyOf(pending.getList("items.status")));
            assertEquals(Set.of("unreachable"), Set.copyOf(pending.getList("items.lastOutcome")), "a kind, not the exception");
            String metrics = As.ops().get("/q/metrics").asString();
            assertTrue(metrics.contains("insights_alerts_attempts_failed_total"), "failed attempts are counted");

            // up, but failing with 503 first: still retried
            receiver.status.set(503);
            receiver.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.about(p.patientId).isEmpty());
            receiver.status.set(204);
            await().atMost(Duration.ofSeconds(30)).until(() -> As.clinician(clinician).get(deliveries).jsonPath()
                    .getList("items.status").stream().allMatch("DELIVERED"::equals));

            // at least once: every flag change arrived, and a key seen twice carried the same body each time
            List<Received> got = receiver.about(p.patientId);
            Map<String, Set<String>> bodiesByKey = got.stream().collect(Collectors.groupingBy(Received::key,
                    Collectors.mapping(Received::body, Collectors.toSet())));
            assertEquals(pending.getInt("total"), bodiesByKey.size());
            bodiesByKey.values().forEach(bodies -> assertEquals(1, bodies.size()));
            assertTrue(got.stream().anyMatch(r -> Integer.parseInt(r.attempt()) >= 3), "attempts are numbered");
            As.clinician(clinician).delete("/notification-subscriptions/" + s.getString("subscriptionId")).then().statusCode(204);
        }
    }

    @Test
    void anUnacknowledgedCriticalFlagIsEscalatedToOnCallOnce() throws Exception {
        try (Receiver onCall = new Receiver(Ports.free()).start()) {
            JsonPath s = subscribe(As.admin(), onCall.url(), "HIGH");
            try {
                Clinic unseen = Clinic.patient("unseen", "Europe/Rome", 1).enroll("c-busy");
                Clinic seen = Clinic.patient("seen", "Europe/Rome", 1).enroll("c-busy");
                long beforeRaised = System.nanoTime();
                unseen.post(List.of(Clinic.with(unseen.pain(0, 9, 0, 3, "LOWER_BACK", "LEFT", "CHECK_IN"), "redFlags",
                        List.of("BLADDER_OR_BOWEL_CHANGE")))).awaitApplied(db);
                seen.post(List.of(Clinic.with(seen.pain(0, 9, 0, 3, "LOWER_BACK", "LEFT", "CHECK_IN"), "redFlags",
                        List.of("BLADDER_OR_BOWEL_CHANGE")))).awaitApplied(db);
                String seenFlag = seen.clinician().get("/patients/" + seen.patientId + "/flags").jsonPath().getString("[0].flagId");
                seen.clinician().contentType(ContentType.JSON).body("{}").post("/flags/" + seenFlag + "/acknowledge").then().statusCode(200);
                String unseenFlag = unseen.clinician().get("/patients/" + unseen.patientId + "/flags").jsonPath().getString("[0].flagId");

                // the treating clinician has no target: only the escalation reaches on-call, after the delay
                await().atMost(Duration.ofSeconds(30)).until(() -> !onCall.about(unseen.patientId).isEmpty());
                assertTrue(Duration.ofNanos(System.nanoTime() - beforeRaised).toMillis() >= 5500, "not before the delay (6 s in tests)");
                Received escalation = onCall.about(unseen.patientId).get(0);
                assertEquals("flag.escalated", escalation.type());
                assertEquals(unseenFlag, escalation.json().get("flagId").asText());
                assertEquals("CRITICAL", escalation.json().get("severity").asText());
                assertEquals("OPEN", escalation.json().get("status").asText());
                assertSigned(s.getString("secret"), escalation);

                Thread.sleep(3000);   // three more escalation runs
                assertEquals(1, onCall.about(unseen.patientId).size(), "escalated once");
                assertEquals(List.of(), onCall.about(seen.patientId), "an acknowledged flag is not escalated");
            } finally {
                As.admin().delete("/notification-subscriptions/" + s.getString("subscriptionId")).then().statusCode(204);
            }
        }
    }

    /**
     * No on-call target takes the flag: it is not marked escalated (nothing would be sent), ops see it counted, and the
     * first on-call target registered gets it. A flag handled meanwhile is not paged about.
     */
    @Test
    void anEscalationNobodyWouldReceiveWaitsForAnOnCallTarget() throws Exception {
        assertEquals(List.of(), As.admin().get("/notification-subscriptions").jsonPath().getList("$"), "no on-call target");
        Clinic waiting = Clinic.patient("unrouted", "Asia/Tokyo", 1).enroll("c-away");
        waiting.post(List.of(Clinic.with(waiting.pain(0, 9, 0, 2, "LOWER_BACK", "LEFT", "CHECK_IN"), "redFlags",
                List.of("LEG_WEAKNESS")))).awaitApplied(db);
        String flagId = waiting.clinician().get("/patients/" + waiting.patientId + "/flags").jsonPath().getString("[0].flagId");
        await().atMost(Duration.ofSeconds(30)).until(() -> gauge("insights_alerts_escalations_unrouted") >= 1);
        assertEquals(0L, db.preparedQuery("SELECT count(*) FROM review_flag WHERE flag_id = $1 AND escalated_at IS NOT NULL")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(java.util.UUID.fromString(flagId))).await().indefinitely()
                .iterator().next().getLong(0), "not escalated while nobody would receive it");

        try (Receiver onCall = new Receiver(Ports.free()).start()) {
            JsonPath s = subscribe(As.admin(), onCall.url(), "CRITICAL");
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> !onCall.about(waiting.patientId).isEmpty());
                assertEquals("flag.escalated", onCall.about(waiting.patientId).get(0).type());
                assertEquals(flagId, field(onCall.about(waiting.patientId).get(0), "flagId"));
            } finally {
                As.admin().delete("/notification-subscriptions/" + s.getString("subscriptionId")).then().statusCode(204);
            }
        }
    }

    /** A flag acknowledged while its raised alert still waits for a receiver that is down: that alert is not sent. */
    @Test
    void aFlagHandledMeanwhileIsNotPagedAbout() throws Exception {
        String clinician = "c-handled-" + Ports.free();
        try (Receiver receiver = new Receiver(Ports.free())) {              // down
            JsonPath s = subscribe(As.clinician(clinician), receiver.url(), "HIGH");
            String deliveries = "/notification-subscriptions/" + s.getString("subscriptionId") + "/deliveries";
            Clinic p = Clinic.patient("handled", "Europe/Berlin", 1).enroll(clinician);
            p.post(List.of(p.pain(0, 10, 0, 8, "BUTTOCK", "LEFT", "CHECK_IN"))).awaitApplied(db);
            await().atMost(Duration.ofSeconds(30)).until(() -> As.clinician(clinician).get(deliveries).jsonPath()
                    .getList("items.attempts", Integer.class).equals(List.of(1)));
            String flagId = p.clinician().get("/patients/" + p.patientId + "/flags").jsonPath().getString("[0].flagId");
            p.clinician().contentType(ContentType.JSON).body("{}").post("/flags/" + flagId + "/acknowledge").then().statusCode(200);

            receiver.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.about(p.patientId).isEmpty());
            Thread.sleep(3000);   // the raised alert's retry would be due by now
            assertEquals(List.of("flag.acknowledged"), receiver.about(p.patientId).stream().map(Received::type).distinct().toList());
            JsonPath log = As.clinician(clinician).get(deliveries).jsonPath();
            assertEquals(List.of("flag.acknowledged", "flag.raised"), log.getList("items.type"));
            assertEquals(List.of("DELIVERED", "CANCELLED"), log.getList("items.status"));
            As.clinician(clinician).delete("/notification-subscriptions/" + s.getString("subscriptionId")).then().statusCode(204);
        }
    }

    private static double gauge(String name) {
        return As.ops().get("/q/metrics").asString().lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aTargetMustBeSafeAndTheRequestComplete() {
        RequestSpecification c = As.clinician("c-targets").contentType(ContentType.JSON);
        c.body(Map.of("url", "http://alerts.example.org/hook", "minSeverity", "HIGH")).post("/notification-subscriptions")
                .then().statusCode(422).contentType("application/problem+json").body("violations[0].field", org.hamcrest.Matchers.equalTo("url"));
        c.body(Map.of("url", "https://169.254.169.254/latest", "minSeverity", "HIGH")).post("/notification-subscriptions")
                .then().statusCode(422).body("violations[0].field", org.hamcrest.Matchers.equalTo("url"));
        c.body(Map.of("url", "https://alerts.example.org/hook", "minSeverity", "URGENT")).post("/notification-subscriptions")
                .then().statusCode(422).body("violations[0].field", org.hamcrest.Matchers.equalTo("minSeverity"));
        c.body(Map.of("url", "https://alerts.example.org/hook")).post("/notification-subscriptions")
                .then().statusCode(422).body("violations[0].field", org.hamcrest.Matchers.equalTo("minSeverity"));
        As.clinician("c-targets").delete("/notification-subscriptions/not-a-uuid").then().statusCode(400);
        // at most 10 each
        for (int i = 0; i < 10; i++) {
            subscribe(As.clinician("c-targets"), "https://alerts.example.org/hook/" + i, "CRITICAL");
        }
        c.body(Map.of("url", "https://alerts.example.org/hook/11", "minSeverity", "CRITICAL")).post("/notification-subscriptions")
                .then().statusCode(409).contentType("application/problem+json");
        assertEquals(10, As.clinician("c-targets").get("/notification-subscriptions").jsonPath().getList("$").size());
        assertEquals(0, As.clinician("c-other-targets").get("/notification-subscriptions").jsonPath().getList("$").size());
    }

    @Test
    void aReceiverThatNeverFinishesItsAnswerHoldsNothingUp() throws Exception {
        String clinician = "c-endless-" + Ports.free();
        try (Receiver receiver = new Receiver(Ports.free()).start()) {
            receiver.endless.set(true);
            JsonPath s = subscribe(As.clinician(clinician), receiver.url(), "HIGH");
            String deliveries = "/notification-subscriptions/" + s.getString("subscriptionId") + "/deliveries";
            Clinic p = Clinic.patient("endless", "Europe/Berlin", 1).enroll(clinician);
            long sent = System.nanoTime();
            p.post(List.of(p.pain(0, 10, 0, 8, "BUTTOCK", "LEFT", "CHECK_IN"))).awaitApplied(db);
            // the 200 is what counts; its answer is never read (the receiver would stream it for a minute)
            await().atMost(Duration.ofSeconds(30)).until(() -> As.clinician(clinician).get(deliveries).jsonPath()
                    .getList("items.status").equals(List.of("DELIVERED")));
            assertTrue(Duration.ofNanos(System.nanoTime() - sent).toSeconds() < 20, "not held for the answer's minute");
            As.clinician(clinician).delete("/notification-subscriptions/" + s.getString("subscriptionId")).then().statusCode(204);
        }
    }

    /** The first of each idempotency key and target (at least once may bring one twice). */
    private static List<Received> once(List<Received> received) {
        Map<String, Received> first = new java.util.LinkedHashMap<>();
        received.forEach(r -> first.putIfAbsent(r.key() + " " + r.query(), r));
        return List.copyOf(first.values());
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String field(Received r, String name) {
        try {
            return r.json().get(name).asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
