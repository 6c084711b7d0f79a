package org.sciaticahep.session.domain;

import java.util.List;
import java.util.UUID;

/**
 * The answer to a batch: every event, in the order sent, as ACCEPTED (stored by this request) or DUPLICATE
 * (already stored with the same content, by an earlier try or earlier in the batch). Either way it is safe. A pain
 * report that meets a safety rule carries its {@code advice}, the same for a duplicate as the first time.
 */
public record Receipt(String patientId, int accepted, int duplicates, List<EventReceipt> events) {

    public enum Status {
        ACCEPTED,
        DUPLICATE
    }

    /** {@code advice}: empty for most events. */
    public record EventReceipt(UUID eventId, Status status, List<Advice> advice) {
    }

    /** What the patient is told at once, in their language; severity as the clinician's flag would have it. */
    public record Advice(String code, String severity, String text) {
    }
}
