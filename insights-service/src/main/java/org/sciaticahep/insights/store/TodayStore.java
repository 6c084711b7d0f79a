package org.sciaticahep.insights.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.sciaticahep.contracts.session.PrescriptionVersion;
import org.sciaticahep.contracts.session.Side;
import org.sciaticahep.insights.domain.Facts;
import org.sciaticahep.insights.domain.PatientDay;

/**
 * What an app's home screen needs of a patient in one statement (it is the most frequent read): the current
 * enrollment, its published prescription versions and the exercise aggregates of the patient's local today.
 */
@ApplicationScoped
public class TodayStore {

    /** The current enrollment, its versions as published (maybe none, for an old enrollment), and today's work (null: none). */
    public record TodayFacts(Facts.Enrollment enrollment, List<PrescriptionVersion> published, LocalDate today, PatientDay done) {
    }

    @Inject
    PrescriptionStore prescriptions;

    /** Null when the patient has no active enrollment. */
    public Uni<TodayFacts> of(SqlClient db, String patientId) {
        // the local date is counted in Java (PostgreSQL's zone names may lag the JDK's): the rows of the three UTC
        // dates around now hold it whatever the zone, and the one wanted is kept below
        LocalDate utc = LocalDate.now(ZoneOffset.UTC);
        return db.preparedQuery("WITH e AS (" + FactStore.ENROLLMENTS
                        + " WHERE ended_at IS NULL AND patient_id = $1 ORDER BY patient_id, enrolled_at DESC)" + """
                        SELECT e.*,
                               ARRAY(SELECT document FROM prescription_version v WHERE v.enrollment_id = e.enrollment_id ORDER BY version),
                               d.days, d.exercises, d.sides, d.reps
                        FROM e LEFT JOIN LATERAL (
                            SELECT array_agg(day) AS days, array_agg(exercise_id) AS exercises, array_agg(side) AS sides,
                                   array_agg(reps) AS reps
                            FROM exercise_day WHERE patient_id = $1 AND day BETWEEN $2 AND $3) d ON true""")
                .execute(Tuple.of(patientId, utc.minusDays(1), utc.plusDays(1)))
                .map(rows -> rows.size() == 0 ? null : facts(rows.iterator().next()));
    }

    private TodayFacts facts(Row r) {
        Facts.Enrollment e = FactStore.enrollment(r);
        String[] documents = r.getArrayOfStrings(10);
        List<PrescriptionVersion> published = new ArrayList<>(documents.length);
        for (String document : documents) {
            published.add(prescriptions.read(document));
        }
        LocalDate today = LocalDate.now(e.zone());
        PatientDay.Builder done = null;
        LocalDate[] days = r.getArrayOfLocalDates(11);
        if (days != null) {
            String[] exercises = r.getArrayOfStrings(12);
            String[] sides = r.getArrayOfStrings(13);
            Long[] reps = r.getArrayOfLongs(14);
            for (int i = 0; i < days.length; i++) {
                if (days[i].equals(today)) {
                    done = done == null ? new PatientDay.Builder(today) : done;
                    done.addRepetitions(exercises[i], Side.valueOf(sides[i]), reps[i]);
                }
            }
        }
        return new TodayFacts(e, published, today, done == null ? null : done.build());
    }
}
