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
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.sciaticahep.contracts.session.EnrollmentEnded;
import org.sciaticahep.contracts.session.EnrollmentStarted;
import org.sciaticahep.contracts.session.ExerciseCompleted;
import org.sciaticahep.contracts.session.PainContext;
import org.sciaticahep.contracts.session.PainLocation;
import org.sciaticahep.contracts.session.PainReported;
import org.sciaticahep.contracts.session.RedFlag;
import org.sciaticahep.contracts.session.Side;
import org.sciaticahep.insights.domain.Facts;
import org.sciaticahep.insights.domain.FlagRule;

/** The facts insights keeps, written set-wise with the reactive client, read per patient. */
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

    public Uni<Void> endEnrollments(SqlConnection tx, List<EnrollmentEnded> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = events.stream().map(e -> Tuple.of(e.enrollmentId(), e.occurredAt(), e.reason())).toList();
        return tx.preparedQuery("UPDATE enrollment SET ended_at = $2, end_reason = $3 WHERE enrollment_id = $1 AND ended_at IS NULL")
                .executeBatch(rows).replaceWithVoid();
    }

    public Uni<Void> addEnrollments(SqlConnection tx, List<EnrollmentStarted> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = events.stream().map(e -> Tuple.tuple(Arrays.asList(e.enrollmentId(), e.patientId(),
                e.programId(), e.programVersion(), e.startDate(), e.timezone(), e.clinicianId(), e.occurredAt()))).toList();
        return tx.preparedQuery("""
                        INSERT INTO enrollment (enrollment_id, patient_id, program_id, program_version, start_date, timezone,
                                                clinician_id, enrolled_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING""")
                .executeBatch(rows).replaceWithVoid();
    }

    /** One statement for the whole list: a row per event costs the database a fraction of a statement per event. */
    public Uni<Void> addExercises(SqlConnection tx, List<ExerciseCompleted> events, List<Instant> recordedAt) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = events.size();
        UUID[] ids = new UUID[n];
        String[] patients = new String[n];
        OffsetDateTime[] occurred = new OffsetDateTime[n];
        String[] exercises = new String[n];
        String[] sides = new String[n];
        Integer[] sets = new Integer[n];
        Integer[] reps = new Integer[n];
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
            recorded[i] = utc(recordedAt.get(i));
        }
        return tx.preparedQuery("""
                        INSERT INTO exercise_log (event_id, patient_id, occurred_at, exercise_id, side, sets, reps, recorded_at)
                        SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::int[],
                                             $7::int[], $8::timestamptz[])
                        ON CONFLICT DO NOTHING""")
                .execute(Tuple.tuple(List.of(ids, patients, occurred, exercises, sides, sets, reps, recorded)))
                .replaceWithVoid();
    }

    public Uni<Void> addPain(SqlConnection tx, List<PainReported> events, List<Instant> recordedAt) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
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
                        ON CONFLICT DO NOTHING""")
                .execute(Tuple.tuple(List.of(ids, patients, occurred, scores, locations, sides, contexts, exercises, newPain,
                        redFlags, recorded)))
                .replaceWithVoid();
    }

    /** Everything about one patient; the enrollment is the most recent one. */
    public Uni<Facts.Patient> patient(SqlClient db, String patientId) {
        return patients(db, List.of(patientId)).map(all -> all.get(patientId));
    }

    /** Everything about each of the patients, in three queries whatever their number. */
    public Uni<Map<String, Facts.Patient>> patients(SqlClient db, List<String> patientIds) {
        Map<String, Set<FlagRule.Reads>> everything = new LinkedHashMap<>();
        patientIds.forEach(id -> everything.put(id, EnumSet.allOf(FlagRule.Reads.class)));
        return patients(db, everything);
    }

    /**
     * Each patient's enrollment and the reports named for them; exercises only of enrolled patients, as they count
     * only against a prescription. At most three queries whatever the number of patients.
     */
    public Uni<Map<String, Facts.Patient>> patients(SqlClient db, Map<String, Set<FlagRule.Reads>> reads) {
        Map<String, Facts.Enrollment> enrollments = new HashMap<>();
        Map<String, List<Facts.PainScore>> pain = new HashMap<>();
        Map<String, List<Facts.ExerciseDone>> exercises = new HashMap<>();
        Uni<Void> readEnrollments = db.preparedQuery("""
                        SELECT DISTINCT ON (patient_id) enrollment_id, patient_id, program_id, program_version, start_date,
                               timezone, clinician_id, enrolled_at
                        FROM enrollment WHERE patient_id = ANY($1) AND ended_at IS NULL ORDER BY patient_id, enrolled_at DESC""")
                .execute(ids(reads.keySet())).invoke(rows -> rows.forEach(r -> enrollments.put(r.getString(1), enrollment(r))))
                .replaceWithVoid();
        return readEnrollments.chain(() -> {
            List<String> painOf = new ArrayList<>();
            List<String> exercisesOf = new ArrayList<>();
            reads.forEach((id, kinds) -> {
                if (kinds.contains(FlagRule.Reads.PAIN)) {
                    painOf.add(id);
                }
                if (kinds.contains(FlagRule.Reads.EXERCISES) && enrollments.containsKey(id)) {
                    exercisesOf.add(id);
                }
            });
            Uni<Void> readPain = painOf.isEmpty() ? Uni.createFrom().voidItem() : db.preparedQuery("""
                            SELECT patient_id, event_id, occurred_at, score, location, side, context, exercise_id, new_pain, red_flags
                            FROM pain_report WHERE patient_id = ANY($1)""")
                    .execute(ids(painOf)).invoke(rows -> {
                        for (Row r : rows) {
                            List<RedFlag> flags = Arrays.stream(r.getArrayOfStrings(9)).map(RedFlag::valueOf).toList();
                            pain.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(new Facts.PainScore(r.getUUID(1),
                                    r.getOffsetDateTime(2).toInstant(), r.getInteger(3), PainLocation.valueOf(r.getString(4)),
                                    Side.valueOf(r.getString(5)), PainContext.valueOf(r.getString(6)), r.getString(7),
                                    r.getBoolean(8), flags));
                        }
                    }).replaceWithVoid();
            Uni<Void> readExercises = exercisesOf.isEmpty() ? Uni.createFrom().voidItem() : db.preparedQuery("""
                            SELECT patient_id, event_id, occurred_at, exercise_id, side, sets, reps
                            FROM exercise_log WHERE patient_id = ANY($1)""")
                    .execute(ids(exercisesOf)).invoke(rows -> {
                        for (Row r : rows) {
                            exercises.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(new Facts.ExerciseDone(
                                    r.getUUID(1), r.getOffsetDateTime(2).toInstant(), r.getString(3),
                                    r.getString(4) == null ? null : Side.valueOf(r.getString(4)), r.getInteger(5), r.getInteger(6)));
                        }
                    }).replaceWithVoid();
            return readPain.chain(() -> readExercises);
        }).map(done -> {
            Map<String, Facts.Patient> all = new HashMap<>();
            for (String id : reads.keySet()) {
                all.put(id, new Facts.Patient(id, enrollments.get(id), pain.getOrDefault(id, List.of()),
                        exercises.getOrDefault(id, List.of())));
            }
            return all;
        });
    }

    private static Tuple ids(Collection<String> patientIds) {
        return Tuple.of((Object) patientIds.toArray(new String[0]));
    }

    /** Patients with an enrollment, with their clinician: the population time-based rules look at. */
    public Uni<List<Facts.Enrollment>> currentEnrollments(SqlClient db) {
        return db.query(CURRENT_ENROLLMENTS + " ORDER BY patient_id, enrolled_at DESC").execute().map(FactStore::enrollments);
    }

    /** The current enrollment of each patient the clinician treats, as their dashboard lists them. */
    public Uni<List<Facts.Enrollment>> currentEnrollments(SqlClient db, String clinicianId) {
        return db.preparedQuery(CURRENT_ENROLLMENTS
                        + " AND clinician_id = $1"
                        + " ORDER BY patient_id, enrolled_at DESC")
                .execute(Tuple.of(clinicianId)).map(FactStore::enrollments);
    }

    /** Whether an enrollment of the patient that has not ended names the clinician. */
    public Uni<Boolean> treats(String clinicianId, String patientId) {
        return client().preparedQuery("SELECT EXISTS (SELECT 1 FROM enrollment WHERE patient_id = $1 AND clinician_id = $2 AND ended_at IS NULL)")
                .execute(Tuple.of(patientId, clinicianId)).map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** Each patient's latest enrollment that has not ended (a patient has at most one active at a time). */
    private static final String CURRENT_ENROLLMENTS = """
            SELECT DISTINCT ON (patient_id) enrollment_id, patient_id, program_id, program_version, start_date,
                   timezone, clinician_id, enrolled_at
            FROM enrollment WHERE ended_at IS NULL""";

    private static List<Facts.Enrollment> enrollments(RowSet<Row> rows) {
        List<Facts.Enrollment> all = new ArrayList<>(rows.size());
        rows.forEach(r -> all.add(enrollment(r)));
        return all;
    }

    private static Facts.Enrollment enrollment(Row r) {
        return new Facts.Enrollment(r.getUUID(0), r.getString(1), r.getString(2), r.getInteger(3), r.getLocalDate(4),
                ZoneId.of(r.getString(5)), r.getString(6), r.getOffsetDateTime(7).toInstant());
    }

    static OffsetDateTime utc(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }
}
