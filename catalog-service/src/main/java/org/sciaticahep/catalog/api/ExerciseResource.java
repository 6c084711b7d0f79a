package org.sciaticahep.catalog.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.sciaticahep.catalog.domain.ExerciseCatalog;
import org.sciaticahep.catalog.domain.VersionedCatalog;
import org.sciaticahep.contracts.catalog.ExerciseDefinition;

@Path("/exercises")
@Tag(name = "exercises", description = "Exercise definitions: steps, dosage, target muscles, cautions")
public class ExerciseResource extends DefinitionResource<ExerciseDefinition> {

    @Inject
    ExerciseCatalog exercises;

    @Override
    protected VersionedCatalog<ExerciseDefinition> catalog() {
        return exercises;
    }
}
