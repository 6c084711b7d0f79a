package org.sciaticahep.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sciaticahep.contracts.Topics;

/** The launcher's own promise: a real broker and a real database, and both keep their data across a restart. */
class InfrastructureTest {

    @TempDir
    Path dir;

    @Test
    void brokerKeepsTopicsAndRecordsAcrossRestart() throws Exception {
        KafkaBroker kafka = new KafkaBroker(dir.resolve("kafka"), Ports.free(), Ports.free(), "256m").start();
        try {
            kafka.createTopics(Topics.ALL);
            try (KafkaProducer<String, String> producer = producer(kafka)) {
                producer.send(new ProducerRecord<>(Topics.SESSION_EVENTS.name(), "p-1", "first")).get();
            }
            kafka.kill();
            assertFalse(kafka.isRunning());
            kafka.start();

            try (Admin admin = kafka.admin()) {
                TopicDescription events = admin.describeTopics(List.of(Topics.SESSION_EVENTS.name()))
                        .allTopicNames().get().get(Topics.SESSION_EVENTS.name());
                assertEquals(6, events.partitions().size());
                ConfigResource catalog = new ConfigResource(ConfigResource.Type.TOPIC, Topics.EXERCISE_CATALOG.name());
                assertEquals("compact", admin.describeConfigs(List.of(catalog)).all().get()
                        .get(catalog).get("cleanup.policy").value());
            }
            assertEquals(List.of("first"), readAll(kafka, Topics.SESSION_EVENTS.name()));
        } finally {
            kafka.stop();
        }
    }

    @Test
    void embeddedPostgresKeepsDataAcrossRestart() throws Exception {
        int port = Ports.free();
        try (PostgresServer pg = PostgresServer.embedded(dir.resolve("pg"), port)) {
            pg.ensureDatabase("catalog");
            pg.ensureDatabase("catalog");
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("catalog"), pg.user(), pg.password());
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v text)");
                s.execute("INSERT INTO kept VALUES ('still here')");
            }
        }
        try (PostgresServer pg = PostgresServer.embedded(dir.resolve("pg"), port);
             Connection c = DriverManager.getConnection(pg.jdbcUrl("catalog"), pg.user(), pg.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertTrue(rs.next());
            assertEquals("still here", rs.getString(1));
        }
    }

    @Test
    void externalPostgresOnlyWhenConfigured() {
        assertEquals(null, PostgresServer.external(Map.of()));
        PostgresServer configured = PostgresServer.external(Map.of("POSTGRES_HOST", "db.clinic", "POSTGRES_PORT", "6543"));
        assertEquals("jdbc:postgresql://db.clinic:6543/session", configured.jdbcUrl("session"));
        assertFalse(configured.isEmbedded());
    }

    private static KafkaProducer<String, String> producer(KafkaBroker kafka) {
        Properties p = new Properties();
        p.putAll(kafka.clientConfig());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private static List<String> readAll(KafkaBroker kafka, String topic) {
        Properties p = new Properties();
        p.putAll(kafka.clientConfig());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "infra-test");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
