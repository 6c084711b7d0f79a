package org.sciaticahep.insights.events;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.sciaticahep.contracts.CloudEventHeaders;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.contracts.session.EnrollmentStarted;
import org.sciaticahep.contracts.session.ExerciseCompleted;
import org.sciaticahep.contracts.session.PainReported;
import org.sciaticahep.contracts.session.SessionEvent;
import org.sciaticahep.insights.domain.Insights;
import org.sciaticahep.support.Retries;

/**
 * Consumes {@code session-events} in batches. Offsets are committed after the batch's transaction, so a crash
 * redelivers the batch, whose already-applied events are then skipped.
 */
@ApplicationScoped
public class SessionEventListener {

    private static final Logger LOG = Logger.getLogger(SessionEventListener.class);

    @Inject
    Insights insights;

    @Inject
    DeadLetters deadLetters;

    @Inject
    MeterRegistry metrics;

    private ObjectReader reader;

    @Inject
    void reader(ObjectMapper json) {
        // tolerant of fields a newer session-service may add
        reader = json.reader().without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @Incoming("session-events-in")
    Uni<Void> apply(ConsumerRecords<String, String> records) {
        List<Insights.Arrival> arrivals = new ArrayList<>(records.count());
        List<DeadLetters.Rejected> rejected = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                arrivals.add(new Insights.Arrival(parse(record), recordedAt(record)));
            } catch (Exception e) {
                // the reason goes with the record; a parser's message may quote the payload, which logs never hold
                MDC.put("patientId", String.valueOf(record.key()));
                MDC.put("eventId", String.valueOf(header(record, CloudEventHeaders.ID)));
                LOG.warnf("session-events %d/%d is not a session event (%s), sent to the dead-letter topic",
                        record.partition(), record.offset(), e.getClass().getSimpleName());
                MDC.remove("patientId");
                MDC.remove("eventId");
                metrics.counter("insights.events.dead.lettered").increment();
                rejected.add(new DeadLetters.Rejected(record, e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
        }
        return deadLetters.send(rejected).chain(() -> Retries.untilDone(insights.apply(arrivals), "applying session events"));
    }

    private SessionEvent parse(ConsumerRecord<String, String> record) throws Exception {
        String type = header(record, CloudEventHeaders.TYPE);
        if (type == null) {
            throw new IllegalArgumentException("no ce_type header");
        }
        Class<? extends SessionEvent> payload = switch (type) {
            case EventTypes.ENROLLMENT_STARTED -> EnrollmentStarted.class;
            case EventTypes.EXERCISE_COMPLETED -> ExerciseCompleted.class;
            case EventTypes.PAIN_REPORTED -> PainReported.class;
            default -> throw new IllegalArgumentException("unknown ce_type " + type);
        };
        SessionEvent event = reader.readValue(record.value(), payload);
        if (event.eventId() == null || event.patientId() == null || event.occurredAt() == null) {
            throw new IllegalArgumentException("eventId, patientId and occurredAt are required");
        }
        return event;
    }

    private static Instant recordedAt(ConsumerRecord<String, String> record) {
        String value = header(record, CloudEventHeaders.RECORDED_AT);
        return value == null ? null : Instant.parse(value);
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
