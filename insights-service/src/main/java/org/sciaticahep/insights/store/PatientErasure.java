package org.sciaticahep.insights.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.sciaticahep.contracts.Topics;

/**
 * Deletes everything insights holds of erased patients ({@code patient.erased}): facts, aggregates, rule
 * occurrences, flags with their acknowledgements and notes, flag changes not yet published, alerts not yet sent or
 * already sent. Kept: the ids of events applied (random UUIDs, which say nothing) and the access log, whose entries
 * carry no health data and record who read the patient's data until the erasure.
 */
@ApplicationScoped
public class PatientErasure {

    /** The tables with a patient_id column, in an order no reference between them objects to. */
    public static final List<String> BY_PATIENT = List.of("exercise_log", "pain_report", "patient_state", "exercise_day", "pain_day",
            "pain_site", "flag_occurrence", "review_flag", "alert_delivery");

    public Uni<Void> erase(SqlConnection tx, List<String> patientIds) {
        if (patientIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Tuple ids = Tuple.of(patientIds.toArray(new String[0]));
        // the ids of the patient's exercises and pain reports stay in processed_event, where the logs look before
        // taking one: a copy arriving after the erasure stays out
        Uni<Void> done = tx.preparedQuery("""
                        INSERT INTO processed_event (event_id)
                        SELECT event_id FROM exercise_log WHERE patient_id = ANY($1)
                        UNION ALL SELECT event_id FROM pain_report WHERE patient_id = ANY($1)
                        ON CONFLICT DO NOTHING""")
                .execute(ids).replaceWithVoid()
                .chain(() -> tx.preparedQuery("""
                        DELETE FROM prescription_version
                        WHERE enrollment_id IN (SELECT enrollment_id FROM enrollment WHERE patient_id = ANY($1))""")
                .execute(ids).replaceWithVoid())
                .chain(() -> tx.preparedQuery("DELETE FROM enrollment WHERE patient_id = ANY($1)").execute(ids).replaceWithVoid())
                .chain(() -> tx.preparedQuery("DELETE FROM outbox WHERE topic = $2 AND message_key = ANY($1)")
                        .execute(Tuple.of(patientIds.toArray(new String[0]), Topics.REVIEW_FLAGS.name())).replaceWithVoid());
        for (String table : BY_PATIENT) {
            done = done.chain(() -> tx.preparedQuery("DELETE FROM " + table + " WHERE patient_id = ANY($1)").execute(ids).replaceWithVoid());
        }
        return done;
    }
}
