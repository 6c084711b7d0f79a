package org.sciaticahep.catalogcopy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.sciaticahep.contracts.catalog.CatalogDefinition;
import org.sciaticahep.contracts.catalog.Dosage;
import org.sciaticahep.contracts.catalog.ExerciseDefinition;
import org.sciaticahep.contracts.catalog.ProgramDefinition;
import org.sciaticahep.contracts.catalog.ProgramExercise;

/**
 * This service's copy of the catalog: kept in its own database (so it survives restarts while Kafka or the catalog
 * is down) and in memory (so validating an event costs no query). A version only ever replaces an older one, so
 * redelivery and any arrival order give the same copy.
 */
@ApplicationScoped
public class CatalogCopy {

    private static final Logger LOG = Logger.getLogger(CatalogCopy.class);
    private static final String EXERCISE = "exercise/";
    private static final String PROGRAM = "program/";

    private final Map<String, ExerciseDefinition> exercises = new ConcurrentHashMap<>();
    private final Map<String, ProgramDefinition> programs = new ConcurrentHashMap<>();

    @Inject
    ObjectMapper json;

    @Inject
    Pool db;

    void load(@Observes StartupEvent start) throws JsonProcessingException {
        for (Row row : db.query("SELECT definition_key, document FROM catalog_copy").execute().await().indefinitely()) {
            if (row.getString(0).startsWith(EXERCISE)) {
                remember(exercises, reader(ExerciseDefinition.class).readValue(row.getString(1)));
            } else {
                remember(programs, reader(ProgramDefinition.class).readValue(row.getString(1)));
            }
        }
        LOG.infof("catalog copy loaded: %d exercises, %d programs", exercises.size(), programs.size());
    }

    public Optional<ExerciseDefinition> exercise(String id) {
        return Optional.ofNullable(exercises.get(id));
    }

    public Optional<ProgramDefinition> program(String id) {
        return Optional.ofNullable(programs.get(id));
    }

    /** The dosage prescribed for an exercise of a program: the program's override, else the exercise's own. */
    public Optional<Dosage> prescribedDosage(ProgramDefinition program, ProgramExercise item) {
        if (item.dosage() != null) {
            return Optional.of(item.dosage());
        }
        return exercise(item.exerciseId()).map(ExerciseDefinition::dosage);
    }

    Uni<Void> acceptExercise(String document) throws JsonProcessingException {
        ExerciseDefinition definition = reader(ExerciseDefinition.class).readValue(document);
        return store(EXERCISE, definition, document).invoke(() -> remember(exercises, definition));
    }

    Uni<Void> acceptProgram(String document) throws JsonProcessingException {
        ProgramDefinition definition = reader(ProgramDefinition.class).readValue(document);
        return store(PROGRAM, definition, document).invoke(() -> remember(programs, definition));
    }

    private Uni<Void> store(String prefix, CatalogDefinition definition, String document) {
        return db.preparedQuery("""
                        INSERT INTO catalog_copy (definition_key, version, document) VALUES ($1, $2, $3)
                        ON CONFLICT (definition_key) DO UPDATE SET version = excluded.version,
                            document = excluded.document, copied_at = now()
                        WHERE catalog_copy.version < excluded.version""")
                .execute(Tuple.of(prefix + definition.id(), definition.version(), document)).replaceWithVoid();
    }

    private static <D extends CatalogDefinition> void remember(Map<String, D> copy, D definition) {
        copy.merge(definition.id(), definition, (old, incoming) -> incoming.version() > old.version() ? incoming : old);
    }

    /** Tolerant of fields a newer catalog may add. */
    private <T> ObjectReader reader(Class<T> type) {
        return json.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
