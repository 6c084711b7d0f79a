package org.sciaticahep.catalog;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.sciaticahep.contracts.CloudEventHeaders;
import org.sciaticahep.contracts.Topics.TopicSpec;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.KafkaBroker;
import org.sciaticahep.stack.KafkaCredentials;
import org.sciaticahep.stack.StackTestResource;
import org.sciaticahep.stack.TopicReader;
import org.sciaticahep.support.outbox.Outbox;

/**
 * service-support's outbox relay, which every service runs, driven through real PostgreSQL and Kafka: rows put in
 * the outbox reach their topic in order per key, with the key and CloudEvents headers, and leave the outbox; while
 * the broker is down they stay (no transaction open meanwhile) and are published once it is back, each once. Its own
 * topic, so the catalog's tests and topics are left alone.
 */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class OutboxRelayTest {

    static final String TOPIC = "outbox-relay-test-" + ProcessHandle.current().pid();
    static final List<String> KEYS = List.of("key-a", "key-b", "key-c");

    @Inject
    Pool pool;

    @Test
    void rowsReachTheTopicInOrderAndLeaveTheOutboxAlsoAcrossABrokerOutage() throws Exception {
        KafkaBroker kafka = StackTestResource.kafka();
        // partitions of their own per key: order holds per key, as Kafka promises it
        kafka.createTopics(List.of(new TopicSpec(TOPIC, 3, false, false)));
        kafka.allowWrites(KafkaCredentials.CATALOG, TOPIC);
        Map<String, Outbox.Event> sent = new LinkedHashMap<>();

        enqueue(sent, 30);
        List<ConsumerRecord<String, String>> first = awaitOnTopic(kafka, sent.size());
        assertInOrderOncePerKey(sent, first);
        ConsumerRecord<String, String> one = first.get(0);
        Outbox.Event event = sent.get(TopicReader.header(one, CloudEventHeaders.ID));
        assertEquals(event.key(), one.key());
        assertEquals(event.payloadJson(), one.value());
        assertEquals("1.0", TopicReader.header(one, CloudEventHeaders.SPEC_VERSION));
        assertEquals(event.type(), TopicReader.header(one, CloudEventHeaders.TYPE));
        assertEquals("/catalog-service", TopicReader.header(one, CloudEventHeaders.SOURCE));
        assertEquals(event.key(), TopicReader.header(one, CloudEventHeaders.SUBJECT));
        assertEquals(event.occurredAt(), Instant.parse(TopicReader.header(one, CloudEventHeaders.TIME)));
        assertEquals(CloudEventHeaders.JSON, TopicReader.header(one, CloudEventHeaders.CONTENT_TYPE));
        assertNull(TopicReader.header(one, CloudEventHeaders.RECORDED_AT), "only session-events carry ce_recordedat");
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting() == 0);

        kafka.stop();
        long idleInTransaction = 0;
        try {
            enqueue(sent, 20);
            // rounds go on meanwhile (every second): the rows stay, the gauge shows them, no transaction waits on Kafka
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < until) {
                idleInTransaction = Math.max(idleInTransaction, count("""
                        SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction' AND datname = current_database()"""));
                Thread.sleep(50);
            }
            assertEquals(20, waiting(), "rows Kafka did not acknowledge stay in the outbox");
            await().atMost(Duration.ofSeconds(10)).until(() -> metric("outbox_backlog") >= 20);
        } finally {
            kafka.start();
        }
        assertEquals(0, idleInTransaction, "a connection sat idle in transaction while Kafka was waited for");

        List<ConsumerRecord<String, String>> all = awaitOnTopic(kafka, sent.size());
        assertInOrderOncePerKey(sent, all);
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting() == 0);
        assertEquals(sent.size(), metric("outbox_published_total\\{topic=\"" + TOPIC + "\"}"));
    }

    /** Puts {@code n} events in the outbox, in one statement as a service does, keys taking turns. */
    private void enqueue(Map<String, Outbox.Event> sent, int n) {
        List<Outbox.Event> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = UUID.randomUUID().toString();
            events.add(new Outbox.Event(TOPIC, KEYS.get(i % KEYS.size()), id, "test.happened",
                    Instant.now().truncatedTo(ChronoUnit.MICROS), "{\"n\":" + (sent.size() + i) + ",\"id\":\"" + id + "\"}"));
        }
        Outbox.enqueue(pool, events).await().atMost(Duration.ofSeconds(10));
        events.forEach(e -> sent.put(e.eventId(), e));
    }

    private static List<ConsumerRecord<String, String>> awaitOnTopic(KafkaBroker kafka, int expected) {
        try (TopicReader reader = TopicReader.fromBeginning(kafka, TOPIC)) {
            reader.readUntil(seen -> seen.size() >= expected, Duration.ofSeconds(90));
            return reader.readAll();
        }
    }

    /** Every event on the topic exactly once (the idempotent producer adds no copy), each key's in the order put in. */
    private static void assertInOrderOncePerKey(Map<String, Outbox.Event> sent, List<ConsumerRecord<String, String>> onTopic) {
        assertEquals(sent.size(), onTopic.size(), "each event once");
        for (String key : KEYS) {
            List<String> put = sent.values().stream().filter(e -> e.key().equals(key)).map(Outbox.Event::eventId).toList();
            List<String> published = onTopic.stream().filter(r -> key.equals(r.key()))
                    .sorted((a, b) -> Long.compare(a.offset(), b.offset()))
                    .map(r -> TopicReader.header(r, CloudEventHeaders.ID)).toList();
            assertEquals(put, published, "key " + key);
        }
    }

    private long waiting() {
        return pool.preparedQuery("SELECT count(*) FROM outbox WHERE topic = $1").execute(Tuple.of(TOPIC))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    private long count(String query) {
        return pool.query(query).execute().await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    private static double metric(String series) {
        String metrics = As.ops().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.E+-]+)$").matcher(metrics);
        assertTrue(m.find(), series + " in\n" + metrics);
        return Double.parseDouble(m.group(1));
    }
}
