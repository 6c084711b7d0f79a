package org.sciaticahep.support.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * How far Kafka is behind the service's outbox: rows waiting ({@code outbox_backlog}) and the age of the oldest
 * ({@code outbox_oldest_age_seconds}), the same names in every service (Prometheus' {@code job} tells them apart).
 * Measured every 2 s, since a scrape or probe must not wait on a query; shown in readiness too, which a backlog does
 * not make unready: the service keeps taking changes in while Kafka is away.
 */
@Readiness
@ApplicationScoped
public class OutboxBacklog implements HealthCheck {

    private final AtomicReference<Outbox.Backlog> last = new AtomicReference<>(new Outbox.Backlog(0, null));

    @Inject
    Outbox outbox;

    @Inject
    MeterRegistry metrics;

    void register(@Observes StartupEvent start) {
        Gauge.builder("outbox.backlog", last, b -> b.get().size())
                .description("Outbox rows Kafka has not acknowledged yet").register(metrics);
        Gauge.builder("outbox.oldest.age.seconds", last, b -> ageSeconds(b.get()))
                .description("Age of the oldest outbox row Kafka has not acknowledged").register(metrics);
    }

    @Scheduled(every = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> measure() {
        return outbox.backlog().invoke(last::set).replaceWithVoid();
    }

    @Override
    public HealthCheckResponse call() {
        Outbox.Backlog backlog = last.get();
        return HealthCheckResponse.named("outbox").up()
                .withData("unpublished", backlog.size())
                .withData("oldestAgeSeconds", (long) ageSeconds(backlog))
                .build();
    }

    private static double ageSeconds(Outbox.Backlog backlog) {
        return backlog.oldestRecordedAt() == null ? 0
                : Math.max(0, Duration.between(backlog.oldestRecordedAt(), Instant.now()).toMillis() / 1000.0);
    }
}
