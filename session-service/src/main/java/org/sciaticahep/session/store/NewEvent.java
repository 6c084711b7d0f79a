package org.sciaticahep.session.store;

import java.time.OffsetDateTime;
import java.util.UUID;

/** An event ready to be appended to a patient's log; {@code type} is its CloudEvents type. */
public record NewEvent(UUID eventId, String patientId, String type, OffsetDateTime occurredAt, String contentHash,
                       String payloadJson) {
}
