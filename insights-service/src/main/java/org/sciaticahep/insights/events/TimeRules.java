package org.sciaticahep.insights.events;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.sciaticahep.insights.domain.FlagEvaluation;

/** Rules that change with time passing alone (a trend window moving, week six, a day without exercise). */
@ApplicationScoped
public class TimeRules {

    @Inject
    FlagEvaluation evaluation;

    @Scheduled(every = "${insights.flags.evaluate-every}", delayed = "${insights.flags.evaluate-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> evaluate() {
        return evaluation.timeRules().replaceWithVoid();
    }
}
