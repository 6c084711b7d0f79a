package org.sciaticahep.contracts.session;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * {@code enrollment.started}: a patient starts a program on {@code startDate}, counted in {@code timezone}
 * (an IANA id such as Europe/Berlin), under the care of {@code clinicianId}. {@code programVersion} is the
 * version the patient was enrolled on.
 */
public record EnrollmentStarted(
        UUID eventId,
        String patientId,
        OffsetDateTime occurredAt,
        UUID enrollmentId,
        String programId,
        int programVersion,
        LocalDate startDate,
        String timezone,
        String clinicianId) implements SessionEvent {
}
