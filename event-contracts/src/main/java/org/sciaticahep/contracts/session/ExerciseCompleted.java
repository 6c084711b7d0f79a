package org.sciaticahep.contracts.session;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * {@code exercise.completed}: the patient did an exercise. {@code side} is null for an exercise that is not done
 * per side; {@code holdSeconds} and {@code difficulty} (1 easy – 5 hard) are optional.
 */
public record ExerciseCompleted(
        UUID eventId,
        String patientId,
        OffsetDateTime occurredAt,
        String exerciseId,
        Side side,
        int sets,
        int reps,
        Integer holdSeconds,
        Integer difficulty) implements SessionEvent {
}
