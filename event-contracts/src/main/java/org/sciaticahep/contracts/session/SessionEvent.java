package org.sciaticahep.contracts.session;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * What every event on {@code session-events} carries. {@code occurredAt} is when it happened on the patient's
 * phone (with the phone's offset); {@code recordedAt} is when session-service stored it.
 */
public interface SessionEvent {

    UUID eventId();

    String patientId();

    OffsetDateTime occurredAt();

    Instant recordedAt();
}
