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
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.sciaticahep.insights.domain.FlagRule;
import org.sciaticahep.insights.domain.QueueFilter;
import org.sciaticahep.insights.domain.ReviewFlag;

/** Review flags: the queue, each patient's, raising, evidence summaries, withdrawal, clinicians' transitions. */
@ApplicationScoped
public class FlagStore {

    private static final String COLUMNS = """
            flag_id, patient_id, rule, severity, subject, status, first_evidence_at, last_evidence_at, evidence, detail,
            raised_at, acknowledged_by, acknowledged_at, acknowledgement_note, resolved_by, resolved_at, resolution_note""";
    /** The same columns of a flag aliased {@code f}, for queries that join. */
    private static final String F_COLUMNS = Arrays.stream(COLUMNS.split(",")).map(c -> "f." + c.strip())
            .collect(java.util.stream.Collectors.joining(", "));
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    @Inject
    Pool pool;

    @Inject
    ObjectMapper json;

    public Uni<List<ReviewFlag>> ofPatient(SqlClient db, String patientId) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM review_flag WHERE patient_id = $1 ORDER BY first_evidence_at, rule, subject, flag_id")
                .execute(Tuple.of(patientId)).map(this::flags);
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

    /**
     * A page of the open and acknowledged flags of the clinician's patients, most severe first, then longest waiting
     * (raised earliest), then by id: an order that stays put while a clinician pages, and the order of the index the
     * page walks (it stops after the page's rows).
     */
    public Uni<List<ReviewFlag>> queue(String clinicianId, QueueFilter filter, int limit, long offset) {
        return pool.preparedQuery("SELECT " + F_COLUMNS + """
                         FROM review_flag f
                        WHERE f.status <> 'RESOLVED' AND EXISTS (SELECT 1 FROM enrollment e WHERE e.patient_id = f.patient_id
                                                                   AND e.clinician_id = $1 AND e.ended_at IS NULL)
                        """ + FILTERED + """
                        ORDER BY f.severity_rank, f.raised_at, f.flag_id
                        LIMIT $2 OFFSET $3""")
                .execute(filtered(Tuple.of(clinicianId, limit, offset), filter)).map(this::flags);
    }

    /** A filter's conditions: $4 severity, $5 rule, $6 status, each null for any (the queue's index order stays). */
    private static final String FILTERED = """
            AND ($4::text IS NULL OR f.severity = $4) AND ($5::text IS NULL OR f.rule = $5) AND ($6::text IS NULL OR f.status = $6)""";

    private static Tuple filtered(Tuple head, QueueFilter filter) {
        return head.addString(filter.severity() == null ? null : filter.severity().name())
                .addString(filter.rule() == null ? null : filter.rule().name())
                .addString(filter.status() == null ? null : filter.status().name());
    }

    /** How many flags are in the clinician's review queue. */
    public Uni<Long> queueSize(String clinicianId, QueueFilter filter) {
        return pool.preparedQuery("""
                        SELECT count(*) FROM review_flag f
                        WHERE f.status <> 'RESOLVED' AND EXISTS (SELECT 1 FROM enrollment e WHERE e.patient_id = f.patient_id
                                                                   AND e.clinician_id = $1 AND e.ended_at IS NULL)
                        AND ($2::text IS NULL OR f.severity = $2) AND ($3::text IS NULL OR f.rule = $3)
                        AND ($4::text IS NULL OR f.status = $4)""")
                .execute(filtered(Tuple.of(clinicianId), filter)).map(rows -> rows.iterator().next().getLong(0));
    }

    /** Each patient's flags in the review queue: how many, and the most severe. */
    public record Active(long count, FlagRule.Severity worst) {
    }

    public Uni<Map<String, Active>> activeOf(SqlClient db, List<String> patientIds) {
        return db.preparedQuery("""
                        SELECT patient_id, count(*),
                               min(CASE severity WHEN 'CRITICAL' THEN 0 WHEN 'HIGH' THEN 1 WHEN 'MEDIUM' THEN 2 ELSE 3 END)
                        FROM review_flag WHERE status <> 'RESOLVED' AND patient_id = ANY($1) GROUP BY patient_id""")
                .execute(Tuple.of((Object) patientIds.toArray(new String[0]))).map(rows -> {
                    Map<String, Active> all = new HashMap<>();
                    rows.forEach(r -> all.put(r.getString(0), new Active(r.getLong(1), FlagRule.Severity.values()[r.getInteger(2)])));
                    return all;
                });
    }

    /**
     * Each patient's active flags, and those resolved at or after the patient's {@code since} (every flag when null):
     * all that can own occurrences from then on.
     */
    public Uni<Map<String, List<ReviewFlag>>> ownersSince(SqlClient db, Map<String, Instant> since) {
        List<String> patients = new ArrayList<>();
        List<OffsetDateTime> from = new ArrayList<>();
        since.forEach((patientId, at) -> {
            patients.add(patientId);
            from.add(FactStore.utc(at));
        });
        return db.preparedQuery("SELECT " + F_COLUMNS + """
                         FROM review_flag f JOIN unnest($1::text[], $2::timestamptz[]) AS w(patient_id, since)
                              ON f.patient_id = w.patient_id
                        WHERE f.status <> 'RESOLVED' OR w.since IS NULL OR f.resolved_at >= w.since""")
                .execute(Tuple.of(patients.toArray(new String[0]), from.toArray(new OffsetDateTime[0]))).map(rows -> {
                    Map<String, List<ReviewFlag>> byPatient = new HashMap<>();
                    for (ReviewFlag f : flags(rows)) {
                        byPatient.computeIfAbsent(f.patientId(), k -> new ArrayList<>()).add(f);
                    }
                    return byPatient;
                });
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

    /**
     * Sums up each flag's evidence from its occurrences: first and last, the latest {@value ReviewFlag#EVIDENCE_SHOWN}
     * in order, the latest's detail and the most severe one's severity (index steps, however many it has). A flag
     * without any keeps what it had. Answers the flags still in the queue whose severity changed.
     */
    public Uni<List<ReviewFlag>> refresh(SqlConnection tx, Collection<UUID> flagIds) {
        if (flagIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return tx.preparedQuery("""
                        WITH before AS (SELECT flag_id, severity AS was FROM review_flag WHERE flag_id = ANY($1) FOR UPDATE)
                        UPDATE review_flag f SET
                            first_evidence_at = (SELECT min(o.at) FROM flag_occurrence o WHERE o.flag_id = f.flag_id),
                            (last_evidence_at, detail) = (SELECT o.at, o.detail FROM flag_occurrence o WHERE o.flag_id = f.flag_id
                                                          ORDER BY o.at DESC, o.evidence COLLATE "C" DESC LIMIT 1),
                            evidence = (SELECT json_agg(l.evidence ORDER BY l.at, l.evidence COLLATE "C")::text
                                        FROM (SELECT o.at, o.evidence FROM flag_occurrence o WHERE o.flag_id = f.flag_id
                                              ORDER BY o.at DESC, o.evidence COLLATE "C" DESC LIMIT %d) l),
                            severity = (SELECT o.severity FROM flag_occurrence o WHERE o.flag_id = f.flag_id
                                         ORDER BY CASE o.severity WHEN 'CRITICAL' THEN 0 WHEN 'HIGH' THEN 1
                                                                  WHEN 'MEDIUM' THEN 2 ELSE 3 END LIMIT 1)
                          FROM before
                        WHERE f.flag_id = before.flag_id
                          AND EXISTS (SELECT 1 FROM flag_occurrence o WHERE o.flag_id = f.flag_id)
                        RETURNING %s, before.was"""
                        .formatted(ReviewFlag.EVIDENCE_SHOWN, F_COLUMNS))
                .execute(Tuple.of((Object) flagIds.toArray(new UUID[0]))).map(rows -> {
                    List<ReviewFlag> changed = new ArrayList<>();
                    for (Row r : rows) {
                        ReviewFlag f = flag(r);
                        if (f.active() && !f.severity().name().equals(r.getString(17))) {
                            changed.add(f);
                        }
                    }
                    return changed;
                });
    }

    /** Flags left without evidence: the open ones withdrawn (deleted), the acknowledged quiet-spell ones resolved. */
    public record Unsupported(List<ReviewFlag> withdrawn, List<ReviewFlag> resolved) {
    }

    /**
     * Withdraws the open flags no occurrence supports any more (one statement: a clinician who acknowledged one a
     * moment ago keeps it, note and all), and resolves, as insights, an acknowledged NO_RECENT_ACTIVITY flag whose
     * spell is over (the patient reported again: a later spell raises a new flag rather than joining a handled one).
     */
    public Uni<Unsupported> closeUnsupported(SqlConnection tx, Collection<UUID> flagIds, Instant now) {
        if (flagIds.isEmpty()) {
            return Uni.createFrom().item(new Unsupported(List.of(), List.of()));
        }
        Tuple ids = Tuple.of((Object) flagIds.toArray(new UUID[0]));
        return tx.preparedQuery("DELETE FROM review_flag f WHERE f.flag_id = ANY($1) AND f.status = 'OPEN'"
                        + " AND NOT EXISTS (SELECT 1 FROM flag_occurrence o WHERE o.flag_id = f.flag_id) RETURNING " + COLUMNS)
                .execute(ids).map(this::flags)
                .chain(withdrawn -> tx.preparedQuery("""
                                UPDATE review_flag f SET status = 'RESOLVED', resolved_by = $2, resolved_at = $3, resolution_note = $4
                                 WHERE f.flag_id = ANY($1) AND f.status = 'ACKNOWLEDGED' AND f.rule = 'NO_RECENT_ACTIVITY'
                                   AND NOT EXISTS (SELECT 1 FROM flag_occurrence o WHERE o.flag_id = f.flag_id)
                                RETURNING %s""".formatted(COLUMNS))
                        .execute(Tuple.of(flagIds.toArray(new UUID[0]), RESOLVED_BY_INSIGHTS, FactStore.utc(now),
                                "The patient reported again"))
                        .map(rows -> new Unsupported(withdrawn, flags(rows))));
    }

    /** Who resolved a flag that insights closed itself. */
    public static final String RESOLVED_BY_INSIGHTS = "insights";

    /** Moves a flag on from {@code expected} status; answers false when it was not in that status any more. */
    public Uni<Boolean> transition(SqlConnection tx, UUID flagId, ReviewFlag.Status expected, ReviewFlag.Status next,
                                   String by, Instant at, String note) {
        String sql = next == ReviewFlag.Status.ACKNOWLEDGED
                ? "UPDATE review_flag SET status = $2, acknowledged_by = $4, acknowledged_at = $5, acknowledgement_note = $6 WHERE flag_id = $1 AND status = $3"
                : "UPDATE review_flag SET status = $2, resolved_by = $4, resolved_at = $5, resolution_note = $6 WHERE flag_id = $1 AND status = $3";
        return tx.preparedQuery(sql).execute(Tuple.tuple(Arrays.asList(flagId, next.name(), expected.name(), by, FactStore.utc(at), note))).map(rows -> rows.rowCount() == 1);
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
