package org.sciaticahep.session.domain;

import java.time.LocalDate;
import java.util.UUID;

/**
 * What an app or clinician sends to enroll a patient. {@code enrollmentId} is optional: an app that sets it can
 * retry safely, the same id with the same content answering with the enrollment made the first time.
 */
public record EnrollmentRequest(UUID enrollmentId, String programId, LocalDate startDate, String timezone,
                                String clinicianId) {
}
