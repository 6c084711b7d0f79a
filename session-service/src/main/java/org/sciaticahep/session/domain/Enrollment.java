package org.sciaticahep.session.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A patient on a program from {@code startDate}, days counted in {@code timezone}, under one clinician. */
public record Enrollment(UUID enrollmentId, String patientId, String programId, int programVersion,
                         LocalDate startDate, String timezone, String clinicianId, Instant enrolledAt) {
}
