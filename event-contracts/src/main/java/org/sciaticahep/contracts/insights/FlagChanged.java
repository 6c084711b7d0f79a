package org.sciaticahep.contracts.insights;

import java.time.Instant;
import java.util.UUID;

/**
 * On {@code review-flags}: a flag was raised, changed severity (a quiet spell grew longer, or late events shortened
 * it), acknowledged, resolved or withdrawn (its evidence was superseded by late events before anyone acted on it).
 * {@code by} and {@code note} are set for a clinician's action, and for a resolution insights made itself
 * ({@code by} = {@code insights}).
 */
public record FlagChanged(
        UUID eventId,
        UUID flagId,
        String patientId,
        String clinicianId,
        String rule,
        String severity,
        String subject,
        String status,
        String detail,
        Instant at,
        String by,
        String note) {
}
