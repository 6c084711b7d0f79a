package org.sciaticahep.insights.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.sciaticahep.contracts.insights.FlagChanged;
import org.sciaticahep.insights.domain.FlagRule;
import org.sciaticahep.insights.domain.ReviewFlag;

/** Review flags and the outbox of the review-flags topic. */
@ApplicationScoped
public class FlagStore {

    private static final String COLUMNS = """
            flag_id, patient_id, rule, severity, subject, status, first_evidence_at, last_evidence_at, evidence, detail,
            raised_at, acknowledged_by, acknowledged_at, acknowledgement_note, resolved_by, resolved_at, resolution_note""";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    /** A pending review-flags event. */
    public record Pending(long seq, UUID eventId, String patientId, String type, Instant occurredAt, String payload) {
    }

    @Inject
    Pool pool;

    @Inject
    ObjectMapper json;

    public Uni<List<ReviewFlag>> ofPatient(SqlClient db, String patientId) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM review_flag WHERE patient_id = $1 ORDER BY first_evidence_at")
                .execute(Tuple.of(patientId)).map(this::flags);
    }

    /** The flags of each of the patients, in one query. */
    public Uni<Map<String, List<ReviewFlag>>> ofPatients(SqlClient db, List<String> patientIds) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM review_flag WHERE patient_id = ANY($1) ORDER BY first_evidence_at")
                .execute(Tuple.of((Object) patientIds.toArray(new String[0]))).map(rows -> {
                    Map<String, List<ReviewFlag>> byPatient = new HashMap<>();
                    for (ReviewFlag f : flags(rows)) {
                        byPatient.computeIfAbsent(f.patientId(), k -> new ArrayList<>()).add(f);
                    }
                    return byPatient;
                });
    }

    /** Whether the flag is of a patient whose enrollment with the clinician has not ended. */
    public Uni<Boolean> visibleTo(UUID flagId, String clinicianId) {
        return pool.preparedQuery("""
                        SELECT EXISTS (SELECT 1 FROM review_flag f JOIN enrollment e ON e.patient_id = f.patient_id
                                       WHERE f.flag_id = $1 AND e.clinician_id = $2 AND e.ended_at IS NULL)""")
                .execute(Tuple.of(flagId, clinicianId)).map(rows -> rows.iterator().next().getBoolean(0));
    }

    public Uni<ReviewFlag> byId(SqlClient db, UUID flagId) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM review_flag WHERE flag_id = $1")
                .execute(Tuple.of(flagId)).map(rows -> rows.size() == 0 ? null : flag(rows.iterator().next()));
    }

    /** Open and acknowledged flags of the clinician's patients, most severe first, then oldest first. */
    public Uni<List<ReviewFlag>> queue(String clinicianId, int limit, long offset) {
        return pool.preparedQuery("SELECT " + COLUMNS + """
                         FROM review_flag WHERE status <> 'RESOLVED'
                          AND patient_id IN (SELECT patient_id FROM enrollment WHERE clinician_id = $1 AND ended_at IS NULL)
                        ORDER BY CASE severity WHEN 'CRITICAL' THEN 0 WHEN 'HIGH' THEN 1 WHEN 'MEDIUM' THEN 2 ELSE 3 END,
                                 first_evidence_at, flag_id
                        LIMIT $2 OFFSET $3""")
                .execute(Tuple.of(clinicianId, limit, offset))
                .map(this::flags);
    }

    /** Inserts a raised flag; false when the patient already has an active one for that rule and subject. */
    public Uni<Boolean> insert(SqlConnection tx, ReviewFlag f) {
        return tx.preparedQuery("INSERT INTO review_flag (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
                        + " ON CONFLICT (patient_id, rule, subject) WHERE status <> 'RESOLVED' DO NOTHING")
                .execute(Tuple.tuple(Arrays.asList(f.flagId(), f.patientId(), f.rule().name(), f.severity().name(), f.subject(),
                        f.status().name(), FactStore.utc(f.firstEvidenceAt()), FactStore.utc(f.lastEvidenceAt()),
                        write(f.evidence()), f.detail(), FactStore.utc(f.raisedAt()), f.acknowledgedBy(),
                        FactStore.utc(f.acknowledgedAt()), f.acknowledgementNote(), f.resolvedBy(), FactStore.utc(f.resolvedAt()), f.resolutionNote())))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> updateEvidence(SqlConnection tx, ReviewFlag f) {
        return tx.preparedQuery("""
                        UPDATE review_flag SET first_evidence_at = $2, last_evidence_at = $3, evidence = $4, detail = $5
                        WHERE flag_id = $1""")
                .execute(Tuple.of(f.flagId(), FactStore.utc(f.firstEvidenceAt()), FactStore.utc(f.lastEvidenceAt()),
                        write(f.evidence()), f.detail()))
                .replaceWithVoid();
    }

    /**
     * Withdraws a flag no evidence supports any more, only while it is still OPEN (one statement: a clinician who
     * acknowledged it a moment ago keeps it, note and all); answers whether it was withdrawn.
     */
    public Uni<Boolean> withdraw(SqlConnection tx, UUID flagId) {
        return tx.preparedQuery("DELETE FROM review_flag WHERE flag_id = $1 AND status = 'OPEN'").execute(Tuple.of(flagId))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Moves a flag on from {@code expected} status; answers false when it was not in that status any more. */
    public Uni<Boolean> transition(SqlConnection tx, UUID flagId, ReviewFlag.Status expected, ReviewFlag.Status next,
                                   String by, Instant at, String note) {
        String sql = next == ReviewFlag.Status.ACKNOWLEDGED
                ? "UPDATE review_flag SET status = $2, acknowledged_by = $4, acknowledged_at = $5, acknowledgement_note = $6 WHERE flag_id = $1 AND status = $3"
                : "UPDATE review_flag SET status = $2, resolved_by = $4, resolved_at = $5, resolution_note = $6 WHERE flag_id = $1 AND status = $3";
        return tx.preparedQuery(sql).execute(Tuple.tuple(Arrays.asList(flagId, next.name(), expected.name(), by, FactStore.utc(at), note))).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> enqueue(SqlConnection tx, String type, FlagChanged event) {
        return tx.preparedQuery("INSERT INTO flag_outbox (event_id, flag_id, patient_id, type, occurred_at, payload) VALUES ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.tuple(Arrays.asList(event.eventId(), event.flagId(), event.patientId(), type,
                        FactStore.utc(event.at()), write(event))))
                .replaceWithVoid();
    }

    /** The outbox's head, in order: one statement on its own (no transaction is held while Kafka is waited for). */
    public Uni<List<Pending>> pending(int limit) {
        return pool.preparedQuery("SELECT seq, event_id, patient_id, type, occurred_at, payload FROM flag_outbox ORDER BY seq LIMIT $1")
                .execute(Tuple.of(limit)).map(rows -> {
                    List<Pending> pending = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        pending.add(new Pending(r.getLong(0), r.getUUID(1), r.getString(2), r.getString(3),
                                r.getOffsetDateTime(4).toInstant(), r.getString(5)));
                    }
                    return pending;
                });
    }

    /** Takes what Kafka acknowledged out of the outbox: one statement on its own. */
    public Uni<Integer> published(List<Long> seqs) {
        return pool.preparedQuery("DELETE FROM flag_outbox WHERE seq = ANY($1)")
                .execute(Tuple.of(seqs.toArray(new Long[0]))).map(RowSet::rowCount);
    }

    /** The review queue by severity: how many flags wait, and since when the oldest has waited unacknowledged. */
    public record Waiting(FlagRule.Severity severity, long count, Instant oldestUnacknowledgedRaisedAt) {
    }

    public Uni<List<Waiting>> waiting() {
        return pool.query("""
                        SELECT severity, count(*), min(raised_at) FILTER (WHERE status = 'OPEN')
                        FROM review_flag WHERE status <> 'RESOLVED' GROUP BY severity""")
                .execute().map(rows -> {
                    List<Waiting> all = new ArrayList<>();
                    rows.forEach(r -> all.add(new Waiting(FlagRule.Severity.valueOf(r.getString(0)), r.getLong(1), instant(r, 2))));
                    return all;
                });
    }

    private List<ReviewFlag> flags(RowSet<Row> rows) {
        List<ReviewFlag> flags = new ArrayList<>(rows.size());
        rows.forEach(r -> flags.add(flag(r)));
        return flags;
    }

    private ReviewFlag flag(Row r) {
        try {
            return new ReviewFlag(r.getUUID(0), r.getString(1), FlagRule.valueOf(r.getString(2)),
                    FlagRule.Severity.valueOf(r.getString(3)), r.getString(4), ReviewFlag.Status.valueOf(r.getString(5)),
                    instant(r, 6), instant(r, 7), json.readValue(r.getString(8), STRINGS), r.getString(9), instant(r, 10),
                    r.getString(11), instant(r, 12), r.getString(13), r.getString(14), instant(r, 15), r.getString(16));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant instant(Row r, int column) {
        return r.getOffsetDateTime(column) == null ? null : r.getOffsetDateTime(column).toInstant();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
