package org.sciaticahep.stack;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.sciaticahep.contracts.CloudEventHeaders;

/**
 * A plain Kafka consumer that reads a whole topic from its first offset: how tests check what really reached
 * the broker, independently of the services' own consumers.
 */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();
    /** Opens sealed records (null: they are read as they are on the topic). */
    private final PatientKeyStore keys;
    /** Keys as this reader found them (one look per patient; an erased patient's is looked for again, and stays gone). */
    private final java.util.Map<String, byte[]> keysRead = new java.util.HashMap<>();

    private TopicReader(KafkaBroker kafka, String topic, PatientKeyStore keys) {
        this.keys = keys;
        Properties p = new Properties();
        // as the operator: tests read every topic, whichever service owns it
        p.putAll(kafka.clientConfig());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = partitions(topic);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** The topic's partitions, waiting up to 30 s for a topic that a producer has yet to create. */
    private List<TopicPartition> partitions(String topic) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<TopicPartition> found = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            if (!found.isEmpty() || System.nanoTime() > deadline) {
                return found;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return found;
            }
        }
    }

    /**
     * Reads the topic with its sealed records opened with the broker's {@link KafkaBroker#patientKeys()} (and their
     * {@code ce_encryption} header taken off): as insights-service reads them. An erased patient's stay sealed.
     */
    public static TopicReader fromBeginning(KafkaBroker kafka, String topic) {
        return new TopicReader(kafka, topic, kafka.patientKeys());
    }

    /** Reads the topic's records as they are on it, sealed ones sealed. */
    public static TopicReader raw(KafkaBroker kafka, String topic) {
        return new TopicReader(kafka, topic, null);
    }

    private void poll() {
        consumer.poll(Duration.ofMillis(250)).forEach(r -> seen.add(opened(r)));
    }

    private ConsumerRecord<String, String> opened(ConsumerRecord<String, String> record) {
        if (keys == null || !PatientKeyStore.sealed(record)) {
            return record;
        }
        String value = keys.open(record, keysRead);
        if (value == null) {
            return record;
        }
        RecordHeaders headers = new RecordHeaders();
        record.headers().forEach(h -> {
            if (!CloudEventHeaders.ENCRYPTION.equals(h.key())) {
                headers.add(h);
            }
        });
        return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.timestampType(), record.serializedKeySize(), value.length(), record.key(), value, headers,
                record.leaderEpoch());
    }

    /** Polls until {@code done} holds for everything read so far, or the timeout passes; returns all records read. */
    public List<ConsumerRecord<String, String>> readUntil(Predicate<List<ConsumerRecord<String, String>>> done,
                                                          Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(seen) && System.nanoTime() < deadline) {
            poll();
        }
        return List.copyOf(seen);
    }

    /** Everything on the topic now: polls until a quiet period of one second. */
    public List<ConsumerRecord<String, String>> readAll() {
        int quiet = 0;
        while (quiet < 4) {
            int before = seen.size();
            poll();
            quiet = seen.size() == before ? quiet + 1 : 0;
        }
        return List.copyOf(seen);
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
