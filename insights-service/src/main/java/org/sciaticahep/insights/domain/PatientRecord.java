package org.sciaticahep.insights.domain;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.sciaticahep.contracts.session.PrescriptionVersion;

/**
 * Everything insights holds of one patient, as reported: each enrollment (oldest first) with its prescription
 * versions, every pain report and completion (in time order) and every flag. What an export carries; no rule reads it.
 */
public record PatientRecord(String patientId, List<Facts.Enrollment> enrollments,
                            Map<UUID, List<PrescriptionVersion>> prescriptions, List<Facts.PainScore> pain,
                            List<Facts.Completion> completions, List<ReviewFlag> flags) {

    /** Whether insights holds nothing of the patient. */
    public boolean empty() {
        return enrollments.isEmpty() && pain.isEmpty() && completions.isEmpty() && flags.isEmpty();
    }
}
