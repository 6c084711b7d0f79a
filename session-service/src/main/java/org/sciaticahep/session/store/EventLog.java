package org.sciaticahep.session.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.support.outbox.Outbox;

/**
 * Patients' event log. An accepted event goes into service-support's {@link Outbox} for {@code session-events} in the
 * same statement, keyed by patient id. Written set-wise with the reactive PostgreSQL client: a whole batch is one
 * statement, whatever its size.
 */
@ApplicationScoped
public class EventLog {

    /** What the log already held for an event id that was submitted again, and the advice it was given. */
    public record Existing(String patientId, String contentHash, List<String> advice) {
    }

    /** An exercise's pain score to judge: its event, when it happened, and the start of that local day. */
    public record Probe(UUID eventId, Instant at, Instant dayStart) {
    }

    @Inject
    Pool pool;

    public <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work);
    }

    /**
     * Appends the events whose ids the log does not hold yet, in list order, and answers what it held for the
     * others (a retry, or an id reused for other content), so the caller can tell them apart.
     */
    public Uni<Map<UUID, Existing>> append(SqlConnection tx, List<NewEvent> events, Instant recordedAt) {
        int n = events.size();
        UUID[] ids = new UUID[n];
        String[] patients = new String[n];
        String[] types = new String[n];
        OffsetDateTime[] occurred = new OffsetDateTime[n];
        String[] hashes = new String[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            NewEvent e = events.get(i);
            ids[i] = e.eventId();
            patients[i] = e.patientId();
            types[i] = e.type();
            occurred[i] = e.occurredAt();
            hashes[i] = e.contentHash();
            payloads[i] = e.payloadJson();
        }
        return tx.preparedQuery("""
                        WITH appended AS (
                            INSERT INTO patient_event (event_id, patient_id, type, occurred_at, recorded_at, content_hash, payload)
                            SELECT event_id, patient_id, type, occurred_at, $7, content_hash, payload
                            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[])
                                 WITH ORDINALITY AS incoming(event_id, patient_id, type, occurred_at, content_hash, payload, ord)
                            ORDER BY ord
                            ON CONFLICT (event_id) DO NOTHING
                            RETURNING seq, event_id, patient_id, type, occurred_at, payload),
                        queued AS (""" + Outbox.INSERT + """
                             SELECT $8::text, patient_id, event_id::text, type, occurred_at, $7, payload FROM appended ORDER BY seq)
                        SELECT event_id FROM appended""")
                .execute(Tuple.tuple(List.of(ids, patients, types, occurred, hashes, payloads, utc(recordedAt),
                        Topics.SESSION_EVENTS.name())))
                .chain(inserted -> {
                    List<UUID> held = new ArrayList<>(List.of(ids));
                    for (Row row : inserted) {
                        held.remove(row.getUUID(0));
                    }
                    return held.isEmpty() ? Uni.createFrom().item(Map.<UUID, Existing>of()) : existing(tx, held);
                });
    }

    private Uni<Map<UUID, Existing>> existing(SqlConnection tx, List<UUID> ids) {
        return tx.preparedQuery("SELECT event_id, patient_id, content_hash, advice FROM patient_event WHERE event_id = ANY($1)")
                .execute(Tuple.of(ids.toArray(new UUID[0])))
                .map(rows -> {
                    Map<UUID, Existing> found = new HashMap<>();
                    for (Row row : rows) {
                        String[] advice = row.getArrayOfStrings(3);
                        found.put(row.getUUID(0), new Existing(row.getString(1), row.getString(2),
                                advice == null ? List.of() : List.of(advice)));
                    }
                    return found;
                });
    }

    /** The time zone the patient's days are counted in: their active enrollment's; null without one. */
    public Uni<String> zone(SqlConnection tx, String patientId) {
        return tx.preparedQuery("SELECT timezone FROM enrollment WHERE patient_id = $1 AND status = 'ACTIVE' LIMIT 1")
                .execute(Tuple.of(patientId)).map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
    }

    /**
     * For each probe, the score of the patient's latest resting report (check-in or before exercise) earlier that
     * local day, if any; reports of this transaction's batch included. One statement for all probes.
     */
    public Uni<Map<UUID, Integer>> restingBefore(SqlConnection tx, String patientId, List<Probe> probes) {
        if (probes.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return tx.preparedQuery("""
                        SELECT DISTINCT ON (p.event_id) p.event_id, (e.payload::jsonb->>'score')::int
                        FROM unnest($2::uuid[], $3::timestamptz[], $4::timestamptz[]) AS p(event_id, at, day_start)
                        JOIN patient_event e ON e.patient_id = $1 AND e.type = 'pain.reported'
                             AND e.occurred_at >= p.day_start AND e.occurred_at < p.at
                             AND e.payload::jsonb->>'context' IN ('CHECK_IN', 'BEFORE_EXERCISE')
                        ORDER BY p.event_id, e.occurred_at DESC, e.event_id::text DESC""")
                .execute(Tuple.of(patientId, probes.stream().map(Probe::eventId).toArray(UUID[]::new),
                        probes.stream().map(p -> utc(p.at())).toArray(OffsetDateTime[]::new),
                        probes.stream().map(p -> utc(p.dayStart())).toArray(OffsetDateTime[]::new)))
                .map(rows -> {
                    Map<UUID, Integer> found = new HashMap<>();
                    rows.forEach(r -> found.put(r.getUUID(0), r.getInteger(1)));
                    return found;
                });
    }

    /** Keeps the advice each event was given (only events that were given any). */
    public Uni<Void> advised(SqlConnection tx, Map<UUID, List<String>> advice) {
        if (advice.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(advice.size());
        advice.forEach((id, codes) -> rows.add(Tuple.of(id, codes.toArray(new String[0]))));
        return tx.preparedQuery("UPDATE patient_event SET advice = $2 WHERE event_id = $1").executeBatch(rows).replaceWithVoid();
    }

    /** An event as the log keeps it: its CloudEvents type and the published payload. */
    public record StoredEvent(String type, String payloadJson) {
    }

    /** One page of a patient's events, newest first. */
    public Uni<List<StoredEvent>> page(String patientId, Instant from, Instant to, String type, int page, int size) {
        return pool.preparedQuery("""
                        SELECT payload, type FROM patient_event
                        WHERE patient_id = $1 AND occurred_at >= $2 AND occurred_at < $3 AND ($4::text IS NULL OR type = $4)
                        ORDER BY occurred_at DESC, seq DESC LIMIT $5 OFFSET $6""")
                .execute(Tuple.tuple(Arrays.asList(patientId, utc(from), utc(to), type, size, (long) page * size)))
                .map(rows -> {
                    List<StoredEvent> events = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        events.add(new StoredEvent(row.getString(1), row.getString(0)));
                    }
                    return events;
                });
    }

    public Uni<Long> count(String patientId, Instant from, Instant to, String type) {
        return pool.preparedQuery("""
                        SELECT count(*) FROM patient_event
                        WHERE patient_id = $1 AND occurred_at >= $2 AND occurred_at < $3 AND ($4::text IS NULL OR type = $4)""")
                .execute(Tuple.tuple(Arrays.asList(patientId, utc(from), utc(to), type)))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
