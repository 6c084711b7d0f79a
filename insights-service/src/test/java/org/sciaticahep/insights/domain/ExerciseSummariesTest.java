package org.sciaticahep.insights.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.sciaticahep.contracts.session.Side;

/** The patient page's per-exercise table, at and around the edges of its 28 days. */
class ExerciseSummariesTest {

    static final LocalDate TODAY = LocalDate.parse("2026-12-02");
    static final LocalDate FROM = TODAY.minusDays(27);
    static final String TILT = "pelvic-tilt";
    static final String KNEE = "knee-to-chest";

    @Test
    void lastDoneDifficultyAndAdherenceOfEachExercise() {
        NavigableMap<LocalDate, PatientDay> days = new TreeMap<>();
        days.put(FROM.minusDays(1), done(FROM.minusDays(1), KNEE, 5)); // before the 28 days: not counted
        days.put(FROM, done(FROM, KNEE, 4));
        days.put(TODAY.minusDays(3), done(TODAY.minusDays(3), TILT, 2));
        days.put(TODAY.minusDays(1), done(TODAY.minusDays(1), TILT, 3));
        List<ExerciseSummaries.Row> rows = ExerciseSummaries.of(List.of(TILT, KNEE, "glute-bridge"),
                report(TODAY.minusDays(6), new Adherence.PerExercise(TILT, 3, 2, 20)),
                report(FROM, new Adherence.PerExercise(TILT, 12, 2, 20), new Adherence.PerExercise(KNEE, 12, 1, 3)),
                days, List.of());

        assertEquals(new ExerciseSummaries.Row(TILT, 2.0 / 3, 2.0 / 12, TODAY.minusDays(1), 2.5, null), rows.get(0));
        assertEquals(new ExerciseSummaries.Row(KNEE, null, 1.0 / 12, FROM, 4.0, null), rows.get(1), "the first day counts, the one before not");
        assertEquals(new ExerciseSummaries.Row("glute-bridge", null, null, null, null, null), rows.get(2), "prescribed, never done");
    }

    @Test
    void painWorseWithAnExerciseIsItsLatestDayWithinTheWindowOfThatRuleOnly() {
        List<ProgressionRules.PainEvidence> evidence = List.of(
                new ProgressionRules.PainEvidence(FlagRule.EXERCISE_WORSENS_PAIN, FROM.minusDays(1), TILT),
                new ProgressionRules.PainEvidence(FlagRule.EXERCISE_WORSENS_PAIN, FROM, KNEE),
                new ProgressionRules.PainEvidence(FlagRule.EXERCISE_WORSENS_PAIN, TODAY.minusDays(5), KNEE),
                new ProgressionRules.PainEvidence(FlagRule.SEVERE_PAIN, TODAY, KNEE),
                new ProgressionRules.PainEvidence(FlagRule.EXERCISE_WORSENS_PAIN, TODAY.plusDays(1), KNEE));
        List<ExerciseSummaries.Row> rows = ExerciseSummaries.of(List.of(TILT, KNEE), report(TODAY.minusDays(6)), report(FROM),
                new TreeMap<>(), evidence);
        assertNull(rows.get(0).painWorseOn(), "the day before the 28 days is not shown");
        assertEquals(TODAY.minusDays(5), rows.get(1).painWorseOn(), "the latest of the rule's days within them");
    }

    private static PatientDay done(LocalDate date, String exerciseId, int difficulty) {
        return new PatientDay.Builder(date).addRepetitions(exerciseId, Side.BOTH, 10)
                .addEffort(exerciseId, Side.BOTH, 1, 1, difficulty, 1, null, 10L).build();
    }

    private static Adherence.Report report(LocalDate from, Adherence.PerExercise... exercises) {
        return new Adherence.Report(from, TODAY, 0, 0, null, List.of(), List.of(exercises));
    }
}
