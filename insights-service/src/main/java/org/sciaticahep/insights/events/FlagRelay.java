package org.sciaticahep.insights.events;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.insights.store.FlagStore;
import org.sciaticahep.support.EventPublisher;
import org.sciaticahep.support.EventPublisher.OutgoingEvent;
import org.sciaticahep.support.RelayLocks;

/**
 * Publishes flag changes to {@code review-flags} from the outbox, in order, one instance at a time
 * ({@link RelayLock}: no transaction stays open while Kafka is waited for).
 */
@ApplicationScoped
public class FlagRelay {

    static final String SOURCE = "/insights-service";
    /** The relay lock's name: the same key as the transaction-scoped lock it replaces, so old and new exclude each other. */
    static final String LOCK = "review-flags-outbox";

    @Inject
    FlagStore flags;

    @Inject
    EventPublisher publisher;

    @Inject
    RelayLocks locks;

    @Scheduled(every = "0.5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> relay() {
        // read the head, publish, delete what Kafka acknowledged: each a statement of its own
        return locks.named(LOCK).held().chain(held -> held ? flags.pending(200).chain(this::publish) : Uni.createFrom().item(0))
                .replaceWithVoid();
    }

    private Uni<Integer> publish(List<FlagStore.Pending> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<OutgoingEvent> events = rows.stream().map(r -> new OutgoingEvent(Topics.REVIEW_FLAGS.name(), r.patientId(),
                r.eventId().toString(), r.type(), SOURCE, r.patientId(), r.occurredAt(), null, r.payload())).toList();
        return publisher.publish(DeadLetters.CHANNEL, events).chain(acked -> {
            List<Long> published = new ArrayList<>();
            for (int i = 0; i < acked.size() && acked.get(i); i++) {
                published.add(rows.get(i).seq());
            }
            return published.isEmpty() ? Uni.createFrom().item(0) : flags.published(published);
        });
    }
}
