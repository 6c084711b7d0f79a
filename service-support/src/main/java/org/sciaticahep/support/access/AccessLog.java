package org.sciaticahep.support.access;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.sciaticahep.support.Paged;

/**
 * Who read which patient's data, in this service: every read of a patient's data adds an entry (who and in which
 * role, which patient, what, when, allowed or refused) and the patient, their clinician or an admin can list them.
 * Entries carry no health data.
 *
 * <p>A read does not wait for its entry to be written: entries wait in memory and are written in batches every
 * 200 ms. What waits is bounded; when it is full (the database away for a while) reads of patient data are refused
 * with 503 until entries can be written again: no read without its entry. An instance that crashes loses at most
 * the entries of its last 200 ms; one stopped in order writes them first.
 */
@ApplicationScoped
@IfBuildProperty(name = AccessLog.ENABLED, stringValue = "true")
public class AccessLog {

    /** Build property a service sets to keep an access log (it holds patient data and has the table). */
    public static final String ENABLED = "service.access-log";
    static final Duration FLUSH_EVERY = Duration.ofMillis(200);
    static final int BATCH = 1000;
    private static final Logger LOG = Logger.getLogger(AccessLog.class);

    public enum Outcome {
        ALLOWED,
        /** Not allowed (no token, another patient's, not their clinician), or sent to sign in. */
        REFUSED,
        /** Allowed to ask, but nothing there (no such patient, no enrollment). */
        NOT_FOUND
    }

    /** One read: {@code action} is the method and route, such as {@code GET /patients/{patientId}/pain}. */
    public record Entry(Instant at, String service, String subject, String role, String patientId, String action,
                        Outcome outcome) {
    }

    @ConfigProperty(name = "quarkus.application.name")
    String service;

    /** Entries waiting to be written at most; beyond, reads of patient data wait for the database (503). */
    @ConfigProperty(name = "access-log.capacity", defaultValue = "50000")
    int capacity;

    /** How long entries are kept: six years by default, what health records law asks of audit trails in many places. */
    @ConfigProperty(name = "access-log.retention-days", defaultValue = "2192")
    int retentionDays;

    @Inject
    Pool db;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry metrics;

    private final ArrayDeque<Entry> waiting = new ArrayDeque<>();
    private final AtomicBoolean writing = new AtomicBoolean();
    private Counter written;
    private Counter refused;
    private long timer;

    void start(@Observes StartupEvent event) {
        written = Counter.builder("access_log.written").description("Access entries written").register(metrics);
        refused = Counter.builder("access_log.refused_reads")
                .description("Reads of patient data refused (503) because their access entries could not be kept").register(metrics);
        Gauge.builder("access_log.waiting", this, AccessLog::waitingCount).description("Access entries not written yet").register(metrics);
        timer = vertx.setPeriodic(FLUSH_EVERY.toMillis(), id -> write());
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
        Instant deadline = Instant.now().plusSeconds(5);
        // what the last reads left is written before the instance goes
        while (waitingCount() > 0 && Instant.now().isBefore(deadline)) {
            if (writing.compareAndSet(false, true)) {
                writeBatch().onTermination().invoke(() -> writing.set(false)).await().atMost(Duration.ofSeconds(5));
            }
        }
    }

    /** Whether a read may go ahead: its entry can be kept. Counts a refusal when not. */
    public boolean accepting() {
        if (waitingCount() < capacity) {
            return true;
        }
        refused.increment();
        return false;
    }

    public void record(String subject, String role, String patientId, String action, Outcome outcome) {
        Entry entry = new Entry(Instant.now(), service, subject, role, patientId, action, outcome);
        synchronized (waiting) {
            waiting.addLast(entry);
        }
    }

    int waitingCount() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    /** A page of the patient's entries, newest first. */
    public Uni<Paged<Entry>> page(String patientId, int limit, long offset) {
        Uni<List<Entry>> items = db.preparedQuery("""
                        SELECT at, service, subject, role, patient_id, action, outcome FROM access_entry
                        WHERE patient_id = $1 ORDER BY at DESC, id DESC LIMIT $2 OFFSET $3""")
                .execute(Tuple.of(patientId, limit, offset)).map(rows -> {
                    List<Entry> page = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        page.add(new Entry(r.getOffsetDateTime(0).toInstant(), r.getString(1), r.getString(2), r.getString(3),
                                r.getString(4), r.getString(5), Outcome.valueOf(r.getString(6))));
                    }
                    return page;
                });
        Uni<Long> total = db.preparedQuery("SELECT count(*) FROM access_entry WHERE patient_id = $1").execute(Tuple.of(patientId))
                .map(rows -> rows.iterator().next().getLong(0));
        return Uni.combine().all().unis(items, total).asTuple().map(t -> new Paged<>(t.getItem1(), t.getItem2()));
    }

    /** Entries older than the retention go, a bounded batch at a time. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> expire() {
        OffsetDateTime before = Instant.now().minus(retentionDays, ChronoUnit.DAYS).atOffset(ZoneOffset.UTC);
        return db.preparedQuery("DELETE FROM access_entry WHERE id IN (SELECT id FROM access_entry WHERE at < $1 ORDER BY at LIMIT 10000)")
                .execute(Tuple.of(before)).chain(rows -> rows.rowCount() == 10000 ? expire() : Uni.createFrom().voidItem());
    }

    private void write() {
        if (waitingCount() == 0 || !writing.compareAndSet(false, true)) {
            return;
        }
        writeBatch().subscribe().with(n -> {
            writing.set(false);
            if (n == BATCH) {
                write();
            }
        }, failure -> {
            writing.set(false);
            LOG.warnf("access entries not written yet (%d waiting): %s", waitingCount(), failure.toString());
        });
    }

    /** Writes up to a batch from the head; on failure they go back to the head, in order. */
    private Uni<Integer> writeBatch() {
        List<Entry> batch = new ArrayList<>(BATCH);
        synchronized (waiting) {
            while (batch.size() < BATCH && !waiting.isEmpty()) {
                batch.add(waiting.pollFirst());
            }
        }
        if (batch.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        int n = batch.size();
        OffsetDateTime[] at = new OffsetDateTime[n];
        String[] services = new String[n];
        String[] subject = new String[n];
        String[] role = new String[n];
        String[] patient = new String[n];
        String[] action = new String[n];
        String[] outcome = new String[n];
        for (int i = 0; i < n; i++) {
            Entry e = batch.get(i);
            at[i] = e.at().atOffset(ZoneOffset.UTC);
            services[i] = e.service();
            subject[i] = e.subject();
            role[i] = e.role();
            patient[i] = e.patientId();
            action[i] = e.action();
            outcome[i] = e.outcome().name();
        }
        return db.preparedQuery("""
                        INSERT INTO access_entry (at, service, subject, role, patient_id, action, outcome)
                        SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])""")
                .execute(Tuple.from(List.of(at, services, subject, role, patient, action, outcome)))
                .map(rows -> {
                    written.increment(n);
                    return n;
                })
                .onFailure().invoke(() -> {
                    synchronized (waiting) {
                        for (int i = n - 1; i >= 0; i--) {
                            waiting.addFirst(batch.get(i));
                        }
                    }
                });
    }
}
