package org.sciaticahep.insights.events;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A partition assigned to a consumer, even one that had it before the rebalance, starts at Kafka's committed offset,
 * which may be ahead of where the database says insights is (a rebuild under way, a discarded batch): the next tick
 * of {@link Rebuild} sends it back. Without this, a partition with nothing new after that offset would wait forever.
 */
@ApplicationScoped
@Identifier(Reassignment.NAME)
public class Reassignment implements KafkaConsumerRebalanceListener {

    /** Named in {@code mp.messaging.incoming.session-events-in.consumer-rebalance-listener.name}. */
    static final String NAME = "session-events-reassignment";

    @Inject
    Rebuild rebuild;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        rebuild.sendBackAgain(partitions);
    }
}
