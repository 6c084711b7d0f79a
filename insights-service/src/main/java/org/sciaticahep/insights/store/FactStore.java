package org.sciaticahep.insights.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.sciaticahep.contracts.session.EnrollmentEnded;
import org.sciaticahep.contracts.session.EnrollmentStarted;
import org.sciaticahep.contracts.session.ExerciseCompleted;
import org.sciaticahep.contracts.session.PainContext;
import org.sciaticahep.contracts.session.PainReported;
import org.sciaticahep.insights.domain.Facts;
import org.sciaticahep.insights.domain.PatientOrder;

/** The facts insights keeps and their daily aggregates, written set-wise with the reactive client; patients' state and locks. */
@ApplicationScoped
public class FactStore {

    @Inject
    Pool pool;

    public <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work);
    }

    public SqlClient client() {
        return pool;
    }

    /** Records the ids as processed; answers those that were not already (the ones to apply). */
    public Uni<Set<UUID>> markProcessed(SqlConnection tx, List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return tx.preparedQuery("INSERT INTO processed_event (event_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id")
                .execute(Tuple.of(ids.toArray(new UUID[0])))
                .map(rows -> {
                    Set<UUID> fresh = new HashSet<>();
                    rows.forEach(r -> fresh.add(r.getUUID(0)));
                    return fresh;
                });
    }

    /**
     * Locks the patients for the rest of the transaction, in one order for everyone (no deadlock between two
     * transactions locking overlapping sets): whoever derives a patient's flags holds their lock.
     */
    public Uni<Void> lockPatients(SqlConnection tx, List<String> patientIds) {
        return tx.preparedQuery("""
                        SELECT pg_advisory_xact_lock(%d, key) FROM (SELECT DISTINCT hashtext(p) AS key FROM unnest($1::text[]) p
                                                                 ORDER BY key) keys""".formatted(PATIENT_LOCKS))
                .execute(ids(patientIds)).replaceWithVoid();
    }

    /** The advisory lock space of patients (two-key locks never meet the one-key locks of relays and rebuilds). */
    private static final int PATIENT_LOCKS = 8101;

    /** Ends the enrollments; the last day of care is the event's endDate, or (without one) the local date of the end. */
    public Uni<Void> endEnrollments(SqlConnection tx, List<EnrollmentEnded> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = events.stream().map(e -> Tuple.tuple(Arrays.asList(e.enrollmentId(), e.occurredAt(), e.reason(),
                e.endDate()))).toList();
        return tx.preparedQuery("""
                        UPDATE enrollment SET ended_at = $2, end_reason = $3, end_date = $4
                        WHERE enrollment_id = $1 AND ended_at IS NULL""")
                .executeBatch(rows).replaceWithVoid();
    }

    /**
     * Adds the enrollments and counts each patient's days in their latest enrollment's time zone: a patient whose zone
     * changed has their aggregates derived again from their facts (a new enrollment is rare; a new patient has none).
     */
    public Uni<Void> addEnrollments(SqlConnection tx, List<EnrollmentStarted> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = events.stream().map(e -> Tuple.tuple(Arrays.asList(e.enrollmentId(), e.patientId(),
                e.programId(), e.programVersion(), e.startDate(), e.timezone(), e.clinicianId(), e.occurredAt()))).toList();
        List<String> patientIds = events.stream().map(EnrollmentStarted::patientId).distinct().toList();
        return tx.preparedQuery("""
                        INSERT INTO enrollment (enrollment_id, patient_id, program_id, program_version, start_date, timezone,
                                                clinician_id, enrolled_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING""")
                .executeBatch(rows)
                .chain(() -> tx.preparedQuery("""
                                INSERT INTO patient_state (patient_id, zone)
                                SELECT DISTINCT ON (patient_id) patient_id, timezone FROM enrollment WHERE patient_id = ANY($1)
                                ORDER BY patient_id, enrolled_at DESC
                                ON CONFLICT (patient_id) DO UPDATE SET zone = EXCLUDED.zone, evaluated_through = NULL
                                    WHERE patient_state.zone <> EXCLUDED.zone
                                RETURNING patient_id, xmax = 0 AS inserted""")
                        .execute(ids(patientIds)))
                .chain(changed -> {
                    List<String> moved = new ArrayList<>();
                    changed.forEach(r -> {
                        if (!r.getBoolean(1)) {
                            moved.add(r.getString(0));
                        }
                    });
                    return reaggregate(tx, moved);
                });
    }

    /**
     * A patient any fact arrives for has a state row: the aggregates count their days in its zone. Their revision
     * moves on (V13): the batch changes what their figures are worked out from.
     */
    public Uni<Void> knowPatients(SqlConnection tx, List<String> patientIds) {
        return tx.preparedQuery("""
                        INSERT INTO patient_state (patient_id, zone) SELECT unnest($1::text[]), 'UTC'
                        ON CONFLICT (patient_id) DO UPDATE SET revision = nextval('patient_revision')""")
                .execute(ids(patientIds)).replaceWithVoid();
    }

    /** The patients' revisions move on: something their figures are worked out from changed in this transaction. */
    public Uni<Void> touch(SqlConnection tx, Collection<String> patientIds) {
        return tx.preparedQuery("UPDATE patient_state SET revision = nextval('patient_revision') WHERE patient_id = ANY($1)")
                .execute(ids(patientIds)).replaceWithVoid();
    }

    /** The patients' revisions (a patient without a state row has none). */
    public Uni<Map<String, Long>> revisions(SqlClient db, Collection<String> patientIds) {
        return db.preparedQuery("SELECT patient_id, revision FROM patient_state WHERE patient_id = ANY($1)").execute(ids(patientIds))
                .map(rows -> {
                    Map<String, Long> all = new HashMap<>();
                    rows.forEach(r -> all.put(r.getString(0), r.getLong(1)));
                    return all;
                });
    }

    /**
     * Derives the patients' aggregates again from all their facts, in their zones (a zone changed: rare, and the only
     * write that reads a patient's whole history).
     */
    public Uni<Void> reaggregate(SqlConnection tx, List<String> patientIds) {
        if (patientIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> emptied = Uni.createFrom().voidItem();
        for (String table : AGGREGATES) {
            emptied = emptied.chain(() -> tx.preparedQuery("DELETE FROM " + table + " WHERE patient_id = ANY($1)")
                    .execute(ids(patientIds)).replaceWithVoid());
        }
        return emptied.chain(() -> states(tx, patientIds)).chain(states -> {
            Map<String, ZoneId> zones = new HashMap<>();
            states.forEach((id, state) -> zones.put(id, state.zone()));
            Uni<Void> exercises = tx.preparedQuery("""
                            SELECT patient_id, occurred_at, exercise_id, side, sets, reps, difficulty, hold_seconds, details_kept
                            FROM exercise_log WHERE patient_id = ANY($1)""")
                    .execute(ids(patientIds)).chain(rows -> {
                        List<DoneDay> done = new ArrayList<>();
                        rows.forEach(r -> done.add(new DoneDay(r.getString(0),
                                localDate(r.getOffsetDateTime(1).toInstant(), zones.get(r.getString(0))), r.getString(2),
                                r.getString(3) == null ? "BOTH" : r.getString(3), (long) r.getInteger(4) * r.getInteger(5),
                                r.getInteger(6), r.getInteger(7), Boolean.TRUE.equals(r.getBoolean(8)))));
                        return aggregateExercises(tx, done);
                    });
            Uni<Void> pain = tx.preparedQuery("SELECT patient_id, occurred_at, location, side, score, context, event_id FROM pain_report WHERE patient_id = ANY($1)")
                    .execute(ids(patientIds)).chain(rows -> {
                        List<ScoreDay> scored = new ArrayList<>();
                        rows.forEach(r -> {
                            Instant at = r.getOffsetDateTime(1).toInstant();
                            scored.add(new ScoreDay(r.getString(0), localDate(at, zones.get(r.getString(0))), r.getString(2),
                                    r.getString(3), r.getInteger(4), Facts.PainScore.atRest(PainContext.valueOf(r.getString(5))),
                                    at, r.getUUID(6)));
                        });
                        return aggregateScores(tx, scored);
                    });
            return exercises.chain(() -> pain);
        });
    }

    /** The aggregates kept from the facts; each has a view {@code <name>_from_facts} saying what it must equal. */
    public static final List<String> AGGREGATES = List.of("exercise_day", "pain_day", "pain_site");

    /** Each patient's zone and the local date their time-based rules were last evaluated through. */
    public record PatientState(ZoneId zone, LocalDate evaluatedThrough) {
    }

    public Uni<Map<String, PatientState>> states(SqlClient db, Collection<String> patientIds) {
        return db.preparedQuery("SELECT patient_id, zone, evaluated_through FROM patient_state WHERE patient_id = ANY($1)")
                .execute(ids(patientIds)).map(rows -> {
                    Map<String, PatientState> all = new HashMap<>();
                    rows.forEach(r -> all.put(r.getString(0), new PatientState(ZoneId.of(r.getString(1)), r.getLocalDate(2))));
                    return all;
                });
    }

    public Uni<Void> evaluatedThrough(SqlConnection tx, Map<String, LocalDate> through) {
        if (through.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>();
        through.forEach((patientId, day) -> rows.add(Tuple.of(patientId, day)));
        return tx.preparedQuery("UPDATE patient_state SET evaluated_through = $2 WHERE patient_id = $1").executeBatch(rows).replaceWithVoid();
    }

    /**
     * Enrolled patients whose local date has moved on since their time-based rules were last evaluated (dates in
     * Java, like every local day here).
     */
    public Uni<List<String>> dueForTimeRules(SqlClient db) {
        return db.query("""
                        SELECT DISTINCT e.patient_id, s.zone, s.evaluated_through FROM enrollment e JOIN patient_state s USING (patient_id)
                        WHERE e.ended_at IS NULL ORDER BY e.patient_id""")
                .execute().map(rows -> {
                    List<String> due = new ArrayList<>();
                    for (Row r : rows) {
                        LocalDate through = r.getLocalDate(2);
                        if (through == null || through.isBefore(LocalDate.now(ZoneId.of(r.getString(1))))) {
                            due.add(r.getString(0));
                        }
                    }
                    return due;
                });
    }

    /** The enrollment in force of each of the patients that has one. */
    public Uni<Map<String, Facts.Enrollment>> currentEnrollments(SqlClient db, Collection<String> patientIds) {
        return byPatient(db, ENROLLMENTS + " WHERE ended_at IS NULL AND patient_id = ANY($1) ORDER BY patient_id, enrolled_at DESC", patientIds);
    }

    /**
     * Each patient's latest enrollment, also one that has ended: what the rules look at (care that ended still has
     * its past, and its end date stops the time-based rules).
     */
    public Uni<Map<String, Facts.Enrollment>> latestEnrollments(SqlClient db, Collection<String> patientIds) {
        return byPatient(db, ENROLLMENTS + " WHERE patient_id = ANY($1) ORDER BY patient_id, enrolled_at DESC", patientIds);
    }

    private Uni<Map<String, Facts.Enrollment>> byPatient(SqlClient db, String query, Collection<String> patientIds) {
        return db.preparedQuery(query).execute(ids(patientIds)).map(rows -> {
            Map<String, Facts.Enrollment> all = new HashMap<>();
            rows.forEach(r -> all.put(r.getString(1), enrollment(r)));
            return all;
        });
    }

    /**
     * A page of the current enrollments of the clinician's patients, in patient id order (an index walk) or by
     * program or day of care (an enrollment's own columns; {@code order} must be one the database sorts by).
     */
    public Uni<List<Facts.Enrollment>> currentEnrollments(SqlClient db, String clinicianId, String search, PatientOrder order,
                                                         boolean descending, int limit, long offset) {
        String current = """
                SELECT DISTINCT ON (patient_id) enrollment_id, patient_id, program_id, program_version, start_date,
                       timezone, clinician_id, enrolled_at, end_date, ended_at FROM enrollment
                WHERE ended_at IS NULL AND clinician_id = $1 AND patient_id LIKE $4 ESCAPE '\\'
                ORDER BY patient_id, enrolled_at DESC""";
        String query = order == PatientOrder.PATIENT && !descending ? current + " LIMIT $2 OFFSET $3"
                : "SELECT * FROM (" + current + ") c ORDER BY " + orderBy(order, descending, null) + " LIMIT $2 OFFSET $3";
        return db.preparedQuery(query).execute(Tuple.of(clinicianId, limit, offset, prefix(search))).map(FactStore::enrollments);
    }

    /**
     * A page of the latest ended enrollments with the clinician of patients no longer in their care, ended in the last
     * {@code days} days.
     */
    public Uni<List<Facts.Enrollment>> endedEnrollments(SqlClient db, String clinicianId, String search, int days, PatientOrder order,
                                                       boolean descending, int limit, long offset) {
        return db.preparedQuery("SELECT * FROM (" + ENDED + ") c ORDER BY "
                        + orderBy(order, descending, "(coalesce(end_date, ended_at::date) - start_date)")
                        + " LIMIT $4 OFFSET $5")
                .execute(Tuple.of(clinicianId, prefix(search), days, limit, offset)).map(FactStore::enrollments);
    }

    public Uni<Long> endedCount(SqlClient db, String clinicianId, String search, int days) {
        return db.preparedQuery("SELECT count(*) FROM (" + ENDED + ") c")
                .execute(Tuple.of(clinicianId, prefix(search), days))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Each patient's latest ended care with the clinician; not shown once the patient withdrew their consent. */
    private static final String ENDED = """
            SELECT * FROM (
              SELECT DISTINCT ON (patient_id) enrollment_id, patient_id, program_id, program_version, start_date,
                     timezone, clinician_id, enrolled_at, end_date, ended_at, end_reason FROM enrollment e
              WHERE clinician_id = $1 AND ended_at IS NOT NULL AND ended_at > now() - make_interval(days => $3)
                AND patient_id LIKE $2 ESCAPE '\\'
                AND NOT EXISTS (SELECT 1 FROM enrollment c WHERE c.patient_id = e.patient_id AND c.clinician_id = $1 AND c.ended_at IS NULL)
              ORDER BY patient_id, ended_at DESC) latest
            WHERE end_reason IS DISTINCT FROM 'REVOKED_BY_PATIENT'""";

    /**
     * {@code daysOfCare}: the expression of an ended care's length; null for current care, whose day grows as its start
     * date goes back (a later start, a lower day), so the database's own date and zone never enter the order.
     */
    private static String orderBy(PatientOrder order, boolean descending, String daysOfCare) {
        String direction = descending ? " DESC" : "";
        return switch (order) {
            case PATIENT -> "patient_id" + direction;
            case PROGRAM -> "program_id" + direction + ", patient_id";
            case DAY -> daysOfCare != null ? daysOfCare + direction + ", patient_id"
                    : "start_date" + (descending ? "" : " DESC") + ", patient_id";
            default -> throw new IllegalArgumentException(order + " is not an order of the database's");
        };
    }

    /** How many patients the clinician treats whose id starts with {@code search} (null: all). */
    public Uni<Long> patientCount(SqlClient db, String clinicianId, String search) {
        return db.preparedQuery("""
                        SELECT count(DISTINCT patient_id) FROM enrollment
                        WHERE ended_at IS NULL AND clinician_id = $1 AND patient_id LIKE $2 ESCAPE '\\'""")
                .execute(Tuple.of(clinicianId, prefix(search))).map(rows -> rows.iterator().next().getLong(0));
    }

    /** A LIKE pattern for ids starting with {@code search}: its own '_' and '%' taken literally (ids may hold '_'). */
    static String prefix(String search) {
        return search == null ? "%" : search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /**
     * Stores the exercises the log has not taken before (its key is the event's id) and answers their ids. An id
     * in processed_event is not taken either: an erasure leaves the ids of the patient's exercises there, so a copy
     * of one arriving after it stays out.
     */
    public Uni<Set<UUID>> logExercises(SqlConnection tx, List<ExerciseCompleted> events, List<Instant> recordedAt) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        int n = events.size();
        UUID[] ids = new UUID[n];
        String[] patients = new String[n];
        OffsetDateTime[] occurred = new OffsetDateTime[n];
        String[] exercises = new String[n];
        String[] sides = new String[n];
        Integer[] sets = new Integer[n];
        Integer[] reps = new Integer[n];
        Integer[] difficulty = new Integer[n];
        Integer[] hold = new Integer[n];
        OffsetDateTime[] recorded = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            ExerciseCompleted e = events.get(i);
            ids[i] = e.eventId();
            patients[i] = e.patientId();
            occurred[i] = e.occurredAt();
            exercises[i] = e.exerciseId();
            sides[i] = e.side() == null ? null : e.side().name();
            sets[i] = e.sets();
            reps[i] = e.reps();
            difficulty[i] = e.difficulty();
            hold[i] = e.holdSeconds();
            recorded[i] = utc(recordedAt.get(i));
        }
        return tx.preparedQuery("""
                        INSERT INTO exercise_log (event_id, patient_id, occurred_at, exercise_id, side, sets, reps, recorded_at,
                                                  difficulty, hold_seconds, details_kept)
                        SELECT *, true FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::int[],
                                                   $7::int[], $8::timestamptz[], $9::smallint[], $10::int[]) AS incoming(event_id)
                        WHERE NOT EXISTS (SELECT 1 FROM processed_event p WHERE p.event_id = incoming.event_id)
                        ON CONFLICT DO NOTHING RETURNING event_id""")
                .execute(Tuple.tuple(List.of(ids, patients, occurred, exercises, sides, sets, reps, recorded, difficulty, hold)))
                .map(FactStore::taken);
    }

    /** The ids an insert returned. */
    private static Set<UUID> taken(RowSet<Row> rows) {
        Set<UUID> taken = new HashSet<>();
        rows.forEach(r -> taken.add(r.getUUID(0)));
        return taken;
    }

    /**
     * Adds logged exercises to their local days' aggregates, each day counted in its patient's zone here in Java:
     * PostgreSQL's time zone names may lag the JDK's.
     */
    public Uni<Void> aggregateExercises(SqlConnection tx, List<ExerciseCompleted> logged, Map<String, ZoneId> zones) {
        List<DoneDay> done = new ArrayList<>(logged.size());
        for (ExerciseCompleted e : logged) {
            done.add(new DoneDay(e.patientId(), localDate(e.occurredAt().toInstant(), zones.get(e.patientId())),
                    e.exerciseId(), e.side() == null ? "BOTH" : e.side().name(), (long) e.sets() * e.reps(), e.difficulty(), e.holdSeconds(), true));
        }
        return aggregateExercises(tx, done);
    }

    /**
     * Repetitions (sets × reps) done by a patient on a local day, the difficulty they gave it and the hold (null: not
     * given), and whether those details were kept (not for a completion stored before they were).
     */
    private record DoneDay(String patientId, LocalDate day, String exerciseId, String side, long reps, Integer difficulty,
                           Integer hold, boolean detailsKept) {
    }

    private Uni<Void> aggregateExercises(SqlConnection tx, List<DoneDay> done) {
        if (done.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                        INSERT INTO exercise_day (patient_id, day, exercise_id, side, reps, completions, with_details,
                                                  difficulty_sum, difficulty_count, shortest_hold, fewest_reps)
                        SELECT patient_id, day, exercise_id, side, sum(reps), count(*), count(*) FILTER (WHERE kept),
                               coalesce(sum(difficulty) FILTER (WHERE kept), 0), count(difficulty) FILTER (WHERE kept),
                               min(coalesce(hold, 0)) FILTER (WHERE kept), min(reps) FILTER (WHERE kept)
                        FROM unnest($1::text[], $2::date[], $3::text[], $4::text[], $5::bigint[], $6::int[], $7::int[], $8::bool[])
                             AS d(patient_id, day, exercise_id, side, reps, difficulty, hold, kept)
                        GROUP BY 1, 2, 3, 4
                        ON CONFLICT (patient_id, day, exercise_id, side) DO UPDATE
                            SET reps = exercise_day.reps + EXCLUDED.reps, completions = exercise_day.completions + EXCLUDED.completions,
                                with_details = exercise_day.with_details + EXCLUDED.with_details,
                                difficulty_sum = exercise_day.difficulty_sum + EXCLUDED.difficulty_sum,
                                difficulty_count = exercise_day.difficulty_count + EXCLUDED.difficulty_count,
                                shortest_hold = least(exercise_day.shortest_hold, EXCLUDED.shortest_hold),
                                fewest_reps = least(exercise_day.fewest_reps, EXCLUDED.fewest_reps)""")
                .execute(Tuple.tuple(List.of(done.stream().map(DoneDay::patientId).toArray(String[]::new),
                        done.stream().map(DoneDay::day).toArray(LocalDate[]::new),
                        done.stream().map(DoneDay::exerciseId).toArray(String[]::new),
                        done.stream().map(DoneDay::side).toArray(String[]::new),
                        done.stream().map(DoneDay::reps).toArray(Long[]::new),
                        done.stream().map(DoneDay::difficulty).toArray(Integer[]::new),
                        done.stream().map(DoneDay::hold).toArray(Integer[]::new),
                        done.stream().map(DoneDay::detailsKept).toArray(Boolean[]::new))))
                .replaceWithVoid();
    }

    /** As for exercises: stores the reports pain_report has not taken before (nor an erasure left the id of), answers their ids. */
    public Uni<Set<UUID>> logPain(SqlConnection tx, List<PainReported> events, List<Instant> recordedAt) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        int n = events.size();
        UUID[] ids = new UUID[n];
        String[] patients = new String[n];
        OffsetDateTime[] occurred = new OffsetDateTime[n];
        Integer[] scores = new Integer[n];
        String[] locations = new String[n];
        String[] sides = new String[n];
        String[] contexts = new String[n];
        String[] exercises = new String[n];
        Boolean[] newPain = new Boolean[n];
        String[] redFlags = new String[n];
        OffsetDateTime[] recorded = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            PainReported e = events.get(i);
            ids[i] = e.eventId();
            patients[i] = e.patientId();
            occurred[i] = e.occurredAt();
            scores[i] = e.score();
            locations[i] = e.location().name();
            sides[i] = e.side().name();
            contexts[i] = e.context().name();
            exercises[i] = e.exerciseId();
            newPain[i] = e.newPain();
            // one row's list of red flags travels as one comma-separated text: unnest cannot take ragged arrays
            redFlags[i] = e.redFlags() == null ? "" : String.join(",", e.redFlags().stream().map(Enum::name).toList());
            recorded[i] = utc(recordedAt.get(i));
        }
        return tx.preparedQuery("""
                        INSERT INTO pain_report (event_id, patient_id, occurred_at, score, location, side, context, exercise_id,
                                                 new_pain, red_flags, recorded_at)
                        SELECT event_id, patient_id, occurred_at, score, location, side, context, exercise_id, new_pain,
                               string_to_array(red_flags, ','), recorded_at
                        FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::int[], $5::text[], $6::text[], $7::text[],
                                    $8::text[], $9::boolean[], $10::text[], $11::timestamptz[])
                             AS incoming(event_id, patient_id, occurred_at, score, location, side, context, exercise_id,
                                         new_pain, red_flags, recorded_at)
                        WHERE NOT EXISTS (SELECT 1 FROM processed_event p WHERE p.event_id = incoming.event_id)
                        ON CONFLICT DO NOTHING RETURNING event_id""")
                .execute(Tuple.tuple(List.of(ids, patients, occurred, scores, locations, sides, contexts, exercises, newPain,
                        redFlags, recorded)))
                .map(FactStore::taken);
    }

    /** Adds logged pain reports to their local days' aggregates and to the first pain at each place. */
    public Uni<Void> aggregatePain(SqlConnection tx, List<PainReported> logged, Map<String, ZoneId> zones) {
        List<ScoreDay> scored = new ArrayList<>(logged.size());
        for (PainReported e : logged) {
            Instant at = e.occurredAt().toInstant();
            scored.add(new ScoreDay(e.patientId(), localDate(at, zones.get(e.patientId())), e.location().name(),
                    e.side().name(), e.score(), Facts.PainScore.atRest(e.context()), at, e.eventId()));
        }
        return aggregateScores(tx, scored);
    }

    /** A pain score of a patient on a local day. */
    private record ScoreDay(String patientId, LocalDate day, String location, String side, int score, boolean rest,
                            Instant at, UUID eventId) {
    }

    private Uni<Void> aggregateScores(SqlConnection tx, List<ScoreDay> scored) {
        if (scored.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                        WITH s AS (SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::text[], $5::int[], $6::boolean[],
                                                        $7::timestamptz[], $8::uuid[])
                                          AS s(patient_id, day, location, side, score, rest, at, event_id)),
                        days AS (
                            INSERT INTO pain_day (patient_id, day, location, side, rest_count, rest_sum, rest_max, rest_last_at,
                                                  exercise_count, exercise_sum, exercise_max)
                            SELECT patient_id, day, location, side,
                                   count(*) FILTER (WHERE rest), coalesce(sum(score) FILTER (WHERE rest), 0),
                                   max(score) FILTER (WHERE rest), max(at) FILTER (WHERE rest),
                                   count(*) FILTER (WHERE NOT rest), coalesce(sum(score) FILTER (WHERE NOT rest), 0),
                                   max(score) FILTER (WHERE NOT rest)
                            FROM s GROUP BY 1, 2, 3, 4
                            ON CONFLICT (patient_id, day, location, side) DO UPDATE SET
                                rest_count = pain_day.rest_count + EXCLUDED.rest_count,
                                rest_sum = pain_day.rest_sum + EXCLUDED.rest_sum,
                                rest_max = greatest(pain_day.rest_max, EXCLUDED.rest_max),
                                rest_last_at = greatest(pain_day.rest_last_at, EXCLUDED.rest_last_at),
                                exercise_count = pain_day.exercise_count + EXCLUDED.exercise_count,
                                exercise_sum = pain_day.exercise_sum + EXCLUDED.exercise_sum,
                                exercise_max = greatest(pain_day.exercise_max, EXCLUDED.exercise_max))
                        INSERT INTO pain_site (patient_id, location, side, first_at, first_event_id)
                        SELECT DISTINCT ON (patient_id, location, side) patient_id, location, side, at, event_id
                        FROM s WHERE score >= 1
                        ORDER BY patient_id, location, side, at, event_id::text COLLATE "C"
                        ON CONFLICT (patient_id, location, side) DO UPDATE
                            SET first_at = EXCLUDED.first_at, first_event_id = EXCLUDED.first_event_id
                            WHERE (EXCLUDED.first_at, EXCLUDED.first_event_id::text COLLATE "C")
                                  < (pain_site.first_at, pain_site.first_event_id::text COLLATE "C")""")
                .execute(Tuple.tuple(List.of(scored.stream().map(ScoreDay::patientId).toArray(String[]::new),
                        scored.stream().map(ScoreDay::day).toArray(LocalDate[]::new),
                        scored.stream().map(ScoreDay::location).toArray(String[]::new),
                        scored.stream().map(ScoreDay::side).toArray(String[]::new),
                        scored.stream().map(ScoreDay::score).toArray(Integer[]::new),
                        scored.stream().map(ScoreDay::rest).toArray(Boolean[]::new),
                        scored.stream().map(d -> utc(d.at())).toArray(OffsetDateTime[]::new),
                        scored.stream().map(ScoreDay::eventId).toArray(UUID[]::new))))
                .replaceWithVoid();
    }

    private static LocalDate localDate(Instant at, ZoneId zone) {
        return at.atZone(zone == null ? ZoneOffset.UTC : zone).toLocalDate();
    }

    private static Tuple ids(Collection<String> patientIds) {
        return Tuple.of((Object) patientIds.toArray(new String[0]));
    }

    /** Whether an enrollment of the patient that has not ended names the clinician. */
    public Uni<Boolean> treats(String clinicianId, String patientId) {
        return client().preparedQuery("SELECT EXISTS (SELECT 1 FROM enrollment WHERE patient_id = $1 AND clinician_id = $2 AND ended_at IS NULL)")
                .execute(Tuple.of(patientId, clinicianId)).map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** Each patient's latest enrollment of those the query's conditions keep. */
    static final String ENROLLMENTS = """
            SELECT DISTINCT ON (patient_id) enrollment_id, patient_id, program_id, program_version, start_date,
                   timezone, clinician_id, enrolled_at, end_date, ended_at
            FROM enrollment""";

    static List<Facts.Enrollment> enrollments(RowSet<Row> rows) {
        List<Facts.Enrollment> all = new ArrayList<>(rows.size());
        rows.forEach(r -> all.add(enrollment(r)));
        return all;
    }

    /** The enrollment of a row whose first ten columns are {@link #ENROLLMENTS}'s. */
    static Facts.Enrollment enrollment(Row r) {
        ZoneId zone = ZoneId.of(r.getString(5));
        LocalDate endDate = r.getLocalDate(8);
        if (endDate == null && r.getOffsetDateTime(9) != null) {
            endDate = localDate(r.getOffsetDateTime(9).toInstant(), zone);
        }
        return new Facts.Enrollment(r.getUUID(0), r.getString(1), r.getString(2), r.getInteger(3), r.getLocalDate(4),
                zone, r.getString(6), r.getOffsetDateTime(7).toInstant(), endDate);
    }

    static OffsetDateTime utc(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }
}
