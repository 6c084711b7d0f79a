package org.sciaticahep.session.store;

import java.time.Instant;
import java.util.UUID;

/** An accepted event Kafka has not acknowledged yet. */
public record PendingEvent(long seq, UUID eventId, String patientId, String type, Instant occurredAt,
                           Instant recordedAt, String payloadJson) {
}
