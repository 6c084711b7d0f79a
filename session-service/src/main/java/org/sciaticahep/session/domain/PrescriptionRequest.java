package org.sciaticahep.session.domain;

import java.time.LocalDate;
import java.util.List;
import org.sciaticahep.contracts.catalog.Dosage;
import org.sciaticahep.contracts.catalog.Schedule;

/**
 * What the treating clinician sends to write a new version of a patient's prescription: the whole version.
 * {@code expectedVersion} is the version they read (a write on a stale read is refused); {@code effectiveFrom} is
 * optional (today in the patient's time zone); {@code replaceScheduled} true lets it replace versions scheduled after
 * that day (else 409). {@link PrescriptionRules} checks every field, so all are nullable here, and an item's status is
 * text, so that an unknown one is named like any other bad field.
 */
public record PrescriptionRequest(Integer expectedVersion, LocalDate effectiveFrom, Schedule schedule, List<Item> items,
                                  Boolean replaceScheduled) {

    /** One exercise: ACTIVE, PAUSED or STOPPED, with the clinician's reason for it if they give one. */
    public record Item(String exerciseId, Dosage dosage, String status, String reason) {
    }
}
