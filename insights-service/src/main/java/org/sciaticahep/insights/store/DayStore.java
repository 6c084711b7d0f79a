package org.sciaticahep.insights.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;
import org.sciaticahep.contracts.session.PainContext;
import org.sciaticahep.contracts.session.PainLocation;
import org.sciaticahep.contracts.session.RedFlag;
import org.sciaticahep.contracts.session.Side;
import org.sciaticahep.insights.domain.Facts;
import org.sciaticahep.insights.domain.PainTrend;
import org.sciaticahep.insights.domain.PatientDay;

/**
 * Reads of bounded windows: daily aggregates of given days, the single pain reports of given times, the first pain at
 * each place, the latest report. Every read names its days, so its cost is that of the days, never of a patient's
 * history. Each takes any number of patients (and of ranges per patient) in one query.
 */
@ApplicationScoped
public class DayStore {

    /** Local days {@code from}..{@code to} of a patient, both included. */
    public record Days(String patientId, LocalDate from, LocalDate to) {
    }

    /** The instants {@code from} (included) .. {@code to} (excluded) of a patient. */
    public record Span(String patientId, Instant from, Instant to) {
    }

    /** The first report of pain at a place. */
    public record FirstPain(Instant at, UUID eventId) {
    }

    /** Which aggregates a read needs. */
    public enum Kinds {
        PAIN,
        EXERCISES,
        BOTH
    }

    /** Each patient's days within the ranges asked, summed over places (days without reports are absent). */
    public Uni<Map<String, NavigableMap<LocalDate, PatientDay>>> days(SqlClient db, Collection<Days> ranges, Kinds kinds) {
        return days(db, kinds == Kinds.EXERCISES ? List.of() : ranges, kinds == Kinds.PAIN ? List.of() : ranges);
    }

    /** As {@link #days(SqlClient, Collection, Kinds)}, the pain of some days and the exercises of others. */
    public Uni<Map<String, NavigableMap<LocalDate, PatientDay>>> days(SqlClient db, Collection<Days> painRanges,
                                                                      Collection<Days> exerciseRanges) {
        if (painRanges.isEmpty() && exerciseRanges.isEmpty()) {
            return Uni.createFrom().item(new HashMap<>());
        }
        Map<String, Map<LocalDate, PatientDay.Builder>> building = new HashMap<>();
        Uni<Void> pain = painRanges.isEmpty() ? Uni.createFrom().voidItem() : db.preparedQuery("""
                        SELECT d.patient_id, d.day, d.location, d.side, d.rest_count, d.rest_sum, d.rest_max, d.rest_last_at,
                               d.exercise_count, d.exercise_sum, d.exercise_max
                        FROM unnest($1::text[], $2::date[], $3::date[]) AS w(patient_id, from_day, to_day)
                        JOIN pain_day d ON d.patient_id = w.patient_id AND d.day BETWEEN w.from_day AND w.to_day""")
                .execute(windows(merged(painRanges))).invoke(rows -> {
                    for (Row r : rows) {
                        day(building, r).addPain(r.getInteger(4), r.getLong(5), r.getInteger(6), instant(r, 7), r.getInteger(8),
                                r.getLong(9), r.getInteger(10));
                    }
                }).replaceWithVoid();
        Uni<Void> exercises = exerciseRanges.isEmpty() ? Uni.createFrom().voidItem() : db.preparedQuery("""
                        SELECT d.patient_id, d.day, d.exercise_id, d.side, d.reps, d.completions, d.with_details,
                               d.difficulty_sum, d.difficulty_count, d.shortest_hold, d.fewest_reps
                        FROM unnest($1::text[], $2::date[], $3::date[]) AS w(patient_id, from_day, to_day)
                        JOIN exercise_day d ON d.patient_id = w.patient_id AND d.day BETWEEN w.from_day AND w.to_day""")
                .execute(windows(merged(exerciseRanges))).invoke(rows -> {
                    for (Row r : rows) {
                        Side side = Side.valueOf(r.getString(3));
                        day(building, r).addRepetitions(r.getString(2), side, r.getLong(4))
                                .addEffort(r.getString(2), side, r.getInteger(5), r.getInteger(6), r.getLong(7), r.getInteger(8),
                                        r.getInteger(9), r.getLong(10));
                    }
                }).replaceWithVoid();
        // sent together: the connection pipelines them (both callbacks run on its event loop, one after the other)
        return Uni.combine().all().unis(pain, exercises).discardItems().map(done -> {
            Map<String, NavigableMap<LocalDate, PatientDay>> all = new HashMap<>();
            building.forEach((patientId, days) -> {
                NavigableMap<LocalDate, PatientDay> built = new TreeMap<>();
                days.forEach((date, day) -> built.put(date, day.build()));
                all.put(patientId, built);
            });
            return all;
        });
    }

    private static PatientDay.Builder day(Map<String, Map<LocalDate, PatientDay.Builder>> building, Row r) {
        return building.computeIfAbsent(r.getString(0), k -> new HashMap<>())
                .computeIfAbsent(r.getLocalDate(1), PatientDay.Builder::new);
    }

    /** Each patient's ranges with overlapping and adjacent ones joined: no row is read twice. */
    static List<Days> merged(Collection<Days> ranges) {
        List<Days> sorted = new ArrayList<>(ranges);
        sorted.sort(java.util.Comparator.comparing(Days::patientId).thenComparing(Days::from));
        List<Days> merged = new ArrayList<>();
        for (Days r : sorted) {
            Days last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last.patientId().equals(r.patientId()) && !r.from().isAfter(last.to().plusDays(1))) {
                merged.set(merged.size() - 1, new Days(r.patientId(), last.from(), r.to().isAfter(last.to()) ? r.to() : last.to()));
            } else {
                merged.add(r);
            }
        }
        return merged;
    }

    /** Each patient's pain reports within the spans asked (spans of one patient do not overlap: days or all). */
    public Uni<Map<String, List<Facts.PainScore>>> reports(SqlClient db, Collection<Span> spans) {
        Map<String, List<Facts.PainScore>> all = new HashMap<>();
        if (spans.isEmpty()) {
            return Uni.createFrom().item(all);
        }
        List<String> patients = new ArrayList<>();
        List<OffsetDateTime> from = new ArrayList<>();
        List<OffsetDateTime> to = new ArrayList<>();
        spans.forEach(s -> {
            patients.add(s.patientId());
            from.add(FactStore.utc(s.from()));
            to.add(FactStore.utc(s.to()));
        });
        return db.preparedQuery("""
                        SELECT r.patient_id, r.event_id, r.occurred_at, r.score, r.location, r.side, r.context,
                               r.exercise_id, r.new_pain, r.red_flags
                        FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) AS w(patient_id, from_at, to_at)
                        JOIN pain_report r ON r.patient_id = w.patient_id AND r.occurred_at >= w.from_at AND r.occurred_at < w.to_at""")
                .execute(Tuple.of(patients.toArray(new String[0]), from.toArray(new OffsetDateTime[0]), to.toArray(new OffsetDateTime[0])))
                .map(rows -> {
                    for (Row r : rows) {
                        all.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(painScore(r));
                    }
                    return all;
                });
    }

    /**
     * The days each enrollment's baseline is made of ({@code PainTrend.Baseline}): its first three local days from the
     * start with resting scores, and its first three with any pain report. A few index steps per patient (the resting
     * days by a partial index), however long their history.
     */
    public Uni<Map<String, PainTrend.BaselineDays>> baselineDays(SqlClient db, Collection<Facts.Enrollment> enrollments) {
        if (enrollments.isEmpty()) {
            return Uni.createFrom().item(new HashMap<>());
        }
        return db.preparedQuery("""
                        SELECT w.patient_id, true, b.day
                          FROM unnest($1::text[], $2::date[]) AS w(patient_id, start_day)
                         CROSS JOIN LATERAL (SELECT DISTINCT r.day FROM (SELECT p.day FROM pain_day p
                                                WHERE p.patient_id = w.patient_id AND p.day >= w.start_day AND p.rest_count > 0
                                                ORDER BY p.day LIMIT %1$d) r ORDER BY r.day LIMIT 3) b
                        UNION ALL
                        SELECT w.patient_id, false, b.day
                          FROM unnest($1::text[], $2::date[]) AS w(patient_id, start_day)
                         CROSS JOIN LATERAL (SELECT DISTINCT r.day FROM (SELECT p.day FROM pain_day p
                                                WHERE p.patient_id = w.patient_id AND p.day >= w.start_day
                                                ORDER BY p.day LIMIT %1$d) r ORDER BY r.day LIMIT 3) b
                        ORDER BY 1, 2, 3""".formatted(THREE_DAYS_OF_PLACES))
                .execute(Tuple.of(enrollments.stream().map(Facts.Enrollment::patientId).toArray(String[]::new),
                        enrollments.stream().map(Facts.Enrollment::startDate).toArray(LocalDate[]::new)))
                .map(rows -> {
                    Map<String, List<LocalDate>> resting = new HashMap<>();
                    Map<String, List<LocalDate>> reporting = new HashMap<>();
                    rows.forEach(r -> (r.getBoolean(1) ? resting : reporting).computeIfAbsent(r.getString(0), k -> new ArrayList<>())
                            .add(r.getLocalDate(2)));
                    Map<String, PainTrend.BaselineDays> all = new HashMap<>();
                    reporting.forEach((id, days) -> all.put(id, new PainTrend.BaselineDays(resting.getOrDefault(id, List.of()), days)));
                    return all;
                });
    }

    /**
     * A pain_day row is a (day, location, side): the rows of three days are at most this many, so the first three days
     * are found in that many index entries, never in a patient's whole history.
     */
    private static final int THREE_DAYS_OF_PLACES = 3 * PainLocation.values().length * Side.values().length;

    /** Each patient's baseline days as one-day ranges to read ({@link #days} joins adjacent ones). */
    public static List<Days> ranges(Map<String, PainTrend.BaselineDays> baselineDays) {
        List<Days> ranges = new ArrayList<>();
        baselineDays.forEach((patientId, days) -> ranges.addAll(ranges(patientId, days)));
        return ranges;
    }

    public static List<Days> ranges(String patientId, PainTrend.BaselineDays days) {
        List<Days> ranges = new ArrayList<>();
        days.resting().forEach(d -> ranges.add(new Days(patientId, d, d)));
        days.reporting().forEach(d -> ranges.add(new Days(patientId, d, d)));
        return ranges;
    }

    /**
     * Each patient's latest local day with an exercise or a pain report (absent: none); an index step at the end of
     * each aggregate, however long the history.
     */
    public Uni<Map<String, LocalDate>> lastActiveDays(SqlClient db, Collection<String> patientIds) {
        return db.preparedQuery("""
                        SELECT p.id, greatest((SELECT max(day) FROM pain_day WHERE patient_id = p.id),
                                              (SELECT max(day) FROM exercise_day WHERE patient_id = p.id))
                          FROM unnest($1::text[]) AS p(id)""")
                .execute(Tuple.of((Object) patientIds.toArray(new String[0]))).map(rows -> {
                    Map<String, LocalDate> all = new HashMap<>();
                    rows.forEach(r -> {
                        if (r.getLocalDate(1) != null) {
                            all.put(r.getString(0), r.getLocalDate(1));
                        }
                    });
                    return all;
                });
    }

    /** The latest pain report of the patient, if any (one index step). */
    public Uni<Facts.PainScore> latestReport(SqlClient db, String patientId) {
        return db.preparedQuery("""
                        SELECT patient_id, event_id, occurred_at, score, location, side, context, exercise_id, new_pain, red_flags
                        FROM pain_report WHERE patient_id = $1 ORDER BY occurred_at DESC, event_id DESC LIMIT 1""")
                .execute(Tuple.of(patientId)).map(rows -> rows.size() == 0 ? null : painScore(rows.iterator().next()));
    }

    /** Each patient's first pain at each place ({@code LOCATION/SIDE}). */
    public Uni<Map<String, Map<String, FirstPain>>> firstPain(SqlClient db, Collection<String> patientIds) {
        return db.preparedQuery("SELECT patient_id, location, side, first_at, first_event_id FROM pain_site WHERE patient_id = ANY($1)")
                .execute(Tuple.of((Object) patientIds.toArray(new String[0]))).map(rows -> {
                    Map<String, Map<String, FirstPain>> all = new HashMap<>();
                    for (Row r : rows) {
                        all.computeIfAbsent(r.getString(0), k -> new LinkedHashMap<>())
                                .put(r.getString(1) + "/" + r.getString(2), new FirstPain(instant(r, 3), r.getUUID(4)));
                    }
                    return all;
                });
    }

    private static Tuple windows(Collection<Days> ranges) {
        List<String> patients = new ArrayList<>();
        List<LocalDate> from = new ArrayList<>();
        List<LocalDate> to = new ArrayList<>();
        ranges.forEach(r -> {
            patients.add(r.patientId());
            from.add(r.from());
            to.add(r.to());
        });
        return Tuple.of(patients.toArray(new String[0]), from.toArray(new LocalDate[0]), to.toArray(new LocalDate[0]));
    }

    static Facts.PainScore painScore(Row r) {
        List<RedFlag> flags = Arrays.stream(r.getArrayOfStrings(9)).map(RedFlag::valueOf).toList();
        return new Facts.PainScore(r.getUUID(1), r.getOffsetDateTime(2).toInstant(), r.getInteger(3),
                PainLocation.valueOf(r.getString(4)), Side.valueOf(r.getString(5)), PainContext.valueOf(r.getString(6)),
                r.getString(7), r.getBoolean(8), flags);
    }

    private static Instant instant(Row r, int column) {
        return r.getOffsetDateTime(column) == null ? null : r.getOffsetDateTime(column).toInstant();
    }
}
