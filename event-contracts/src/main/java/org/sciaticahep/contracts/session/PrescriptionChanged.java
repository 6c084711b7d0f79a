package org.sciaticahep.contracts.session;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * {@code prescription.changed}: the clinician treating the patient wrote a new version of the prescription of an
 * enrollment; it carries the version in full. {@code eventId} derives from the enrollment id and the version number,
 * so a version is always the same event.
 */
public record PrescriptionChanged(
        UUID eventId,
        String patientId,
        OffsetDateTime occurredAt,
        UUID enrollmentId,
        String clinicianId,
        PrescriptionVersion prescription) implements SessionEvent {
}
