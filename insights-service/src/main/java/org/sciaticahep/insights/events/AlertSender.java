package org.sciaticahep.insights.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.sciaticahep.insights.domain.AlertRules;
import org.sciaticahep.insights.domain.Alerts;
import org.sciaticahep.insights.store.AlertStore;
import org.sciaticahep.insights.store.FactStore;

/**
 * Delivers the queued alerts over HTTP (signed, with the flag event's id as idempotency key), at least once: an
 * attempt that fails is tried again after a doubling delay until the alert has waited {@code retry-for}; a crash
 * mid-attempt leaves it to be taken again once its lease ends. Attempts run side by side, at most
 * {@link #IN_FLIGHT} at once and {@link #PER_TARGET} per subscription, most severe first, so a receiver that hangs
 * slows only its own alerts. Also escalates unacknowledged flags and measures the backlog for ops. Logs carry
 * delivery and subscription ids, never URLs (a webhook URL is often a secret itself) or bodies.
 */
@ApplicationScoped
public class AlertSender {

    private static final Logger LOG = Logger.getLogger(AlertSender.class);
    static final int IN_FLIGHT = 100;
    static final int PER_TARGET = 2;
    private static final int BATCH = 50;
    private static final int ESCALATION_BATCH = 200;
    private static final int FORGET_STEPS = 10;

    @Inject
    AlertStore store;

    @Inject
    Alerts alerts;

    @Inject
    FactStore facts;

    @Inject
    MeterRegistry metrics;

    @ConfigProperty(name = "insights.alerts.allow-loopback-http")
    boolean allowLoopbackHttp;

    @ConfigProperty(name = "insights.alerts.timeout")
    Duration timeout;

    @ConfigProperty(name = "insights.alerts.first-retry-after")
    Duration firstRetry;

    @ConfigProperty(name = "insights.alerts.max-retry-delay")
    Duration maxRetryDelay;

    @ConfigProperty(name = "insights.alerts.retry-for")
    Duration retryFor;

    @ConfigProperty(name = "insights.alerts.keep-log-for")
    Duration keepLogFor;

    private final Semaphore permits = new Semaphore(IN_FLIGHT);
    private final Map<UUID, AtomicInteger> sending = new ConcurrentHashMap<>();
    private final AtomicReference<Map<String, AlertStore.Backlog>> backlog = new AtomicReference<>(Map.of());
    private final AtomicLong unrouted = new AtomicLong();
    /** Name lookups block; a few threads (and a queue no longer than the attempts in flight) bound what a slow resolver holds. */
    private final ThreadPoolExecutor lookups = new ThreadPoolExecutor(4, 4, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(IN_FLIGHT), r -> {
                Thread t = new Thread(r, "alert-lookup");
                t.setDaemon(true);
                return t;
            });
    private HttpClient http;
    private Counter delivered;
    private Counter attemptsFailed;
    private Counter givenUp;
    private Counter escalated;

    void start(@Observes StartupEvent start) {
        // no redirects: a receiver cannot send the alert on to an address it was never allowed to have; no proxy: the
        // address checked before each attempt is the one connected to
        http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(timeout).build();
        delivered = Counter.builder("insights.alerts.delivered").description("Alerts a receiver accepted (2xx)").register(metrics);
        attemptsFailed = Counter.builder("insights.alerts.attempts.failed")
                .description("Delivery attempts that failed (to be tried again unless given up)").register(metrics);
        givenUp = Counter.builder("insights.alerts.failed")
                .description("Alerts given up after retrying for insights.alerts.retry-for").register(metrics);
        escalated = Counter.builder("insights.alerts.escalated")
                .description("Unacknowledged HIGH and CRITICAL flags queued for the on-call targets").register(metrics);
        for (String target : List.of(Alerts.ON_CALL, "clinician")) {
            Gauge.builder("insights.alerts.undelivered", backlog, b -> of(b, target).undelivered()).tag("target", target)
                    .description("Alerts queued and not yet delivered").register(metrics);
            Gauge.builder("insights.alerts.retrying", backlog, b -> of(b, target).retrying()).tag("target", target)
                    .description("Undelivered alerts with at least one failed attempt").register(metrics);
            Gauge.builder("insights.alerts.undelivered.oldest.age.seconds", backlog, b -> of(b, target).oldestQueuedAt() == null ? 0
                            : Duration.between(of(b, target).oldestQueuedAt(), Instant.now()).toMillis() / 1000.0)
                    .tag("target", target)
                    .description("How long the oldest undelivered alert has waited since it was queued").register(metrics);
        }
        Gauge.builder("insights.alerts.escalations.unrouted", unrouted, AtomicLong::get)
                .description("Open HIGH/CRITICAL flags past their escalation delay that no on-call target receives").register(metrics);
    }

    private static AlertStore.Backlog of(AtomicReference<Map<String, AlertStore.Backlog>> backlog, String target) {
        return backlog.get().getOrDefault(target, AlertStore.Backlog.NONE);
    }

    void stop(@Observes ShutdownEvent stop) {
        lookups.shutdownNow();
    }

    /**
     * Takes what is due while there is room, and starts each attempt without waiting for it: a receiver that never
     * answers holds its own permits for at most an attempt's deadline, never the next tick.
     */
    @Scheduled(every = "${insights.alerts.deliver-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void deliver() {
        int room;
        List<AlertStore.Due> due;
        do {
            room = Math.min(BATCH, permits.availablePermits());
            if (room == 0) {
                return;
            }
            Set<UUID> busy = Set.copyOf(sending.entrySet().stream().filter(e -> e.getValue().get() >= PER_TARGET)
                    .map(Map.Entry::getKey).toList());
            // leased for longer than an attempt and its outcome's write may take, so no other instance takes it meanwhile
            due = store.claim(room, timeout.multipliedBy(4), busy, PER_TARGET).await().atMost(timeout);
            for (AlertStore.Due d : due) {
                permits.acquireUninterruptibly();
                sending.computeIfAbsent(d.subscriptionId(), k -> new AtomicInteger()).incrementAndGet();
                attempt(d).whenComplete((done, error) -> {
                    sending.computeIfPresent(d.subscriptionId(), (k, n) -> n.decrementAndGet() <= 0 ? null : n);
                    permits.release();
                });
            }
        } while (due.size() == room);
    }

    /**
     * One attempt, off the scheduler thread: the name is looked up (on the bounded lookup pool, skipped once the
     * attempt's deadline has passed) and the request sent; the answer's body is never read, so a receiver cannot hold
     * the attempt open by streaming one. Every path ends in the outcome's write, which does not block a thread.
     */
    private CompletableFuture<Void> attempt(AlertStore.Due d) {
        long deadline = System.nanoTime() + timeout.multipliedBy(2).toNanos();
        CompletableFuture<String> lookup;
        try {
            lookup = CompletableFuture.supplyAsync(() -> System.nanoTime() > deadline ? "timeout" : refusedNow(URI.create(d.url())), lookups);
        } catch (java.util.concurrent.RejectedExecutionException full) {
            lookup = CompletableFuture.completedFuture("timeout");
        }
        return lookup
                .thenCompose(refused -> refused != null ? CompletableFuture.completedFuture(Outcome.failed(refused))
                        : http.sendAsync(request(d), HttpResponse.BodyHandlers.ofInputStream()).thenApply(response -> {
                            close(response.body());
                            return response.statusCode() / 100 == 2 ? new Outcome(true, "HTTP " + response.statusCode())
                                    : Outcome.failed("HTTP " + response.statusCode());
                        }))
                .orTimeout(timeout.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(error -> Outcome.failed(AlertRules.outcome(error)))
                .thenCompose(outcome -> record(d, outcome).subscribeAsCompletionStage())
                .exceptionally(error -> {
                    // the outcome could not be stored: the lease ends and the alert is tried again (at least once)
                    LOG.errorf("alert delivery %s: outcome not stored (%s)", d.deliveryId(), error.getClass().getSimpleName());
                    return null;
                });
    }

    private record Outcome(boolean delivered, String text) {
        static Outcome failed(String text) {
            return new Outcome(false, text);
        }
    }

    private HttpRequest request(AlertStore.Due d) {
        byte[] body = d.body().getBytes(StandardCharsets.UTF_8);
        long timestamp = Instant.now().getEpochSecond();
        return HttpRequest.newBuilder(URI.create(d.url())).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "sciaticahep-insights-alerts")
                .header("Idempotency-Key", d.idempotencyKey())
                .header("X-Alert-Type", d.type())
                .header("X-Delivery-Attempt", String.valueOf(d.attempts() + 1))
                .header("X-Signature-Timestamp", String.valueOf(timestamp))
                .header("X-Signature-SHA256", AlertRules.signature(d.secret(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static void close(InputStream body) {
        try {
            body.close(); // unread: closing cancels the rest of the answer
        } catch (IOException e) {
            // nothing was wanted from it
        }
    }

    private Uni<Void> record(AlertStore.Due d, Outcome outcome) {
        if (outcome.delivered()) {
            return store.attempted(d.deliveryId(), "DELIVERED", outcome.text(), Duration.ZERO).invoke(() -> delivered.increment());
        }
        attemptsFailed.increment();
        int attempts = d.attempts() + 1;
        if (AlertRules.givenUp(d.queuedAt(), Instant.now(), retryFor)) {
            return store.attempted(d.deliveryId(), "FAILED", outcome.text(), Duration.ZERO).invoke(() -> {
                givenUp.increment();
                LOG.errorf("alert delivery %s (%s) given up after %d attempts: %s", d.deliveryId(), d.type(), attempts, outcome.text());
            });
        }
        Duration delay = AlertRules.retryDelay(attempts, firstRetry, maxRetryDelay);
        return store.attempted(d.deliveryId(), "PENDING", outcome.text(), delay).invoke(() -> LOG.warnf(
                "alert delivery %s (%s) attempt %d failed: %s; next in %s", d.deliveryId(), d.type(), attempts, outcome.text(), delay));
    }

    /**
     * What the host resolves to now may differ from when the subscription was made: an alert never goes to an
     * address of this host's or a cloud's own (loopback only where the local stack allows it).
     */
    private String refusedNow(URI uri) {
        try {
            for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
                if (AlertRules.internal(address) && !(allowLoopbackHttp && address.isLoopbackAddress())) {
                    return "refused address";
                }
            }
            return null;
        } catch (Exception e) {
            return "unreachable";
        }
    }

    @Scheduled(every = "${insights.alerts.escalate-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void escalate() {
        List<AlertStore.Escalated> flags;
        do {
            flags = alerts.escalate(ESCALATION_BATCH).await().atMost(Duration.ofMinutes(1));
            flags.forEach(f -> {
                escalated.increment();
                LOG.warnf("flag %s (%s) not acknowledged in time: queued for on-call", f.flagId(), f.severity());
            });
        } while (flags.size() == ESCALATION_BATCH);
    }

    /** Old delivery logs, and deleted subscriptions whose log is gone, forgotten a few small steps at a time. */
    @Scheduled(every = "1m", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void forget() {
        for (int step = 0; step < FORGET_STEPS; step++) {
            if (store.forget(keepLogFor, ESCALATION_BATCH).await().atMost(Duration.ofMinutes(1)) < ESCALATION_BATCH) {
                break;
            }
        }
        store.forgetDeletedSubscriptions(ESCALATION_BATCH).await().atMost(Duration.ofMinutes(1));
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void measure() {
        backlog.set(store.backlog(facts.client()).await().atMost(Duration.ofSeconds(30)));
        unrouted.set(alerts.unrouted().await().atMost(Duration.ofSeconds(30)));
    }
}
