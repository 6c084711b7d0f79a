package org.sciaticahep.insights.domain;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.sciaticahep.contracts.catalog.Dosage;
import org.sciaticahep.contracts.catalog.ExerciseDefinition;
import org.sciaticahep.contracts.session.ItemStatus;
import org.sciaticahep.contracts.session.PrescribedItem;
import org.sciaticahep.contracts.session.PrescriptionVersion;
import org.sciaticahep.contracts.session.Side;

/**
 * What a patient's app shows on its home screen: today's local date, each exercise of the prescription in force today
 * with how to do it, its dosage and status, what was done today per side and what remains, and the day's completion.
 */
public final class TodayPlan {

    private TodayPlan() {
    }

    /**
     * @param done      repetitions done today per side (BOTH: without a side)
     * @param remaining repetitions still to do today per side (LEFT and RIGHT for a per-side exercise, else BOTH);
     *                  empty for an exercise not expected
     * @param completed occurrences of it completed today, of {@code timesPerDay}
     */
    public record Item(String exerciseId, String name, List<String> steps, List<String> cautions, Dosage dosage,
                       ItemStatus status, String reason, Map<Side, Long> done, Map<Side, Long> remaining, double completed) {
    }

    /** {@code version} null (and no items) before the prescription starts or after care ended. */
    public record Today(String patientId, LocalDate date, Integer version, int timesPerDay, boolean scheduled,
                        List<Item> items, Double completion) {
    }

    public static Today of(Facts.Enrollment e, List<PrescriptionVersion> published, PatientDay done, LocalDate today,
                           Function<String, Optional<ExerciseDefinition>> exercises) {
        Prescription prescription = Prescription.fromPublished(published);
        Prescription.Version version = today.isBefore(e.startDate()) || e.lastDayOfCare(today).isBefore(today)
                ? null : prescription.inForce(today);
        if (version == null) {
            return new Today(e.patientId(), today, null, 0, false, List.of(), null);
        }
        PrescriptionVersion inForce = published.stream().filter(p -> p.version() == version.number()).findFirst().orElseThrow();
        boolean scheduled = version.schedules(today);
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < inForce.items().size(); i++) {
            PrescribedItem p = inForce.items().get(i);
            Prescription.Item item = version.items().get(i);
            Map<Side, Long> reps = done == null ? Map.of() : done.repetitionsOf(p.exerciseId());
            boolean expected = scheduled && item.expected();
            Optional<ExerciseDefinition> definition = exercises.apply(p.exerciseId());
            items.add(new Item(p.exerciseId(), definition.map(ExerciseDefinition::name).orElse(null),
                    definition.map(ExerciseDefinition::steps).orElse(List.of()),
                    definition.map(ExerciseDefinition::cautions).orElse(List.of()), p.dosage(), p.status(), p.reason(),
                    bySide(reps),
                    expected ? remaining(item, version.timesPerDay(), reps) : Map.of(),
                    expected ? Adherence.occurrencesCompleted(item, version.timesPerDay(), reps) : 0));
        }
        NavigableMap<LocalDate, PatientDay> days = new TreeMap<>();
        if (done != null) {
            days.put(today, done);
        }
        Double completion = Adherence.compute(e, prescription, days, today, today).ratio();
        return new Today(e.patientId(), today, version.number(), version.timesPerDay(), scheduled, items, completion);
    }

    private static Map<Side, Long> bySide(Map<Side, Long> reps) {
        Map<Side, Long> copy = new EnumMap<>(Side.class);
        copy.putAll(reps);
        return copy;
    }

    /** Repetitions left for the day's occurrences (BOTH counts for either side, as adherence counts it). */
    static Map<Side, Long> remaining(Prescription.Item item, int timesPerDay, Map<Side, Long> reps) {
        long required = (long) item.requiredReps() * timesPerDay;
        Map<Side, Long> left = new EnumMap<>(Side.class);
        if (item.perSide()) {
            long both = reps.getOrDefault(Side.BOTH, 0L);
            left.put(Side.LEFT, Math.max(0, required - reps.getOrDefault(Side.LEFT, 0L) - both));
            left.put(Side.RIGHT, Math.max(0, required - reps.getOrDefault(Side.RIGHT, 0L) - both));
        } else {
            left.put(Side.BOTH, Math.max(0, required - reps.values().stream().mapToLong(Long::longValue).sum()));
        }
        return left;
    }
}
