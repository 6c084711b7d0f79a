package org.sciaticahep.insights.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.sciaticahep.contracts.session.Side;
import org.sciaticahep.insights.domain.Facts;

/**
 * A patient's whole record, for an export: the one read that is not bounded by a window of days, because the record
 * is what was asked for. It grows with the patient's own history only (about 3,300 rows a year of daily use).
 */
@ApplicationScoped
public class RecordStore {

    /** Every enrollment of the patient, also ended ones, oldest first. */
    public Uni<List<Facts.Enrollment>> enrollments(SqlClient db, String patientId) {
        return db.preparedQuery("""
                        SELECT enrollment_id, patient_id, program_id, program_version, start_date, timezone, clinician_id,
                               enrolled_at, end_date, ended_at
                        FROM enrollment WHERE patient_id = $1 ORDER BY enrolled_at, enrollment_id""")
                .execute(Tuple.of(patientId)).map(FactStore::enrollments);
    }

    /** Every pain report, in the order they happened. */
    public Uni<List<Facts.PainScore>> pain(SqlClient db, String patientId) {
        return db.preparedQuery("""
                        SELECT patient_id, event_id, occurred_at, score, location, side, context, exercise_id, new_pain, red_flags
                        FROM pain_report WHERE patient_id = $1 ORDER BY occurred_at, event_id""")
                .execute(Tuple.of(patientId)).map(rows -> {
                    List<Facts.PainScore> all = new ArrayList<>(rows.size());
                    rows.forEach(r -> all.add(DayStore.painScore(r)));
                    return all;
                });
    }

    /** Every completion, in the order they happened. */
    public Uni<List<Facts.Completion>> completions(SqlClient db, String patientId) {
        return db.preparedQuery("""
                        SELECT event_id, occurred_at, exercise_id, side, sets, reps, hold_seconds, difficulty
                        FROM exercise_log WHERE patient_id = $1 ORDER BY occurred_at, event_id""")
                .execute(Tuple.of(patientId)).map(rows -> {
                    List<Facts.Completion> all = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        all.add(new Facts.Completion(r.getUUID(0), r.getOffsetDateTime(1).toInstant(), r.getString(2),
                                r.getString(3) == null ? null : Side.valueOf(r.getString(3)), r.getInteger(4), r.getInteger(5),
                                r.getInteger(6), r.getInteger(7)));
                    }
                    return all;
                });
    }
}
