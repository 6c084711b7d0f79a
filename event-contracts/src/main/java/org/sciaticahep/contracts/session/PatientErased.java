package org.sciaticahep.contracts.session;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * {@code patient.erased}: an admin erased the patient at {@code occurredAt}. session-service has destroyed the
 * patient's data key (their earlier records on session-events can no longer be read by anyone) and deleted its rows;
 * a consumer deletes everything it holds of the patient. Nothing else: no reason, no one's name. Published in the
 * clear (it carries no health data), after every record of the patient, and no record of the patient follows it.
 */
public record PatientErased(
        UUID eventId,
        String patientId,
        OffsetDateTime occurredAt) implements SessionEvent {
}
