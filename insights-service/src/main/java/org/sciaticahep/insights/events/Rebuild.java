package org.sciaticahep.insights.events;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Rebuilds everything insights computed from the topics: empties its tables (not its catalog copy) and rewinds
 * its session-events consumers to the first offset of every partition. Results depend on the events only, so the
 * rebuild gives the same adherence, pain and flags; acknowledgements and resolutions are human actions and are not
 * replayed (review-flags keeps their history).
 */
@ApplicationScoped
public class Rebuild {

    private static final Logger LOG = Logger.getLogger(Rebuild.class);
    static final String CHANNEL = "session-events-in";

    @Inject
    Pool pool;

    @Inject
    KafkaClientService kafka;

    /** Answers the partitions rewound. */
    public Uni<Set<TopicPartition>> fromTheBeginning() {
        List<KafkaConsumer<String, String>> consumers = consumers();
        // on the first consumer's polling thread: no poll of it interleaves between emptying the tables and rewinding
        Uni<Set<TopicPartition>> rewound = consumers.get(0).runOnPollingThread(consumer -> {
            pool.query("TRUNCATE processed_event, enrollment, exercise_log, pain_report, review_flag, flag_outbox")
                    .execute().await().indefinitely();
            consumer.seekToBeginning(consumer.assignment());
            return new HashSet<>(consumer.assignment());
        });
        // A batch another copy applies between the truncation and its rewind is applied again from the beginning
        // and then skipped as processed: results depend on when things happened, not on the order they arrive.
        for (KafkaConsumer<String, String> other : consumers.subList(1, consumers.size())) {
            rewound = rewound.chain(done -> other.runOnPollingThread(consumer -> {
                consumer.seekToBeginning(consumer.assignment());
                done.addAll(consumer.assignment());
                return done;
            }));
        }
        return rewound.invoke(all -> LOG.infof("rebuilding insights from the beginning of %s", all));
    }

    /** The consumer of each copy of the channel (the connector's {@code concurrency} runs several). */
    private List<KafkaConsumer<String, String>> consumers() {
        List<KafkaConsumer<String, String>> all = new ArrayList<>();
        for (String channel : kafka.getConsumerChannels()) {
            if (channel.equals(CHANNEL) || channel.startsWith(CHANNEL + "$")) {
                all.addAll(kafka.<String, String>getConsumers(channel));
            }
        }
        if (all.isEmpty()) {
            throw new IllegalStateException("no consumer of " + CHANNEL);
        }
        return all;
    }
}
