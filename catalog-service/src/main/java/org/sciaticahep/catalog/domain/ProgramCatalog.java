package org.sciaticahep.catalog.domain;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.sciaticahep.catalog.store.DefinitionStore;
import org.sciaticahep.catalog.store.ProgramVersion;
import org.sciaticahep.catalog.store.PublicationOutbox;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.contracts.catalog.ProgramDefinition;
import org.sciaticahep.contracts.catalog.ProgramExercise;
import org.sciaticahep.support.DosageRules;
import org.sciaticahep.support.Violations;

@Singleton
public class ProgramCatalog extends VersionedCatalog<ProgramDefinition> {

    private final ExerciseCatalog exercises;

    @Inject
    ProgramCatalog(PublicationOutbox outbox, ObjectMapper json, ExerciseCatalog exercises,
                   @ConfigProperty(name = "catalog.topics.programs") String topic) {
        super(new DefinitionStore<>(ProgramVersion.class, ProgramVersion::new), outbox, json,
                new Kind("program", topic, EventTypes.PROGRAM_DEFINED));
        this.exercises = exercises;
    }

    @Override
    protected Uni<Void> validate(ProgramDefinition draft, Violations v) {
        v.notBlank(draft.name(), "name", DefinitionRules.MAX_NAME);
        if (draft.description() != null) {
            v.check(draft.description().length() <= 4 * DefinitionRules.MAX_TEXT, "description",
                    "must be at most " + 4 * DefinitionRules.MAX_TEXT + " characters");
        }
        if (v.present(draft.schedule(), "schedule")) {
            DosageRules.schedule(draft.schedule(), v.under("schedule"));
        }
        List<ProgramExercise> items = draft.exercises();
        if (!v.check(items != null && !items.isEmpty(), "exercises", "must list at least one exercise")
                || !v.check(items.size() <= DefinitionRules.MAX_ITEMS, "exercises",
                "must have at most " + DefinitionRules.MAX_ITEMS + " exercises")) {
            return Uni.createFrom().voidItem();
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            Violations item = v.under("exercises[" + i + "]");
            ProgramExercise pe = items.get(i);
            if (!item.present(pe, "exerciseId") || !item.present(pe.exerciseId(), "exerciseId")) {
                continue;
            }
            item.check(seen.add(pe.exerciseId()), "exerciseId", "is listed more than once");
            if (pe.dosage() != null) {
                DosageRules.dosage(pe.dosage(), item.under("dosage"));
            }
        }
        Set<String> ids = new HashSet<>(seen);
        return exercises.store().known(ids).invoke(known -> {
            for (int i = 0; i < items.size(); i++) {
                ProgramExercise pe = items.get(i);
                String id = pe == null ? null : pe.exerciseId();
                if (id != null && !known.contains(id)) {
                    v.under("exercises[" + i + "]").add("exerciseId", "unknown exercise '" + id + "'");
                }
            }
        }).replaceWithVoid();
    }
}
