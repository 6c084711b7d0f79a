package org.sciaticahep.session.events;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.runtime.StartupEvent;
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
import org.sciaticahep.session.store.EventLog;

/**
 * How far Kafka is behind what patients sent: the number of accepted events not yet acknowledged and the age of
 * the oldest. Measured every few seconds (a scrape or probe must not wait on a query), shown as metrics and in
 * readiness. A backlog does not make the service unready: it keeps accepting events while Kafka is away.
 */
@Readiness
@ApplicationScoped
public class OutboxBacklog implements HealthCheck {

    private final AtomicReference<EventLog.Backlog> last = new AtomicReference<>(new EventLog.Backlog(0, null));

    @Inject
    EventLog log;

    @Inject
    MeterRegistry metrics;

    void register(@Observes StartupEvent start) {
        Gauge.builder("session.outbox.backlog", last, b -> b.get().size())
                .description("Accepted events not yet acknowledged by Kafka").register(metrics);
        Gauge.builder("session.outbox.oldest.age.seconds", last, b -> ageSeconds(b.get()))
                .description("Age of the oldest accepted event not yet acknowledged by Kafka").register(metrics);
    }

    @Scheduled(every = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> measure() {
        return log.backlog().invoke(last::set).replaceWithVoid();
    }

    @Override
    public HealthCheckResponse call() {
        EventLog.Backlog backlog = last.get();
        return HealthCheckResponse.named("session-events outbox").up()
                .withData("unpublished", backlog.size())
                .withData("oldestAgeSeconds", (long) ageSeconds(backlog))
                .build();
    }

    private static double ageSeconds(EventLog.Backlog backlog) {
        return backlog.oldestRecordedAt() == null ? 0
                : Duration.between(backlog.oldestRecordedAt(), Instant.now()).toMillis() / 1000.0;
    }
}
