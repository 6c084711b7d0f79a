package org.sciaticahep.session.domain;

import java.util.List;
import java.util.UUID;

/**
 * The answer to a batch: every event, in the order sent, as ACCEPTED (stored by this request) or DUPLICATE
 * (already stored with the same content, by an earlier try or earlier in the batch). Either way it is safe.
 */
public record Receipt(String patientId, int accepted, int duplicates, List<EventReceipt> events) {

    public enum Status {
        ACCEPTED,
        DUPLICATE
    }

    public record EventReceipt(UUID eventId, Status status) {
    }
}
