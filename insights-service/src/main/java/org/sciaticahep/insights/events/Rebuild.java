package org.sciaticahep.insights.events;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Rebuilds everything insights computed from the topics: empties its tables (not its catalog copy) and rewinds
 * its session-events consumer to the first offset of every partition. Results depend on the events only, so the
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
        // on the polling thread: no poll interleaves between emptying the tables and rewinding
        return kafka.<String, String>getConsumer(CHANNEL).runOnPollingThread(consumer -> {
            pool.query("TRUNCATE processed_event, enrollment, exercise_log, pain_report, review_flag, flag_outbox")
                    .execute().await().indefinitely();
            Set<TopicPartition> assigned = consumer.assignment();
            consumer.seekToBeginning(assigned);
            LOG.infof("rebuilding insights from the beginning of %s", assigned);
            return assigned;
        });
    }
}
