package org.sciaticahep.insights.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.sciaticahep.contracts.session.Side;

/**
 * What one patient reported on one local day, summed over the day's reports (the stored aggregates, all places
 * together): what the time-based rules, adherence and pain read, so their cost grows with days, never with reports.
 * Resting scores (check-in, before exercise) are kept apart from scores during or after exercise.
 *
 * @param repetitions exercise id → side → sets × reps done that day (BOTH for a completion without a side)
 * @param efforts     exercise id → how it was done that day beyond repetitions (absent: not done)
 */
public record PatientDay(LocalDate date, int restingReports, long restingSum, Integer restingMax, Instant lastRestingAt,
                         int exerciseReports, long exerciseSum, Integer exerciseMax,
                         Map<String, Map<Side, Long>> repetitions, Map<String, Effort> efforts) {

    /**
     * How an exercise was done on a day: completions per side (BOTH for none); of the completions stored with their
     * details, how many, the sum and count of the difficulties given (1 easy - 5 hard), the shortest hold (0 for one
     * without a hold) and the fewest repetitions (sets × reps) of one; null when none has details.
     */
    public record Effort(Map<Side, Integer> completions, int withDetails, long difficultySum, int difficultyCount,
                         Integer shortestHold, Long fewestReps) {

        Effort plus(Effort other) {
            Map<Side, Integer> both = new EnumMap<>(Side.class);
            both.putAll(completions);
            other.completions.forEach((side, n) -> both.merge(side, n, Integer::sum));
            return new Effort(Collections.unmodifiableMap(both), withDetails + other.withDetails, difficultySum + other.difficultySum,
                    difficultyCount + other.difficultyCount, min(shortestHold, other.shortestHold), min(fewestReps, other.fewestReps));
        }

        /** Completions stored before their details were kept. */
        public int withoutDetails() {
            return completions.values().stream().mapToInt(Integer::intValue).sum() - withDetails;
        }
    }

    public static PatientDay empty(LocalDate date) {
        return new PatientDay(date, 0, 0, null, null, 0, 0, null, Map.of(), Map.of());
    }

    /** This day with pain scores added (one place's sums). */
    public PatientDay withPain(int restCount, long restSum, Integer restMax, Instant restLastAt, int exerciseCount,
                               long exerciseSumAdded, Integer exerciseMaxAdded) {
        return new Builder(this).addPain(restCount, restSum, restMax, restLastAt, exerciseCount, exerciseSumAdded, exerciseMaxAdded)
                .build();
    }

    /** This day with repetitions of an exercise on a side added. */
    public PatientDay withRepetitions(String exerciseId, Side side, long reps) {
        return new Builder(this).addRepetitions(exerciseId, side, reps).build();
    }

    /**
     * Sums a day's stored rows (one per place, one per exercise and side) in place: a year of rows folds into days
     * without copying a day for each row.
     */
    public static final class Builder {
        private final LocalDate date;
        private int restingReports;
        private long restingSum;
        private Integer restingMax;
        private Instant lastRestingAt;
        private int exerciseReports;
        private long exerciseSum;
        private Integer exerciseMax;
        private final Map<String, Map<Side, Long>> repetitions = new HashMap<>();
        private final Map<String, Effort> efforts = new HashMap<>();
        private boolean built;

        public Builder(LocalDate date) {
            this.date = date;
        }

        private Builder(PatientDay day) {
            this(day.date);
            addPain(day.restingReports, day.restingSum, day.restingMax, day.lastRestingAt, day.exerciseReports,
                    day.exerciseSum, day.exerciseMax);
            day.repetitions.forEach((id, sides) -> sides.forEach((side, reps) -> addRepetitions(id, side, reps)));
            efforts.putAll(day.efforts);
        }

        public Builder addPain(int restCount, long restSum, Integer restMax, Instant restLastAt, int exerciseCount,
                               long exerciseSumAdded, Integer exerciseMaxAdded) {
            open();
            restingReports += restCount;
            restingSum += restSum;
            restingMax = max(restingMax, restMax);
            lastRestingAt = latest(lastRestingAt, restLastAt);
            exerciseReports += exerciseCount;
            exerciseSum += exerciseSumAdded;
            exerciseMax = max(exerciseMax, exerciseMaxAdded);
            return this;
        }

        public Builder addRepetitions(String exerciseId, Side side, long reps) {
            open();
            repetitions.computeIfAbsent(exerciseId, id -> new EnumMap<>(Side.class)).merge(side, reps, Long::sum);
            return this;
        }

        public Builder addEffort(String exerciseId, Side side, int completions, int withDetails, long difficultySum,
                                 int difficultyCount, Integer shortestHold, Long fewestReps) {
            open();
            efforts.merge(exerciseId, new Effort(Map.of(side, completions), withDetails, difficultySum, difficultyCount,
                    shortestHold, fewestReps), Effort::plus);
            return this;
        }

        /** The day, holding this builder's maps (read-only, not copied: a year of days is read per request). */
        public PatientDay build() {
            open();
            built = true;
            repetitions.replaceAll((id, sides) -> Collections.unmodifiableMap(sides));
            return new PatientDay(date, restingReports, restingSum, restingMax, lastRestingAt, exerciseReports, exerciseSum,
                    exerciseMax, Collections.unmodifiableMap(repetitions), Collections.unmodifiableMap(efforts));
        }

        private void open() {
            if (built) {
                throw new IllegalStateException("this day was built already");
            }
        }
    }

    public int painReports() {
        return restingReports + exerciseReports;
    }

    /** Mean of every score of the day; null without any. */
    public Double painMean() {
        return painReports() == 0 ? null : (double) (restingSum + exerciseSum) / painReports();
    }

    public Double restingMean() {
        return restingReports == 0 ? null : (double) restingSum / restingReports;
    }

    public Double exerciseMean() {
        return exerciseReports == 0 ? null : (double) exerciseSum / exerciseReports;
    }

    public Integer painMax() {
        return max(restingMax, exerciseMax);
    }

    public Map<Side, Long> repetitionsOf(String exerciseId) {
        return repetitions.getOrDefault(exerciseId, Map.of());
    }

    /** How the exercise was done that day; null when it was not. */
    public Effort effortOf(String exerciseId) {
        return efforts.get(exerciseId);
    }

    /**
     * Sessions of the exercise that day: its completions, and for one done per side those of the side done less
     * often (BOTH counts for either).
     */
    public int sessionsOf(String exerciseId, boolean perSide) {
        Effort e = efforts.get(exerciseId);
        if (e == null) {
            return 0;
        }
        Map<Side, Integer> c = e.completions();
        if (!perSide) {
            return c.values().stream().mapToInt(Integer::intValue).sum();
        }
        int both = c.getOrDefault(Side.BOTH, 0);
        return Math.min(c.getOrDefault(Side.LEFT, 0), c.getOrDefault(Side.RIGHT, 0)) + both;
    }

    private static Integer max(Integer a, Integer b) {
        return a == null ? b : b == null ? a : Integer.valueOf(Math.max(a, b));
    }

    private static <T extends Comparable<T>> T min(T a, T b) {
        return a == null ? b : b == null ? a : a.compareTo(b) <= 0 ? a : b;
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}
