package org.sciaticahep.catalog.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.sciaticahep.catalog.store.PendingPublication;
import org.sciaticahep.catalog.store.PublicationOutbox;
import org.sciaticahep.support.EventPublisher;
import org.sciaticahep.support.EventPublisher.OutgoingEvent;
import org.sciaticahep.support.RelayLocks;

/**
 * Publishes the outbox to Kafka in the order it was written, marking rows published only up to the first one
 * Kafka did not acknowledge; that row and everything after it are sent again next round, so a broker outage
 * delays publication but never loses or reorders it. One instance relays at a time ({@link RelayLock}): two
 * replicas publishing the same rows would send each version twice and could put an older version of a definition
 * after a newer one on the compacted topic. No transaction stays open while Kafka is waited for.
 */
@ApplicationScoped
public class CatalogRelay {

    static final String SOURCE = "/catalog-service";
    static final String CHANNEL = "catalog-out";
    private static final int BATCH = 100;
    static final String LOCK = "catalog-outbox";
    private static final Logger LOG = Logger.getLogger(CatalogRelay.class);

    @Inject
    EventPublisher publisher;

    @Inject
    PublicationOutbox outbox;

    @Inject
    MeterRegistry metrics;

    @Inject
    RelayLocks locks;

    @Scheduled(every = "${catalog.outbox.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> relay() {
        return publishPending().replaceWithVoid();
    }

    /** Publishes what is pending now, if this instance relays; answers how many rows Kafka acknowledged. */
    public Uni<Integer> publishPending() {
        return locks.named(LOCK).held().chain(held -> held ? publishHead() : Uni.createFrom().item(0));
    }

    /** The head read without a transaction; marking what Kafka acknowledged is one short update of its own. */
    private Uni<Integer> publishHead() {
        return Panache.withSession(() -> outbox.unpublished(BATCH))
                .chain(rows -> rows.isEmpty() ? Uni.createFrom().item(List.<Long>of()) : send(rows))
                .chain(published -> published.isEmpty() ? Uni.createFrom().item(0)
                        : Panache.withTransaction(() -> outbox.markPublished(published, Instant.now()))
                                .replaceWith(published.size()));
    }

    private Uni<List<Long>> send(List<PendingPublication> rows) {
        List<OutgoingEvent> events = rows.stream().map(row -> new OutgoingEvent(row.topic, row.messageKey, row.eventId,
                row.eventType, SOURCE, row.messageKey, row.occurredAt, null, row.payload)).toList();
        return publisher.publish(CHANNEL, events).map(acked -> {
            List<Long> published = new ArrayList<>();
            for (int i = 0; i < acked.size() && acked.get(i); i++) {
                published.add(rows.get(i).id);
                metrics.counter("catalog.definitions.published", "topic", rows.get(i).topic).increment();
            }
            if (published.size() < rows.size()) {
                LOG.warnf("Kafka acknowledged %d of %d catalog events; the rest are sent again", published.size(), rows.size());
            }
            return published;
        });
    }
}
