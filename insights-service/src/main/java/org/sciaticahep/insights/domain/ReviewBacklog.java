package org.sciaticahep.insights.domain;

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
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.sciaticahep.insights.store.FlagStore;

/**
 * What waits for clinicians, for ops: flags in the review queue by severity, and how long the oldest of each
 * severity has waited without anyone acknowledging it (a HIGH or CRITICAL flag unseen for a day is an alert).
 * Measured every few seconds, so a scrape never waits on a query.
 */
@ApplicationScoped
public class ReviewBacklog {

    private final AtomicReference<Map<FlagRule.Severity, FlagStore.Waiting>> last = new AtomicReference<>(Map.of());

    @Inject
    FlagStore flags;

    @Inject
    MeterRegistry metrics;

    void register(@Observes StartupEvent start) {
        for (FlagRule.Severity severity : FlagRule.Severity.values()) {
            Gauge.builder("insights.flags.open", last, l -> waiting(l, severity) == null ? 0 : waiting(l, severity).count())
                    .description("Flags in the review queue (open or acknowledged, not resolved)")
                    .tag("severity", severity.name()).register(metrics);
            Gauge.builder("insights.flags.unacknowledged.oldest.age.seconds", last, l -> age(waiting(l, severity)))
                    .description("How long the oldest flag not yet acknowledged has waited since it was raised")
                    .tag("severity", severity.name()).register(metrics);
        }
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> measure() {
        return flags.waiting().invoke(rows -> {
            Map<FlagRule.Severity, FlagStore.Waiting> bySeverity = new EnumMap<>(FlagRule.Severity.class);
            rows.forEach(w -> bySeverity.put(w.severity(), w));
            last.set(bySeverity);
        }).replaceWithVoid();
    }

    private static FlagStore.Waiting waiting(AtomicReference<Map<FlagRule.Severity, FlagStore.Waiting>> last,
                                             FlagRule.Severity severity) {
        return last.get().get(severity);
    }

    private static double age(FlagStore.Waiting waiting) {
        return waiting == null || waiting.oldestUnacknowledgedRaisedAt() == null ? 0
                : Duration.between(waiting.oldestUnacknowledgedRaisedAt(), Instant.now()).toMillis() / 1000.0;
    }
}
