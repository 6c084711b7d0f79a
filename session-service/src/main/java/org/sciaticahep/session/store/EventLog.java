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
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.contracts.session.PainContext;
import org.sciaticahep.rules.SafetyRules;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.outbox.Outbox;

/**
 * Patients' event log. An accepted event goes into service-support's {@link Outbox} for {@code session-events} in the
 * same statement, keyed by patient id. Written set-wise with the reactive PostgreSQL client: a whole batch is one
 * statement, whatever its size.
 */
@ApplicationScoped
public class EventLog {

    /** What the log already held for an event id that was submitted again, and the advice it was given (null: none kept). */
    public record Existing(String patientId, String contentHash, List<String> advice) {
    }

    /** The instants {@code from} (included) .. {@code to} (excluded). */
    public record Day(Instant from, Instant to) {
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
        return append(tx, events, recordedAt, Map.of());
    }

    /** With the advice codes kept with each pain report (comma-separated, "" for none; absent: not a pain report). */
    public Uni<Map<UUID, Existing>> append(SqlConnection tx, List<NewEvent> events, Instant recordedAt, Map<UUID, String> advice) {
        int n = events.size();
        UUID[] ids = new UUID[n];
        String[] patients = new String[n];
        String[] types = new String[n];
        OffsetDateTime[] occurred = new OffsetDateTime[n];
        String[] hashes = new String[n];
        String[] payloads = new String[n];
        String[] advised = new String[n];
        for (int i = 0; i < n; i++) {
            NewEvent e = events.get(i);
            ids[i] = e.eventId();
            patients[i] = e.patientId();
            types[i] = e.type();
            occurred[i] = e.occurredAt();
            hashes[i] = e.contentHash();
            payloads[i] = e.payloadJson();
            advised[i] = advice.get(e.eventId());
        }
        // an erasure of one of these patients either waits for this transaction (and then deletes what it added) or
        // came first: then nothing is added (ErasureStore takes the same lock, exclusively)
        String[] distinct = Arrays.stream(patients).distinct().toArray(String[]::new);
        return tx.preparedQuery("""
                        SELECT bool_or(EXISTS (SELECT 1 FROM patient_erasure e WHERE e.patient_id = p))
                        FROM unnest($1::text[]) p, LATERAL (SELECT pg_advisory_xact_lock_shared(hashtext('patient/' || p))) lock""")
                .execute(Tuple.of(distinct))
                .chain(erased -> {
                    if (Boolean.TRUE.equals(erased.iterator().next().getBoolean(0))) {
                        throw ProblemException.notFound("no such patient");
                    }
                    return insert(tx, ids, patients, types, occurred, hashes, payloads, recordedAt, advised);
                });
    }

    private Uni<Map<UUID, Existing>> insert(SqlConnection tx, UUID[] ids, String[] patients, String[] types, OffsetDateTime[] occurred,
                                            String[] hashes, String[] payloads, Instant recordedAt, String[] advised) {
        return tx.preparedQuery("""
                        WITH appended AS (
                            INSERT INTO patient_event (event_id, patient_id, type, occurred_at, recorded_at, content_hash, payload, advice)
                            SELECT event_id, patient_id, type, occurred_at, $7, content_hash, payload, string_to_array(advice, ',')
                            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $9::text[])
                                 WITH ORDINALITY AS incoming(event_id, patient_id, type, occurred_at, content_hash, payload, advice, ord)
                            ORDER BY ord
                            ON CONFLICT (event_id) DO NOTHING
                            RETURNING seq, event_id, patient_id, type, occurred_at, payload),
                        queued AS (""" + Outbox.INSERT + """
                             SELECT $8::text, patient_id, event_id::text, type, occurred_at, $7, payload FROM appended ORDER BY seq)
                        SELECT event_id FROM appended""")
                .execute(Tuple.tuple(List.of(ids, patients, types, occurred, hashes, payloads, utc(recordedAt),
                        Topics.SESSION_EVENTS.name(), advised)))
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
                                advice == null ? null : List.of(advice)));
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
     * The patient's pain scores within the windows (one per local day asked), as the safety rules read them; at most
     * {@value #MAX_SCORES_READ}, so no patient's day costs more than that. A payload that cannot be read is left out.
     */
    public Uni<List<SafetyRules.Score>> painScores(SqlConnection tx, String patientId, Collection<Day> windows) {
        return tx.preparedQuery("""
                        SELECT e.event_id, e.occurred_at, e.payload
                        FROM unnest($2::timestamptz[], $3::timestamptz[]) AS w(from_at, to_at)
                        JOIN patient_event e ON e.patient_id = $1 AND e.type = 'pain.reported'
                             AND e.occurred_at >= w.from_at AND e.occurred_at < w.to_at
                        LIMIT %d""".formatted(MAX_SCORES_READ))
                .execute(Tuple.of(patientId, windows.stream().map(w -> utc(w.from())).toArray(OffsetDateTime[]::new),
                        windows.stream().map(w -> utc(w.to())).toArray(OffsetDateTime[]::new)))
                .map(rows -> {
                    List<SafetyRules.Score> scores = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        try {
                            JsonNode payload = JSON.readTree(r.getString(2));
                            scores.add(new SafetyRules.Score(r.getUUID(0), r.getOffsetDateTime(1).toInstant(),
                                    PainContext.valueOf(payload.path("context").asText()), payload.path("score").asInt()));
                        } catch (JsonProcessingException | IllegalArgumentException unreadable) {
                            // written by an older release or by hand: it cannot be a reference
                        }
                    }
                    return scores;
                });
    }

    static final int MAX_SCORES_READ = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();

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
