package org.sciaticahep.session.domain;

import java.time.LocalDate;
import java.util.UUID;

/**
 * What a clinician sends to invite a patient to a program. {@code clinicianId} is optional (the caller; if given it
 * must be the caller). {@code enrollmentId} is optional: a client that sets it can retry safely, the same id with
 * the same content answering with the invitation made the first time (and a new code while it is pending).
 */
public record EnrollmentRequest(UUID enrollmentId, String programId, LocalDate startDate, String timezone,
                                String clinicianId) {
}
