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
        report(id.substring(id.lastIndexOf('.') + 1), failed.getException());
    }

    /** Reports a failed run of {@code task} ({@code Class#method}), also of a loop that schedules itself (the outbox relay). */
    public void report(String task, Throwable failure) {
        boolean database = Unavailable.database(failure);
        metrics.counter("scheduled.task.failures", "task", task, "cause", database ? "database" : "other").increment();
        if (database) {
            LOG.warnf("%s: the database is out of reach (%s); the next run tries again", task, failure.toString());
        } else {
            LOG.errorf(failure, "%s failed", task);
        }
    }
}
