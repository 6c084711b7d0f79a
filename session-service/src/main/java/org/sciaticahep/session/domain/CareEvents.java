package org.sciaticahep.session.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.sciaticahep.contracts.session.SessionEvent;
import org.sciaticahep.contracts.session.SessionEventContract;
import org.sciaticahep.session.store.EventLog;
import org.sciaticahep.session.store.NewEvent;
import org.sciaticahep.support.ProblemException;

/**
 * The events of care that session-service writes itself, not an app: an enrollment's start and end, a new version of
 * a prescription. Each goes into the patient's log and the outbox in the transaction of the change it reports.
 */
@ApplicationScoped
public class CareEvents {

    // Such an event's id derives from the change it reports, so a retry is recognised by the change, not by a content
    // hash. Never a SHA-256: an app's event that reuses such an id is a conflict. The value is what the log has always
    // held for enrollments' events.
    private static final String CONTENT_HASH = "enrollment";

    @Inject
    EventLog log;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry metrics;

    /**
     * In the caller's transaction; an id the log already holds is a 409, thrown inside it, so the change is not kept.
     * An event outside the contract is a bug of this service, never something for the topic: consumers would
     * dead-letter it. It fails the change (500), naming the fields only, as their values may be a patient's.
     */
    Uni<Void> publish(SqlConnection tx, EventKind kind, SessionEvent payload, Instant now) {
        List<String> broken = SessionEventContract.violations(payload);
        if (!broken.isEmpty()) {
            throw new IllegalStateException(kind.cloudEventType() + " breaks the session-events contract in "
                    + broken.stream().map(v -> v.substring(0, v.indexOf(':'))).distinct().toList());
        }
        NewEvent event = new NewEvent(payload.eventId(), payload.patientId(), kind.cloudEventType(), payload.occurredAt(),
                CONTENT_HASH, write(payload));
        return log.append(tx, List.of(event), now).map(clash -> {
            if (!clash.isEmpty()) {
                throw ProblemException.conflict("event id " + event.eventId() + " is already taken");
            }
            return null;
        });
    }

    /** Counted once the transaction committed. */
    void counted(EventKind kind) {
        metrics.counter("session.events.accepted", "type", kind.cloudEventType()).increment();
    }

    private String write(Object payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
