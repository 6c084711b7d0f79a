package org.sciaticahep.insights.domain;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.sciaticahep.contracts.session.Side;

/**
 * Adherence as CareKit counts it: completed over expected. Expected occurrences come from the prescription version in
 * force each day and its schedule, in the patient's time zone, from the start date to the end of care; paused and
 * stopped exercises expect nothing. An occurrence's completion is the mean over its required sides of
 * min(1, repetitions done on that side that local day ÷ (sets × minimum reps)); BOTH counts for both sides, extra
 * work never exceeds 1, and exercises outside the program are not counted.
 */
public final class Adherence {

    private Adherence() {
    }

    /** {@code ratio} is completed ÷ expected, null when nothing was expected. */
    public record Day(LocalDate date, double expected, double completed, Double ratio) {
        Day(LocalDate date, double expected, double completed) {
            this(date, expected, completed, Adherence.ratio(completed, expected));
        }
    }

    /** {@code repetitions}: all done in the period, also on days or in versions where it was not expected. */
    public record PerExercise(String exerciseId, double expected, double completed, Double ratio, long repetitions) {
        PerExercise(String exerciseId, double expected, double completed, long repetitions) {
            this(exerciseId, expected, completed, Adherence.ratio(completed, expected), repetitions);
        }
    }

    public record Report(LocalDate from, LocalDate to, double expected, double completed, Double ratio, List<Day> days,
                         List<PerExercise> exercises) {
        Report(LocalDate from, LocalDate to, double expected, double completed, List<Day> days, List<PerExercise> exercises) {
            this(from, to, expected, completed, Adherence.ratio(completed, expected), days, exercises);
        }

        /** The ratio of the report's days from {@code first} on: a shorter period's, without counting it again. */
        public Double ratioFrom(LocalDate first) {
            double e = 0;
            double c = 0;
            for (Day d : days) {
                if (!d.date().isBefore(first)) {
                    e += d.expected();
                    c += d.completed();
                }
            }
            return Adherence.ratio(c, e);
        }
    }

    /**
     * Adherence over the local days {@code from}..{@code to}, both included (clamped to the care's start and end
     * dates), from the daily aggregates of those days: each day against the prescription version in force that day.
     */
    public static Report compute(Facts.Enrollment enrollment, Prescription prescription,
                                 NavigableMap<LocalDate, PatientDay> done, LocalDate from, LocalDate to) {
        LocalDate first = from.isBefore(enrollment.startDate()) ? enrollment.startDate() : from;
        LocalDate last = enrollment.lastDayOfCare(to);
        List<Day> days = new ArrayList<>();
        Map<String, double[]> perExercise = new LinkedHashMap<>();
        prescription.exerciseIds().forEach(id -> perExercise.put(id, new double[3]));
        double expected = 0;
        double completed = 0;
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            PatientDay reported = done.get(day);
            if (reported != null) {
                for (Map.Entry<String, Map<Side, Long>> exercise : reported.repetitions().entrySet()) {
                    double[] totals = perExercise.get(exercise.getKey());
                    if (totals != null) {
                        for (long reps : exercise.getValue().values()) {
                            totals[2] += reps;
                        }
                    }
                }
            }
            Prescription.Version version = prescription.inForce(day);
            if (version == null || !version.schedules(day)) {
                continue;
            }
            double dayExpected = 0;
            double dayCompleted = 0;
            for (Prescription.Item item : version.items()) {
                if (!item.expected()) {
                    continue;
                }
                Map<Side, Long> sides = reported == null ? Map.of() : reported.repetitionsOf(item.exerciseId());
                double itemCompleted = occurrencesCompleted(item, version.timesPerDay(), sides);
                dayExpected += version.timesPerDay();
                dayCompleted += itemCompleted;
                double[] totals = perExercise.get(item.exerciseId());
                totals[0] += version.timesPerDay();
                totals[1] += itemCompleted;
            }
            days.add(new Day(day, dayExpected, dayCompleted));
            expected += dayExpected;
            completed += dayCompleted;
        }
        List<PerExercise> exercises = new ArrayList<>();
        perExercise.forEach((id, t) -> exercises.add(new PerExercise(id, t[0], t[1], (long) t[2])));
        return new Report(first, last, expected, completed, days, exercises);
    }

    /**
     * Occurrences of one exercise completed on one day. With several occurrences a day, the day's repetitions
     * count towards all of them together (times per day × the dosage).
     */
    static double occurrencesCompleted(Prescription.Item item, int timesPerDay, Map<Side, Long> reps) {
        double required = (double) item.requiredReps() * timesPerDay;
        if (!item.perSide()) {
            long total = 0;
            for (long r : reps.values()) {
                total += r;
            }
            return timesPerDay * Math.min(1.0, total / required);
        }
        long both = reps.getOrDefault(Side.BOTH, 0L);
        double left = Math.min(1.0, (reps.getOrDefault(Side.LEFT, 0L) + both) / required);
        double right = Math.min(1.0, (reps.getOrDefault(Side.RIGHT, 0L) + both) / required);
        return timesPerDay * (left + right) / 2;
    }

    static Double ratio(double completed, double expected) {
        return expected == 0 ? null : completed / expected;
    }
}
