package org.sciaticahep.contracts.session;

import java.time.LocalDate;
import java.util.List;
import org.sciaticahep.contracts.catalog.Schedule;

/**
 * One version of a patient's prescription, complete in itself: every exercise with its dosage and status, and the
 * schedule. Version 1 is the snapshot of the program template version the patient was enrolled on
 * ({@code programId}, {@code programVersion}); each later one is the clinician's, in force from the local date
 * {@code effectiveFrom} in the patient's time zone. On a day, the version in force is the highest-numbered one whose
 * {@code effectiveFrom} is on or before it: a newer version replaces the plan from its date on, also one an older
 * version had scheduled for later.
 */
public record PrescriptionVersion(
        int version,
        LocalDate effectiveFrom,
        String programId,
        int programVersion,
        Schedule schedule,
        List<PrescribedItem> items) {
}
