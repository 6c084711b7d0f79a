package org.sciaticahep.support.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.sciaticahep.contracts.CloudEventHeaders;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.support.EventPublisher;
import org.sciaticahep.support.EventPublisher.OutgoingEvent;
import org.sciaticahep.support.RelayLock;
import org.sciaticahep.support.RelayLocks;
import org.sciaticahep.support.ScheduledFailures;
import org.sciaticahep.support.keys.PatientKeys;
import org.sciaticahep.contracts.PayloadCipher;

/**
 * Publishes the service's {@link Outbox} to Kafka, the same way in every service. A round: the relay lock held
 * ({@link RelayLock}: one relay among all instances, no transaction open), up to a batch from the head in
 * {@code seq} order, handed to the idempotent producer at once (it keeps each partition's order, also across its
 * retries), then the acknowledged prefix deleted. A row after one Kafka did not acknowledge stays and is sent again
 * with it: at worst a repeat with the same ce_id, which consumers drop. Rows after a refused one are not handed to
 * the producer at all once the refusal is known; one the producer refuses late (a non-retriable error, rare with a
 * day's {@code delivery.timeout.ms} and idempotence) while later rows of its key were already handed over would
 * follow them when sent again. A broker outage only delays: the producer waits it out while no statement is open.
 *
 * <p>Rounds follow each other at once while they come back full (a backlog drains at the producer's pace), else
 * after {@code outbox.idle-delay}: session-service's relay is on the ingest path, so it polls every 50 ms rather
 * than on the scheduler's one-second tick.
 *
 * <p>Rows of {@code outbox.sealed-topics} are sealed on the way out under their patient's data key
 * ({@link PatientKeys}, made at the patient's first row): the topic holds nothing readable without the key, and
 * destroying the key erases the patient from it. The outbox itself holds the clear text only until Kafka has it.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** The task's name in {@code scheduled_task_failures_total}. */
    static final String TASK = "OutboxRelay#relay";
    /** After a failed round: the database away, most often. */
    static final Duration RETRY = Duration.ofSeconds(1);
    /** How often an instance that does not relay tries the lock: taking over within a second is soon enough. */
    static final Duration STANDBY = Duration.ofSeconds(1);
    /** What {@link #relayOnce()} answers when another instance relays. */
    public static final int NOT_HOLDING = -1;

    @Inject
    OutboxConfig config;

    @Inject
    Outbox outbox;

    @Inject
    EventPublisher publisher;

    /** Present where the service seals records ({@code outbox.sealed-topics}). */
    @Inject
    Instance<PatientKeys> keys;

    @Inject
    RelayLocks locks;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry metrics;

    @Inject
    ScheduledFailures failures;

    private final Map<String, Counter> published = new ConcurrentHashMap<>();
    private final Map<String, Counter> failed = new ConcurrentHashMap<>();
    private final Map<String, Counter> dropped = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Timer latency;

    void start(@Observes StartupEvent event) {
        latency = Timer.builder("outbox.publish")
                .description("From a row's recorded_at (the change taken in) to Kafka's acknowledgement")
                .publishPercentileHistogram()
                .register(metrics);
        running = true;
        next(0);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
    }

    private void next(long delayMillis) {
        if (running) {
            vertx.setTimer(Math.max(1, delayMillis), id -> round());
        }
    }

    private void round() {
        relayOnce().subscribe().with(
                done -> next(done == NOT_HOLDING ? Math.max(config.idleDelay().toMillis(), STANDBY.toMillis())
                        : done >= config.batchSize() ? 0 : config.idleDelay().toMillis()),
                failure -> {
                    failures.report(TASK, failure);
                    next(RETRY.toMillis());
                });
    }

    /**
     * One round; answers how many rows Kafka acknowledged (and so left the outbox), or {@link #NOT_HOLDING}. Reading
     * the head and deleting are statements of their own: nothing is held open in the database while Kafka is waited for.
     */
    public Uni<Integer> relayOnce() {
        return locks.named(config.lock()).held()
                .chain(held -> held ? outbox.head(config.batchSize()).chain(this::publish) : Uni.createFrom().item(NOT_HOLDING));
    }

    private Uni<Integer> publish(List<Outbox.Pending> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        Set<String> sealedTopics = config.sealedTopics().orElse(Set.of());
        List<String> patients = rows.stream().filter(r -> sealed(r, sealedTopics)).map(Outbox.Pending::key).distinct().toList();
        if (patients.isEmpty()) {
            return send(rows, sealedTopics, Map.of());
        }
        return keys.get().keysFor(patients).chain(states -> send(rows, sealedTopics, states));
    }

    /** Rows of a sealed topic are sealed, but the announcement of an erasure: it says nothing but that it happened. */
    private static boolean sealed(Outbox.Pending row, Set<String> sealedTopics) {
        return sealedTopics.contains(row.topic()) && !EventTypes.PATIENT_ERASED.equals(row.type());
    }

    private Uni<Integer> send(List<Outbox.Pending> rows, Set<String> sealedTopics, Map<String, PatientKeys.State> states) {
        List<OutgoingEvent> events = new ArrayList<>(rows.size());
        // a row of an erased patient (queued before the erasure deleted the rest) is not sent: it counts as done
        boolean[] dropped = new boolean[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Outbox.Pending row = rows.get(i);
            String payload = row.payloadJson();
            String encryption = null;
            if (sealed(row, sealedTopics)) {
                PatientKeys.State state = states.get(row.key());
                if (state.erased()) {
                    dropped[i] = true;
                    continue;
                }
                if (!state.active()) {
                    // keysFor makes every missing key: the round fails and is tried again rather than lose the row
                    return Uni.createFrom().failure(new IllegalStateException("no data key for a patient of outbox row " + row.seq()));
                }
                payload = PayloadCipher.sealText(state.key(), payload, PayloadCipher.recordContext(row.key(), row.eventId(), row.type()));
                encryption = CloudEventHeaders.A256GCM;
            }
            events.add(new OutgoingEvent(row.topic(), row.key(), row.eventId(), row.type(), config.source(), row.key(),
                    row.occurredAt(), config.recordedAtHeader() ? row.recordedAt() : null, payload, encryption));
        }
        return publisher.publish(config.channel(), events).chain(acked -> {
            Instant now = Instant.now();
            List<Long> seqs = new ArrayList<>(rows.size());
            int sent = 0;
            boolean inOrder = true;
            for (int i = 0; i < rows.size(); i++) {
                Outbox.Pending row = rows.get(i);
                if (dropped[i]) {
                    if (inOrder) {
                        seqs.add(row.seq());
                        counter(this.dropped, "outbox.dropped", row.topic()).increment();
                    }
                    continue;
                }
                inOrder = inOrder && acked.get(sent++);
                if (inOrder) {
                    seqs.add(row.seq());
                    latency.record(Duration.between(row.recordedAt(), now));
                }
                counter(inOrder ? published : failed, inOrder ? "outbox.published" : "outbox.failed", row.topic()).increment();
            }
            if (seqs.size() < rows.size()) {
                LOG.warnf("Kafka acknowledged %d of %d outbox rows in order; the rest are sent again", seqs.size(), rows.size());
            }
            return seqs.isEmpty() ? Uni.createFrom().item(0) : outbox.delete(seqs).replaceWith(seqs.size());
        });
    }

    private Counter counter(Map<String, Counter> counters, String name, String topic) {
        return counters.computeIfAbsent(topic, t -> Counter.builder(name).tag("topic", t)
                .description(name.endsWith("published") ? "Outbox rows Kafka acknowledged"
                        : name.endsWith("dropped") ? "Outbox rows of an erased patient, taken out unsent"
                        : "Outbox rows a round sent but Kafka did not acknowledge (or that followed one it did not): sent again")
                .register(metrics));
    }
}
