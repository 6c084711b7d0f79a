package org.sciaticahep.catalog.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;
import org.sciaticahep.catalog.store.PendingPublication;
import org.sciaticahep.catalog.store.PublicationOutbox;
import org.sciaticahep.support.CloudEventMessages;
import org.sciaticahep.support.CloudEventMessages.OutgoingEvent;

/**
 * Publishes the outbox to Kafka in the order it was written, marking a row published only after Kafka has
 * acknowledged it. A failed send stops the round; the row and everything after it are retried next round, so
 * a broker outage delays publication but never loses or reorders it.
 */
@ApplicationScoped
public class CatalogRelay {

    static final String SOURCE = "/catalog-service";
    private static final int BATCH = 100;
    private static final Logger LOG = Logger.getLogger(CatalogRelay.class);

    @Inject
    @Channel("catalog-out")
    MutinyEmitter<String> out;

    @Inject
    PublicationOutbox outbox;

    @Inject
    MeterRegistry metrics;

    @Scheduled(every = "${catalog.outbox.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> relay() {
        return publishPending().replaceWithVoid();
    }

    /** Publishes what is pending now; answers how many rows Kafka acknowledged. */
    public Uni<Integer> publishPending() {
        return Panache.withSession(() -> outbox.unpublished(BATCH))
                .chain(rows -> sendInOrder(rows, 0, new ArrayList<>()))
                .chain(published -> Panache.withTransaction(() -> outbox.markPublished(published, Instant.now()))
                        .replaceWith(published.size()));
    }

    private Uni<List<Long>> sendInOrder(List<PendingPublication> rows, int next, List<Long> published) {
        if (next == rows.size()) {
            return Uni.createFrom().item(published);
        }
        PendingPublication row = rows.get(next);
        return out.sendMessage(CloudEventMessages.message(new OutgoingEvent(row.topic, row.messageKey, row.eventId,
                        row.eventType, SOURCE, row.messageKey, row.occurredAt, row.payload)))
                .chain(() -> {
                    published.add(row.id);
                    metrics.counter("catalog.definitions.published", "topic", row.topic).increment();
                    return sendInOrder(rows, next + 1, published);
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("publishing %s stopped at outbox row %d, will retry: %s", row.topic, row.id, e.getMessage());
                    return published;
                });
    }
}
