package org.sciaticahep.support.access;

import com.fasterxml.jackson.annotation.JsonIgnore;
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
import java.util.UUID;
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
 * 200 ms. What waits is bounded in number and in age: once 50,000 wait, or the oldest has waited 10 s (the database
 * away), reads of patient data are refused with 503 until entries can be written again, so no read goes without its
 * entry and an instance that crashes loses at most the entries of its last 10 s. One stopped in order refuses new
 * reads of patient data and writes what waits first. A batch whose insert timed out may have been written: each entry
 * has its own id, and writing it again adds nothing.
 */
@ApplicationScoped
@IfBuildProperty(name = AccessLog.ENABLED, stringValue = "true")
public class AccessLog {

    /** Build property a service sets to keep an access log (it holds patient data and has the table). */
    public static final String ENABLED = "service.access-log";
    static final Duration FLUSH_EVERY = Duration.ofMillis(200);
    /** The oldest an unwritten entry may be before reads of patient data wait (503). */
    static final Duration MAX_WAIT = Duration.ofSeconds(10);
    static final Duration INSERT_TIMEOUT = Duration.ofSeconds(10);
    static final int BATCH = 1000;
    /** A token's subject is the identity provider's; an entry keeps at most this much of it. */
    static final int MAX_SUBJECT = 128;
    private static final Logger LOG = Logger.getLogger(AccessLog.class);

    public enum Outcome {
        ALLOWED,
        /** Not allowed (no token, another patient's, not their clinician), or sent to sign in. */
        REFUSED,
        /** Allowed to ask, but nothing there (no such patient, no enrollment). */
        NOT_FOUND
    }

    /** One read: {@code action} is the method and route, such as {@code GET /patients/{patientId}/pain}. */
    public record Entry(@JsonIgnore UUID id, Instant at, String service, String subject, String role, String patientId,
                        String action, Outcome outcome) {
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
    private volatile boolean closing;
    private Counter written;
    private Counter refused;
    private Counter dropped;
    private long timer;

    void start(@Observes StartupEvent event) {
        if (retentionDays < 365) {
            // a typo must not delete the trail
            throw new IllegalStateException("access-log.retention-days must be at least 365, not " + retentionDays);
        }
        written = Counter.builder("access_log.written").description("Access entries written").register(metrics);
        dropped = Counter.builder("access_log.dropped")
                .description("Access entries the database refused as data (never expected: page someone)").register(metrics);
        refused = Counter.builder("access_log.refused_reads")
                .description("Reads of patient data refused (503) because their access entries could not be kept").register(metrics);
        Gauge.builder("access_log.waiting", this, AccessLog::waitingCount).description("Access entries not written yet").register(metrics);
        timer = vertx.setPeriodic(FLUSH_EVERY.toMillis(), id -> write());
    }

    /** New reads of patient data are refused, then what the last ones left is written before the instance goes. */
    void stop(@Observes ShutdownEvent event) {
        closing = true;
        vertx.cancelTimer(timer);
        Instant deadline = Instant.now().plusSeconds(15);
        while (waitingCount() > 0 && Instant.now().isBefore(deadline)) {
            if (writing.compareAndSet(false, true)) {
                try {
                    // longer than the insert's own timeout: the batch goes back to the queue before this gives up
                    writeBatch().await().atMost(INSERT_TIMEOUT.plusSeconds(2));
                } catch (RuntimeException e) {
                    pause(100); // the batch went back to the head; try again until the deadline
                } finally {
                    writing.set(false);
                }
            } else {
                pause(20); // the timer's last batch is still on its way
            }
        }
        if (waitingCount() > 0) {
            LOG.errorf("%d access entries could not be written before the service stopped", waitingCount());
        }
    }

    /** Whether a read may go ahead: its entry can be kept. Counts a refusal when not. */
    public boolean accepting() {
        Instant oldest;
        int count;
        synchronized (waiting) {
            count = waiting.size();
            oldest = count == 0 ? null : waiting.peekFirst().at();
        }
        if (!closing && count < capacity && (oldest == null || oldest.isAfter(Instant.now().minus(MAX_WAIT)))) {
            return true;
        }
        refused.increment();
        return false;
    }

    /** Records a read; the subject is cut to its first 128 characters, without control or format characters. */
    public void record(String subject, String role, String patientId, String action, Outcome outcome) {
        String who = subject.replaceAll("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]", "");
        Entry entry = new Entry(UUID.randomUUID(), Instant.now(), service, who.substring(0, Math.min(who.length(), MAX_SUBJECT)),
                role, patientId, action, outcome);
        synchronized (waiting) {
            waiting.addLast(entry);
        }
    }

    int waitingCount() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    /**
     * A page of the patient's entries at or before {@code until} (null: all), newest first: an older stretch of a long
     * log is reached by moving {@code until} back, not by paging ever deeper.
     */
    public Uni<Paged<Entry>> page(String patientId, Instant until, int limit, long offset) {
        OffsetDateTime before = (until == null ? Instant.now().plus(1, ChronoUnit.DAYS) : until).atOffset(ZoneOffset.UTC);
        Uni<List<Entry>> items = db.preparedQuery("""
                        SELECT entry_id, at, service, subject, role, patient_id, action, outcome FROM access_entry
                        WHERE patient_id = $1 AND at <= $2 ORDER BY at DESC, id DESC LIMIT $3 OFFSET $4""")
                .execute(Tuple.of(patientId, before, limit, offset)).map(rows -> {
                    List<Entry> page = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        page.add(new Entry(r.getUUID(0), r.getOffsetDateTime(1).toInstant(), r.getString(2), r.getString(3),
                                r.getString(4), r.getString(5), r.getString(6), Outcome.valueOf(r.getString(7))));
                    }
                    return page;
                });
        Uni<Long> total = db.preparedQuery("SELECT count(*) FROM access_entry WHERE patient_id = $1 AND at <= $2")
                .execute(Tuple.of(patientId, before)).map(rows -> rows.iterator().next().getLong(0));
        return Uni.combine().all().unis(items, total).asTuple().map(t -> new Paged<>(t.getItem1(), t.getItem2()));
    }

    /** Entries older than the retention go, a bounded batch at a time. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> expire() {
        OffsetDateTime before = Instant.now().minus(retentionDays, ChronoUnit.DAYS).atOffset(ZoneOffset.UTC);
        return db.preparedQuery("DELETE FROM access_entry WHERE id IN (SELECT id FROM access_entry WHERE at < $1 ORDER BY at LIMIT 10000)")
                .execute(Tuple.of(before)).chain(rows -> rows.rowCount() == 10000 ? expire() : Uni.createFrom().voidItem());
    }

    private void requeue(List<Entry> batch) {
        synchronized (waiting) {
            for (int i = batch.size() - 1; i >= 0; i--) {
                waiting.addFirst(batch.get(i));
            }
        }
    }

    /** A data exception or an integrity violation (SQLSTATE 22, 23): the same rows would be refused again. */
    static boolean refusedAsData(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
            LOG.debugf("access entries not written yet (%d waiting): %s", waitingCount(), failure.toString());
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
        UUID[] ids = new UUID[n];
        OffsetDateTime[] at = new OffsetDateTime[n];
        String[] services = new String[n];
        String[] subject = new String[n];
        String[] role = new String[n];
        String[] patient = new String[n];
        String[] action = new String[n];
        String[] outcome = new String[n];
        for (int i = 0; i < n; i++) {
            Entry e = batch.get(i);
            ids[i] = e.id();
            at[i] = e.at().atOffset(ZoneOffset.UTC);
            services[i] = e.service();
            subject[i] = e.subject();
            role[i] = e.role();
            patient[i] = e.patientId();
            action[i] = e.action();
            outcome[i] = e.outcome().name();
        }
        return db.preparedQuery("""
                        INSERT INTO access_entry (entry_id, at, service, subject, role, patient_id, action, outcome)
                        SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[],
                                             $7::text[], $8::text[])
                        ON CONFLICT (entry_id) DO NOTHING""")
                .execute(Tuple.from(List.of(ids, at, services, subject, role, patient, action, outcome)))
                .ifNoItem().after(INSERT_TIMEOUT).fail()
                .map(rows -> {
                    written.increment(n);
                    return n;
                })
                // what the database refuses as data would be refused forever and hold back every entry after it:
                // entries are made of checked ids and the token's subject, so this is a defect to page about
                .onFailure(AccessLog::refusedAsData).recoverWithItem(failure -> {
                    dropped.increment(n);
                    LOG.errorf("%d access entries refused by the database and dropped: %s", n, failure.toString());
                    return n;
                })
                // anything else (the database away or slow, a failover, a stop cutting the wait short): back to the
                // head, in order, and reads stop once the oldest has waited too long
                .onFailure().invoke(() -> requeue(batch))
                .onCancellation().invoke(() -> requeue(batch));
    }
}
