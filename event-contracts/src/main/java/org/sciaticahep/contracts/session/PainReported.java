package org.sciaticahep.contracts.session;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * {@code pain.reported}: a score on the 0–10 numeric rating scale at a location and side. {@code exerciseId}
 * names the exercise for scores taken during or after one; {@code newPain} is the patient saying this pain is new.
 */
public record PainReported(
        UUID eventId,
        String patientId,
        OffsetDateTime occurredAt,
        int score,
        PainLocation location,
        Side side,
        PainContext context,
        String exerciseId,
        boolean newPain,
        List<RedFlag> redFlags) implements SessionEvent {
}
