package org.sciaticahep.contracts.catalog;

/** An exercise in a program; {@code dosage} overrides the exercise's own dosage when present. */
public record ProgramExercise(String exerciseId, Dosage dosage) {
}
