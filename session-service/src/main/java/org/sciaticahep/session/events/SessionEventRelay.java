package org.sciaticahep.session.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.session.store.EventLog;
import org.sciaticahep.session.store.PendingEvent;
import org.sciaticahep.support.EventPublisher;
import org.sciaticahep.support.EventPublisher.OutgoingEvent;
import org.sciaticahep.support.RelayLock;
import org.sciaticahep.support.RelayLocks;

/**
 * Publishes accepted events to {@code session-events}, keyed by patient id, in acceptance order. A round sends up
 * to a batch of unpublished rows at once (the idempotent producer keeps each partition's order) and marks published
 * only the rows up to the first one Kafka did not acknowledge; the rest are sent again next round, so nothing is
 * lost and nothing overtakes an earlier event. Only one instance relays at a time ({@link RelayLock}: an advisory
 * lock on a connection of its own, so no transaction stays open while Kafka is waited for).
 */
@ApplicationScoped
public class SessionEventRelay {

    static final String SOURCE = "/session-service";
    private static final Logger LOG = Logger.getLogger(SessionEventRelay.class);

    static final String CHANNEL = "session-events-out";
    /** The relay lock's name: the same key as the transaction-scoped lock it replaces, so old and new exclude each other. */
    static final String LOCK = "session-events-outbox";

    @Inject
    EventPublisher publisher;

    @Inject
    EventLog log;

    @Inject
    Vertx vertx;

    @Inject
    RelayLocks locks;

    @Inject
    MeterRegistry metrics;

    @ConfigProperty(name = "session.relay.batch-size")
    int batchSize;

    @ConfigProperty(name = "session.relay.idle-delay")
    Duration idleDelay;

    private volatile boolean running;
    private Timer publishLatency;

    void start(@Observes StartupEvent event) {
        publishLatency = Timer.builder("session.outbox.publish.latency")
                .description("From an event's acceptance to Kafka's acknowledgement")
                .publishPercentileHistogram()
                .register(metrics);
        running = true;
        next(0);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
    }

    private void next(long delayMillis) {
        if (running) {
            vertx.setTimer(Math.max(1, delayMillis), id -> round());
        }
    }

    private void round() {
        relayOnce().subscribe().with(
                published -> next(published >= batchSize ? 0 : idleDelay.toMillis()),
                failure -> {
                    LOG.warnf("outbox relay round failed, retrying in 1 s: %s", failure.getMessage());
                    next(1000);
                });
    }

    /**
     * One round; answers how many events Kafka acknowledged. Reading the head and deleting the acknowledged rows
     * are statements of their own: nothing is held open in the database while Kafka is waited for.
     */
    Uni<Integer> relayOnce() {
        return locks.named(LOCK).held().chain(held -> held ? log.unpublished(batchSize).chain(this::publish) : Uni.createFrom().item(0));
    }

    private Uni<Integer> publish(List<PendingEvent> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<OutgoingEvent> events = new ArrayList<>(rows.size());
        for (PendingEvent row : rows) {
            events.add(new OutgoingEvent(Topics.SESSION_EVENTS.name(), row.patientId(), row.eventId().toString(),
                    row.type(), SOURCE, row.patientId(), row.occurredAt(), row.recordedAt(), row.payloadJson()));
        }
        return publisher.publish(CHANNEL, events).chain(acked -> {
            Instant now = Instant.now();
            List<Long> published = new ArrayList<>();
            for (int i = 0; i < acked.size() && acked.get(i); i++) {
                published.add(rows.get(i).seq());
                publishLatency.record(Duration.between(rows.get(i).recordedAt(), now));
            }
            if (published.size() < rows.size()) {
                LOG.warnf("Kafka acknowledged %d of %d events; the rest are sent again", published.size(), rows.size());
            }
            return published.isEmpty() ? Uni.createFrom().item(0)
                    : log.markPublished(published).replaceWith(published.size());
        });
    }
}
