package org.sciaticahep.insights.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.util.List;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.contracts.insights.FlagChanged;
import org.sciaticahep.support.outbox.Outbox;

/** Flag changes for the review-flags topic, put in the outbox that service-support's OutboxRelay publishes. */
@ApplicationScoped
public class FlagOutbox {

    @Inject
    ObjectMapper json;

    /** In the caller's transaction: published if and only if the change commits. */
    public Uni<Void> enqueue(SqlConnection tx, String type, FlagChanged event) {
        try {
            return Outbox.enqueue(tx, List.of(new Outbox.Event(Topics.REVIEW_FLAGS.name(), event.patientId(),
                    event.eventId().toString(), type, event.at(), json.writeValueAsString(event))));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
