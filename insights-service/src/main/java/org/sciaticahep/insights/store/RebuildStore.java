package org.sciaticahep.insights.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sciaticahep.insights.domain.RebuildState;

/**
 * Where insights is in each partition, and the state of a rebuild. Applying a batch holds the rebuild lock shared;
 * starting a rebuild holds it exclusively, so a batch is applied wholly before a rebuild empties the facts, or
 * after it and against the reset positions.
 */
@ApplicationScoped
public class RebuildStore {

    private static final String LOCK = "hashtext('insights-rebuild')";
    /**
     * The facts a rebuild derives again from session-events, and what is derived from them (aggregates, rule
     * occurrences); flags and their outbox are human work and stay.
     */
    private static final String FACTS = "processed_event, enrollment, prescription_version, exercise_log, pain_report, patient_state, "
            + String.join(", ", FactStore.AGGREGATES) + ", flag_occurrence";

    @Inject
    Pool pool;

    /** Taken by every batch's transaction before anything else. */
    public Uni<Void> lockShared(SqlConnection tx) {
        return tx.query("SELECT pg_advisory_xact_lock_shared(" + LOCK + ")").execute().replaceWithVoid();
    }

    /** The rebuild's state, read on its own. */
    public Uni<RebuildState> state() {
        return state(pool);
    }

    public Uni<RebuildState> state(SqlClient db) {
        return db.query("SELECT generation, status, requested_by, requested_at, finished_at, reconciled_through FROM rebuild WHERE id = 1")
                .execute().map(rows -> {
                    Row r = rows.iterator().next();
                    return new RebuildState(r.getLong(0), RebuildState.Status.valueOf(r.getString(1)), r.getString(2),
                            instant(r, 3), instant(r, 4), r.getString(5));
                });
    }

    /** The next offset to apply of each of the partitions, locked until the transaction ends (absent: never applied). */
    public Uni<Map<Integer, Long>> positions(SqlConnection tx, String topic, List<Integer> partitions) {
        return tx.preparedQuery("SELECT partition, next_offset FROM consumer_position WHERE topic = $1 AND partition = ANY($2) FOR UPDATE")
                .execute(Tuple.of(topic, partitions.toArray(new Integer[0]))).map(RebuildStore::byPartition);
    }

    /** Every partition's position, unlocked. */
    public Uni<Map<Integer, Long>> positions(String topic) {
        return pool.preparedQuery("SELECT partition, next_offset FROM consumer_position WHERE topic = $1")
                .execute(Tuple.of(topic)).map(RebuildStore::byPartition);
    }

    public Uni<Void> advance(SqlConnection tx, String topic, Map<Integer, Long> next) {
        if (next.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>();
        next.forEach((partition, offset) -> rows.add(Tuple.of(topic, partition, offset)));
        return tx.preparedQuery("""
                        INSERT INTO consumer_position (topic, partition, next_offset) VALUES ($1, $2, $3)
                        ON CONFLICT (topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset""")
                .executeBatch(rows).replaceWithVoid();
    }

    /** Moves a position forward past records the log no longer has (retention); never backwards. */
    public Uni<Void> skipTo(String topic, int partition, long offset) {
        return pool.preparedQuery("UPDATE consumer_position SET next_offset = $3 WHERE topic = $1 AND partition = $2 AND next_offset < $3")
                .execute(Tuple.of(topic, partition, offset)).replaceWithVoid();
    }

    /**
     * Starts a rebuild: every partition back to offset 0 and the end offsets to replay up to, then the facts emptied
     * (in this order: a batch waiting on its partition's row must not find the facts emptied under it).
     */
    public Uni<RebuildState> start(String topic, Map<Integer, Long> endOffsets, String by, Instant at) {
        return pool.withTransaction(tx -> tx.query("SELECT pg_advisory_xact_lock(" + LOCK + ")").execute()
                .chain(() -> {
                    List<Tuple> rows = new ArrayList<>();
                    endOffsets.keySet().forEach(partition -> rows.add(Tuple.of(topic, partition, 0L)));
                    return tx.preparedQuery("""
                                    INSERT INTO consumer_position (topic, partition, next_offset) VALUES ($1, $2, $3)
                                    ON CONFLICT (topic, partition) DO UPDATE SET next_offset = 0""")
                            .executeBatch(rows);
                })
                .chain(() -> tx.query("DELETE FROM rebuild_target").execute())
                .chain(() -> {
                    List<Tuple> rows = new ArrayList<>();
                    endOffsets.forEach((partition, end) -> rows.add(Tuple.of(partition, end)));
                    return tx.preparedQuery("INSERT INTO rebuild_target (partition, end_offset) VALUES ($1, $2)").executeBatch(rows);
                })
                .chain(() -> tx.query("TRUNCATE " + FACTS).execute())
                .chain(() -> tx.preparedQuery("""
                                UPDATE rebuild SET generation = generation + 1, status = 'REPLAYING', requested_by = $1,
                                       requested_at = $2, finished_at = NULL, reconciled_through = NULL WHERE id = 1""")
                        .execute(Tuple.of(by, FactStore.utc(at))))
                .chain(() -> state(tx)));
    }

    /** Replay is over once every partition's position has reached its end offset of when the rebuild began. */
    public Uni<Boolean> replayed() {
        return pool.query("""
                        SELECT coalesce(bool_and(p.next_offset >= t.end_offset), true) FROM rebuild_target t
                        LEFT JOIN consumer_position p ON p.topic = 'session-events' AND p.partition = t.partition""")
                .execute().map(rows -> Boolean.TRUE.equals(rows.iterator().next().getBoolean(0)));
    }

    public Uni<Boolean> startReconciling() {
        return pool.query("UPDATE rebuild SET status = 'RECONCILING', reconciled_through = '' WHERE id = 1 AND status = 'REPLAYING'")
                .execute().map(rows -> rows.rowCount() == 1);
    }

    /**
     * In a transaction that reconciles the next patients: answers the last patient id reconciled, locked until the
     * transaction ends (so instances take turns), or null when no reconciliation is under way.
     */
    public Uni<String> reconciledThrough(SqlConnection tx) {
        return tx.query("SELECT reconciled_through FROM rebuild WHERE id = 1 AND status = 'RECONCILING' FOR UPDATE")
                .execute().map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
    }

    /**
     * The next patients after {@code after}, in id order as Java compares ids (byte order: collation "C"): everyone
     * insights holds facts or flags of.
     */
    public Uni<List<String>> patientsAfter(SqlConnection tx, String after, int limit) {
        return tx.preparedQuery("""
                        SELECT patient_id FROM (SELECT patient_id FROM patient_state UNION SELECT patient_id FROM review_flag) everyone
                        WHERE patient_id COLLATE "C" > $1 ORDER BY patient_id COLLATE "C" LIMIT $2""")
                .execute(Tuple.of(after, limit)).map(rows -> {
                    List<String> ids = new ArrayList<>(rows.size());
                    rows.forEach(r -> ids.add(r.getString(0)));
                    return ids;
                });
    }

    public Uni<Void> reconciled(SqlConnection tx, String through) {
        return tx.preparedQuery("UPDATE rebuild SET reconciled_through = $1 WHERE id = 1").execute(Tuple.of(through)).replaceWithVoid();
    }

    public Uni<Void> finish(SqlConnection tx, Instant at) {
        return tx.preparedQuery("UPDATE rebuild SET status = 'DONE', finished_at = $1, reconciled_through = NULL WHERE id = 1")
                .execute(Tuple.of(FactStore.utc(at))).replaceWithVoid();
    }

    private static Map<Integer, Long> byPartition(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        Map<Integer, Long> found = new HashMap<>();
        rows.forEach(r -> found.put(r.getInteger(0), r.getLong(1)));
        return found;
    }

    private static Instant instant(Row r, int column) {
        return r.getOffsetDateTime(column) == null ? null : r.getOffsetDateTime(column).toInstant();
    }
}
