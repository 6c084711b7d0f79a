package org.sciaticahep.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.sciaticahep.contracts.CloudEventHeaders;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.stack.TopicReader;

/**
 * Each scenario breaks something for real under a steady stream of events from many patients, repairs it, and
 * counts (see {@link Tally}): every event sent is accepted in the end, published, applied once, and shown to
 * clinicians as exactly the adherence and flags it makes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultTest {

    static final int PATIENTS = 120;
    static final int EVENTS_PER_SECOND = 150;
    static final Duration BEFORE_FAULT = Duration.ofSeconds(8);
    static final Duration RUN = Duration.ofSeconds(35);

    static WholeSystem system;

    @BeforeAll
    static void start() throws Exception {
        system = Reliability.system();
    }

    @Test
    @Order(1)
    void kafkaBrokerKilledAndBack20sLater() throws Exception {
        scenario("Kafka broker SIGKILL, back after 20 s", () -> {
            system.kafka.kill();
            Thread.sleep(20_000);
            // session-service kept accepting meanwhile: the outbox holds what Kafka could not take
            Instant repair = Instant.now();
            system.kafka.start();
            return repair;
        });
    }

    @Test
    @Order(2)
    void sessionServiceKilledAndRestarted() throws Exception {
        scenario("session-service SIGKILL, restarted", killAndRestart("session-service"));
    }

    @Test
    @Order(3)
    void insightsServiceKilledMidProcessingAndRestarted() throws Exception {
        scenario("insights-service SIGKILL, restarted", killAndRestart("insights-service"));
    }

    @Test
    @Order(4)
    void postgresRestartedServicesAnswer503AndRecoverByThemselves() throws Exception {
        scenario("PostgreSQL stopped for 10 s", () -> {
            system.stopPostgres();
            Instant down = Instant.now();
            try {
                // answers come quickly and say "try again", not "broken": 503, not 500, not a hang
                String event = "[{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"PAIN_REPORTED\",\"occurredAt\":\""
                        + Instant.now().minusSeconds(60) + "\",\"score\":2,\"location\":\"LOWER_BACK\",\"side\":\"LEFT\","
                        + "\"context\":\"CHECK_IN\"}]";
                long asked = System.nanoTime();
                HttpResponse<String> answer = system.post("session-service", "/patients/probe-0/events", event,
                        system.tokens.patient("probe-0"));
                assertTrue(System.nanoTime() - asked < Duration.ofSeconds(5).toNanos(), "answered within 5 s");
                assertEquals(503, answer.statusCode(), answer.body());
                assertEquals("5", answer.headers().firstValue("Retry-After").orElse(null));
                for (String service : List.of("catalog-service", "session-service", "insights-service")) {
                    awaitReadiness(service, 503, Duration.ofSeconds(20));
                }
                PatientApps.sleep(Math.max(0, 10_000 - Duration.between(down, Instant.now()).toMillis()));
            } catch (AssertionError | RuntimeException e) {
                system.startPostgres();
                throw e;
            }
            Instant repaired = Instant.now();
            system.startPostgres();
            // no service is restarted: they reconnect by themselves
            for (String service : List.of("catalog-service", "session-service", "insights-service")) {
                awaitReadiness(service, 200, Duration.ofSeconds(60));
            }
            return repaired;
        });
        // the outbox measure ran into the outage every 2 s: counted as the database away, not as a fault of ours
        String metrics = system.metrics("session-service");
        assertTrue(metrics.contains("scheduled_task_failures_total{cause=\"database\",task=\"OutboxBacklog#measure\"}"), metrics);
        assertFalse(metrics.contains("scheduled_task_failures_total{cause=\"other\""), metrics);
    }

    @Test
    @Order(5)
    void poisonRecordsGoToTheDeadLetterTopicAndConsumptionGoesOn() throws Exception {
        String key = "poison-" + UUID.randomUUID();
        scenario("poison records on session-events", () -> {
            Properties props = new Properties();
            props.putAll(system.kafka.clientConfig());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
                ProducerRecord<String, String> notJson = new ProducerRecord<>(Topics.SESSION_EVENTS.name(), key, "{\"eventId\":");
                notJson.headers().add(CloudEventHeaders.TYPE, EventTypes.PAIN_REPORTED.getBytes(StandardCharsets.UTF_8));
                ProducerRecord<String, String> unknownType = new ProducerRecord<>(Topics.SESSION_EVENTS.name(), key, "{}");
                unknownType.headers().add(CloudEventHeaders.TYPE, "nap.taken".getBytes(StandardCharsets.UTF_8));
                producer.send(notJson).get();
                producer.send(unknownType).get();
            }
            return Instant.now();
        });
        try (TopicReader reader = TopicReader.fromBeginning(system.kafka, Topics.SESSION_EVENTS_DEAD_LETTERS.name())) {
            List<ConsumerRecord<String, String>> dead = reader.readUntil(seen -> seen.stream().filter(r -> key.equals(r.key())).count() >= 2,
                    Duration.ofSeconds(30)).stream().filter(r -> key.equals(r.key())).toList();
            assertEquals(2, dead.size());
            assertTrue(TopicReader.header(dead.get(0), "dead-letter-reason").contains("Json"),
                    TopicReader.header(dead.get(0), "dead-letter-reason"));
            assertTrue(TopicReader.header(dead.get(1), "dead-letter-reason").contains("unknown ce_type nap.taken"));
        }
    }

    @Test
    @Order(6)
    void catalogServiceDownSessionServiceStillValidates() throws Exception {
        system.stop("catalog-service");
        try {
            scenario("catalog-service down throughout", () -> {
                // the session's own copy of the catalog still knows what is and is not an exercise
                PatientApps probe = new PatientApps(system, "unknown-" + UUID.randomUUID().toString().substring(0, 4), 1);
                String unknown = "[{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"EXERCISE_COMPLETED\",\"occurredAt\":\""
                        + probe.startDate.atTime(9, 0).atOffset(java.time.ZoneOffset.UTC) + "\",\"exerciseId\":\"moon-walk\",\"sets\":1,\"reps\":3}]";
                HttpResponse<String> answer = system.post("session-service", "/patients/" + probe.patients.get(0) + "/events",
                        unknown, system.tokens.patient(probe.patients.get(0)));
                assertEquals(422, answer.statusCode(), answer.body());
                assertTrue(answer.body().contains("exerciseId"), answer.body());
                return Instant.now();
            });
        } finally {
            system.start("catalog-service");
        }
    }

    /**
     * Steady load; at {@link #BEFORE_FAULT} the fault, which repairs itself and says when the repair began (the
     * restart, or for a fault without one, the fault itself); load until {@link #RUN}. Recovery: from then until an
     * event posted after it has gone the whole way (accepted, on Kafka, applied by insights).
     */
    private static void scenario(String name, Callable<Instant> faultThenRepair) throws Exception {
        String slug = name.replaceAll("[^A-Za-z0-9]+", "-").toLowerCase().replaceAll("^-|-$", "");
        slug = slug.substring(0, Math.min(20, slug.length()));
        PatientApps apps = new PatientApps(system, slug, PATIENTS);
        PatientApps probe = new PatientApps(system, slug + "-probe", 1);
        Instant started = Instant.now();
        apps.start(() -> List.of("session-service"), EVENTS_PER_SECOND);
        Thread.sleep(BEFORE_FAULT.toMillis());
        Instant repaired = faultThenRepair.call();
        Duration recovery = probe.endToEnd(repaired);
        PatientApps.sleep(Math.max(0, RUN.minus(Duration.between(started, Instant.now())).toMillis()));
        apps.stop();
        Reliability.report(Tally.of(name, system, apps, recovery));
    }

    private static Callable<Instant> killAndRestart(String instance) {
        return () -> {
            system.kill(instance);
            Instant repair = Instant.now();
            system.start(instance);
            return repair;
        };
    }

    private static void awaitReadiness(String service, int status, Duration within) {
        Instant deadline = Instant.now().plus(within);
        int seen = system.readiness(service);
        while (seen != status && Instant.now().isBefore(deadline)) {
            PatientApps.sleep(250);
            seen = system.readiness(service);
        }
        assertEquals(status, seen, service + " readiness");
    }
}
