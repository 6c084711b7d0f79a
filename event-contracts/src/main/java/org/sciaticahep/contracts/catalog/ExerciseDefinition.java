package org.sciaticahep.contracts.catalog;

import java.time.Instant;
import java.util.List;

/** One version of an exercise as the catalog publishes it on {@code exercise-catalog}; {@code progression} is optional. */
public record ExerciseDefinition(
        String id,
        Integer version,
        String name,
        List<String> aliases,
        ExerciseKind kind,
        List<String> targetMuscles,
        List<String> steps,
        Dosage dosage,
        List<String> cautions,
        Progression progression,
        Instant definedAt) implements CatalogDefinition {

    @Override
    public ExerciseDefinition asVersion(String id, int version, Instant definedAt) {
        return new ExerciseDefinition(id, version, name, aliases, kind, targetMuscles, steps, dosage, cautions, progression, definedAt);
    }
}
