package org.sciaticahep.session.domain;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.sciaticahep.contracts.session.PainContext;
import org.sciaticahep.contracts.session.PainLocation;
import org.sciaticahep.contracts.session.RedFlag;
import org.sciaticahep.contracts.session.Side;

/**
 * One event as a patient app submits it. Which fields apply depends on {@code type}; {@link EventRules} checks
 * them, so every field is nullable here.
 */
public record SubmittedEvent(
        UUID eventId,
        EventKind type,
        OffsetDateTime occurredAt,
        String exerciseId,
        Side side,
        Integer sets,
        Integer reps,
        Integer holdSeconds,
        Integer difficulty,
        Integer score,
        PainLocation location,
        PainContext context,
        Boolean newPain,
        List<RedFlag> redFlags) {
}
