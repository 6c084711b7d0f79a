package org.sciaticahep.contracts.catalog;

import java.time.Instant;
import java.util.List;

/** One version of a program template as the catalog publishes it on {@code program-catalog}. */
public record ProgramDefinition(
        String id,
        Integer version,
        String name,
        String description,
        List<ProgramExercise> exercises,
        Schedule schedule,
        Instant definedAt) implements CatalogDefinition {

    @Override
    public ProgramDefinition asVersion(String id, int version, Instant definedAt) {
        return new ProgramDefinition(id, version, name, description, exercises, schedule, definedAt);
    }
}
