package org.sciaticahep.contracts.session;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * {@code enrollment.started}: a patient starts a program on {@code startDate}, counted in {@code timezone}
 * (an IANA id such as Europe/Berlin), under the care of {@code clinicianId}. {@code programVersion} is the
 * version the patient was enrolled on; {@code prescription} is version 1 of the patient's prescription, its snapshot
 * (null in events written before prescriptions existed: a consumer derives it from that program version, as
 * session-service did for those enrollments).
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
        String clinicianId,
        PrescriptionVersion prescription) implements SessionEvent {
}
