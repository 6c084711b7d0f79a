package org.sciaticahep.session.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.contracts.catalog.ExerciseDefinition;
import org.sciaticahep.contracts.session.SessionEventContract;
import org.sciaticahep.support.Violations;

/** What makes a submitted event acceptable. Every violation of every event is reported, with the event's index. */
final class EventRules {

    // the contract's bounds: what session-service accepts is what every consumer applies
    static final int MAX_SETS = SessionEventContract.MAX_SETS;
    static final int MAX_REPS = SessionEventContract.MAX_REPS;
    static final int MAX_HOLD_SECONDS = SessionEventContract.MAX_HOLD_SECONDS;

    private final CatalogCopy catalog;
    private final Duration maxFutureSkew;
    private final Duration maxAge;

    EventRules(CatalogCopy catalog, Duration maxFutureSkew, Duration maxAge) {
        this.catalog = catalog;
        this.maxFutureSkew = maxFutureSkew;
        this.maxAge = maxAge;
    }

    void check(List<SubmittedEvent> events, Instant now, Violations batch) {
        for (int i = 0; i < events.size(); i++) {
            SubmittedEvent e = events.get(i);
            Violations v = batch.forItem(i);
            if (e == null) {
                v.add("body", "must be an event object");
                continue;
            }
            v.present(e.eventId(), "eventId");
            occurredAt(e, now, v);
            if (!v.present(e.type(), "type")) {
                continue;
            }
            switch (e.type()) {
                case EXERCISE_COMPLETED -> exerciseCompleted(e, v);
                case PAIN_REPORTED -> painReported(e, v);
                case ENROLLMENT_STARTED, ENROLLMENT_ENDED ->
                        v.add("type", "enrollments are posted to /patients/{patientId}/enrollments");
                case PRESCRIPTION_CHANGED ->
                        v.add("type", "prescriptions are written at /patients/{patientId}/prescription");
            }
        }
    }

    private void occurredAt(SubmittedEvent e, Instant now, Violations v) {
        if (v.present(e.occurredAt(), "occurredAt")) {
            Instant at = e.occurredAt().toInstant();
            v.check(!at.isAfter(now.plus(maxFutureSkew)), "occurredAt",
                    "is more than " + maxFutureSkew.toMinutes() + " minutes in the future");
            v.check(!at.isBefore(now.minus(maxAge)), "occurredAt", "is more than " + maxAge.toDays() + " days ago");
        }
    }

    private void exerciseCompleted(SubmittedEvent e, Violations v) {
        Optional<ExerciseDefinition> exercise = knownExercise(e.exerciseId(), true, v);
        if (exercise.isPresent() && Boolean.TRUE.equals(exercise.get().dosage().perSide())) {
            v.check(e.side() != null, "side", "is required: " + e.exerciseId() + " is done on each side");
        }
        if (v.present(e.sets(), "sets")) {
            v.check(e.sets() >= 1 && e.sets() <= MAX_SETS, "sets", "must be between 1 and " + MAX_SETS);
        }
        if (v.present(e.reps(), "reps")) {
            v.check(e.reps() >= 1 && e.reps() <= MAX_REPS, "reps", "must be between 1 and " + MAX_REPS);
        }
        if (e.holdSeconds() != null) {
            v.check(e.holdSeconds() >= 0 && e.holdSeconds() <= MAX_HOLD_SECONDS, "holdSeconds",
                    "must be between 0 and " + MAX_HOLD_SECONDS);
        }
        if (e.difficulty() != null) {
            v.check(e.difficulty() >= 1 && e.difficulty() <= 5, "difficulty", "must be between 1 and 5");
        }
        notApplicable(v, "EXERCISE_COMPLETED", "score", e.score(), "location", e.location(), "context", e.context(),
                "newPain", e.newPain(), "redFlags", e.redFlags());
    }

    private void painReported(SubmittedEvent e, Violations v) {
        if (v.present(e.score(), "score")) {
            v.check(e.score() >= 0 && e.score() <= 10, "score", "must be between 0 and 10 (numeric rating scale)");
        }
        v.present(e.location(), "location");
        v.present(e.side(), "side");
        if (v.present(e.context(), "context")) {
            if (e.context().isAboutAnExercise()) {
                knownExercise(e.exerciseId(), true, v);
            } else if (e.exerciseId() != null) {
                knownExercise(e.exerciseId(), false, v);
            }
        }
        if (e.redFlags() != null) {
            v.check(e.redFlags().stream().noneMatch(java.util.Objects::isNull) && new HashSet<>(e.redFlags()).size() == e.redFlags().size(),
                    "redFlags", "must list each symptom once");
        }
        notApplicable(v, "PAIN_REPORTED", "sets", e.sets(), "reps", e.reps(), "holdSeconds", e.holdSeconds(),
                "difficulty", e.difficulty());
    }

    private Optional<ExerciseDefinition> knownExercise(String id, boolean required, Violations v) {
        if (id == null) {
            v.check(!required, "exerciseId", "is required");
            return Optional.empty();
        }
        Optional<ExerciseDefinition> exercise = catalog.exercise(id);
        v.check(exercise.isPresent(), "exerciseId", unknownExercise(id));
        return exercise;
    }

    /** The caller's id is repeated only when it is an id, never any text they sent. */
    static String unknownExercise(String id) {
        return Ids.valid(id) ? "unknown exercise '" + id + "'" : "is not an exercise of the catalog";
    }

    /** A field of the other event type is a client mistake worth telling, not something to drop silently. */
    private static void notApplicable(Violations v, String type, Object... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            v.check(namesAndValues[i + 1] == null, (String) namesAndValues[i], "is not a field of " + type);
        }
    }

}
