package org.sciaticahep.support.outbox;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code outbox} table every service has, in the same shape (each service's migration creates it):
 *
 * <pre>
 * seq BIGSERIAL PRIMARY KEY    publication order
 * topic TEXT                   where the row goes
 * message_key TEXT             Kafka key and ce_subject: a patient id, a definition id
 * event_id TEXT                ce_id (catalog's are "exercise/{id}/v{n}", not UUIDs)
 * type TEXT                    ce_type
 * occurred_at TIMESTAMPTZ      ce_time
 * recorded_at TIMESTAMPTZ      when the service took the change in: backlog age, publish latency, ce_recordedat
 * payload TEXT                 the record's value, JSON as stored, never parsed again
 * </pre>
 *
 * A row is written in the transaction of the change it announces and deleted once Kafka acknowledged it
 * ({@link OutboxRelay}). Reading the head and deleting are statements of their own on the pool: no transaction is
 * held open while Kafka is waited for.
 */
@ApplicationScoped
public class Outbox {

    /** The columns a writer fills, in this order; {@code seq} comes from the table. */
    public static final String INSERT = "INSERT INTO outbox (topic, message_key, event_id, type, occurred_at, recorded_at, payload)";

    /** The head, oldest first, by the primary key's index: a round reads what it returns, whatever waits behind. */
    public static final String HEAD = """
            SELECT seq, topic, message_key, event_id, type, occurred_at, recorded_at, payload
            FROM outbox ORDER BY seq LIMIT $1""";

    /** Rows waiting, and when the first of them was recorded (one row looked up by the index). */
    public static final String BACKLOG = """
            SELECT (SELECT count(*) FROM outbox), (SELECT recorded_at FROM outbox ORDER BY seq LIMIT 1)""";

    /** An event to put in the outbox. */
    public record Event(String topic, String key, String eventId, String type, Instant occurredAt, String payloadJson) {
    }

    /** A row waiting for Kafka's acknowledgement. */
    public record Pending(long seq, String topic, String key, String eventId, String type, Instant occurredAt,
                          Instant recordedAt, String payloadJson) {
    }

    /** How many rows wait, and when the oldest was recorded (null when none waits). */
    public record Backlog(long size, Instant oldestRecordedAt) {
    }

    @Inject
    Pool pool;

    /**
     * Adds {@code events} in list order, on {@code tx}: the caller's transaction, the one that makes the change they
     * announce. One statement, whatever their number. (session-service appends its events and their rows in one
     * statement of its own, with {@link #INSERT}; catalog-service inserts through Hibernate Reactive's session.)
     */
    public static Uni<Void> enqueue(SqlClient tx, List<Event> events) {
        int n = events.size();
        String[] topics = new String[n];
        String[] keys = new String[n];
        String[] ids = new String[n];
        String[] types = new String[n];
        OffsetDateTime[] occurred = new OffsetDateTime[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            Event e = events.get(i);
            topics[i] = e.topic();
            keys[i] = e.key();
            ids[i] = e.eventId();
            types[i] = e.type();
            occurred[i] = utc(e.occurredAt());
            payloads[i] = e.payloadJson();
        }
        return tx.preparedQuery(INSERT + """
                         SELECT topic, message_key, event_id, type, occurred_at, $7, payload
                        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[])
                             WITH ORDINALITY AS e(topic, message_key, event_id, type, occurred_at, payload, ord)
                        ORDER BY ord""")
                .execute(Tuple.tuple(List.of(topics, keys, ids, types, occurred, payloads, utc(now()))))
                .replaceWithVoid();
    }

    /** Up to {@code limit} rows from the head, in order. */
    public Uni<List<Pending>> head(int limit) {
        return pool.preparedQuery(HEAD).execute(Tuple.of(limit)).map(rows -> {
            List<Pending> head = new ArrayList<>(rows.size());
            for (Row r : rows) {
                head.add(new Pending(r.getLong(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getOffsetDateTime(5).toInstant(), r.getOffsetDateTime(6).toInstant(), r.getString(7)));
            }
            return head;
        });
    }

    /** Takes rows Kafka acknowledged out of the outbox. */
    public Uni<Integer> delete(List<Long> seqs) {
        return pool.preparedQuery("DELETE FROM outbox WHERE seq = ANY($1)")
                .execute(Tuple.of(seqs.toArray(new Long[0])))
                .map(RowSet::rowCount);
    }

    public Uni<Backlog> backlog() {
        return pool.query(BACKLOG).execute().map(rows -> {
            Row r = rows.iterator().next();
            OffsetDateTime oldest = r.getOffsetDateTime(1);
            return new Backlog(r.getLong(0), oldest == null ? null : oldest.toInstant());
        });
    }

    /** What {@code recorded_at} gets: PostgreSQL keeps microseconds. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
