package org.sciaticahep.insights.domain;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.contracts.insights.FlagChanged;
import org.sciaticahep.insights.store.FlagOutbox;

/**
 * What happens to a flag, told on review-flags through the outbox and queued as alerts to subscribers, in the
 * transaction that made it happen.
 */
@ApplicationScoped
public class FlagEvents {

    @Inject
    FlagOutbox outbox;

    @Inject
    Alerts alerts;

    public Uni<Void> publish(SqlConnection tx, String type, ReviewFlag flag, String clinicianId, Instant at, String by,
                             String note) {
        String status = switch (type) {
            case EventTypes.FLAG_ACKNOWLEDGED -> ReviewFlag.Status.ACKNOWLEDGED.name();
            case EventTypes.FLAG_RESOLVED -> ReviewFlag.Status.RESOLVED.name();
            case EventTypes.FLAG_WITHDRAWN -> "WITHDRAWN";
            default -> flag.status().name();
        };
        FlagChanged event = new FlagChanged(UUID.randomUUID(), flag.flagId(), flag.patientId(), clinicianId,
                flag.rule().name(), flag.severity().name(), flag.subject(), status, flag.detail(), at, by, note);
        return outbox.enqueue(tx, type, event).chain(() -> alerts.flagChanged(tx, type, event));
    }
}
