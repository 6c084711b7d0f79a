package org.sciaticahep.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Notes when a topic, from its current end on, had grown by the expected number of records, then counts the
 * distinct events among them whose key starts with a run's prefix. Only the topic's end offsets are asked while
 * the clock runs: reading every record then took CPU from the two cores the phase measures.
 */
final class TopicWatch implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final Map<TopicPartition, Long> start;
    private final byte[] keyPrefix;
    private final Set<String> seen = new HashSet<>();
    private long completedAtNanos;

    TopicWatch(Map<String, Object> kafka, String topic, String keyPrefix) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(partitions);
        start = consumer.endOffsets(partitions);
        start.forEach(consumer::seek);
        this.keyPrefix = keyPrefix.getBytes(StandardCharsets.UTF_8);
    }

    /** Waits until the topic grew by {@code expected} records and notes when; false if the timeout passed first. */
    boolean awaitGrowth(int expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long grown = 0;
            for (Map.Entry<TopicPartition, Long> end : consumer.endOffsets(partitions).entrySet()) {
                grown += end.getValue() - start.get(end.getKey());
            }
            if (grown >= expected) {
                completedAtNanos = System.nanoTime();
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    /** Reads what arrived until {@code expected} distinct events were seen or the timeout passed; answers how many. */
    int countDistinct(int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (seen.size() < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                if (startsWith(r.key())) {
                    Header id = r.headers().lastHeader("ce_id");
                    seen.add(id == null ? r.topic() + r.partition() + ":" + r.offset() : new String(id.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return seen.size();
    }

    long completedAtNanos() {
        return completedAtNanos;
    }

    private boolean startsWith(byte[] key) {
        if (key == null || key.length < keyPrefix.length) {
            return false;
        }
        for (int i = 0; i < keyPrefix.length; i++) {
            if (key[i] != keyPrefix[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
