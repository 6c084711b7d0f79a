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

/** Publishes flag changes to {@code review-flags} from the outbox, in order, one instance at a time. */
@ApplicationScoped
public class FlagRelay {

    static final String SOURCE = "/insights-service";

    @Inject
    FlagStore flags;

    @Inject
    EventPublisher publisher;

    @Scheduled(every = "0.5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> relay() {
        return flags.whileRelayLockHeld(tx -> flags.pending(tx, 200).chain(rows -> {
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
                return published.isEmpty() ? Uni.createFrom().item(0) : flags.published(tx, published);
            });
        }), 0).replaceWithVoid();
    }
}
