package org.sciaticahep.insights.events;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import io.quarkus.runtime.StartupEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import org.sciaticahep.insights.domain.FlagEvaluation;
import org.sciaticahep.insights.domain.RebuildState;
import org.sciaticahep.insights.store.FactStore;
import org.sciaticahep.insights.store.RebuildStore;
import org.sciaticahep.support.KafkaAdmin;

/**
 * Rebuilds everything insights derives from session-events, safely with any number of instances. Whichever instance
 * takes the call resets every partition's position in the database to 0 and empties the facts in one transaction;
 * each instance, within a second, sends its consumers back to where the database says they are, and every batch
 * checks its partition's position anyway. Flags, acknowledgements, resolutions and notes are kept: once every
 * partition has been replayed up to where it ended when the rebuild was asked for, each patient's flags are
 * reconciled once against the complete facts, publishing only what really changed. Until then reads answer 503.
 */
@ApplicationScoped
public class Rebuild {

    private static final Logger LOG = Logger.getLogger(Rebuild.class);
    static final String CHANNEL = "session-events-in";
    /** Patients whose flags one reconciliation transaction re-derives (each over their whole history). */
    static final int RECONCILE_BATCH = 25;

    @Inject
    RebuildStore store;

    @Inject
    FactStore facts;

    @Inject
    FlagEvaluation evaluation;

    @Inject
    KafkaClientService kafka;

    @Inject
    KafkaAdmin admin;

    @Inject
    MeterRegistry metrics;

    /** The state as last read (null: not yet); reads are refused while it says a rebuild is under way. */
    private volatile RebuildState state;
    private volatile Instant readAt = Instant.EPOCH;
    /** The rebuild generation each of this instance's partitions was last sent back for. */
    private final Map<TopicPartition, Long> sentBackFor = new ConcurrentHashMap<>();
    /** How often each partition was assigned to a consumer here: a tick that read positions before then is stale. */
    private final Map<TopicPartition, Long> assignments = new ConcurrentHashMap<>();

    @PostConstruct
    void meters() {
        Gauge.builder("insights.rebuilding", this, r -> r.state == null || r.state.rebuilding() ? 1 : 0)
                .description("1 while insights is being rebuilt from session-events (reads answer 503)").register(metrics);
    }

    /**
     * Whether reads must wait: a rebuild is under way, or this instance has not known for a while whether one is
     * (not yet read since it started, or the database has not answered), as another instance may have begun one.
     */
    public boolean readsWait() {
        RebuildState known = state;
        return known == null || known.rebuilding() || readAt.isBefore(Instant.now().minus(STALE));
    }

    /** Longer than a tick takes, even while it sends consumers back. */
    static final java.time.Duration STALE = java.time.Duration.ofSeconds(10);

    /** Knows before serving whether a rebuild is under way (the first tick may come after the first request). */
    void knowAtStart(@Observes StartupEvent event) {
        try {
            observe(store.state().await().atMost(java.time.Duration.ofSeconds(10)));
        } catch (RuntimeException e) {
            LOG.warnf("rebuild state not read at start (%s); reads wait for the first tick", e.toString());
        }
    }

    /** Where the last rebuild stands, as the database says now. */
    public Uni<RebuildState> status() {
        return store.state();
    }

    /** Asks for a rebuild; answers its state (REPLAYING). */
    public Uni<RebuildState> start(String by) {
        return Uni.createFrom().item(this::endOffsets).runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                .chain(ends -> store.start(SessionEventListener.TOPIC, ends, by, Instant.now().truncatedTo(ChronoUnit.MICROS)))
                .invoke(started -> {
                    LOG.infof("rebuild %d asked for by %s: replaying session-events from the beginning", started.generation(), by);
                    observe(started);
                });
    }

    private Map<Integer, Long> endOffsets() {
        try {
            String topic = SessionEventListener.TOPIC;
            TopicDescription description = admin.client().describeTopics(List.of(topic)).allTopicNames()
                    .get(KafkaAdmin.TIMEOUT_MS, TimeUnit.MILLISECONDS).get(topic);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<Integer, Long> ends = new HashMap<>();
            admin.client().listOffsets(latest).all().get(KafkaAdmin.TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
            return ends;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Kafka did not say where session-events ends; nothing was reset", e);
        }
    }

    /** Moves the rebuild on: consumers sent back, replay checked, flags reconciled; on every instance, every second. */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> progress() {
        return store.state().chain(now -> {
            observe(now);
            return sendBack(now.generation()).chain(() -> switch (now.status()) {
                case DONE -> Uni.createFrom().voidItem();
                case REPLAYING -> store.replayed()
                        .chain(done -> done ? store.startReconciling().invoke(started -> {
                            if (started) {
                                LOG.infof("rebuild %d: every partition replayed; reconciling flags", now.generation());
                            }
                        }).replaceWithVoid() : Uni.createFrom().voidItem());
                case RECONCILING -> reconcile();
            });
        });
    }

    private void observe(RebuildState now) {
        state = now;
        readAt = Instant.now();
    }

    /**
     * Each partition this instance is newly assigned, and each again once per rebuild, to where the database says it
     * is: Kafka's committed offset may be ahead of it (a batch found ahead of the database and discarded is still
     * acknowledged), and an idle partition would otherwise never come back after a rebuild.
     */
    private Uni<Void> sendBack(long generation) {
        Map<TopicPartition, Long> assignedBefore = Map.copyOf(assignments);
        return store.positions(SessionEventListener.TOPIC).chain(stored -> {
            Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (KafkaConsumer<String, String> consumer : consumers()) {
                chain = chain.chain(() -> consumer.runOnPollingThread(c -> {
                    Map<Integer, Long> skipped = new HashMap<>();
                    for (TopicPartition tp : c.assignment()) {
                        assigned.add(tp);
                        Long offset = stored.get(tp.partition());
                        // assigned since the positions were read: seek now, and again on the next tick
                        Long done = Objects.equals(assignedBefore.get(tp), assignments.get(tp))
                                ? sentBackFor.put(tp, generation) : sentBackFor.remove(tp);
                        if (offset != null && (done == null || done != generation)) {
                            seek(c, tp, offset, skipped);
                        }
                    }
                    return skipped;
                }).chain(this::recordSkips));
            }
            return chain.invoke(() -> sentBackFor.keySet().retainAll(assigned));
        });
    }

    /** The partitions were (re)assigned: the next tick sends them back to where the database says insights is. */
    void sendBackAgain(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            assignments.merge(tp, 1L, Long::sum);
            sentBackFor.remove(tp);
        }
    }

    /** Sends the partitions' consumers back to the given offsets (a batch found itself ahead of the database). */
    Uni<Void> seekBack(Map<Integer, Long> offsets) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (KafkaConsumer<String, String> consumer : consumers()) {
            chain = chain.chain(() -> consumer.runOnPollingThread(c -> {
                Map<Integer, Long> skipped = new HashMap<>();
                for (TopicPartition tp : c.assignment()) {
                    Long offset = offsets.get(tp.partition());
                    if (offset != null) {
                        seek(c, tp, offset, skipped);
                    }
                }
                return skipped;
            }).chain(this::recordSkips));
        }
        return chain;
    }

    /** Seeks, but never before the log's start: records deleted by retention are skipped, and the database told so. */
    private static void seek(org.apache.kafka.clients.consumer.Consumer<String, String> c, TopicPartition tp, long offset,
                             Map<Integer, Long> skipped) {
        long start = c.beginningOffsets(List.of(tp)).getOrDefault(tp, 0L);
        long target = Math.max(offset, start);
        c.seek(tp, target);
        if (target > offset) {
            skipped.put(tp.partition(), target);
        }
        LOG.infof("session-events-%d: consumer sent back to offset %d, where insights is", tp.partition(), target);
    }

    private Uni<Void> recordSkips(Map<Integer, Long> skipped) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<Integer, Long> s : skipped.entrySet()) {
            chain = chain.chain(() -> store.skipTo(SessionEventListener.TOPIC, s.getKey(), s.getValue()));
        }
        return chain;
    }

    /** Reconciles the next patients' flags until everyone is done; instances take turns on the rebuild's row. */
    private Uni<Void> reconcile() {
        return facts.inTransaction(tx -> store.reconciledThrough(tx).chain(through -> {
            if (through == null) {
                return Uni.createFrom().item(false);
            }
            return store.patientsAfter(tx, through, RECONCILE_BATCH).chain(next -> next.isEmpty()
                    ? store.finish(tx, Instant.now().truncatedTo(ChronoUnit.MICROS)).invoke(() -> LOG.info("rebuild done")).replaceWith(false)
                    : evaluation.reevaluateLocked(tx, next).chain(() -> store.reconciled(tx, next.get(next.size() - 1))).replaceWith(true));
        })).chain(more -> more ? reconcile() : store.state().invoke(this::observe).replaceWithVoid());
    }

    /** The consumer of each copy of the channel (the connector's {@code concurrency} runs several). */
    private List<KafkaConsumer<String, String>> consumers() {
        List<KafkaConsumer<String, String>> all = new ArrayList<>();
        for (String channel : kafka.getConsumerChannels()) {
            if (channel.equals(CHANNEL) || channel.startsWith(CHANNEL + "$")) {
                all.addAll(kafka.<String, String>getConsumers(channel));
            }
        }
        return all;
    }
}
