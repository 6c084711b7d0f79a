package org.sciaticahep.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sciaticahep.contracts.Topics;

/**
 * The broker knows who is writing: no anonymous client, no wrong password, and each service's principal writes only
 * the topics it owns and reads only those it consumes, in its own consumer groups.
 */
class KafkaAuthorizationTest {

    static Path dir;
    static KafkaBroker kafka;

    @BeforeAll
    static void broker() throws Exception {
        dir = Files.createTempDirectory("hep-kafka-acl-");
        kafka = new KafkaBroker(dir.resolve("kafka"), Ports.free(), Ports.free(), "256m").start();
        kafka.createTopics(Topics.ALL);
    }

    @AfterAll
    static void stop() {
        kafka.stop();
    }

    @ParameterizedTest(name = "{0} writes {1}: {2}")
    @CsvSource({
            "session-service, session-events, allowed",
            "insights-service, session-events, refused",
            "catalog-service, session-events, refused",
            "insights-service, review-flags, allowed",
            "session-service, review-flags, refused",
            "insights-service, session-events.dead-letters, allowed",
            "session-service, session-events.dead-letters, refused",
            "catalog-service, exercise-catalog, allowed",
            "catalog-service, program-catalog, allowed",
            "session-service, exercise-catalog, refused",
            "insights-service, program-catalog, refused",
    })
    void aServiceWritesOnlyTheTopicsItOwns(String principal, String topic, String expected) throws Exception {
        try (KafkaProducer<String, String> producer = producer(kafka.clientConfig(principal))) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, "p-acl", "{}");
            if (expected.equals("allowed")) {
                producer.send(record).get(30, TimeUnit.SECONDS);
            } else {
                ExecutionException refused = assertThrows(ExecutionException.class, () -> producer.send(record).get(30, TimeUnit.SECONDS));
                assertInstanceOf(TopicAuthorizationException.class, refused.getCause());
            }
        }
    }

    @ParameterizedTest(name = "{0} reads {1} as group {2}: {3}")
    @CsvSource({
            "insights-service, session-events, insights-service, allowed",
            "insights-service, session-events, someone-else, group refused",
            "catalog-service, session-events, catalog-service, refused",
            "insights-service, exercise-catalog, session-service-catalog-x, group refused",
            "session-service, session-events, session-service-catalog-x, topic refused",
            "session-service, exercise-catalog, session-service-catalog-1234, allowed",
            "insights-service, program-catalog, insights-service-catalog-1234, allowed",
            "session-service, review-flags, session-service-catalog-x, topic refused",
    })
    void aServiceReadsOnlyWhatItConsumes(String principal, String topic, String group, String expected) {
        Properties p = new Properties();
        p.putAll(kafka.clientConfig(principal));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        String marker = "acl-" + java.util.UUID.randomUUID();
        if (expected.equals("allowed")) {
            try (KafkaProducer<String, String> producer = producer(kafka.clientConfig())) {
                producer.send(new ProducerRecord<>(topic, marker, "{}")).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            switch (expected) {
                case "allowed" -> {
                    boolean seen = false;
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (!seen && System.nanoTime() < deadline) {
                        for (var r : consumer.poll(Duration.ofMillis(500))) {
                            seen |= marker.equals(r.key());
                        }
                    }
                    assertTrue(seen, principal + " read nothing of " + topic);
                    consumer.commitSync();
                }
                case "group refused" -> assertThrows(GroupAuthorizationException.class, () -> pollUntilRefused(consumer));
                // neither the group nor the topic is theirs: whichever the broker says first
                case "refused" -> assertThrows(AuthorizationException.class, () -> pollUntilRefused(consumer));
                default -> assertThrows(TopicAuthorizationException.class, () -> pollUntilRefused(consumer));
            }
        }
    }

    @Test
    void aClientWithoutCredentialsOrWithAWrongPasswordIsRefused() {
        // the same admin client, logged in, gets its answer: without a login it gets none, on either listener
        try (Admin admin = kafka.admin()) {
            admin.listTopics().names().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        for (String server : List.of(kafka.bootstrapServers(), "127.0.0.1:" + kafka.controllerPort())) {
            Map<String, Object> anonymous = Map.of("bootstrap.servers", server, "request.timeout.ms", 3000, "default.api.timeout.ms", 5000);
            try (Admin admin = Admin.create(anonymous)) {
                // the broker's listener never answers it; the controller's tells it nothing it could use
                assertThrows(ExecutionException.class, () -> admin.listTopics().names().get(10, TimeUnit.SECONDS),
                        "a plaintext client gets no topics from a SASL listener: " + server);
            }
        }
        // PLAIN knows the operator only: a service's name and password do not log in that way
        Map<String, Object> plain = new HashMap<>(kafka.clientConfig(KafkaCredentials.SESSION));
        plain.put("sasl.mechanism", "PLAIN");
        plain.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"session-service\" password=\""
                + kafka.credentials().password(KafkaCredentials.SESSION) + "\";");
        try (KafkaProducer<String, String> producer = producer(plain)) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>(Topics.SESSION_EVENTS.name(), "p-acl", "{}")).get(30, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, refused.getCause());
        }
        Map<String, Object> wrong = new HashMap<>(kafka.clientConfig(KafkaCredentials.SESSION));
        wrong.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"session-service\" password=\"guessed\";");
        try (KafkaProducer<String, String> producer = producer(wrong)) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>(Topics.SESSION_EVENTS.name(), "p-acl", "{}")).get(30, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, refused.getCause());
        }
    }

    @Test
    void credentialsAreKeptWithTheDataAndPrivate() throws Exception {
        KafkaCredentials again = KafkaCredentials.inDirectory(dir.resolve("kafka"));
        assertEquals(kafka.credentials().password(KafkaCredentials.INSIGHTS), again.password(KafkaCredentials.INSIGHTS));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("kafka").resolve("credentials.properties"))));
        for (String file : List.of("server.properties", "compose.env")) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("kafka").resolve(file))), file);
        }
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("kafka"))), "the broker's data: this user only");
    }

    private static void pollUntilRefused(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(500));
        }
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> config) {
        Properties p = new Properties();
        p.putAll(config);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
}
