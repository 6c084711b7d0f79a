package org.sciaticahep.contracts.insights;

import java.time.Instant;
import java.util.UUID;

/**
 * On {@code review-flags}: a flag was raised, acknowledged, resolved or withdrawn (its evidence was superseded by
 * late events before anyone acted on it). {@code by} and {@code note} are set for a clinician's action.
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
