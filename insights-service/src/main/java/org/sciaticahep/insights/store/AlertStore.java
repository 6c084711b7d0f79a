package org.sciaticahep.insights.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.sciaticahep.insights.domain.AlertSubscription;
import org.sciaticahep.insights.domain.Alerts;
import org.sciaticahep.insights.domain.FlagRule;

/** Alert subscriptions, the deliveries queued for them, and the flags due for escalation. */
@ApplicationScoped
public class AlertStore {

    @Inject
    Pool pool;

    /** The advisory lock space of subscription owners (two-key locks never meet the one-key locks of relays). */
    private static final int OWNER_LOCKS = 8102;

    /** An alert to every live subscription of {@code owner} whose minimum severity the flag reaches. */
    public record Alert(String idempotencyKey, String type, UUID flagId, String patientId, String owner,
                        FlagRule.Severity severity, String body) {
    }

    /** A delivery taken for an attempt, with where it goes and the key that signs it. */
    public record Due(UUID deliveryId, UUID subscriptionId, String idempotencyKey, String type, String body, int attempts,
                      Instant queuedAt, String url, String secret) {
    }

    /** An unacknowledged flag that has just been escalated. */
    public record Escalated(UUID flagId, String patientId, String rule, FlagRule.Severity severity, Instant raisedAt) {
    }

    /** What waits to be delivered to one kind of target ({@code on-call} or {@code clinician}). */
    public record Backlog(long undelivered, long retrying, Instant oldestQueuedAt) {
        public static final Backlog NONE = new Backlog(0, 0, null);
    }

    public record Log(List<AlertSubscription.Delivery> items, long total) {
    }

    /**
     * The subscription, unless its owner already has {@code max}; null then. The owner's lock makes the count and
     * the insert one step, so two requests at once cannot both take the last place.
     */
    public Uni<AlertSubscription> subscribe(AlertSubscription s, String secret, String createdBy, int max) {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT pg_advisory_xact_lock(" + OWNER_LOCKS + ", hashtext($1))")
                .execute(Tuple.of(s.owner()))
                .chain(() -> tx.preparedQuery("""
                                INSERT INTO alert_subscription (subscription_id, owner, url, min_severity, min_rank, secret, created_by, created_at)
                                SELECT $1, $2, $3, $4, $5, $6, $7, $8
                                 WHERE (SELECT count(*) FROM alert_subscription WHERE owner = $2 AND deleted_at IS NULL) < $9
                                RETURNING subscription_id""")
                        .execute(Tuple.tuple(List.of(s.subscriptionId(), s.owner(), s.url(), s.minSeverity().name(),
                                s.minSeverity().ordinal(), secret, createdBy,
                                OffsetDateTime.ofInstant(s.createdAt(), java.time.ZoneOffset.UTC), max))))
                .map(rows -> rows.size() == 0 ? null : s));
    }

    public Uni<List<AlertSubscription>> subscriptions(String owner) {
        return pool.preparedQuery("""
                        SELECT subscription_id, owner, url, min_severity, created_at FROM alert_subscription
                         WHERE owner = $1 AND deleted_at IS NULL ORDER BY created_at, subscription_id""")
                .execute(Tuple.of(owner)).map(rows -> {
                    List<AlertSubscription> list = new ArrayList<>();
                    rows.forEach(r -> list.add(new AlertSubscription(r.getUUID(0), r.getString(1), r.getString(2),
                            FlagRule.Severity.valueOf(r.getString(3)), r.getOffsetDateTime(4).toInstant())));
                    return list;
                });
    }

    /**
     * Deletes the owner's subscription, forgets its secret and URL (often a secret itself) and cancels what it has not
     * been sent yet; false when there is none. An alert queued by a transaction that had not committed yet is cancelled
     * when it is claimed.
     */
    public Uni<Boolean> delete(String owner, UUID subscriptionId) {
        return pool.preparedQuery("""
                        WITH gone AS (UPDATE alert_subscription SET deleted_at = now(), secret = '', url = ''
                                       WHERE subscription_id = $1 AND owner = $2 AND deleted_at IS NULL RETURNING subscription_id),
                             cancelled AS (UPDATE alert_delivery d SET status = 'CANCELLED' FROM gone
                                            WHERE d.subscription_id = gone.subscription_id AND d.status = 'PENDING')
                        SELECT count(*) FROM gone""")
                .execute(Tuple.of(subscriptionId, owner)).map(rows -> rows.iterator().next().getLong(0) > 0);
    }

    /** A page of the owner's subscription's deliveries, newest first; null when the subscription is not theirs. */
    public Uni<Log> deliveries(String owner, UUID subscriptionId, int limit, long offset) {
        return pool.preparedQuery("""
                        SELECT d.delivery_id, d.type, d.flag_id, d.status, d.attempts, d.queued_at, d.last_attempt_at,
                               d.last_outcome, d.delivered_at, d.next_attempt_at,
                               (SELECT count(*) FROM alert_delivery WHERE subscription_id = s.subscription_id) AS total
                          FROM alert_subscription s
                          LEFT JOIN LATERAL (SELECT * FROM alert_delivery WHERE subscription_id = s.subscription_id
                                              ORDER BY queued_at DESC, delivery_id LIMIT $3 OFFSET $4) d ON true
                         WHERE s.subscription_id = $1 AND s.owner = $2 AND s.deleted_at IS NULL
                         ORDER BY d.queued_at DESC, d.delivery_id""")
                .execute(Tuple.of(subscriptionId, owner, limit, offset)).map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    List<AlertSubscription.Delivery> items = new ArrayList<>();
                    long total = 0;
                    for (Row r : rows) {
                        total = r.getLong("total");
                        if (r.getUUID(0) != null) {
                            items.add(new AlertSubscription.Delivery(r.getUUID(0), r.getString(1), r.getUUID(2), r.getString(3),
                                    r.getInteger(4), instant(r, 5), instant(r, 6), r.getString(7), instant(r, 8),
                                    "PENDING".equals(r.getString(3)) ? instant(r, 9) : null));
                        }
                    }
                    return new Log(items, total);
                });
    }

    /**
     * In the caller's transaction: each alert queued for the owner's live subscriptions its severity reaches, and
     * for those that were sent an earlier alert of the same flag (who heard it was MEDIUM hears it went down to LOW,
     * or was withdrawn), once per subscription and idempotency key. One statement, whatever the number of alerts.
     */
    public Uni<Void> enqueue(SqlConnection tx, List<Alert> alerts) {
        if (alerts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = alerts.size();
        String[] keys = new String[n];
        String[] types = new String[n];
        UUID[] flags = new UUID[n];
        String[] patients = new String[n];
        String[] owners = new String[n];
        Integer[] ranks = new Integer[n];
        String[] bodies = new String[n];
        for (int i = 0; i < n; i++) {
            Alert a = alerts.get(i);
            keys[i] = a.idempotencyKey();
            types[i] = a.type();
            flags[i] = a.flagId();
            patients[i] = a.patientId();
            owners[i] = a.owner();
            ranks[i] = a.severity().ordinal();
            bodies[i] = a.body();
        }
        return tx.preparedQuery("""
                        INSERT INTO alert_delivery (delivery_id, subscription_id, idempotency_key, type, flag_id, patient_id,
                                                    severity_rank, body, status, queued_at, next_attempt_at)
                        SELECT gen_random_uuid(), s.subscription_id, a.key, a.type, a.flag_id, a.patient_id, a.rank, a.body,
                               'PENDING', now(), now()
                          FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::int[], $7::text[])
                               AS a(key, type, flag_id, patient_id, owner, rank, body)
                          JOIN alert_subscription s ON s.owner = a.owner AND s.deleted_at IS NULL
                               AND (a.rank <= s.min_rank
                                    OR EXISTS (SELECT 1 FROM alert_delivery d
                                                WHERE d.flag_id = a.flag_id AND d.subscription_id = s.subscription_id))
                        ON CONFLICT (subscription_id, idempotency_key) DO NOTHING""")
                .execute(Tuple.tuple(List.<Object>of(keys, types, flags, patients, owners, ranks, bodies))).replaceWithVoid();
    }

    /**
     * In the caller's transaction: the flag's alerts that only said it was raised, changed severity or was escalated,
     * not sent yet, are cancelled once it has been acknowledged, resolved or withdrawn (nobody should be paged about a
     * flag handled hours ago); the change itself is queued next.
     */
    public Uni<Void> supersede(SqlConnection tx, UUID flagId) {
        return tx.preparedQuery("""
                        UPDATE alert_delivery SET status = 'CANCELLED', last_outcome = 'superseded'
                         WHERE flag_id = $1 AND status = 'PENDING' AND type IN ('flag.raised', 'flag.severity-changed', 'flag.escalated')""")
                .execute(Tuple.of(flagId)).replaceWithVoid();
    }

    /**
     * Up to {@code limit} deliveries due now, most severe first, at most {@code perTarget} of one subscription and
     * none of the {@code busy} ones (this instance is still sending to those), taken for {@code lease}: their next
     * attempt moves past the lease, so another instance (or this one after a crash) tries them again only if this
     * attempt never reports back. Due alerts of deleted subscriptions are cancelled on the way.
     */
    public Uni<List<Due>> claim(int limit, Duration lease, Collection<UUID> busy, int perTarget) {
        return pool.preparedQuery("""
                        WITH due AS MATERIALIZED (
                                SELECT d.delivery_id, s.deleted_at IS NOT NULL AS gone
                                  FROM alert_delivery d JOIN alert_subscription s ON s.subscription_id = d.subscription_id
                                 WHERE d.delivery_id IN (
                                        SELECT delivery_id FROM (
                                               SELECT delivery_id, severity_rank, next_attempt_at, row_number() OVER (
                                                      PARTITION BY subscription_id ORDER BY severity_rank, next_attempt_at) AS n
                                                 FROM alert_delivery
                                                WHERE status = 'PENDING' AND next_attempt_at <= now()
                                                  AND subscription_id <> ALL($3::uuid[])) ranked
                                         WHERE n <= $4 ORDER BY severity_rank, next_attempt_at LIMIT $1)
                                 FOR UPDATE OF d SKIP LOCKED)
                        UPDATE alert_delivery d
                           SET next_attempt_at = CASE WHEN due.gone THEN d.next_attempt_at
                                                      ELSE now() + $2::float8 * interval '1 millisecond' END,
                               status = CASE WHEN due.gone THEN 'CANCELLED' ELSE d.status END
                          FROM due, alert_subscription s
                         WHERE d.delivery_id = due.delivery_id AND s.subscription_id = d.subscription_id
                        RETURNING due.gone, d.delivery_id, d.subscription_id, d.idempotency_key, d.type, d.body, d.attempts,
                                  d.queued_at, s.url, s.secret""")
                .execute(Tuple.of(limit, (double) lease.toMillis(), busy.toArray(new UUID[0]), perTarget)).map(rows -> {
                    List<Due> due = new ArrayList<>();
                    for (Row r : rows) {
                        if (!r.getBoolean(0)) {
                            due.add(new Due(r.getUUID(1), r.getUUID(2), r.getString(3), r.getString(4), r.getString(5),
                                    r.getInteger(6), instant(r, 7), r.getString(8), r.getString(9)));
                        }
                    }
                    return due;
                });
    }

    /** An attempt's outcome: {@code DELIVERED}, {@code FAILED} (given up) or {@code PENDING} again after {@code retryIn}. */
    public Uni<Void> attempted(UUID deliveryId, String status, String outcome, Duration retryIn) {
        return pool.preparedQuery("""
                        UPDATE alert_delivery SET attempts = attempts + 1, last_attempt_at = now(), last_outcome = $3, status = $2,
                               next_attempt_at = now() + $4::float8 * interval '1 millisecond',
                               delivered_at = CASE WHEN $2 = 'DELIVERED' THEN now() END
                         WHERE delivery_id = $1 AND status = 'PENDING'""")
                .execute(Tuple.of(deliveryId, status, outcome, (double) retryIn.toMillis())).replaceWithVoid();
    }

    /**
     * In the caller's transaction: marks up to {@code limit} open flags escalated, CRITICAL ones raised at least
     * {@code critical} ago and HIGH ones {@code high} ago, each once; another instance skips the ones taken here. Only
     * flags an on-call target takes: one nobody would receive waits (counted by {@link #unrouted}) until one does.
     */
    public Uni<List<Escalated>> escalate(SqlConnection tx, Duration critical, Duration high, int limit) {
        return tx.preparedQuery("""
                        UPDATE review_flag f SET escalated_at = now()
                         WHERE f.flag_id IN (SELECT flag_id FROM review_flag
                                              WHERE status = 'OPEN' AND escalated_at IS NULL AND severity_rank <= 1
                                                AND raised_at <= now() - (CASE severity_rank WHEN 0 THEN $1::float8 ELSE $2::float8 END)
                                                                         * interval '1 millisecond'
                                                AND EXISTS (SELECT 1 FROM alert_subscription s WHERE s.owner = $4
                                                               AND s.deleted_at IS NULL AND severity_rank <= s.min_rank)
                                              ORDER BY raised_at LIMIT $3 FOR UPDATE SKIP LOCKED)
                        RETURNING f.flag_id, f.patient_id, f.rule, f.severity, f.raised_at""")
                .execute(Tuple.of((double) critical.toMillis(), (double) high.toMillis(), limit, Alerts.ON_CALL)).map(rows -> {
                    List<Escalated> list = new ArrayList<>();
                    rows.forEach(r -> list.add(new Escalated(r.getUUID(0), r.getString(1), r.getString(2),
                            FlagRule.Severity.valueOf(r.getString(3)), instant(r, 4))));
                    return list;
                });
    }

    /** Up to {@code limit} deliveries no longer pending, older than {@code keep}, forgotten; answers how many. */
    public Uni<Integer> forget(Duration keep, int limit) {
        return pool.preparedQuery("""
                        DELETE FROM alert_delivery WHERE delivery_id IN (
                               SELECT delivery_id FROM alert_delivery WHERE status <> 'PENDING'
                                  AND queued_at < now() - $1::float8 * interval '1 millisecond' LIMIT $2)""")
                .execute(Tuple.of((double) keep.toMillis(), limit)).map(rows -> rows.rowCount());
    }

    /** Deleted subscriptions with no delivery left in their log, forgotten. */
    public Uni<Integer> forgetDeletedSubscriptions(int limit) {
        return pool.preparedQuery("""
                        DELETE FROM alert_subscription WHERE subscription_id IN (
                               SELECT s.subscription_id FROM alert_subscription s WHERE s.deleted_at IS NOT NULL
                                  AND NOT EXISTS (SELECT 1 FROM alert_delivery d WHERE d.subscription_id = s.subscription_id)
                                LIMIT $1)""")
                .execute(Tuple.of(limit)).map(rows -> rows.rowCount());
    }

    /** What waits to be delivered, for on-call targets and for clinicians' targets apart. */
    public Uni<Map<String, Backlog>> backlog(SqlClient db) {
        return db.query("""
                        SELECT CASE WHEN s.owner = 'on-call' THEN 'on-call' ELSE 'clinician' END, count(*),
                               count(*) FILTER (WHERE d.attempts > 0), min(d.queued_at)
                          FROM alert_delivery d JOIN alert_subscription s ON s.subscription_id = d.subscription_id
                         WHERE d.status = 'PENDING' AND s.deleted_at IS NULL GROUP BY 1""")
                .execute().map(rows -> {
                    Map<String, Backlog> all = new HashMap<>();
                    rows.forEach(r -> all.put(r.getString(0), new Backlog(r.getLong(1), r.getLong(2), instant(r, 3))));
                    return all;
                });
    }

    /** Open HIGH and CRITICAL flags past their escalation delay that no on-call target would receive. */
    public Uni<Long> unrouted(SqlClient db, Duration critical, Duration high) {
        return db.preparedQuery("""
                        SELECT count(*) FROM review_flag f
                         WHERE f.status = 'OPEN' AND f.escalated_at IS NULL AND f.severity_rank <= 1
                           AND f.raised_at <= now() - (CASE f.severity_rank WHEN 0 THEN $1::float8 ELSE $2::float8 END)
                                                      * interval '1 millisecond'
                           AND NOT EXISTS (SELECT 1 FROM alert_subscription s WHERE s.owner = $3
                                              AND s.deleted_at IS NULL AND f.severity_rank <= s.min_rank)""")
                .execute(Tuple.of((double) critical.toMillis(), (double) high.toMillis(), Alerts.ON_CALL))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    private static Instant instant(Row r, int column) {
        OffsetDateTime at = r.getOffsetDateTime(column);
        return at == null ? null : at.toInstant();
    }
}
