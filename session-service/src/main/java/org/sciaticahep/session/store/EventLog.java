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

    /** What the log already held for an event id that was submitted again. */
    public record Existing(String patientId, String contentHash) {
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
        return tx.preparedQuery("SELECT event_id, patient_id, content_hash FROM patient_event WHERE event_id = ANY($1)")
                .execute(Tuple.of(ids.toArray(new UUID[0])))
                .map(rows -> {
                    Map<UUID, Existing> found = new HashMap<>();
                    for (Row row : rows) {
                        found.put(row.getUUID(0), new Existing(row.getString(1), row.getString(2)));
                    }
                    return found;
                });
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
