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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.sciaticahep.contracts.session.EnrollmentStarted;
import org.sciaticahep.contracts.session.ExerciseCompleted;
import org.sciaticahep.contracts.session.PainContext;
import org.sciaticahep.contracts.session.PainLocation;
import org.sciaticahep.contracts.session.PainReported;
import org.sciaticahep.contracts.session.RedFlag;
import org.sciaticahep.contracts.session.Side;
import org.sciaticahep.insights.domain.Facts;

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

    public Uni<Void> addExercises(SqlConnection tx, List<ExerciseCompleted> events, List<Instant> recordedAt) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            ExerciseCompleted e = events.get(i);
            rows.add(Tuple.tuple(Arrays.asList(e.eventId(), e.patientId(), e.occurredAt(), e.exerciseId(),
                    e.side() == null ? null : e.side().name(), e.sets(), e.reps(), utc(recordedAt.get(i)))));
        }
        return tx.preparedQuery("""
                        INSERT INTO exercise_log (event_id, patient_id, occurred_at, exercise_id, side, sets, reps, recorded_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING""")
                .executeBatch(rows).replaceWithVoid();
    }

    public Uni<Void> addPain(SqlConnection tx, List<PainReported> events, List<Instant> recordedAt) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            PainReported e = events.get(i);
            String[] flags = e.redFlags() == null ? new String[0] : e.redFlags().stream().map(Enum::name).toArray(String[]::new);
            rows.add(Tuple.tuple(Arrays.asList(e.eventId(), e.patientId(), e.occurredAt(), e.score(), e.location().name(),
                    e.side().name(), e.context().name(), e.exerciseId(), e.newPain(), flags, utc(recordedAt.get(i)))));
        }
        return tx.preparedQuery("""
                        INSERT INTO pain_report (event_id, patient_id, occurred_at, score, location, side, context, exercise_id,
                                                 new_pain, red_flags, recorded_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING""")
                .executeBatch(rows).replaceWithVoid();
    }

    /** Everything about one patient; the enrollment is the most recent one. */
    public Uni<Facts.Patient> patient(SqlClient db, String patientId) {
        return patients(db, List.of(patientId)).map(all -> all.get(patientId));
    }

    /** Everything about each of the patients, in three queries whatever their number. */
    public Uni<Map<String, Facts.Patient>> patients(SqlClient db, List<String> patientIds) {
        Tuple ids = Tuple.of((Object) patientIds.toArray(new String[0]));
        Map<String, Facts.Enrollment> enrollments = new HashMap<>();
        Map<String, List<Facts.PainScore>> pain = new HashMap<>();
        Map<String, List<Facts.ExerciseDone>> exercises = new HashMap<>();
        Uni<Void> readEnrollments = db.preparedQuery("""
                        SELECT DISTINCT ON (patient_id) enrollment_id, patient_id, program_id, program_version, start_date,
                               timezone, clinician_id, enrolled_at
                        FROM enrollment WHERE patient_id = ANY($1) ORDER BY patient_id, enrolled_at DESC""")
                .execute(ids).invoke(rows -> rows.forEach(r -> enrollments.put(r.getString(1), enrollment(r)))).replaceWithVoid();
        Uni<Void> readPain = db.preparedQuery("""
                        SELECT patient_id, event_id, occurred_at, score, location, side, context, exercise_id, new_pain, red_flags
                        FROM pain_report WHERE patient_id = ANY($1)""")
                .execute(ids).invoke(rows -> {
                    for (Row r : rows) {
                        List<RedFlag> flags = Arrays.stream(r.getArrayOfStrings(9)).map(RedFlag::valueOf).toList();
                        pain.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(new Facts.PainScore(r.getUUID(1),
                                r.getOffsetDateTime(2).toInstant(), r.getInteger(3), PainLocation.valueOf(r.getString(4)),
                                Side.valueOf(r.getString(5)), PainContext.valueOf(r.getString(6)), r.getString(7),
                                r.getBoolean(8), flags));
                    }
                }).replaceWithVoid();
        Uni<Void> readExercises = db.preparedQuery("""
                        SELECT patient_id, event_id, occurred_at, exercise_id, side, sets, reps
                        FROM exercise_log WHERE patient_id = ANY($1)""")
                .execute(ids).invoke(rows -> {
                    for (Row r : rows) {
                        exercises.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(new Facts.ExerciseDone(
                                r.getUUID(1), r.getOffsetDateTime(2).toInstant(), r.getString(3),
                                r.getString(4) == null ? null : Side.valueOf(r.getString(4)), r.getInteger(5), r.getInteger(6)));
                    }
                }).replaceWithVoid();
        return readEnrollments.chain(() -> readPain).chain(() -> readExercises).map(done -> {
            Map<String, Facts.Patient> all = new HashMap<>();
            for (String id : patientIds) {
                all.put(id, new Facts.Patient(id, enrollments.get(id), pain.getOrDefault(id, List.of()),
                        exercises.getOrDefault(id, List.of())));
            }
            return all;
        });
    }

    /** Patients with an enrollment, with their clinician: the population time-based rules look at. */
    public Uni<List<Facts.Enrollment>> currentEnrollments(SqlClient db) {
        return db.query(CURRENT_ENROLLMENTS + " ORDER BY patient_id, enrolled_at DESC").execute().map(FactStore::enrollments);
    }

    /** The current enrollment of each patient the clinician treats, as their dashboard lists them. */
    public Uni<List<Facts.Enrollment>> currentEnrollments(SqlClient db, String clinicianId) {
        return db.preparedQuery(CURRENT_ENROLLMENTS
                        + " WHERE patient_id IN (SELECT patient_id FROM enrollment WHERE clinician_id = $1)"
                        + " ORDER BY patient_id, enrolled_at DESC")
                .execute(Tuple.of(clinicianId)).map(FactStore::enrollments);
    }

    /** Whether some enrollment of the patient names the clinician. */
    public Uni<Boolean> treats(String clinicianId, String patientId) {
        return client().preparedQuery("SELECT EXISTS (SELECT 1 FROM enrollment WHERE patient_id = $1 AND clinician_id = $2)")
                .execute(Tuple.of(patientId, clinicianId)).map(rows -> rows.iterator().next().getBoolean(0));
    }

    private static final String CURRENT_ENROLLMENTS = """
            SELECT DISTINCT ON (patient_id) enrollment_id, patient_id, program_id, program_version, start_date,
                   timezone, clinician_id, enrolled_at
            FROM enrollment""";

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
