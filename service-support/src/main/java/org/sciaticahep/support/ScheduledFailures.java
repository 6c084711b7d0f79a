package org.sciaticahep.support;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.FailedExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * How a failed run of a scheduled task (a relay, a backlog measure) is reported. The scheduler's own report is a
 * stack trace at ERROR for every run, so a database restarting for 10 s buried the log in a hundred of them; here
 * the database out of reach is one WARN line per run (the next run tries again by itself), anything else an ERROR
 * with its stack. Both are counted, so ops can alert on the second kind.
 */
@ApplicationScoped
public class ScheduledFailures {

    private static final Logger LOG = Logger.getLogger(ScheduledFailures.class);

    @Inject
    MeterRegistry metrics;

    void report(@Observes FailedExecution failed) {
        String id = failed.getExecution().getTrigger().getId();
        String task = id.substring(id.lastIndexOf('.') + 1);
        boolean database = Unavailable.database(failed.getException());
        metrics.counter("scheduled.task.failures", "task", task, "cause", database ? "database" : "other").increment();
        if (database) {
            LOG.warnf("%s: the database is out of reach (%s); the next run tries again", task, failed.getException().toString());
        } else {
            LOG.errorf(failed.getException(), "%s failed", task);
        }
    }
}
