package org.sciaticahep.insights.domain;

import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.contracts.catalog.Dosage;
import org.sciaticahep.contracts.catalog.ProgramDefinition;
import org.sciaticahep.contracts.catalog.ProgramExercise;

/** What a program asks of a patient: each exercise with its dosage, so many times on each scheduled day. */
public record Prescription(String programId, int timesPerDay, Set<DayOfWeek> days, List<Item> items) {

    /** An exercise of the program and the dosage prescribed for it. */
    public record Item(String exerciseId, int sets, int minReps, boolean perSide) {

        /** Repetitions per side (or in all, when not per side) that complete one occurrence. */
        public int requiredReps() {
            return sets * minReps;
        }
    }

    /** The prescription of a program in this service's catalog copy; empty while the program is unknown. */
    public static Optional<Prescription> of(String programId, CatalogCopy catalog) {
        Optional<ProgramDefinition> program = catalog.program(programId);
        if (program.isEmpty()) {
            return Optional.empty();
        }
        List<Item> items = new ArrayList<>();
        for (ProgramExercise pe : program.get().exercises()) {
            Optional<Dosage> dosage = catalog.prescribedDosage(program.get(), pe);
            if (dosage.isEmpty()) {
                return Optional.empty();
            }
            Dosage d = dosage.get();
            boolean perSide = Boolean.TRUE.equals(dosage.get().perSide());
            items.add(new Item(pe.exerciseId(), d.sets(), d.reps().min(), perSide));
        }
        return Optional.of(new Prescription(programId, program.get().schedule().timesPerDay(),
                Set.copyOf(program.get().schedule().daysOfWeek()), List.copyOf(items)));
    }
}
