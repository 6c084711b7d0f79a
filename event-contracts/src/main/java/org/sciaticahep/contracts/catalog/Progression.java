package org.sciaticahep.contracts.catalog;

/**
 * How an exercise's dosage builds up ("moving up to multiple sets when it is comfortable", "build up this number over
 * time"), in the order the steps are taken: repetitions, then sets, then the hold. Each step raises the low end of its
 * range (the sets for sets) by {@code by}, up to {@code max}; a step that is null is not taken.
 */
public record Progression(Step reps, Step sets, Step holdSeconds) {

    public record Step(Integer by, Integer max) {
    }
}
