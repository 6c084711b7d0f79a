package org.sciaticahep.catalog.domain;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.sciaticahep.catalog.store.DefinitionStore;
import org.sciaticahep.catalog.store.ExerciseVersion;
import org.sciaticahep.catalog.store.PublicationOutbox;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.contracts.catalog.ExerciseDefinition;
import org.sciaticahep.support.Violations;

@Singleton
public class ExerciseCatalog extends VersionedCatalog<ExerciseDefinition> {

    @Inject
    ExerciseCatalog(PublicationOutbox outbox, ObjectMapper json,
                    @ConfigProperty(name = "catalog.topics.exercises") String topic) {
        super(new DefinitionStore<>(ExerciseVersion.class, ExerciseVersion::new), outbox, json,
                new Kind("exercise", topic, EventTypes.EXERCISE_DEFINED));
    }

    @Override
    protected Uni<Void> validate(ExerciseDefinition draft, Violations v) {
        DefinitionRules.exercise(draft, v);
        return Uni.createFrom().voidItem();
    }
}
