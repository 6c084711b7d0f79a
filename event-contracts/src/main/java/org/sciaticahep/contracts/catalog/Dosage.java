package org.sciaticahep.contracts.catalog;

/**
 * How much of an exercise makes one session of it.
 *
 * @param sets        number of sets
 * @param reps        repetitions per set (per side when {@code perSide})
 * @param holdSeconds how long each repetition is held; null when the exercise is not held
 * @param perSide     done once for each leg or side of the body
 */
public record Dosage(Integer sets, Range reps, Range holdSeconds, Boolean perSide) {
}
