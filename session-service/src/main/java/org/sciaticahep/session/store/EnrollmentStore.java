package org.sciaticahep.session.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.sciaticahep.session.domain.Enrollment;

/**
 * Enrollments and the invitations they start as. Every change of status is conditional on the status it leaves,
 * and the database's partial unique indexes hold "one ACTIVE per patient" and "one PENDING per patient and
 * clinician" (V4), so concurrent requests and instances cannot break them.
 */
@ApplicationScoped
public class EnrollmentStore {

    static final int MAX_LISTED = 100;

    private static final String COLUMNS = "enrollment_id, patient_id, program_id, program_version, start_date, timezone, "
            + "clinician_id, status, invited_at, expires_at, accepted_at, ended_at, end_reason, end_date";

    /** A pending invitation as the store holds it: the code's hash stays in here, never in an {@link Enrollment}. */
    public record HeldInvitation(Enrollment enrollment, String codeHash) {
    }

    @Inject
    Pool pool;

    public <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work);
    }

    /** The enrollment with this id, locked until the transaction ends, and its code's hash; null when there is none. */
    public Uni<HeldInvitation> lock(SqlConnection tx, UUID enrollmentId) {
        return tx.preparedQuery("SELECT " + COLUMNS + ", invite_code_hash FROM enrollment WHERE enrollment_id = $1 FOR UPDATE")
                .execute(Tuple.of(enrollmentId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    return new HeldInvitation(read(r), r.getString(14));
                });
    }

    /** Whether an event of the log already has this id (an enrollment's started event takes the enrollment's id). */
    public Uni<Boolean> eventIdTaken(SqlConnection tx, UUID id) {
        return tx.preparedQuery("SELECT EXISTS (SELECT 1 FROM patient_event WHERE event_id = $1)")
                .execute(Tuple.of(id))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** The clinician's earlier pending invitation of the patient, if any, stops working. */
    public Uni<Integer> supersedePending(SqlConnection tx, String patientId, String clinicianId, Instant now) {
        return tx.preparedQuery("""
                        UPDATE enrollment SET status = 'SUPERSEDED', invite_code_hash = NULL, ended_at = $3
                        WHERE patient_id = $1 AND clinician_id = $2 AND status = 'PENDING'""")
                .execute(Tuple.of(patientId, clinicianId, EventLog.utc(now)))
                .map(RowSet::rowCount);
    }

    /** Stores a new PENDING invitation; a unique violation (the same id, or a concurrent invitation) fails the call. */
    public Uni<Void> insertPending(SqlConnection tx, Enrollment e, String codeHash) {
        return tx.preparedQuery("INSERT INTO enrollment (enrollment_id, patient_id, program_id, program_version, start_date, "
                        + "timezone, clinician_id, status, invited_at, expires_at, invite_code_hash) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, 'PENDING', $8, $9, $10)")
                .execute(Tuple.tuple(Arrays.asList(e.enrollmentId(), e.patientId(), e.programId(), e.programVersion(),
                        e.startDate(), e.timezone(), e.clinicianId(), EventLog.utc(e.invitedAt()),
                        EventLog.utc(e.expiresAt()), codeHash)))
                .replaceWithVoid();
    }

    /** A new code for a pending invitation; the one it replaces stops working. */
    public Uni<Boolean> reissue(SqlConnection tx, UUID enrollmentId, String codeHash) {
        return tx.preparedQuery("UPDATE enrollment SET invite_code_hash = $2 WHERE enrollment_id = $1 AND status = 'PENDING'")
                .execute(Tuple.of(enrollmentId, codeHash))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Counts a wrong code in one statement (two wrong codes at once are both counted); the fifth locks the
     * invitation. Answers whether this one locked it.
     */
    public Uni<Boolean> wrongCode(SqlConnection tx, UUID enrollmentId, int lockAfter) {
        return tx.preparedQuery("""
                        UPDATE enrollment
                        SET wrong_attempts = wrong_attempts + 1,
                            status = CASE WHEN wrong_attempts + 1 >= $2 THEN 'LOCKED' ELSE status END,
                            invite_code_hash = CASE WHEN wrong_attempts + 1 >= $2 THEN NULL ELSE invite_code_hash END
                        WHERE enrollment_id = $1 AND status = 'PENDING'
                        RETURNING status""")
                .execute(Tuple.of(enrollmentId, lockAfter))
                .map(rows -> rows.size() == 1 && "LOCKED".equals(rows.iterator().next().getString(0)));
    }

    /**
     * PENDING to ACTIVE. Fails with a unique violation ({@link #isUniqueViolation}) when the patient already has an
     * ACTIVE enrollment, including one another transaction is accepting right now. Null when it was not pending.
     */
    public Uni<Enrollment> activate(SqlConnection tx, UUID enrollmentId, Instant now) {
        return tx.preparedQuery("UPDATE enrollment SET status = 'ACTIVE', accepted_at = $2, invite_code_hash = NULL "
                        + "WHERE enrollment_id = $1 AND status = 'PENDING' RETURNING " + COLUMNS)
                .execute(Tuple.of(enrollmentId, EventLog.utc(now)))
                .map(EnrollmentStore::single);
    }

    /** ACTIVE or PENDING to ENDED or REVOKED, with the last day of care and the clinician's note. Null when it was neither. */
    public Uni<Enrollment> close(SqlConnection tx, UUID enrollmentId, Enrollment.Status status, String reason,
                                 LocalDate endDate, String note, Instant now) {
        return tx.preparedQuery("""
                        UPDATE enrollment SET status = $2, end_reason = $3, ended_at = $4, end_date = $5, end_note = $6,
                            invite_code_hash = NULL
                        WHERE enrollment_id = $1 AND status IN ('ACTIVE', 'PENDING')
                        RETURNING\s""" + COLUMNS)
                .execute(Tuple.tuple(Arrays.asList(enrollmentId, status.name(), reason, EventLog.utc(now), endDate, note)))
                .map(EnrollmentStore::single);
    }

    /** The patient's ACTIVE enrollment; null when there is none. */
    public Uni<Enrollment> active(String patientId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM enrollment WHERE patient_id = $1 AND status = 'ACTIVE'")
                .execute(Tuple.of(patientId))
                .map(EnrollmentStore::single);
    }

    /**
     * The patient's ACTIVE enrollment, locked until the transaction ends; null when there is none, also when it ended
     * while this waited for the lock.
     */
    public Uni<Enrollment> lockActive(SqlConnection tx, String patientId) {
        return tx.preparedQuery("SELECT " + COLUMNS + " FROM enrollment WHERE patient_id = $1 AND status = 'ACTIVE' FOR UPDATE")
                .execute(Tuple.of(patientId))
                .map(EnrollmentStore::single);
    }

    public Uni<List<Enrollment>> byPatient(String patientId) {
        // the newest 100, oldest first: invitations superseded over and over must not grow the answer without end
        return pool.preparedQuery("SELECT * FROM (SELECT " + COLUMNS + " FROM enrollment WHERE patient_id = $1"
                        + " ORDER BY invited_at DESC LIMIT " + MAX_LISTED + ") newest ORDER BY invited_at")
                .execute(Tuple.of(patientId))
                .map(rows -> {
                    List<Enrollment> found = new ArrayList<>();
                    rows.forEach(r -> found.add(read(r)));
                    return found;
                });
    }

    /** Whether the patient's ACTIVE enrollment names the clinician: a pending or ended one gives no access. */
    public Uni<Boolean> exists(String patientId, String clinicianId) {
        return pool.preparedQuery("SELECT EXISTS (SELECT 1 FROM enrollment "
                        + "WHERE patient_id = $1 AND clinician_id = $2 AND status = 'ACTIVE')")
                .execute(Tuple.of(patientId, clinicianId))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** A unique index said no: another ACTIVE enrollment of the patient, or another PENDING invitation. */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }

    private static Enrollment single(RowSet<Row> rows) {
        return rows.size() == 0 ? null : read(rows.iterator().next());
    }

    private static Enrollment read(Row r) {
        Instant expiresAt = instant(r.getOffsetDateTime(9));
        Enrollment.Status status = Enrollment.Status.valueOf(r.getString(7));
        if (status == Enrollment.Status.PENDING && expiresAt != null && !Instant.now().isBefore(expiresAt)) {
            status = Enrollment.Status.EXPIRED;
        }
        return new Enrollment(r.getUUID(0), r.getString(1), r.getString(2), r.getInteger(3), r.getLocalDate(4),
                r.getString(5), r.getString(6), status, instant(r.getOffsetDateTime(8)), expiresAt,
                instant(r.getOffsetDateTime(10)), instant(r.getOffsetDateTime(11)), r.getString(12), r.getLocalDate(13));
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
