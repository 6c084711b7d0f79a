package org.sciaticahep.session.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.support.outbox.Outbox;

/** Everything session-service holds of one patient, and taking it all out. */
@ApplicationScoped
public class ErasureStore {

    @Inject
    Pool pool;

    /**
     * Whether session-service holds anything of the patient: an enrollment (an invitation too), an event, or an
     * erasure (done, or to be completed).
     */
    public Uni<Boolean> holds(String patientId) {
        return pool.preparedQuery("""
                        SELECT EXISTS (SELECT 1 FROM enrollment WHERE patient_id = $1)
                            OR EXISTS (SELECT 1 FROM patient_event WHERE patient_id = $1)
                            OR EXISTS (SELECT 1 FROM patient_erasure WHERE patient_id = $1)""")
                .execute(Tuple.of(patientId)).map(rows -> rows.iterator().next().getBoolean(0));
    }

    /**
     * Records the erasure, before anything is erased: from its commit on, no event of the patient is taken in
     * (EventLog.append), and it is completed even if this instance stops half-way. The first request's who, when and
     * why are kept.
     */
    public Uni<Void> request(String patientId, String erasedBy, String reason, Instant at) {
        return pool.preparedQuery("""
                        INSERT INTO patient_erasure (patient_id, erased_at, erased_by, reason) VALUES ($1, $2, $3, $4)
                        ON CONFLICT (patient_id) DO NOTHING""")
                .execute(Tuple.of(patientId, at.atOffset(ZoneOffset.UTC), erasedBy, reason)).replaceWithVoid();
    }

    /**
     * In one transaction: the patient's events, their rows still waiting in the outbox, their enrollments with every
     * prescription version deleted; {@code announcement}, the clear {@code patient.erased}, queued for session-events
     * after the patient's last record; the erasure marked completed.
     */
    public Uni<Void> complete(String patientId, Outbox.Event announcement) {
        // no event of the patient is being added meanwhile (EventLog.append holds this lock shared)
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtext('patient/' || $1))").execute(Tuple.of(patientId))
                .chain(() -> tx.preparedQuery("""
                                WITH events AS (DELETE FROM patient_event WHERE patient_id = $1),
                                     queued AS (DELETE FROM outbox WHERE topic = $2 AND message_key = $1),
                                     versions AS (DELETE FROM prescription_version
                                                  WHERE enrollment_id IN (SELECT enrollment_id FROM enrollment WHERE patient_id = $1))
                                UPDATE patient_erasure SET completed_at = now() WHERE patient_id = $1""")
                        .execute(Tuple.of(patientId, Topics.SESSION_EVENTS.name())))
                // after its prescription versions, which reference it (a data-modifying WITH sees no other's deletes)
                .chain(() -> tx.preparedQuery("DELETE FROM enrollment WHERE patient_id = $1").execute(Tuple.of(patientId)))
                .chain(() -> Outbox.enqueue(tx, List.of(announcement))));
    }

    /** An erasure recorded and not completed, older than {@code before}: its id and when it was asked for. */
    public record Unfinished(String patientId, Instant requestedAt) {
    }

    public Uni<List<Unfinished>> unfinished(Instant before) {
        return pool.preparedQuery("""
                        SELECT patient_id, erased_at FROM patient_erasure WHERE completed_at IS NULL AND erased_at < $1
                        ORDER BY erased_at LIMIT 100""")
                .execute(Tuple.of(before.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    List<Unfinished> found = new java.util.ArrayList<>();
                    rows.forEach(r -> found.add(new Unfinished(r.getString(0), r.getOffsetDateTime(1).toInstant())));
                    return found;
                });
    }
}
