package org.sciaticahep.insights.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.sciaticahep.insights.domain.AlertRules;
import org.sciaticahep.insights.domain.Alerts;
import org.sciaticahep.insights.store.AlertStore;
import org.sciaticahep.insights.store.FactStore;

/**
 * Delivers the queued alerts over HTTP (signed, with the flag event's id as idempotency key), at least once: an
 * attempt that fails is tried again after a doubling delay until the alert has waited {@code retry-for}; a
 * crash mid-attempt leaves it to be taken again once its lease ends. Also escalates unacknowledged flags and
 * measures the backlog for ops. Logs carry delivery and subscription ids, never URLs (a webhook URL is often a
 * secret itself) or bodies.
 */
@ApplicationScoped
public class AlertSender {

    private static final Logger LOG = Logger.getLogger(AlertSender.class);
    private static final int BATCH = 50;
    private static final int ESCALATION_BATCH = 200;

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

    private final AtomicReference<AlertStore.Backlog> backlog = new AtomicReference<>(new AlertStore.Backlog(0, 0, null));
    private HttpClient http;
    /** Name lookups block; a few threads bound how many a slow resolver can hold. */
    private final ExecutorService lookups = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "alert-lookup");
        t.setDaemon(true);
        return t;
    });
    private Counter delivered;
    private Counter attemptsFailed;
    private Counter givenUp;
    private Counter escalated;

    void start(@Observes StartupEvent start) {
        // no redirects: a receiver cannot send the alert on to an address it was never allowed to have
        // no proxy: the address checked before each attempt is the one connected to
        http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(timeout).build();
        delivered = Counter.builder("insights.alerts.delivered").description("Alerts a receiver accepted (2xx)").register(metrics);
        attemptsFailed = Counter.builder("insights.alerts.attempts.failed")
                .description("Delivery attempts that failed (to be tried again unless given up)").register(metrics);
        givenUp = Counter.builder("insights.alerts.failed")
                .description("Alerts given up after retrying for insights.alerts.retry-for").register(metrics);
        escalated = Counter.builder("insights.alerts.escalated")
                .description("Unacknowledged HIGH and CRITICAL flags escalated to the on-call targets").register(metrics);
        Gauge.builder("insights.alerts.undelivered", backlog, b -> b.get().undelivered())
                .description("Alerts queued and not yet delivered").register(metrics);
        Gauge.builder("insights.alerts.retrying", backlog, b -> b.get().retrying())
                .description("Undelivered alerts with at least one failed attempt").register(metrics);
        Gauge.builder("insights.alerts.undelivered.oldest.age.seconds", backlog, b -> b.get().oldestQueuedAt() == null ? 0
                        : Duration.between(b.get().oldestQueuedAt(), Instant.now()).toMillis() / 1000.0)
                .description("How long the oldest undelivered alert has waited since it was queued").register(metrics);
    }

    void stop(@Observes ShutdownEvent stop) {
        lookups.shutdownNow();
    }

    @Scheduled(every = "${insights.alerts.deliver-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void deliver() {
        // a full batch means more are due: go on at once rather than a tick later
        List<AlertStore.Due> due;
        do {
            // leased for longer than the batch may take (below), so no other instance takes them meanwhile
            due = store.claim(BATCH, timeout.multipliedBy(4)).await().atMost(timeout);
            List<CompletableFuture<Void>> attempts = new ArrayList<>();
            for (AlertStore.Due d : due) {
                attempts.add(attempt(d));
            }
            try {
                // a receiver that never answers holds up this batch, never the next tick: what is left unreported
                // here is taken again when its lease ends
                CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new)).get(timeout.multipliedBy(3).toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warn("alert batch still sending after its deadline: the rest are retried once their lease ends");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                LOG.errorf("alert batch failed: %s", e.getCause().getClass().getSimpleName());
                return;
            }
        } while (due.size() == BATCH);
    }

    /**
     * One attempt, off the scheduler thread: the name is looked up (a slow resolver waits on the bounded lookup
     * pool, not on every other alert) and the request sent; the answer's body is never read, so a receiver cannot
     * hold the attempt open by streaming one. Every path ends in {@code attempted}, as a success or a failure.
     */
    private CompletableFuture<Void> attempt(AlertStore.Due d) {
        return CompletableFuture.supplyAsync(() -> refusedNow(URI.create(d.url())), lookups)
                .thenCompose(refused -> refused != null ? CompletableFuture.completedFuture(Outcome.failed(refused))
                        : http.sendAsync(request(d), HttpResponse.BodyHandlers.ofInputStream()).thenApply(response -> {
                            close(response.body());
                            return response.statusCode() / 100 == 2 ? Outcome.delivered(response.statusCode())
                                    : Outcome.failed("HTTP " + response.statusCode());
                        }))
                .orTimeout(timeout.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(error -> Outcome.failed(unwrapped(error).getClass().getSimpleName()))
                .thenAccept(outcome -> {
                    try {
                        if (outcome.delivered()) {
                            store.attempted(d.deliveryId(), "DELIVERED", outcome.text(), Duration.ZERO).await().atMost(timeout);
                            delivered.increment();
                        } else {
                            failed(d, outcome.text());
                        }
                    } catch (RuntimeException e) {
                        // the outcome could not be stored: the lease ends and the alert is tried again (at least once)
                        LOG.errorf("alert delivery %s: outcome not stored (%s)", d.deliveryId(), e.getClass().getSimpleName());
                    }
                });
    }

    private record Outcome(boolean delivered, String text) {
        static Outcome delivered(int status) {
            return new Outcome(true, "HTTP " + status);
        }

        static Outcome failed(String text) {
            return new Outcome(false, text);
        }
    }

    private HttpRequest request(AlertStore.Due d) {
        byte[] body = d.body().getBytes(StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(URI.create(d.url())).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "sciaticahep-insights-alerts")
                .header("Idempotency-Key", d.idempotencyKey())
                .header("X-Alert-Type", d.type())
                .header("X-Delivery-Attempt", String.valueOf(d.attempts() + 1))
                .header("X-Signature-SHA256", AlertRules.signature(d.secret(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static void close(InputStream body) {
        try {
            body.close(); // unread: closing cancels the rest of the answer
        } catch (IOException e) {
            // nothing was wanted from it
        }
    }

    private void failed(AlertStore.Due d, String outcome) {
        attemptsFailed.increment();
        int attempts = d.attempts() + 1;
        if (AlertRules.givenUp(d.queuedAt(), Instant.now(), retryFor)) {
            store.attempted(d.deliveryId(), "FAILED", outcome, Duration.ZERO).await().atMost(timeout);
            givenUp.increment();
            LOG.errorf("alert delivery %s (%s) given up after %d attempts: %s", d.deliveryId(), d.type(), attempts, outcome);
        } else {
            Duration delay = AlertRules.retryDelay(attempts, firstRetry, maxRetryDelay);
            store.attempted(d.deliveryId(), "PENDING", outcome, delay).await().atMost(timeout);
            LOG.warnf("alert delivery %s (%s) attempt %d failed: %s; next in %s", d.deliveryId(), d.type(), attempts, outcome, delay);
        }
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
            return "UnknownHost";
        }
    }

    /** The failure itself (ConnectException, HttpTimeoutException, …), not the future's wrapper. */
    private static Throwable unwrapped(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    @Scheduled(every = "${insights.alerts.escalate-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void escalate() {
        List<AlertStore.Escalated> flags;
        do {
            flags = alerts.escalate(ESCALATION_BATCH).await().atMost(Duration.ofMinutes(1));
            flags.forEach(f -> {
                escalated.increment();
                LOG.warnf("flag %s (%s) not acknowledged in time: escalated to on-call", f.flagId(), f.severity());
            });
        } while (flags.size() == ESCALATION_BATCH);
        while (store.forget(keepLogFor, ESCALATION_BATCH).await().atMost(Duration.ofMinutes(1)) == ESCALATION_BATCH) {
            // old delivery logs go in small steps, never one long delete
        }
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void measure() {
        backlog.set(store.backlog(facts.client()).await().atMost(Duration.ofSeconds(30)));
    }
}
