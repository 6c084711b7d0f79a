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
 * @param difficulties exercise id → the difficulties the patient gave its completions that day (absent: none given)
 */
public record PatientDay(LocalDate date, int restingReports, long restingSum, Integer restingMax, Instant lastRestingAt,
                         int exerciseReports, long exerciseSum, Integer exerciseMax,
                         Map<String, Map<Side, Long>> repetitions, Map<String, Difficulty> difficulties) {

    /** Difficulties given (1 easy - 5 hard): their sum and how many. */
    public record Difficulty(long sum, int count) {

        Difficulty plus(Difficulty other) {
            return new Difficulty(sum + other.sum, count + other.count);
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

    /** This day with difficulties given to an exercise added. */
    public PatientDay withDifficulty(String exerciseId, long sum, int count) {
        return new Builder(this).addDifficulty(exerciseId, sum, count).build();
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
        private final Map<String, Difficulty> difficulties = new HashMap<>();

        public Builder(LocalDate date) {
            this.date = date;
        }

        private Builder(PatientDay day) {
            this(day.date);
            addPain(day.restingReports, day.restingSum, day.restingMax, day.lastRestingAt, day.exerciseReports,
                    day.exerciseSum, day.exerciseMax);
            day.repetitions.forEach((id, sides) -> sides.forEach((side, reps) -> addRepetitions(id, side, reps)));
            difficulties.putAll(day.difficulties);
        }

        public Builder addPain(int restCount, long restSum, Integer restMax, Instant restLastAt, int exerciseCount,
                               long exerciseSumAdded, Integer exerciseMaxAdded) {
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
            repetitions.computeIfAbsent(exerciseId, id -> new EnumMap<>(Side.class)).merge(side, reps, Long::sum);
            return this;
        }

        public Builder addDifficulty(String exerciseId, long sum, int count) {
            if (count > 0) {
                difficulties.merge(exerciseId, new Difficulty(sum, count), Difficulty::plus);
            }
            return this;
        }

        public PatientDay build() {
            Map<String, Map<Side, Long>> frozen = new HashMap<>();
            repetitions.forEach((id, sides) -> frozen.put(id, Collections.unmodifiableMap(new EnumMap<>(sides))));
            return new PatientDay(date, restingReports, restingSum, restingMax, lastRestingAt, exerciseReports, exerciseSum,
                    exerciseMax, Collections.unmodifiableMap(frozen), Map.copyOf(difficulties));
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

    /** The difficulties given to the exercise's completions that day; null when none was given. */
    public Difficulty difficultyOf(String exerciseId) {
        return difficulties.get(exerciseId);
    }

    private static Integer max(Integer a, Integer b) {
        return a == null ? b : b == null ? a : Integer.valueOf(Math.max(a, b));
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}
