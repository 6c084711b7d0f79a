package org.sciaticahep.catalog.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.sciaticahep.catalog.domain.ProgramCatalog;
import org.sciaticahep.catalog.domain.VersionedCatalog;
import org.sciaticahep.contracts.catalog.ProgramDefinition;

@Path("/programs")
@Tag(name = "programs", description = "Program templates: exercises with dosage overrides and a schedule")
public class ProgramResource extends DefinitionResource<ProgramDefinition> {

    @Inject
    ProgramCatalog programs;

    @Override
    protected VersionedCatalog<ProgramDefinition> catalog() {
        return programs;
    }
}
