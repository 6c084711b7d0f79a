package org.sciaticahep.contracts.session;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * What every event on {@code session-events} carries: what the patient reported and when it happened
 * ({@code occurredAt}). When session-service accepted it is not part of the report but of the envelope: the
 * CloudEvents extension {@code ce_recordedat}.
 */
public interface SessionEvent {

    UUID eventId();

    String patientId();

    OffsetDateTime occurredAt();
}
