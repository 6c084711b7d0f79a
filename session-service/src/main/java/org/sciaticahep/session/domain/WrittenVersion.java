package org.sciaticahep.session.domain;

import java.time.Instant;
import java.util.UUID;
import org.sciaticahep.contracts.session.PrescriptionVersion;

/** A version of the prescription of a patient's enrollment as it was written: by which clinician, and when. */
public record WrittenVersion(UUID enrollmentId, String patientId, PrescriptionVersion prescription, String changedBy,
                             Instant changedAt) {
}
