package org.sciaticahep.contracts.session;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * {@code enrollment.ended}: an active enrollment ended at {@code occurredAt}; from then on {@code clinicianId} no
 * longer treats the patient under it. Only an enrollment that was started ({@code enrollment.started}) ends with
 * this event; an invitation that was never accepted publishes nothing. {@code eventId} is derived from the
 * enrollment id, so the one end of an enrollment always has the same id. {@code endDate} is the patient's last day of
 * care (a local date in their time zone): after it nothing is expected of them and time-based rules stop (null in
 * events written before it existed: the local date of {@code occurredAt}).
 *
 * <p>{@code reason}: {@code REVOKED_BY_PATIENT} (the patient withdrew their consent), or the clinician's
 * {@code RECOVERED}, {@code DISCHARGED}, {@code REFERRED} (to another clinician or service) or {@code OTHER};
 * {@code REPLACED}: an enrollment made before consent was asked for, ended by the patient's later one.
 */
public record EnrollmentEnded(
        UUID eventId,
        String patientId,
        OffsetDateTime occurredAt,
        UUID enrollmentId,
        String clinicianId,
        String reason,
        LocalDate endDate) implements SessionEvent {
}
