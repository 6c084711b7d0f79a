package org.sciaticahep.insights.domain;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The patient page's table of each prescribed exercise: how much of it was done in the last 7 and 28 days, when it
 * was last done, how hard the patient found it, and whether pain got worse with it (the article's "stop if it
 * worsens pain"), all from the daily aggregates of those 28 days.
 */
public final class ExerciseSummaries {

    /**
     * One exercise: adherence of the week and of the 28 days (null: nothing expected), the last day done in the 28
     * days, the mean difficulty given (1 easy – 5 hard; null: none given), the latest day pain rose with it.
     */
    public record Row(String exerciseId, Double adherence7, Double adherence28, LocalDate lastDone, Double difficulty,
                      LocalDate painWorseOn) {
    }

    private ExerciseSummaries() {
    }

    public static List<Row> of(List<String> exerciseIds, Adherence.Report week, Adherence.Report month,
                               NavigableMap<LocalDate, PatientDay> days, List<ProgressionRules.PainEvidence> evidence) {
        List<Row> rows = new ArrayList<>(exerciseIds.size());
        NavigableMap<LocalDate, PatientDay> window = days.subMap(month.from(), true, month.to(), true);
        for (String exerciseId : exerciseIds) {
            LocalDate lastDone = null;
            long difficultySum = 0;
            int difficultyCount = 0;
            for (Map.Entry<LocalDate, PatientDay> day : window.entrySet()) {
                PatientDay.Effort effort = day.getValue().effortOf(exerciseId);
                boolean done = day.getValue().repetitionsOf(exerciseId).values().stream().anyMatch(reps -> reps > 0)
                        || (effort != null && effort.completions().values().stream().anyMatch(n -> n > 0));
                if (done) {
                    lastDone = day.getKey();
                }
                if (effort != null) {
                    difficultySum += effort.difficultySum();
                    difficultyCount += effort.difficultyCount();
                }
            }
            LocalDate worse = null;
            for (ProgressionRules.PainEvidence e : evidence) {
                boolean inWindow = !e.day().isBefore(month.from()) && !e.day().isAfter(month.to());
                if (e.rule() == FlagRule.EXERCISE_WORSENS_PAIN && exerciseId.equals(e.exerciseId()) && inWindow
                        && (worse == null || e.day().isAfter(worse))) {
                    worse = e.day();
                }
            }
            rows.add(new Row(exerciseId, ratio(week, exerciseId), ratio(month, exerciseId), lastDone,
                    difficultyCount == 0 ? null : (double) difficultySum / difficultyCount, worse));
        }
        return rows;
    }

    private static Double ratio(Adherence.Report report, String exerciseId) {
        return report.exercises().stream().filter(x -> x.exerciseId().equals(exerciseId)).findFirst()
                .map(Adherence.PerExercise::ratio).orElse(null);
    }
}
