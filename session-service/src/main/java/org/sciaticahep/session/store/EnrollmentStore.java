package org.sciaticahep.session.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.sciaticahep.session.domain.Enrollment;
import org.sciaticahep.support.ProblemException;

@ApplicationScoped
public class EnrollmentStore {

    private static final String COLUMNS =
            "enrollment_id, patient_id, program_id, program_version, start_date, timezone, clinician_id, enrolled_at";

    @Inject
    Pool pool;

    @Inject
    EventLog log;

    /**
     * Stores the enrollment and its {@code enrollment.started} event in one transaction; when the id is taken,
     * stores nothing and answers the enrollment held under it (null when this call stored it).
     */
    public Uni<Enrollment> insertIfAbsent(Enrollment e, NewEvent started) {
        return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO enrollment (" + COLUMNS + ") "
                                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING enrollment_id")
                .execute(Tuple.tuple(Arrays.asList(e.enrollmentId(), e.patientId(), e.programId(), e.programVersion(),
                        e.startDate(), e.timezone(), e.clinicianId(), EventLog.utc(e.enrolledAt()))))
                .chain(inserted -> inserted.rowCount() == 1
                        ? log.append(tx, List.of(started), e.enrolledAt()).map(clash -> {
                            if (!clash.isEmpty()) {
                                throw ProblemException.conflict("enrollmentId " + e.enrollmentId() + " is already an event id");
                            }
                            return (Enrollment) null;
                        })
                        : byId(tx, e.enrollmentId())));
    }

    public Uni<List<Enrollment>> byPatient(String patientId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM enrollment WHERE patient_id = $1 ORDER BY enrolled_at")
                .execute(Tuple.of(patientId))
                .map(rows -> {
                    List<Enrollment> found = new ArrayList<>();
                    rows.forEach(r -> found.add(read(r)));
                    return found;
                });
    }

    /** Whether some enrollment of the patient names the clinician. */
    public Uni<Boolean> exists(String patientId, String clinicianId) {
        return pool.preparedQuery("SELECT EXISTS (SELECT 1 FROM enrollment WHERE patient_id = $1 AND clinician_id = $2)")
                .execute(Tuple.of(patientId, clinicianId))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    private Uni<Enrollment> byId(SqlConnection tx, UUID id) {
        return tx.preparedQuery("SELECT " + COLUMNS + " FROM enrollment WHERE enrollment_id = $1")
                .execute(Tuple.of(id))
                .map(rows -> read(rows.iterator().next()));
    }

    private static Enrollment read(Row r) {
        return new Enrollment(r.getUUID(0), r.getString(1), r.getString(2), r.getInteger(3), r.getLocalDate(4),
                r.getString(5), r.getString(6), r.getOffsetDateTime(7).toInstant());
    }
}
