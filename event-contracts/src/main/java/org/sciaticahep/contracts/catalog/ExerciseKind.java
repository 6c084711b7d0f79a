package org.sciaticahep.contracts.catalog;

public enum ExerciseKind {
    STRETCH,
    STRENGTHENING,
    MOBILITY
}
