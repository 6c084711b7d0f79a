package org.sciaticahep.contracts.session;

import org.sciaticahep.contracts.catalog.Dosage;

/**
 * One exercise of a patient's prescription with the dosage prescribed to this patient. Only {@code ACTIVE} items are
 * expected; work on the others is kept but does not count. {@code reason} is the clinician's, for a status or dosage
 * change (null when none was given).
 */
public record PrescribedItem(String exerciseId, Dosage dosage, ItemStatus status, String reason) {

    public boolean expected() {
        return status == ItemStatus.ACTIVE;
    }
}
