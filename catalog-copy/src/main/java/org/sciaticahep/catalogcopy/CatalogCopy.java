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
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.sciaticahep.contracts.catalog.CatalogDefinition;
import org.sciaticahep.contracts.catalog.Dosage;
import org.sciaticahep.contracts.catalog.ExerciseDefinition;
import org.sciaticahep.contracts.catalog.ProgramDefinition;
import org.sciaticahep.contracts.catalog.ProgramExercise;
import org.sciaticahep.contracts.session.ItemStatus;
import org.sciaticahep.contracts.session.PrescribedItem;
import org.sciaticahep.contracts.session.PrescriptionVersion;
import org.sciaticahep.contracts.session.SessionEventContract;

/**
 * This service's copy of the catalog: kept in its own database (so it survives restarts while Kafka or the catalog
 * is down) and in memory (so validating an event costs no query). Every version is kept (a catalog is small): the
 * newest answers what the catalog says now, an older program version what a patient was enrolled on. Redelivery and
 * any arrival order give the same copy.
 */
@ApplicationScoped
public class CatalogCopy {

    private static final Logger LOG = Logger.getLogger(CatalogCopy.class);
    private static final String EXERCISE = "exercise/";
    private static final String PROGRAM = "program/";

    private final Map<String, NavigableMap<Integer, ExerciseDefinition>> exercises = new ConcurrentHashMap<>();
    private final Map<String, NavigableMap<Integer, ProgramDefinition>> programs = new ConcurrentHashMap<>();
    private final AtomicLong revision = new AtomicLong();

    @Inject
    ObjectMapper json;

    @Inject
    Pool db;

    void load(@Observes StartupEvent start) throws JsonProcessingException {
        for (Row row : db.query("SELECT definition_key, document FROM catalog_copy_version").execute().await().indefinitely()) {
            if (row.getString(0).startsWith(EXERCISE)) {
                remember(exercises, reader(ExerciseDefinition.class).readValue(row.getString(1)));
            } else {
                remember(programs, reader(ProgramDefinition.class).readValue(row.getString(1)));
            }
        }
        LOG.infof("catalog copy loaded: %d exercises, %d programs", exercises.size(), programs.size());
    }

    /** The newest version of an exercise. */
    public Optional<ExerciseDefinition> exercise(String id) {
        return newest(exercises.get(id));
    }

    /** The newest version of a program. */
    public Optional<ProgramDefinition> program(String id) {
        return newest(programs.get(id));
    }

    /** The dosage prescribed for an exercise of a program: the program's override, else the exercise's own. */
    public Optional<Dosage> prescribedDosage(ProgramDefinition program, ProgramExercise item) {
        if (item.dosage() != null) {
            return Optional.of(item.dosage());
        }
        return exercise(item.exerciseId()).map(ExerciseDefinition::dosage);
    }

    /**
     * Version 1 of a prescription: the snapshot of program version {@code programVersion} as it stood at {@code at}
     * (each exercise's dosage the program's override, else the exercise's own in its version defined by then), in
     * force from {@code startDate}. Empty unless this copy holds exactly that program version and each exercise's
     * version of that moment, and the snapshot keeps the event contract: a guess would differ between services and
     * change as the copies fill, so the caller waits instead (session-service answers 409, insights shows none).
     */
    public Optional<PrescriptionVersion> prescription(String programId, int programVersion, Instant at, LocalDate startDate) {
        NavigableMap<Integer, ProgramDefinition> versions = programs.get(programId);
        ProgramDefinition program = versions == null ? null : versions.get(programVersion);
        if (program == null || program.exercises() == null || program.schedule() == null) {
            return Optional.empty();
        }
        List<PrescribedItem> items = new ArrayList<>();
        for (ProgramExercise pe : program.exercises()) {
            Dosage dosage = pe.dosage();
            if (dosage == null) {
                Optional<ExerciseDefinition> exercise = exerciseAt(pe.exerciseId(), at);
                if (exercise.isEmpty()) {
                    return Optional.empty();
                }
                dosage = exercise.get().dosage();
            }
            items.add(new PrescribedItem(pe.exerciseId(), dosage, ItemStatus.ACTIVE, null));
        }
        PrescriptionVersion first = new PrescriptionVersion(1, startDate, program.id(), program.version(), program.schedule(),
                List.copyOf(items));
        return SessionEventContract.violations(first).isEmpty() ? Optional.of(first) : Optional.empty();
    }

    /** The newest version of an exercise defined by {@code at}; empty when none was. */
    public Optional<ExerciseDefinition> exerciseAt(String id, Instant at) {
        NavigableMap<Integer, ExerciseDefinition> versions = exercises.get(id);
        if (versions == null || at == null) {
            return Optional.empty();
        }
        ExerciseDefinition found = null;
        for (ExerciseDefinition d : versions.values()) {
            if (d.definedAt() != null && !d.definedAt().isAfter(at)) {
                found = d;
            }
        }
        return Optional.ofNullable(found);
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
        // a version is never changed: the first copy of it stays
        return db.preparedQuery("INSERT INTO catalog_copy_version (definition_key, version, document) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(prefix + definition.id(), definition.version(), document)).replaceWithVoid();
    }

    private <D extends CatalogDefinition> void remember(Map<String, NavigableMap<Integer, D>> copy, D definition) {
        if (copy.computeIfAbsent(definition.id(), id -> new ConcurrentSkipListMap<>()).putIfAbsent(definition.version(), definition) == null) {
            revision.incrementAndGet();
        }
    }

    /** How many exercises and programs the copy knows (each counted once, whatever its versions). */
    public int exerciseCount() {
        return exercises.size();
    }

    public int programCount() {
        return programs.size();
    }

    /** Grows whenever the copy learns a definition: what was worked out from an older copy may differ. */
    public long revision() {
        return revision.get();
    }

    private static <D> Optional<D> newest(NavigableMap<Integer, D> versions) {
        return versions == null || versions.isEmpty() ? Optional.empty() : Optional.of(versions.lastEntry().getValue());
    }

    /** Tolerant of fields a newer catalog may add. */
    private <T> ObjectReader reader(Class<T> type) {
        return json.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
