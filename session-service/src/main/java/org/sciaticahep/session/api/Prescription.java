package org.sciaticahep.session.api;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.contracts.catalog.Dosage;
import org.sciaticahep.contracts.catalog.ExerciseDefinition;
import org.sciaticahep.contracts.catalog.Schedule;
import org.sciaticahep.contracts.session.ItemStatus;
import org.sciaticahep.contracts.session.PrescriptionVersion;
import org.sciaticahep.session.domain.WrittenVersion;

/** One version of a patient's prescription as the app and the clinician read it: each exercise with its name. */
public record Prescription(UUID enrollmentId, String patientId, int version, LocalDate effectiveFrom, String programId,
                           int programVersion, Schedule schedule, List<Item> items, String changedBy, Instant changedAt) {

    /** {@code name} is the catalog's (null while the catalog copy does not know the exercise). */
    public record Item(String exerciseId, String name, Dosage dosage, ItemStatus status, String reason) {
    }

    static Prescription of(WrittenVersion w, CatalogCopy catalog) {
        PrescriptionVersion p = w.prescription();
        List<Item> items = p.items().stream()
                .map(i -> new Item(i.exerciseId(), catalog.exercise(i.exerciseId()).map(ExerciseDefinition::name).orElse(null),
                        i.dosage(), i.status(), i.reason()))
                .toList();
        return new Prescription(w.enrollmentId(), w.patientId(), p.version(), p.effectiveFrom(), p.programId(),
                p.programVersion(), p.schedule(), items, w.changedBy(), w.changedAt());
    }
}
