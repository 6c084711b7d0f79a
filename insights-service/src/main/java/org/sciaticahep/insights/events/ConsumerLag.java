package org.sciaticahep.insights.events;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.sciaticahep.support.KafkaAdmin;

/**
 * How far insights is behind session-events, per partition: the newest offset minus what the consumer group has
 * committed, which it does only after the events' transaction. Measured from the cluster every few seconds, so it
 * is the group's lag whichever instance owns a partition (the Kafka client's own lag gauges see only its own).
 */
@ApplicationScoped
public class ConsumerLag {

    private static final Logger LOG = Logger.getLogger(ConsumerLag.class);

    @Inject
    KafkaAdmin kafka;

    @Inject
    MeterRegistry metrics;

    @ConfigProperty(name = "mp.messaging.incoming.session-events-in.group.id")
    String group;

    private final Map<TopicPartition, AtomicLong> lag = new ConcurrentHashMap<>();

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void measure() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = kafka.client().listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(KafkaAdmin.TIMEOUT_MS, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            var ends = kafka.client().listOffsets(latest).all().get(KafkaAdmin.TIMEOUT_MS, TimeUnit.MILLISECONDS);
            committed.forEach((tp, offset) -> gauge(tp).set(Math.max(0, ends.get(tp).offset() - (offset == null ? 0 : offset.offset()))));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // Kafka away: the last figures stay; readiness says the rest
            LOG.debugf("consumer lag not measured: %s", e.toString());
        }
    }

    private AtomicLong gauge(TopicPartition tp) {
        return lag.computeIfAbsent(tp, key -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("insights.consumer.lag", value, AtomicLong::get)
                    .description("Records on the partition not yet committed by insights' consumer group")
                    .tag("topic", key.topic()).tag("partition", String.valueOf(key.partition())).register(metrics);
            return value;
        });
    }
}
